package aggregate

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/aggen-dev/aggen/test/e2e/harness"
)

// Options configure Deploy.
type Options struct {
	ControlPlane *harness.ControlPlane
	// ProjectDir is the root of the generated project.
	ProjectDir string
	// Overlay is the kustomize directory, relative to ProjectDir; default
	// config/overlays/local. Its Service must be an ExternalName.
	Overlay string
	// APIServerBinary is the project's built cmd/apiserver.
	APIServerBinary string
	// EtcdURL is the etcd the apiserver stores its objects in; EtcdPrefix,
	// if set, replaces the server's default key prefix.
	EtcdURL, EtcdPrefix string
	// Dir is the work directory (certificates, log).
	Dir string
	// ExtraArgs are appended to the apiserver's flags.
	ExtraArgs []string
	// AvailableTimeout bounds the wait for every APIService; default 90 s.
	AvailableTimeout time.Duration
	Logf             func(format string, args ...any)
}

// Deployment is a project served through kube-apiserver.
type Deployment struct {
	// Manifests are the rendered objects as applied (APIServices patched).
	Manifests   []Object
	APIServices []APIServiceRef
	// ServiceNamespace and ServiceName name the (ExternalName) Service.
	ServiceNamespace, ServiceName string
	// ServiceAccount is the apiserver's identity against kube-apiserver.
	ServiceAccount Subject
	// Kubeconfig holds a token of ServiceAccount; the apiserver uses it for
	// --kubeconfig, --authentication-kubeconfig and --authorization-kubeconfig.
	Kubeconfig string
	// ServingCA signed the apiserver's serving certificate; it is every
	// APIService's caBundle. ServerName is the name the aggregator checks.
	ServingCA  *harness.CA
	ServerName string
	Server     *harness.ExtensionServer
	// Available is how long the APIServices took to turn Available after
	// they were applied.
	Available time.Duration

	opts Options
}

// Deploy renders and applies the overlay, starts the apiserver as the
// project's ServiceAccount and waits until every APIService is Available.
// On error, the apiserver (if started) is stopped; what was applied to
// kube-apiserver stays.
func Deploy(ctx context.Context, opts Options) (d *Deployment, err error) {
	if opts.ControlPlane == nil || opts.ProjectDir == "" || opts.APIServerBinary == "" || opts.EtcdURL == "" || opts.Dir == "" {
		return nil, errors.New("aggregate.Deploy: ControlPlane, ProjectDir, APIServerBinary, EtcdURL and Dir are required")
	}
	if opts.Overlay == "" {
		opts.Overlay = filepath.Join("config", "overlays", "local")
	}
	if opts.AvailableTimeout == 0 {
		opts.AvailableTimeout = 90 * time.Second
	}
	logf := opts.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	cp := opts.ControlPlane
	if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
		return nil, err
	}
	objs, err := Render(ctx, filepath.Join(opts.ProjectDir, opts.Overlay))
	if err != nil {
		return nil, err
	}
	d = &Deployment{Manifests: objs, APIServices: APIServices(objs), opts: opts}
	if len(d.APIServices) == 0 {
		return nil, fmt.Errorf("%s renders no APIService", opts.Overlay)
	}
	d.ServiceNamespace, d.ServiceName = d.APIServices[0].ServiceNamespace, d.APIServices[0].ServiceName
	for _, a := range d.APIServices {
		if a.ServiceNamespace != d.ServiceNamespace || a.ServiceName != d.ServiceName {
			return nil, fmt.Errorf("APIServices point at different Services: %+v", d.APIServices)
		}
	}
	var svc Object
	for _, o := range OfKind(objs, "Service") {
		if o.Namespace() == d.ServiceNamespace && o.Name() == d.ServiceName {
			svc = o
		}
	}
	if svc == nil {
		return nil, fmt.Errorf("the manifests have no Service %s/%s for the APIServices", d.ServiceNamespace, d.ServiceName)
	}
	if t := svc.str("spec", "type"); t != "ExternalName" {
		return nil, fmt.Errorf("Service %s/%s is of type %q; an overlay for a kube-apiserver on loopback needs ExternalName", d.ServiceNamespace, d.ServiceName, t)
	}
	if d.ServiceAccount, err = DelegatorServiceAccount(objs); err != nil {
		return nil, err
	}

	// Serving certificate: the aggregator dials with TLS server name
	// <service>.<namespace>.svc whatever address it resolved.
	if d.ServingCA, err = harness.NewCA(d.ServiceName + "-serving-ca"); err != nil {
		return nil, err
	}
	serving, err := harness.ExtensionServingCert(d.ServingCA, d.ServiceName, d.ServiceNamespace)
	if err != nil {
		return nil, err
	}
	d.ServerName = d.ServiceName + "." + d.ServiceNamespace + ".svc"
	certFile, keyFile, err := serving.WriteFiles(opts.Dir, "serving")
	if err != nil {
		return nil, err
	}

	// Everything but the APIServices first: the Namespace, ServiceAccounts
	// and RBAC must exist before the apiserver can get a token and start.
	rest := Filter(objs, func(o Object) bool { return o.Kind() != "APIService" })
	if err := Apply(ctx, cp.AdminKubeconfig, rest); err != nil {
		return nil, err
	}
	if d.Kubeconfig, err = cp.ServiceAccountKubeconfig(ctx, d.ServiceAccount.Namespace, d.ServiceAccount.Name); err != nil {
		return nil, err
	}
	start := time.Now()
	d.Server, err = harness.StartExtensionServer(ctx, harness.ExtensionServerOptions{
		Name: d.ServiceName, Binary: opts.APIServerBinary, Dir: opts.Dir,
		CAPEM: d.ServingCA.CertPEM, ServerName: d.ServerName,
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
		return nil, fmt.Errorf("start %s as %s/%s: %w", d.ServiceName, d.ServiceAccount.Namespace, d.ServiceAccount.Name, err)
	}
	defer func() {
		if err != nil {
			_ = d.Server.Stop()
		}
	}()
	logf("%s ready at %s after %v, as system:serviceaccount:%s:%s", d.ServiceName, d.Server.URL,
		time.Since(start).Round(time.Millisecond), d.ServiceAccount.Namespace, d.ServiceAccount.Name)

	// The APIServices, pointed at the running server.
	apisvcs := OfKind(objs, "APIService")
	for _, o := range apisvcs {
		SetAPIServiceEndpoint(o, d.Server.Port, d.ServingCA.CertPEM)
	}
	if err = Apply(ctx, cp.AdminKubeconfig, apisvcs); err != nil {
		return nil, err
	}
	start = time.Now()
	wctx, cancel := context.WithTimeout(ctx, opts.AvailableTimeout)
	defer cancel()
	for _, a := range d.APIServices {
		if err = cp.Admin.WaitForAPIServiceAvailable(wctx, a.Name); err != nil {
			return nil, err
		}
	}
	d.Available = time.Since(start)
	logf("APIServices %v Available=True %v after they were applied", names(d.APIServices), d.Available.Round(time.Millisecond))
	return d, nil
}

func names(refs []APIServiceRef) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Name
	}
	return out
}

// SetAPIServiceEndpoint sets an APIService's spec.service.port and
// spec.caBundle (base64 of the PEM, as the API wants it in JSON).
func SetAPIServiceEndpoint(o Object, port int, caPEM []byte) {
	o.Map("spec", "service")["port"] = port
	// []byte marshals as base64, the encoding of the caBundle field.
	o.Map("spec")["caBundle"] = caPEM
}

// Apply runs kubectl apply on the objects with the kubeconfig.
func Apply(ctx context.Context, kubeconfig string, objs []Object, extraArgs ...string) error {
	list, err := ListJSON(objs)
	if err != nil {
		return err
	}
	_, err = harness.Kubectl(ctx, kubeconfig, list, append([]string{"apply", "-f", "-"}, extraArgs...)...)
	return err
}

// Stop stops the apiserver.
func (d *Deployment) Stop() error {
	if d == nil || d.Server == nil {
		return nil
	}
	return d.Server.Stop()
}
