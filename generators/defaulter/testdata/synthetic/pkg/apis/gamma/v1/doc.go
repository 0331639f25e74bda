// Package v1 has the defaulter-gen tag and nothing to default: its file
// registers no defaulter.
//
// +k8s:deepcopy-gen=package
// +k8s:defaulter-gen=TypeMeta
// +groupName=gamma.example.com
package v1
