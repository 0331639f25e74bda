// Package apidocs generates the project's API reference: docs/api/README.md,
// an index of the groups and versions, and docs/api/<group>/<version>.md for
// every served version, in Markdown that renders on a code host. Each page
// lists the version's kinds (scope, resource names, short names and
// categories, storage version, subresources, printer columns, field
// selectors), then every exported type of the package, each with a table of
// its fields: JSON name, type (linked to its section, to the page of another
// version, or to pkg.go.dev for types of other modules, which are not
// expanded), required or optional, default, validation and description.
//
// The constraints are read from the model, never from marker text: a
// field's row shows what its property in the type's schema (model.Type.Schema,
// built by package crdschema with controller-tools' meaning of every CRD
// marker) enforces beyond what its own type already does, which that
// type's section or upstream reference shows; the declarative tags that
// validation-gen enforces and the schema does not carry are listed as
// written. Descriptions are the Go doc comments as the schema carries them,
// markers stripped.
//
// Every file is generated (its first line is an HTML comment saying so,
// invisible when rendered); `aggen generate` keeps the pages current and
// `aggen verify` reports a stale one; `aggen docs` writes only these.
//
// Markers read, through the model: +groupName (package), every CRD marker
// that shapes a schema (+kubebuilder:validation:*, +kubebuilder:default,
// +default, +optional, +required, +nullable, +listType, +listMapKey,
// +mapType, +kubebuilder:validation:XValidation, +k8s:enum, ...),
// +kubebuilder:resource (scope, shortName, categories),
// +genclient:nonNamespaced, +kubebuilder:subresource:status,
// +kubebuilder:subresource:scale, +aggen:subresource, +aggen:computed,
// +kubebuilder:printcolumn,
// +kubebuilder:selectablefield, +kubebuilder:storageversion, and the +k8s:
// declarative validation tags.
package apidocs
