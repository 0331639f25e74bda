// Package conversion writes conversion-gen's zz_generated.conversion.go
// into every version package tagged +k8s:conversion-gen=, with the
// arguments kube_codegen.sh gives conversion-gen.
//
// aggen renders the files itself (Render), byte for byte as
// k8s.io/code-generator v0.37.2's conversion-gen writes them after
// goimports and gofmt -s, on the shared parse. It decides what to write as
// conversion-gen does, with conversion-gen's own pieces where they are
// exported (its namers, apidefinitions.Identify for the package tag and
// its peers, the base peer packages): the types that have a peer, the
// hand-written Convert_ functions of the peers and the package (which it
// calls and registers instead of writing its own), the types of the same
// memory layout (converted through unsafe.Pointer), the fields it cannot
// convert (a WARNING, and no public function: FindManual asks the user
// for it). A package whose conversions need what the renderer does not
// reproduce with certainty (conversion-gen's FIXME code for types it
// cannot convert, unusual map keys or url.Values fields) is left to the
// upstream conversion-gen, package by package; the whole tree is, for
// +k8s:conversion-gen=false (explicit-only) packages, types from another
// package (+k8s:conversion-gen-external-types) and an unreadable header.
// With generators.Options.Reference the upstream conversion-gen writes
// every file.
//
// Markers read (the meaning is conversion-gen's):
// +k8s:conversion-gen=<internal package> on a package (its peers),
// +k8s:conversion-gen=false on a type or field (skipped),
// +k8s:conversion-gen:explicit-from=net/url.Values on a type,
// +k8s:conversion-fn=copy-only|drop on a hand-written conversion function.
package conversion
