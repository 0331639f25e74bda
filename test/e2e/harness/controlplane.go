package harness

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// ControlPlaneOptions configure StartControlPlane.
type ControlPlaneOptions struct {
	// Dir is the work directory (certificates, data, logs, kubeconfigs). A
	// test passes t.TempDir().
	Dir string
	// Binaries; empty means ResolveBinary (env var or hack/e2e-binaries.sh).
	EtcdBinary          string
	KubeAPIServerBinary string
	// ExtraAPIServerArgs are appended to kube-apiserver's flags.
	ExtraAPIServerArgs []string
	// Logf, if set, receives progress lines (t.Logf fits).
	Logf func(format string, args ...any)
}

// ControlPlane is etcd plus kube-apiserver serving the aggregation layer.
type ControlPlane struct {
	Dir             string
	PKI             *ClusterPKI
	Etcd            *Etcd
	APIServer       *KubeAPIServer
	AdminKubeconfig string
	Admin           *Client
}

// StartControlPlane makes the PKI, starts etcd and kube-apiserver and waits
// for both to be ready. On error everything it started is already stopped;
// on success the caller owns the ControlPlane and must call Stop.
func StartControlPlane(ctx context.Context, opts ControlPlaneOptions) (cp *ControlPlane, err error) {
	if opts.Dir == "" {
		return nil, errors.New("ControlPlaneOptions.Dir is required")
	}
	logf := opts.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	if opts.EtcdBinary == "" {
		if opts.EtcdBinary, err = ResolveBinary(ctx, BinEtcd); err != nil {
			return nil, err
		}
	}
	if opts.KubeAPIServerBinary == "" {
		if opts.KubeAPIServerBinary, err = ResolveBinary(ctx, BinKubeAPIServer); err != nil {
			return nil, err
		}
	}
	cp = &ControlPlane{Dir: opts.Dir}
	defer func() {
		if err != nil {
			_ = cp.Stop()
			cp = nil
		}
	}()
	if cp.PKI, err = NewClusterPKI(); err != nil {
		return nil, err
	}
	if err = cp.PKI.WriteFiles(filepath.Join(opts.Dir, "pki")); err != nil {
		return nil, err
	}
	start := time.Now()
	if cp.Etcd, err = StartEtcd(ctx, EtcdOptions{Binary: opts.EtcdBinary, Dir: filepath.Join(opts.Dir, "etcd")}); err != nil {
		return nil, err
	}
	logf("etcd ready at %s after %v", cp.Etcd.ClientURL, time.Since(start).Round(time.Millisecond))
	start = time.Now()
	cp.APIServer, err = StartKubeAPIServer(ctx, KubeAPIServerOptions{
		Binary: opts.KubeAPIServerBinary, Dir: filepath.Join(opts.Dir, "kube-apiserver"),
		EtcdURL: cp.Etcd.ClientURL, PKI: cp.PKI, ExtraArgs: opts.ExtraAPIServerArgs,
	})
	if err != nil {
		return nil, err
	}
	logf("kube-apiserver ready at %s after %v", cp.APIServer.URL, time.Since(start).Round(time.Millisecond))
	cp.AdminKubeconfig = cp.APIServer.AdminKubeconfig
	cp.Admin = cp.APIServer.Admin
	return cp, nil
}

// Stop stops kube-apiserver, then etcd. Safe to call more than once.
func (cp *ControlPlane) Stop() error {
	var errs []error
	if cp.APIServer != nil {
		cp.APIServer.Admin.CloseIdle()
		errs = append(errs, cp.APIServer.Stop())
	}
	if cp.Etcd != nil {
		errs = append(errs, cp.Etcd.Stop())
	}
	return errors.Join(errs...)
}

// UserKubeconfig issues a client certificate for user (with groups) from the
// cluster CA and writes a kubeconfig for it under Dir/users. It returns the
// kubeconfig path.
func (cp *ControlPlane) UserKubeconfig(user string, groups ...string) (string, error) {
	kp, err := cp.PKI.ClusterCA.IssueClient(user, groups...)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(cp.Dir, "users")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, safeFileName(user)+".kubeconfig")
	err = WriteKubeconfig(path, user, Kubeconfig{
		Server: cp.APIServer.URL, CAPEM: cp.PKI.ClusterCA.CertPEM, CertPEM: kp.CertPEM, KeyPEM: kp.KeyPEM,
	})
	return path, err
}

// UserClient is UserKubeconfig plus a REST client for that user.
func (cp *ControlPlane) UserClient(user string, groups ...string) (*Client, string, error) {
	path, err := cp.UserKubeconfig(user, groups...)
	if err != nil {
		return nil, "", err
	}
	c, err := NewClientFromKubeconfig(path)
	return c, path, err
}

func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, s)
}

// APIServiceRegistration describes how to route a group/version from
// kube-apiserver to an extension server on loopback.
type APIServiceRegistration struct {
	Group, Version string
	// ServiceNamespace/ServiceName name the Service the APIService points at.
	// The extension server's certificate must carry the DNS name
	// "<ServiceName>.<ServiceNamespace>.svc" (see ExtensionServingCert).
	ServiceNamespace, ServiceName string
	// Port is the extension server's secure port on loopback.
	Port int
	// CABundle is the PEM CA that signed the extension server's certificate.
	CABundle []byte
	// ExternalName defaults to "localhost".
	ExternalName string
	// Priorities default to 1000 and 15.
	GroupPriorityMinimum, VersionPriority int
}

// Name is the APIService name, "<version>.<group>".
func (r APIServiceRegistration) Name() string { return r.Version + "." + r.Group }

// RegisterAPIService creates the namespace (if needed), a Service of type
// ExternalName pointing at localhost, and the APIService. With the default
// --enable-aggregator-routing=false kube-apiserver resolves such a Service to
// https://<externalName>:<APIService port>, which reaches a server on
// loopback; Endpoints cannot, as validation rejects 127.0.0.0/8.
func (cp *ControlPlane) RegisterAPIService(ctx context.Context, r APIServiceRegistration) error {
	if r.Group == "" || r.Version == "" || r.ServiceNamespace == "" || r.ServiceName == "" || r.Port == 0 {
		return errors.New("RegisterAPIService: group, version, service namespace/name and port are required")
	}
	if len(r.CABundle) == 0 {
		return errors.New("RegisterAPIService: a CA bundle is required (no insecureSkipTLSVerify here)")
	}
	if r.ExternalName == "" {
		r.ExternalName = "localhost"
	}
	if r.GroupPriorityMinimum == 0 {
		r.GroupPriorityMinimum = 1000
	}
	if r.VersionPriority == 0 {
		r.VersionPriority = 15
	}
	ns := map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": r.ServiceNamespace}}
	if err := cp.Admin.Ensure(ctx, "/api/v1/namespaces", ns); err != nil {
		return err
	}
	svc := map[string]any{
		"apiVersion": "v1", "kind": "Service",
		"metadata": map[string]any{"name": r.ServiceName, "namespace": r.ServiceNamespace},
		"spec": map[string]any{
			"type":         "ExternalName",
			"externalName": r.ExternalName,
			"ports":        []any{map[string]any{"name": "https", "port": r.Port, "protocol": "TCP"}},
		},
	}
	if err := cp.Admin.Create(ctx, "/api/v1/namespaces/"+r.ServiceNamespace+"/services", svc); err != nil {
		return err
	}
	apisvc := map[string]any{
		"apiVersion": "apiregistration.k8s.io/v1", "kind": "APIService",
		"metadata": map[string]any{"name": r.Name()},
		"spec": map[string]any{
			"group":                r.Group,
			"version":              r.Version,
			"groupPriorityMinimum": r.GroupPriorityMinimum,
			"versionPriority":      r.VersionPriority,
			"caBundle":             r.CABundle, // []byte marshals as base64
			"service": map[string]any{
				"namespace": r.ServiceNamespace,
				"name":      r.ServiceName,
				"port":      r.Port,
			},
		},
	}
	return cp.Admin.Create(ctx, "/apis/apiregistration.k8s.io/v1/apiservices", apisvc)
}

// ExtensionServerRole is the ClusterRole GrantExtensionServerRBAC binds: the
// reads a generic aggregated API server's informers make.
const ExtensionServerRole = "aggen-e2e:extension-apiserver"

// GrantExtensionServerRBAC gives a user the rights an aggregated API server
// needs for delegated authentication and authorization and for its admission
// informers: system:auth-delegator, the extension-apiserver-authentication-
// reader Role in kube-system, and read access to namespaces, admission
// configuration and API priority and fairness objects. It is what a real
// deployment grants the server's ServiceAccount. name prefixes the bindings.
func (cp *ControlPlane) GrantExtensionServerRBAC(ctx context.Context, name, user string) error {
	subjects := []any{map[string]any{"kind": "User", "name": user, "apiGroup": "rbac.authorization.k8s.io"}}
	role := map[string]any{
		"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
		"metadata": map[string]any{"name": ExtensionServerRole},
		"rules": []any{
			map[string]any{"apiGroups": []string{""}, "resources": []string{"namespaces"}, "verbs": []string{"get", "list", "watch"}},
			map[string]any{"apiGroups": []string{"admissionregistration.k8s.io"}, "resources": []string{
				"mutatingwebhookconfigurations", "validatingwebhookconfigurations",
				"validatingadmissionpolicies", "validatingadmissionpolicybindings",
				"mutatingadmissionpolicies", "mutatingadmissionpolicybindings",
			}, "verbs": []string{"get", "list", "watch"}},
			map[string]any{"apiGroups": []string{"flowcontrol.apiserver.k8s.io"}, "resources": []string{
				"prioritylevelconfigurations", "flowschemas",
			}, "verbs": []string{"get", "list", "watch"}},
		},
	}
	if err := cp.Admin.Ensure(ctx, "/apis/rbac.authorization.k8s.io/v1/clusterroles", role); err != nil {
		return err
	}
	crb := func(bname, roleName string) map[string]any {
		return map[string]any{
			"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
			"metadata": map[string]any{"name": bname},
			"roleRef":  map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": roleName},
			"subjects": subjects,
		}
	}
	for _, b := range []map[string]any{
		crb(name+":auth-delegator", "system:auth-delegator"),
		crb(name+":extension-apiserver", ExtensionServerRole),
	} {
		if err := cp.Admin.Create(ctx, "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", b); err != nil {
			return err
		}
	}
	rb := map[string]any{
		"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
		"metadata": map[string]any{"name": name + ":auth-reader", "namespace": "kube-system"},
		"roleRef":  map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "extension-apiserver-authentication-reader"},
		"subjects": subjects,
	}
	return cp.Admin.Create(ctx, "/apis/rbac.authorization.k8s.io/v1/namespaces/kube-system/rolebindings", rb)
}

// Kubectl runs kubectl against a kubeconfig, with optional stdin, and returns
// its stdout. The error carries stderr.
func Kubectl(ctx context.Context, kubeconfig string, stdin []byte, args ...string) (string, error) {
	full := append([]string{"--kubeconfig", kubeconfig}, args...)
	cmd := exec.CommandContext(ctx, "kubectl", full...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("kubectl %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}
