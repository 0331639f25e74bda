package harness

// Serving an aggen-generated project through kube-apiserver the way a
// cluster would, with the project's own manifests. aggen copies this file,
// like the rest of the package, into every generated project's
// test/e2e/harness, where the project's aggregation test uses it.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ProjectKind is one kind a project serves in one version: what a test
// expects to find through kube-apiserver.
type ProjectKind struct {
	Group, Version string
	Kind           string
	// Resource is the plural resource name, e.g. "bees".
	Resource   string
	Namespaced bool
	ShortNames []string
	// Preferred is true on the most preferred version of Group that serves
	// Kind: the version discovery (and so kubectl api-resources) shows.
	Preferred bool
	// ReadOnly is true for a computed kind (+aggen:computed): it serves
	// get, list and watch, and a write is 405 Method Not Allowed.
	ReadOnly bool
}

// GroupVersion is "<group>/<version>", the objects' apiVersion.
func (k ProjectKind) GroupVersion() string { return k.Group + "/" + k.Version }

// APIServiceName is the name of the APIService serving the kind,
// "<version>.<group>".
func (k ProjectKind) APIServiceName() string { return k.Version + "." + k.Group }

// CollectionPath is the REST path of the kind's collection; namespace is
// ignored for a cluster-scoped kind.
func (k ProjectKind) CollectionPath(namespace string) string {
	if k.Namespaced {
		return "/apis/" + k.GroupVersion() + "/namespaces/" + namespace + "/" + k.Resource
	}
	return "/apis/" + k.GroupVersion() + "/" + k.Resource
}

// ObjectPath is the REST path of one object of the kind.
func (k ProjectKind) ObjectPath(namespace, name string) string {
	return k.CollectionPath(namespace) + "/" + name
}

// Object returns a minimal object of the kind: apiVersion, kind and
// metadata (with the namespace only for a namespaced kind).
func (k ProjectKind) Object(name, namespace string) map[string]any {
	meta := map[string]any{"name": name}
	if k.Namespaced {
		meta["namespace"] = namespace
	}
	return map[string]any{"apiVersion": k.GroupVersion(), "kind": k.Kind, "metadata": meta}
}

// Manifest is one rendered Kubernetes object, as JSON values (numbers are
// float64).
type Manifest map[string]any

// Kind is the object's kind.
func (m Manifest) Kind() string { return m.str("kind") }

// APIVersion is the object's apiVersion.
func (m Manifest) APIVersion() string { return m.str("apiVersion") }

// Name is metadata.name.
func (m Manifest) Name() string { return m.str("metadata", "name") }

// Namespace is metadata.namespace.
func (m Manifest) Namespace() string { return m.str("metadata", "namespace") }

// String names the object as "Kind namespace/name".
func (m Manifest) String() string {
	if ns := m.Namespace(); ns != "" {
		return m.Kind() + " " + ns + "/" + m.Name()
	}
	return m.Kind() + " " + m.Name()
}

// Field returns the value at the path of map keys, or nil.
func (m Manifest) Field(path ...string) any {
	var cur any = map[string]any(m)
	for _, p := range path {
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = obj[p]
	}
	return cur
}

func (m Manifest) str(path ...string) string {
	s, _ := m.Field(path...).(string)
	return s
}

// Map returns the map at path, creating the missing ones on the way.
func (m Manifest) Map(path ...string) map[string]any {
	cur := map[string]any(m)
	for _, p := range path {
		next, ok := cur[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[p] = next
		}
		cur = next
	}
	return cur
}

// Subject is an RBAC subject.
type Subject struct {
	Kind, Name, Namespace string
}

// Subjects returns the subjects of a RoleBinding or ClusterRoleBinding.
func (m Manifest) Subjects() []Subject {
	list, _ := m["subjects"].([]any)
	var out []Subject
	for _, s := range list {
		obj, _ := s.(map[string]any)
		kind, _ := obj["kind"].(string)
		name, _ := obj["name"].(string)
		ns, _ := obj["namespace"].(string)
		out = append(out, Subject{Kind: kind, Name: name, Namespace: ns})
	}
	return out
}

// RoleRef returns the kind and name a binding refers to.
func (m Manifest) RoleRef() (kind, name string) {
	return m.str("roleRef", "kind"), m.str("roleRef", "name")
}

// RenderKustomization renders the kustomization in dir into objects:
// `kubectl create --dry-run=client -o json -k dir`. kubectl maps the kinds
// through the discovery of the cluster in kubeconfig, so every kind must be
// known there; nothing is created.
func RenderKustomization(ctx context.Context, kubeconfig, dir string) ([]Manifest, error) {
	out, err := Kubectl(ctx, kubeconfig, nil, "create", "--dry-run=client", "--validate=false", "-o", "json", "-k", dir)
	if err != nil {
		return nil, err
	}
	objs, err := DecodeManifests([]byte(out))
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", dir, err)
	}
	return objs, nil
}

// DecodeManifests decodes a stream of JSON objects, as kubectl prints
// them; the items of a List are returned in its place.
func DecodeManifests(stream []byte) ([]Manifest, error) {
	dec := json.NewDecoder(bytes.NewReader(stream))
	var out []Manifest
	for {
		var m Manifest
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("decode object %d: %w", len(out)+1, err)
		}
		if m.Kind() != "List" {
			out = append(out, m)
			continue
		}
		items, _ := m["items"].([]any)
		for _, it := range items {
			if obj, ok := it.(map[string]any); ok {
				out = append(out, Manifest(obj))
			}
		}
	}
}

// ApplyManifests runs `kubectl apply -f -` on the objects, as one List.
func ApplyManifests(ctx context.Context, kubeconfig string, objs []Manifest, extraArgs ...string) error {
	items := make([]any, len(objs))
	for i, o := range objs {
		items[i] = map[string]any(o)
	}
	list, err := json.Marshal(map[string]any{"apiVersion": "v1", "kind": "List", "items": items})
	if err != nil {
		return err
	}
	_, err = Kubectl(ctx, kubeconfig, list, append([]string{"apply", "-f", "-"}, extraArgs...)...)
	return err
}

// APIServiceRef is what an APIService manifest says.
type APIServiceRef struct {
	Name, Group, Version          string
	ServiceNamespace, ServiceName string
}

// APIServicesOf returns the APIServices among the manifests.
func APIServicesOf(objs []Manifest) []APIServiceRef {
	var out []APIServiceRef
	for _, o := range objs {
		if o.Kind() != "APIService" {
			continue
		}
		out = append(out, APIServiceRef{
			Name: o.Name(), Group: o.str("spec", "group"), Version: o.str("spec", "version"),
			ServiceNamespace: o.str("spec", "service", "namespace"), ServiceName: o.str("spec", "service", "name"),
		})
	}
	return out
}

// DelegatorServiceAccount returns the one ServiceAccount the manifests
// bind to the ClusterRole system:auth-delegator: the apiserver's identity.
func DelegatorServiceAccount(objs []Manifest) (Subject, error) {
	var found []Subject
	for _, o := range objs {
		if o.Kind() != "ClusterRoleBinding" {
			continue
		}
		if kind, name := o.RoleRef(); kind != "ClusterRole" || name != "system:auth-delegator" {
			continue
		}
		for _, s := range o.Subjects() {
			if s.Kind == "ServiceAccount" {
				found = append(found, s)
			}
		}
	}
	if len(found) != 1 {
		return Subject{}, fmt.Errorf("want exactly one ServiceAccount bound to system:auth-delegator in the manifests, found %v", found)
	}
	return found[0], nil
}

// DeployOptions configure DeployProject.
type DeployOptions struct {
	// ProjectDir is the root of the generated project (see ModuleRoot).
	ProjectDir string
	// Overlay is the kustomize directory relative to ProjectDir; default
	// config/overlays/local, whose Service is an ExternalName for
	// localhost, as a kube-apiserver on this machine needs.
	Overlay string
	// APIServerBinary is the project's built cmd/apiserver.
	APIServerBinary string
	// EtcdURL is where the apiserver keeps its objects; default the
	// control plane's etcd (the apiserver has a key prefix of its own).
	// EtcdPrefix, if set, replaces that prefix.
	EtcdURL, EtcdPrefix string
	// Dir is the work directory (serving certificate, log); default
	// <ControlPlane.Dir>/project.
	Dir string
	// ExtraArgs are appended to the apiserver's flags; Env (KEY=VALUE)
	// to the environment it inherits.
	ExtraArgs []string
	Env       []string
	// AvailableTimeout bounds the wait for the APIServices; default 90 s.
	AvailableTimeout time.Duration
	// Logf, if set, receives progress lines (t.Logf fits).
	Logf func(format string, args ...any)
}

// Deployment is a project served through kube-apiserver.
type Deployment struct {
	// Manifests are the objects of the overlay as applied (the APIServices
	// with their port and caBundle set).
	Manifests   []Manifest
	APIServices []APIServiceRef
	// ServiceNamespace and ServiceName name the Service every APIService
	// points at.
	ServiceNamespace, ServiceName string
	// ServiceAccount is the apiserver's identity against kube-apiserver.
	ServiceAccount Subject
	// Kubeconfig holds a token of ServiceAccount; the apiserver uses it for
	// --kubeconfig, --authentication-kubeconfig and --authorization-kubeconfig.
	Kubeconfig string
	// ServingCA signed the apiserver's serving certificate and is every
	// APIService's caBundle; ServerName is the name the aggregator checks,
	// <service>.<namespace>.svc.
	ServingCA  *CA
	ServerName string
	Server     *ExtensionServer
	// Available is how long the APIServices took to turn Available once
	// applied.
	Available time.Duration

	cp *ControlPlane
}

// DeployProject serves a generated project through kube-apiserver with
// the project's own manifests: it renders the overlay, applies everything
// but the APIServices (Namespace, ServiceAccounts, RBAC, the ExternalName
// Service), starts the apiserver on loopback as the project's
// ServiceAccount (a token from the TokenRequest API, so only the
// manifests' RBAC lets it work) with a serving certificate for
// <service>.<namespace>.svc and localhost, then applies the APIServices
// pointed at it (port and caBundle set) and waits until every one is
// Available. On error the apiserver, if started, is stopped; what was
// applied stays.
func (cp *ControlPlane) DeployProject(ctx context.Context, opts DeployOptions) (d *Deployment, err error) {
	if opts.ProjectDir == "" || opts.APIServerBinary == "" {
		return nil, errors.New("DeployProject: ProjectDir and APIServerBinary are required")
	}
	if _, err := exec.LookPath("kubectl"); err != nil {
		return nil, fmt.Errorf("DeployProject renders and applies the manifests with kubectl: %w", err)
	}
	if opts.Overlay == "" {
		opts.Overlay = filepath.Join("config", "overlays", "local")
	}
	if opts.EtcdURL == "" {
		if cp.Etcd == nil {
			return nil, errors.New("DeployProject: no EtcdURL and the control plane runs no etcd of its own")
		}
		opts.EtcdURL = cp.Etcd.ClientURL
	}
	if opts.Dir == "" {
		opts.Dir = filepath.Join(cp.Dir, "project")
	}
	if opts.AvailableTimeout == 0 {
		opts.AvailableTimeout = 90 * time.Second
	}
	logf := opts.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
		return nil, err
	}
	objs, err := RenderKustomization(ctx, cp.AdminKubeconfig, filepath.Join(opts.ProjectDir, opts.Overlay))
	if err != nil {
		return nil, err
	}
	d = &Deployment{Manifests: objs, APIServices: APIServicesOf(objs), cp: cp}
	if len(d.APIServices) == 0 {
		return nil, fmt.Errorf("%s renders no APIService: does the project serve any kind yet?", opts.Overlay)
	}
	d.ServiceNamespace, d.ServiceName = d.APIServices[0].ServiceNamespace, d.APIServices[0].ServiceName
	var apiservices, rest []Manifest
	var svc Manifest
	for _, o := range objs {
		switch {
		case o.Kind() == "APIService":
			apiservices = append(apiservices, o)
			if o.str("spec", "service", "namespace") != d.ServiceNamespace || o.str("spec", "service", "name") != d.ServiceName {
				return nil, fmt.Errorf("the APIServices point at different Services: %+v", d.APIServices)
			}
			continue
		case o.Kind() == "Service" && o.Namespace() == d.ServiceNamespace && o.Name() == d.ServiceName:
			svc = o
		}
		rest = append(rest, o)
	}
	if svc == nil {
		return nil, fmt.Errorf("the manifests have no Service %s/%s for the APIServices", d.ServiceNamespace, d.ServiceName)
	}
	if t := svc.str("spec", "type"); t != "ExternalName" {
		return nil, fmt.Errorf("Service %s/%s is of type %q; with a kube-apiserver on this machine it must be an ExternalName (use the local overlay)", d.ServiceNamespace, d.ServiceName, t)
	}
	if d.ServiceAccount, err = DelegatorServiceAccount(objs); err != nil {
		return nil, err
	}

	// The aggregator dials with TLS server name <service>.<namespace>.svc,
	// whatever address the ExternalName resolved to.
	if d.ServingCA, err = NewCA(d.ServiceName + "-serving-ca"); err != nil {
		return nil, err
	}
	serving, err := ExtensionServingCert(d.ServingCA, d.ServiceName, d.ServiceNamespace)
	if err != nil {
		return nil, err
	}
	d.ServerName = d.ServiceName + "." + d.ServiceNamespace + ".svc"
	certFile, keyFile, err := serving.WriteFiles(opts.Dir, "serving")
	if err != nil {
		return nil, err
	}

	// The Namespace, ServiceAccounts and RBAC must exist before the
	// apiserver can get its token and start.
	if err := ApplyManifests(ctx, cp.AdminKubeconfig, rest); err != nil {
		return nil, err
	}
	if d.Kubeconfig, err = cp.ServiceAccountKubeconfig(ctx, d.ServiceAccount.Namespace, d.ServiceAccount.Name); err != nil {
		return nil, err
	}
	start := time.Now()
	d.Server, err = StartExtensionServer(ctx, ExtensionServerOptions{
		Name: d.ServiceName, Binary: opts.APIServerBinary, Dir: opts.Dir,
		CAPEM: d.ServingCA.CertPEM, ServerName: d.ServerName, Env: opts.Env,
		Args: func(port int) []string {
			args := []string{
				"--etcd-servers=" + opts.EtcdURL,
				"--bind-address=127.0.0.1",
				"--secure-port=" + strconv.Itoa(port),
				"--tls-cert-file=" + certFile,
				"--tls-private-key-file=" + keyFile,
				"--kubeconfig=" + d.Kubeconfig,
				"--authentication-kubeconfig=" + d.Kubeconfig,
				"--authorization-kubeconfig=" + d.Kubeconfig,
			}
			if opts.EtcdPrefix != "" {
				args = append(args, "--etcd-prefix="+opts.EtcdPrefix)
			}
			return append(args, opts.ExtraArgs...)
		},
	})
	if err != nil {
		return nil, fmt.Errorf("start %s as system:serviceaccount:%s:%s: %w", d.ServiceName, d.ServiceAccount.Namespace, d.ServiceAccount.Name, err)
	}
	defer func() {
		if err != nil {
			_ = d.Server.Stop()
		}
	}()
	logf("%s ready at %s after %v, as system:serviceaccount:%s:%s", d.ServiceName, d.Server.URL,
		time.Since(start).Round(time.Millisecond), d.ServiceAccount.Namespace, d.ServiceAccount.Name)

	for _, o := range apiservices {
		o.Map("spec", "service")["port"] = d.Server.Port
		o.Map("spec")["caBundle"] = d.ServingCA.CertPEM // []byte marshals as base64, as the field wants
	}
	if err = ApplyManifests(ctx, cp.AdminKubeconfig, apiservices); err != nil {
		return nil, err
	}
	start = time.Now()
	wctx, cancel := context.WithTimeout(ctx, opts.AvailableTimeout)
	defer cancel()
	var names []string
	for _, a := range d.APIServices {
		if err = cp.Admin.WaitForAPIServiceAvailable(wctx, a.Name); err != nil {
			return nil, err
		}
		names = append(names, a.Name)
	}
	d.Available = time.Since(start)
	logf("APIServices %s Available %v after they were applied", strings.Join(names, ", "), d.Available.Round(time.Millisecond))
	return d, nil
}

// Stop stops the apiserver. Safe on a nil Deployment.
func (d *Deployment) Stop() error {
	if d == nil || d.Server == nil {
		return nil
	}
	return d.Server.Stop()
}

// DirectClient reaches the apiserver without kube-apiserver in between,
// authenticated the way the aggregator authenticates what it proxies: the
// front-proxy client certificate plus X-Remote-User and X-Remote-Group.
// What it is refused, the apiserver itself refused, after asking
// kube-apiserver (delegated authorization).
func (d *Deployment) DirectClient(user string, groups ...string) (*Client, error) {
	c, err := NewClient(Kubeconfig{
		Server: d.Server.URL, CAPEM: d.ServingCA.CertPEM,
		CertPEM: d.cp.PKI.FrontProxyClient.CertPEM, KeyPEM: d.cp.PKI.FrontProxyClient.KeyPEM,
	})
	if err != nil {
		return nil, err
	}
	c.Header = http.Header{"X-Remote-User": {user}}
	for _, g := range groups {
		c.Header.Add("X-Remote-Group", g)
	}
	return c, nil
}

// EnsureNamespace creates a namespace unless it exists.
func (cp *ControlPlane) EnsureNamespace(ctx context.Context, name string) error {
	ns := map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": name}}
	return cp.Admin.Ensure(ctx, "/api/v1/namespaces", ns)
}

// Grant creates a ClusterRole and a ClusterRoleBinding, both called name,
// that allow user the verbs on the resources of apiGroup.
func (cp *ControlPlane) Grant(ctx context.Context, name, user, apiGroup string, resources []string, verbs ...string) error {
	role := map[string]any{
		"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
		"metadata": map[string]any{"name": name},
		"rules":    []any{map[string]any{"apiGroups": []string{apiGroup}, "resources": resources, "verbs": verbs}},
	}
	if err := cp.Admin.Create(ctx, "/apis/rbac.authorization.k8s.io/v1/clusterroles", role); err != nil {
		return err
	}
	binding := map[string]any{
		"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
		"metadata": map[string]any{"name": name},
		"roleRef":  map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": name},
		"subjects": []any{map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": user}},
	}
	return cp.Admin.Create(ctx, "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", binding)
}

// APIResource is one row of `kubectl api-resources`.
type APIResource struct {
	Name       string
	ShortNames []string
	APIVersion string
	Namespaced bool
	Kind       string
}

// KubectlAPIResources runs `kubectl api-resources --api-group=<group>` (all
// groups for "") and parses its table.
func KubectlAPIResources(ctx context.Context, kubeconfig, group string) ([]APIResource, error) {
	args := []string{"api-resources"}
	if group != "" {
		args = append(args, "--api-group="+group)
	}
	out, err := Kubectl(ctx, kubeconfig, nil, args...)
	if err != nil {
		return nil, err
	}
	return ParseAPIResources(out)
}

// ParseAPIResources parses the table `kubectl api-resources` prints. Its
// columns are aligned, and a cell may be empty (SHORTNAMES often is), so
// cells are cut at the offsets of the header's column names.
func ParseAPIResources(table string) ([]APIResource, error) {
	lines := strings.Split(strings.TrimRight(table, "\n"), "\n")
	if len(lines) == 0 || strings.TrimSpace(lines[0]) == "" {
		return nil, nil
	}
	header := lines[0]
	var starts []int
	var names []string
	for i := 0; i < len(header); i++ {
		if header[i] != ' ' && (i == 0 || header[i-1] == ' ') {
			starts = append(starts, i)
			end := strings.IndexByte(header[i:], ' ')
			if end < 0 {
				end = len(header) - i
			}
			names = append(names, header[i:i+end])
		}
	}
	for _, want := range []string{"NAME", "APIVERSION", "NAMESPACED", "KIND"} {
		found := false
		for _, n := range names {
			found = found || n == want
		}
		if !found {
			return nil, fmt.Errorf("kubectl api-resources: no %s column in %q", want, header)
		}
	}
	var out []APIResource
	for _, line := range lines[1:] {
		if strings.TrimSpace(line) == "" {
			continue
		}
		cells := map[string]string{}
		for i, s := range starts {
			if s >= len(line) {
				break
			}
			e := len(line)
			if i+1 < len(starts) && starts[i+1] < e {
				e = starts[i+1]
			}
			cells[names[i]] = strings.TrimSpace(line[s:e])
		}
		r := APIResource{Name: cells["NAME"], APIVersion: cells["APIVERSION"], Kind: cells["KIND"]}
		switch cells["NAMESPACED"] {
		case "true":
			r.Namespaced = true
		case "false":
		default:
			return nil, fmt.Errorf("kubectl api-resources: NAMESPACED %q in %q", cells["NAMESPACED"], line)
		}
		if sn := cells["SHORTNAMES"]; sn != "" {
			r.ShortNames = strings.Split(sn, ",")
		}
		out = append(out, r)
	}
	return out, nil
}

// Eventually calls check every 250 ms until it returns nil or timeout
// passes; the error then carries the last error check returned before
// the deadline cut it short.
func Eventually(ctx context.Context, timeout time.Duration, what string, check func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var last error
	err := waitUntil(ctx, nil, 250*time.Millisecond, what, func(ctx context.Context) error {
		err := check(ctx)
		if err != nil && ctx.Err() == nil {
			last = err
		}
		return err
	})
	if err != nil && last != nil {
		return fmt.Errorf("%s: not within %v; last: %w", what, timeout, last)
	}
	return err
}

// ModuleRoot returns the directory of the go.mod nearest above the working
// directory: a test's project root.
func ModuleRoot() (string, error) {
	p, err := findRepoFile("go.mod")
	if err != nil {
		return "", err
	}
	return filepath.Abs(filepath.Dir(p))
}

// TB is the part of testing.TB the helpers here use.
type TB interface {
	Helper()
	Cleanup(func())
	Failed() bool
	Logf(format string, args ...any)
}

// DumpLogsOnFailure logs the last lines of each process's log when the
// test has failed (always with AGGEN_E2E_LOGS=1), since the temporary
// directory holding the logs is removed after the test.
func DumpLogsOnFailure(t TB, procs ...*Process) {
	t.Helper()
	t.Cleanup(func() {
		if !t.Failed() && os.Getenv("AGGEN_E2E_LOGS") != "1" {
			return
		}
		for _, p := range procs {
			if p != nil {
				t.Logf("---- last lines of %s (%s) ----\n%s", p.Name, p.LogPath, p.LogTail(40))
			}
		}
	})
}
