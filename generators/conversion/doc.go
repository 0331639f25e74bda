// Package conversion runs k8s.io/code-generator's conversion-gen in process, on the
// shared parse, with the arguments kube_codegen.sh gives it.
//
// Markers read (by conversion-gen): +k8s:conversion-gen=<internal package>, +k8s:conversion-gen=false, +k8s:conversion-fn=copy-only|drop.
package conversion
