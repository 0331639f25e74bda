// Package registry renders the REST storage of every kind of a project: for
// pkg/registry/<group>/<kind>/ the strategies (zz_generated.strategy.go),
// the genericregistry.Store with its /status and /scale subresources and
// table convertor (zz_generated.storage.go), the kind's schema in every
// version with its defaulting (zz_generated.schema.go) and the user-owned
// hooks.go; the helpers they share (pkg/registry/zz_generated.registry.go,
// and zz_generated.schema.go: validation, defaulting and the OpenAPI
// overlay from a schema); and, for every API version, zz_generated.scheme.go
// with the field label conversions of field selectors.
//
// Entry points: Generate (files rewritten on every run) and Scaffold
// (user-owned files, created once).
//
// The schema of a kind is model.Kind.Schema: the structural OpenAPI v3
// schema a CRD made by controller-gen from the same types carries. It is
// embedded without descriptions, and the generated code hands it to
// k8s.io/apiextensions-apiserver, which validates exactly as for a CRD:
// the object (of the internal version) is converted to the version of the
// request and to unstructured, then goes through the custom resource
// strategy (ObjectMeta with the name rules of its scope, generateName,
// labels and annotations; OpenAPI schema validation, ratcheting on update;
// list-type set and map uniqueness; CEL rules with the CRD cost limits;
// scale paths), and /status updates through its status strategy against
// the status schema. The user hooks run after. Defaults of the schema apply
// in the scheme, per version, when a request is decoded and when an object
// is read from storage, after defaulter-gen's, where a field is absent.
//
// Where the typed server cannot be a CRD: a Go value cannot be absent, so a
// zero struct field tagged omitempty counts as absent, and a non-pointer
// field without omitempty is always present (never defaulted, never
// missing).
//
// Markers read, through the model:
//
//	+kubebuilder:resource:scope=,path=,shortName=,categories=
//	+kubebuilder:subresource:status
//	+kubebuilder:subresource:scale:specpath=,statuspath=,selectorpath=
//	+kubebuilder:printcolumn:name=,type=,JSONPath=,description=,format=,priority=
//	+kubebuilder:selectablefield:JSONPath=
//	+kubebuilder:storageversion
//	+aggen:subresource:name=,type=action|getter|connect,request=,response=,options=
//	+aggen:computed
//
// A computed kind (+aggen:computed) has no etcd store and no strategy:
// zz_generated.storage.go serves get, list and watch from the Source that
// newSource in the user-owned source.go returns (scaffolded once), with
// resource versions and watches from the shared Tracker
// (pkg/registry/zz_generated.computed.go), and its strategy file holds
// only the selection by labels and fields.
//
// A custom subresource (+aggen:subresource) gets its storage in
// zz_generated.subresources.go, which calls handle<Name> in the
// user-owned <name>_subresource.go, scaffolded once.
//
// and, through the schema, every marker controller-gen turns into one.
// Field selectors accept metadata.name, metadata.namespace (namespaced
// kinds) and every selectable field; others are a 400.
package registry
