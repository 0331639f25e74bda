// Package crdschema gives every kind, in every version that serves it, the
// structural OpenAPI v3 schema that a CRD made by controller-gen from the
// same Go types would carry (spec.versions[].schema.openAPIV3Schema).
//
// The schema is the one description of a kind's fields that validation,
// defaulting and the published OpenAPI are derived from: the generated
// server validates and defaults with the same k8s.io/apiextensions-apiserver
// code that kube-apiserver runs for CRDs, so the two agree by construction.
//
// Oracle builds the schemas with sigs.k8s.io/controller-tools itself. It is
// the reference the differential tests compare against.
package crdschema
