// Package g is the internal version of group g.example.com.
//
// +k8s:deepcopy-gen=package
// +groupName=g.example.com
package g
