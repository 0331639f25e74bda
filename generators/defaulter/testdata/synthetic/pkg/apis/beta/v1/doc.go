// Package v1 is a second group's v1, to collide with metav1 and alpha/v1.
//
// +k8s:deepcopy-gen=package
// +k8s:defaulter-gen=TypeMeta
// +groupName=beta.example.com
package v1
