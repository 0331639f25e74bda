// +k8s:deepcopy-gen=package
// +groupName=beta.example.com

// Package v1 is a second group's v1, to collide with metav1 and alpha/v1.
package v1
