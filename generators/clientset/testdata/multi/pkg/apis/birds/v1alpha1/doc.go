// +k8s:deepcopy-gen=package
// +groupName=birds.example.com
// +groupGoName=Avian

// Package v1alpha1 is a fixture group-version.
package v1alpha1
