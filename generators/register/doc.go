// Package register writes the zz_generated.register.go files
// k8s.io/code-generator's register-gen v0.37.2 writes, byte for byte, on
// the shared parse, into every package tagged +groupName that does not
// register its types itself.
//
// register-gen's own GetTargets, run in process with the arguments
// kube_codegen.sh gives it, decides which packages get a file; aggen's
// renderer (render.go) writes each file already formatted: GroupName,
// GroupVersion, SchemeGroupVersion, Resource, the scheme builder and
// addKnownTypes with every type of the package that embeds TypeMeta. A
// package the renderer does not reproduce with certainty, and every
// package under generators.Options.Reference, is written by register-gen's
// generator.
//
// Markers read (by the renderer and register-gen, with register-gen's
// meaning): +groupName=<group> on the package (else the group is the
// package path's second to last element); +genclient and
// +k8s:deepcopy-gen:interfaces on root types, by hideNonObjects (types
// that embed TypeMeta but are no runtime.Object are not registered).
package register
