// +k8s:deepcopy-gen=package
// +groupName=fish.example.com

// Package v2beta1 is a fixture group-version.
package v2beta1
