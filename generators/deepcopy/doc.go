// Package deepcopy runs k8s.io/code-generator's deepcopy-gen in process, on the
// shared parse, with the arguments kube_codegen.sh gives it.
//
// Markers read (by deepcopy-gen): +k8s:deepcopy-gen=package|true|false, +k8s:deepcopy-gen:interfaces=<interface>.
package deepcopy
