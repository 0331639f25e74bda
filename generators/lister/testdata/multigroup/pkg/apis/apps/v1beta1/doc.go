// Package v1beta1 is a fixture API version.
//
// +groupName=apps
package v1beta1
