// Package informer writes the shared informers under
// pkg/generated/informers/externalversions that k8s.io/code-generator's
// informer-gen writes, byte for byte, with aggen's own renderer
// (render.go): an informer per kind, interface.go per group and per
// version, factory.go, generic.go and internalinterfaces. No gengo
// templates, no formatting pass. A shape the renderer does not support
// (an internal version, tags informer-gen rejects, two packages of one
// group version, colliding file names) makes it run informer-gen itself,
// in process, as it does with generators.Options.Reference.
//
// Markers read (same meaning as informer-gen's): +genclient,
// +genclient:nonNamespaced, +genclient:noVerbs, +genclient:skipVerbs,
// +genclient:onlyVerbs, +genclient:readonly (an informer needs list and
// watch), +groupName, +groupGoName, +resourceName, the package's
// informer-gen activation tag.
package informer
