// Package v2 opts types in one by one.
//
// +groupName=alpha.example.com
package v2
