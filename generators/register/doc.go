// Package register runs k8s.io/code-generator's register-gen in process, on the
// shared parse, with the arguments kube_codegen.sh gives it.
//
// Markers read (by register-gen): +groupName=<group>, +genclient and +k8s:deepcopy-gen:interfaces on root types.
package register
