// Package v2 is a fixture API version.
//
// +groupName=cache.example.com
package v2
