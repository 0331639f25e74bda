// Package e2e gives a project real aggregation tests: its apiserver,
// deployed with its own manifests (the local overlay) behind a real
// kube-apiserver and etcd on this machine, exercised through the
// aggregation layer. It emits
//
//   - test/e2e/harness/zz_generated.<name>.go (generated): aggen's own
//     end-to-end harness, test/e2e/harness in aggen's repository, copied
//     file by file (tests left out). Standard library only: control plane,
//     certificates, ServiceAccount tokens, processes, and DeployProject,
//     which serves the project through kube-apiserver.
//   - hack/e2e-binaries.sh (generated): builds etcd and kube-apiserver from
//     the Go module proxy into the version-keyed cache aggen's own tests
//     use, so one build serves every project on the machine. The
//     kube-apiserver is of the release the project's k8s.io libraries are
//     pinned to (v0.X.Y gives v1.X.Y).
//   - test/e2e/zz_generated.kinds_test.go (generated): every kind the
//     project serves, per version, with its resource, scope and short
//     names, so the test follows the types as they change.
//   - test/e2e/aggregation_test.go (the user's, scaffolded once): every
//     APIService Available, `kubectl api-resources` listing every kind
//     with its scope, create/get/delete of each kind through
//     kube-apiserver, 403 for a user without RBAC. It runs only with
//     AGGEN_E2E=1 (`make test-e2e`), so `go test ./...` stays fast.
//
// Markers read: none beyond what the model already holds (groups,
// versions, kinds, +kubebuilder:resource scope and shortName, and
// +aggen:computed: a read-only kind's create is expected to be 405).
package e2e
