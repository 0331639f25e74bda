// Package openapi runs kube-openapi's openapi-gen in process: the model
// name accessors (zz_generated.model_name.go in every package tagged
// +k8s:openapi-model-package) and the OpenAPI definitions
// (pkg/generated/openapi/zz_generated.openapi.go) that serve both
// /openapi/v2 and /openapi/v3.
//
// Markers read (by openapi-gen): +k8s:openapi-gen=true|false,
// +k8s:openapi-model-package=<name>, +optional, +listType, +listMapKey,
// +mapType, +structType, +default, +enum, +patchStrategy, +patchMergeKey,
// and the +k8s:validation tags.
package openapi
