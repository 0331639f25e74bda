// Package v1 is a synthetic API version with the shapes deepcopy-gen
// meets in real projects.
//
// +k8s:deepcopy-gen=package,register=true
// +groupName=alpha.example.com
package v1
