// Package v1 is version v1 of group g.example.com.
//
// +k8s:conversion-gen=github.com/aggen-dev/aggen/examples/insects/pkg/apis/g
// +groupName=g.example.com
package v1
