// Package v1 is a fixture API version.
//
// +groupName=cache.example.com
package v1
