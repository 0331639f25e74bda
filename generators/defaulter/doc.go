// Package defaulter writes the zz_generated.defaults.go files
// k8s.io/code-generator's defaulter-gen v0.37.2 writes, byte for byte, on
// the shared parse, into every package tagged +k8s:defaulter-gen=.
//
// defaulter-gen's own GetTargets, run in process with the arguments
// kube_codegen.sh gives it, decides which packages get a file and its
// generator's filter which types get an object defaulter; aggen's renderer
// (render.go) builds each object defaulter's call tree as defaulter-gen
// does and writes the file already formatted. A package with a shape the
// renderer does not reproduce with certainty (see UnsupportedError; the
// reasons are in render.go), and every package under
// generators.Options.Reference, is written by defaulter-gen's generator.
//
// Markers read (by the renderer, with defaulter-gen's meaning; by
// defaulter-gen's GetTargets, and by defaulter-gen on fallback):
//   - +k8s:defaulter-gen=<Field>[,...] on a package (aggen implies
//     TypeMeta): every exported struct type with a field of that name
//     gets SetObjectDefaults_<Type>, registered in RegisterDefaults, when
//     something in it has a defaulter or a +default.
//   - +k8s:defaulter-gen=true|false on a type: opts it in or out.
//   - +k8s:defaulter-gen=covers on a SetDefaults_<Type> function: it
//     covers the type's fields, whose defaulters are not called.
//   - +default=<JSON value> on fields and types: the value a zero field
//     is defaulted to.
//   - +k8s:defaulter-gen-input=<package> on a package: its types are
//     elsewhere (left to defaulter-gen).
//
// SetDefaults_<Type>, SetDefaults_<Type>_<Anything> and
// SetObjectDefaults_<Type> functions of the input packages are the
// hand-written defaulters the generated ones call.
package defaulter
