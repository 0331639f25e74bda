// Package manifests generates config/: the kustomize base that deploys the
// apiserver and the controller manager (Namespace, ServiceAccounts,
// Service, Deployments, RBAC bound to the project's own ServiceAccounts,
// one APIService per group-version) and the dev, local and cert-manager
// overlays.
//
// Markers read: +groupName (package), +aggen:groupPriorityMinimum and
// +aggen:versionPriority (package, to override the APIService priorities),
// +kubebuilder:subresource:status (controller rights on /status).
package manifests
