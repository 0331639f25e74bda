// Package v1 has no model package: its types are named after their Go
// names unless they name themselves.
//
// +k8s:openapi-gen=true
package v1
