// Package server renders the extension API server of a project:
//
//   - pkg/apiserver/zz_generated.apiserver.go: the scheme (with the
//     defaults of every kind's schema), the storage version of every kind,
//     the etcd prefix (/registry/<name>.<domain>, see EtcdPrefix) and the
//     APIGroupInfo of every group and version with the storage of
//     pkg/registry (main resource, /status, /scale);
//   - pkg/apiserver/zz_generated.openapi.go: openapi-gen's definitions
//     completed with autoscaling/v1 Scale and with each kind's schema in
//     each version (validation keywords, defaults, enums, CEL rules,
//     x-kubernetes-* extensions), so what is published is what is enforced;
//   - pkg/apiserver/zz_generated.informers.go: the shared informers of
//     the server's kinds that admission plugins and the sources of
//     computed kinds read; an informer of a kind the server serves lists
//     and watches the kind's storage in the same process (no loopback
//     connection) and runs only once something reads from it;
//   - pkg/apiserver/zz_generated.stack.go: grows the stack of each
//     goroutine k8s.io/apiserver starts for a request (its stream, the
//     request timeout's, the etcd watch's per event) once at its start,
//     through the handler chain, the authenticator and the storage codec,
//     instead of doubling and copying it deep in the call chain;
//   - pkg/cmd/server/zz_generated.server.go: options and cobra command
//     (RecommendedOptions: etcd, secure serving, delegated authentication
//     and authorization, admission, features, plus the emulation version
//     and feature gates of the component globals registry), and --local;
//   - pkg/cmd/server/zz_generated.frontproxy.go: the request-header
//     authentication of requests kube-apiserver proxies, with the
//     verification of its front-proxy certificate chain remembered for a
//     minute (per chain and CA bundle, never past the chain's expiry)
//     instead of repeated on every request;
//   - pkg/cmd/server/zz_generated.version.go: what /version reports, the
//     version of the project's module as the go command stamps it (so
//     `kubectl version` works against the server);
//   - pkg/cmd/server/zz_generated.storage.go, only when a kind is stored
//     elsewhere than etcd (+aggen:storage, or aggen.yaml's storage): the
//     flags of the backends in use, kine (its drivers and etcd API server)
//     started in the process on a unix socket per backend, and etcd's REST
//     options with the transport pointed at it; the kind's NewStorage gets
//     them through CompletedConfig.restOptions (docs/storage.md);
//   - pkg/admission/initializer/zz_generated.initializer.go: hands the
//     generated shared informers to admission plugins;
//   - user-owned: cmd/apiserver/main.go, pkg/apiserver/customize.go,
//     pkg/cmd/server/admission.go and pkg/admission/plugin/admission.go, a
//     mutating and validating plugin (Admit and Validate) for creates and
//     updates, the shape of sample-apiserver's BanFlunder.
//
// Local mode (--local) needs only etcd: no kube-apiserver, no core API
// informers, and no generic admission plugins (only the project's own run).
// The server serves --tls-cert-file or a self-signed certificate created in
// --cert-dir, authenticates the bearer token kept in <cert-dir>/local-token
// (created once) as user aggen-local-admin in system:masters, rejects
// anonymous requests, allows every authenticated one, and writes a
// kubeconfig with the token and the serving certificate as CA to
// --local-kubeconfig (default <cert-dir>/kubeconfig).
//
// Markers read, through the model: everything the registry package reads
// (for the wiring; the OpenAPI completion reads the kinds' schemas), plus
// the group and version layout (+groupName, versions,
// +kubebuilder:storageversion) and +aggen:storage=etcd|sqlite|postgres|mysql|memory.
package server
