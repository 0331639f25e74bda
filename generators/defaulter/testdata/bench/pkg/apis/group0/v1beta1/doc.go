// Package v1beta1 is shaped as aggen's 200-kind benchmark project's packages.
//
// +k8s:deepcopy-gen=package
// +k8s:conversion-gen=github.com/aggen-dev/aggen/examples/insects/pkg/apis/group0
// +k8s:defaulter-gen=TypeMeta
// +k8s:openapi-gen=true
// +groupName=group0.example.com
package v1beta1
