// Package openapi runs kube-openapi's openapi-gen in process: the model
// name accessors (zz_generated.model_name.go in every package tagged
// +k8s:openapi-model-package) and the OpenAPI definitions
// (pkg/generated/openapi/zz_generated.openapi.go) that serve both
// /openapi/v2 and /openapi/v3.
//
// The definitions file is rendered by aggen itself (render.go), byte for
// byte as openapi-gen writes it, on the types openapi-gen's own target
// chooses; so are the model name files (modelnames.go), on openapi-gen's
// own model name targets, each package's falling back to openapi-gen on
// a type with its own +k8s:openapi-model-package tag or a name that is
// not plain text. openapi-gen still runs its API rule checks. A shape the renderer does not reproduce with certainty
// (UnsupportedError: a +k8s:validation tag on items, properties or
// additionalProperties or one making an extension, a +default JSON
// object or array that is not empty, a name that is not a plain Go
// string, an input openapi-gen rejects) leaves the file to openapi-gen,
// as does generate's Reference option.
//
// Markers read, by openapi-gen and by the renderer with openapi-gen's
// meaning: +k8s:openapi-gen=true|false|x-kubernetes-<name>:<value>,
// +k8s:openapi-model-package=<name>, +optional, +required, +listType,
// +listMapKey, +mapType, +structType, +default, +enum, +patchStrategy,
// +patchMergeKey, +validations, +union, +unionDiscriminator,
// +unionDeprecated, and the +k8s:validation: tags.
package openapi
