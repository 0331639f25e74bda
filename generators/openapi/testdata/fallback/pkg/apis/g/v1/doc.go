// Package v1 is version v1 of API group g.example.com.
//
// +k8s:openapi-gen=true
// +groupName=g.example.com
package v1
