// +k8s:deepcopy-gen=package

// Package v1 has a shape the renderer leaves to deepcopy-gen: a map of
// anonymous structs, whose type name gofmt would rewrite.
package v1
