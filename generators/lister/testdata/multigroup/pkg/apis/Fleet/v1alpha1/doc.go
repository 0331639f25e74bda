// Package v1alpha1 is a fixture API version.
//
// +groupName=fleet.example.io
// +groupGoName=FleetOps
package v1alpha1
