// Package openapischema builds, in process, the OpenAPI v2 document that
// applyconfiguration-gen reads through --openapi-schema: the one
// kube_codegen.sh users produce by compiling and running a models-schema
// program over the generated GetOpenAPIDefinitions
// (k8s.io/sample-apiserver's pkg/generated/openapi/cmd/models-schema).
//
// aggen cannot run that program without compiling the project, so it derives
// the same definitions from the gengo parse every other upstream generator
// shares, following openapi-gen's rules: definitions for every type reachable
// from the +genclient types, the apimachinery ones (ObjectMeta, Time,
// Condition, ...) included, keyed by the names openapi-gen gives them, with
// the same properties, required lists, defaults, descriptions, validations
// and x-kubernetes-* extensions. A definition that openapi-gen can only get
// at run time (a type's own OpenAPIDefinition or OpenAPIV3Definition method,
// a +default=ref(...) to a variable) is an error; methods that just return
// a literal (OpenAPISchemaType, OpenAPISchemaFormat, OpenAPIModelName) are
// read from their source.
//
// Markers read:
//
//   - on types: +genclient (the roots; with its client-gen options),
//     +k8s:openapi-model-package=<name> (also on the package),
//     +k8s:openapi-gen=x-kubernetes-<ext>:<value>, +structType,
//     +union, +enum, +k8s:validation:<rule>, +default
//   - on fields: +optional, +required, +default=<json>|ref(<const>),
//     +listType, +listMapKey, +mapType, +structType, +patchStrategy,
//     +patchMergeKey, +validations, +unionDiscriminator, +unionDeprecated,
//     +k8s:openapi-gen=false, +k8s:openapi-gen=x-kubernetes-<ext>:<value>,
//     +k8s:validation:<rule>
//   - and the json struct tags: names, omitempty, inline, "-", ",string".
package openapischema
