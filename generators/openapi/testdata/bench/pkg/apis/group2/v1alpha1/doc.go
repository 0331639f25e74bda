// Package v1alpha1 is version v1alpha1 of API group group2.example.com.
//
// +k8s:deepcopy-gen=package
// +k8s:openapi-gen=true
// +groupName=group2.example.com
package v1alpha1
