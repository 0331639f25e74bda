// +k8s:deepcopy-gen=package
// +groupName=shapes.example.com

// Package v1 holds shapes of apply configurations.
package v1
