// Package registry renders the REST storage of every kind of a project: for
// pkg/registry/<group>/<kind>/ the strategies (zz_generated.strategy.go),
// the genericregistry.Store with its /status and /scale subresources and
// table convertor (zz_generated.storage.go), the checks of the validation
// markers (zz_generated.validation.go) and the user-owned hooks.go; the
// helpers they share (pkg/registry/zz_generated.registry.go); and, for every
// API version, zz_generated.scheme.go with the marker defaults and the field
// label conversions of field selectors.
//
// Entry points: Generate (files rewritten on every run) and Scaffold
// (user-owned files, created once).
//
// Markers read, through the model:
//
//	+kubebuilder:resource:scope=,path=,shortName=,categories=
//	+kubebuilder:subresource:status
//	+kubebuilder:subresource:scale:specpath=,statuspath=,selectorpath=
//	+kubebuilder:printcolumn:name=,type=,JSONPath=,description=,format=,priority=
//	+kubebuilder:selectablefield:JSONPath=
//	+kubebuilder:storageversion
//	+kubebuilder:validation:Minimum, Maximum, ExclusiveMinimum, ExclusiveMaximum,
//	  MultipleOf, MinLength, MaxLength, Pattern, Enum, Format, MinItems,
//	  MaxItems, UniqueItems, MinProperties, MaxProperties, Required, Optional
//	+required, +optional
//	+default, +kubebuilder:default
//
// Semantics: validation runs on the internal (hub) object with the markers
// of the storage version; a field that is optional and unset (zero) is not
// checked, a required one must be set (pointer, slice, map, string). Defaults
// apply per version when a request is decoded, after defaulter-gen's own.
// Field selectors accept metadata.name, metadata.namespace (namespaced
// kinds) and every selectable field; others are a 400.
package registry
