// +k8s:deepcopy-gen=package

// Package v2 is plain.
package v2
