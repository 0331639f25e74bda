// Package v1beta1 is version v1beta1 of API group group1.example.com.
//
// +k8s:deepcopy-gen=package
// +k8s:conversion-gen=github.com/aggen-dev/aggen/examples/insects/pkg/apis/group1
// +k8s:defaulter-gen=TypeMeta
// +k8s:openapi-gen=true
// +k8s:openapi-model-package=com.github.aggen-dev.aggen.examples.insects.pkg.apis.group1.v1beta1
// +groupName=group1.example.com
package v1beta1
