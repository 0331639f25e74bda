// Package defaulter runs k8s.io/code-generator's defaulter-gen in process, on the
// shared parse, with the arguments kube_codegen.sh gives it.
//
// Markers read (by defaulter-gen): +k8s:defaulter-gen=TypeMeta|true, +default=<json> on fields, SetDefaults_<Type> functions.
package defaulter
