// Package v1alpha1 is version v1alpha1 of API group group0.example.com.
//
// +k8s:deepcopy-gen=package
// +k8s:conversion-gen=github.com/aggen-dev/aggen/examples/insects/pkg/apis/group0
// +k8s:defaulter-gen=TypeMeta
// +k8s:openapi-gen=true
// +k8s:openapi-model-package=com.github.aggen-dev.aggen.examples.insects.pkg.apis.group0.v1alpha1
// +groupName=group0.example.com
package v1alpha1
