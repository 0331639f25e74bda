// Package v1 is a synthetic API version with the shapes defaulter-gen
// meets in real projects.
//
// +k8s:deepcopy-gen=package
// +k8s:defaulter-gen=TypeMeta
// +groupName=alpha.example.com
package v1
