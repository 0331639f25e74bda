// +k8s:deepcopy-gen=package
// +groupName=fish.example.com

// Package v1 is a fixture group-version.
package v1
