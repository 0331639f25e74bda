// Package declarative runs k8s.io/code-generator's validation-gen on the
// API packages that carry the upstream declarative validation tags, so the
// generated strategies enforce them the way kube-apiserver enforces them
// for built-in types: with validation-gen's own output.
//
// validation-gen lives in a main package (only its validators are
// importable), so aggen builds the pinned binary once, caches it by
// version in the user's cache directory, and runs it only for packages
// that need it, on the staged copy of the API packages.
//
// Markers read:
//
//	+k8s:<tag> ...               every validation-gen tag (see markers.IsDeclarative)
//	+optional                    implies +k8s:optional for validation-gen's lint
//	+kubebuilder:subresource:status  the kind's validations also run for /status
//
// What validation-gen needs but users of aggen should not have to write is
// added to the staged copy only (see Tags): the package tags that switch it
// on, +k8s:opaqueType on
// fields of other packages' types, tagged or not (their validation is the
// schema's; passing their packages as --readonly-pkg does not work, as
// metav1 and core/v1 carry +k8s:customValidation whose functions live in
// k8s.io/kubernetes), +k8s:optional where +optional says so on a field
// with +k8s: tags (on others it would crash validation-gen's linter).
package declarative
