// Package manifests generates config/: the kustomize base that deploys the
// apiserver and the controller manager (Namespace with restricted Pod
// Security enforced, ServiceAccounts, Services, Deployments, RBAC bound to
// the project's own ServiceAccounts, NetworkPolicies, one APIService per
// group-version), the components ha (replicas, spread,
// PodDisruptionBudgets) and cert-manager, and the overlays dev (one etcd
// member), production (highly available on an etcd cluster of three),
// cert-manager and local. etcd runs over mutual TLS in every overlay that
// has it; `aggen certs` issues the certificates under the names NamesOf
// gives.
//
// Markers read: +groupName (package), +aggen:groupPriorityMinimum and
// +aggen:versionPriority (package, to override the APIService priorities),
// +kubebuilder:subresource:status (controller rights on /status),
// +aggen:computed (read-only rights: get, list, watch).
package manifests
