// Package v1alpha1 is version v1alpha1 of API group group1.example.com.
//
// +k8s:deepcopy-gen=package
// +k8s:openapi-gen=true
// +k8s:openapi-model-package=com.example.bench.pkg.apis.group1.v1alpha1
// +groupName=group1.example.com
package v1alpha1
