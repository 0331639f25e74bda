// Package v2 uses alpha/v1's types and defaulters from another package.
//
// +k8s:deepcopy-gen=package
// +k8s:defaulter-gen=TypeMeta
// +groupName=alpha.example.com
package v2
