// Package v1 is a fixture API version.
//
// +groupName=apps
package v1
