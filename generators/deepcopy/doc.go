// Package deepcopy writes the zz_generated.deepcopy.go files
// k8s.io/code-generator's deepcopy-gen v0.37.2 writes, byte for byte, with
// aggen's own renderer on the shared parse: into every package tagged
// +k8s:deepcopy-gen= (the project's versioned API packages and the
// internal packages aggen stages). A package with a shape the renderer
// does not reproduce with certainty, and every package under
// generators.Options.Reference, is handed to the upstream deepcopy-gen,
// run in process with the arguments kube_codegen.sh gives it.
//
// Markers read (by the renderer, with deepcopy-gen's meaning; by
// deepcopy-gen on fallback):
//   - +k8s:deepcopy-gen=package[,register=<bool>] on a package: every
//     exported struct type, and every named type over a builtin, slice
//     or map with DeepCopy methods of its own, gets deep copies.
//   - +k8s:deepcopy-gen=true|false on a type: opts it in (in a package
//     without the package marker) or out.
//   - +k8s:deepcopy-gen:interfaces=<pkg>.<Interface>[,...] on a struct
//     type: also a DeepCopy<Interface> returning that interface.
//   - +k8s:deepcopy-gen:nonpointer-interfaces=true on a type: those
//     methods on a value receiver.
package deepcopy
