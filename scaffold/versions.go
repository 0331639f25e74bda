package scaffold

// The versions a new project is pinned to. They move together: one
// Kubernetes release, the kube-openapi it pins, the controller-runtime
// built for it.
const (
	KubernetesVersion        = "v0.37.2"
	KubeOpenAPIVersion       = "v0.0.0-20260721132016-d427ff9ee9ad"
	ControllerRuntimeVersion = "v0.25.2"
	GoVersion                = "1.26"
)

// KineVersion is the github.com/k3s-io/kine a project needs once a kind is
// stored elsewhere than etcd (+aggen:storage): the release built on the
// same Kubernetes libraries and etcd client.
const KineVersion = "v0.17.5"
