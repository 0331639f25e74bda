package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/test/controllergen"
	"github.com/aggen-dev/aggen/test/e2e/harness"
)

// The kind measured: the example's Bee, in its storage version, which
// has a default (spec.replicas), a /status and a /scale subresource,
// printer columns and a selectable field, so the generated strategy does
// all it can do per request.
const (
	benchGroup   = "insects.example.com"
	benchVersion = "v1beta1"
	benchKind    = "Bee"
	benchPlural  = "bees"
	// crdGroup serves the CRD copy: a CRD and an APIService cannot share
	// a group-version in one kube-apiserver.
	crdGroup = "crd." + benchGroup

	// Namespaces of the LIST objects and of the watch events.
	listNamespace  = "serving-bench"
	watchNamespace = "serving-bench-watch"
	// busyKubeTarget is the generated server measured directly while
	// kube-apiserver creates CRD objects (-busy-kube).
	busyKubeTarget = "aggen direct, kube busy"

	// profileNamespace holds the objects created under -profile's create
	// profiles.
	profileNamespace = "serving-bench-profile"
)

// description makes the objects of every server the same size.
var description = strings.Repeat("a serving benchmark object ", 4)

// target is one way of serving the kind.
type target struct {
	name string
	// collection is the REST path of the collection in a namespace.
	collection func(namespace string) string
	object     func(name, namespace string) map[string]any
	// newClient returns a client with connections of its own.
	newClient func() (*harness.Client, error)
	// pid is the process that holds the objects in memory; for the CRD,
	// kube-apiserver.
	pid int
	// writes is false for a target that only reads what another wrote.
	writes bool
	// rounds is true for a target of the alternating create rounds: every
	// writer, and the generated server measured directly, which creates
	// into aggen's collection without filling it.
	rounds bool
	// watch is false for a target the fan-out is not measured on.
	watch bool
	// busy, when set, creates objects through kube-apiserver in the
	// background during each of the target's create rounds; only the
	// server's CPU is charged to such a round.
	busy *target
}

type bench struct {
	cfg      config
	work     string
	cp       *harness.ControlPlane
	dep      *harness.Deployment
	sample   *harness.ExtensionServer
	targets  []*target // aggen, CRD, then sample-apiserver, aggen direct when on
	kubePID  int
	etcdPID  int
	aggenPID int
	stops    []func()
}

func (b *bench) tearDown() {
	for i := len(b.stops) - 1; i >= 0; i-- {
		b.stops[i]()
	}
	if b.cfg.keep {
		fmt.Fprintln(os.Stderr, "work directory (logs):", b.work)
		return
	}
	os.RemoveAll(b.work)
}

// setUp builds the example's apiserver, starts etcd, kube-apiserver, the
// generated server (deployed with its own manifests, as its ServiceAccount),
// installs controller-gen's CRD of the same kind and starts
// sample-apiserver on the same etcd.
func setUp(ctx context.Context, cfg config) (b *bench, err error) {
	example, err := filepath.Abs(cfg.example)
	if err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp("", "aggen-bench-serving-")
	if err != nil {
		return nil, err
	}
	made := &bench{cfg: cfg, work: work}
	b = made
	defer func() {
		// b is nil when setUp fails: tear down what it made.
		if err != nil {
			made.cfg.keep = true
			made.tearDown()
		}
	}()
	logf := cfg.logf
	logf("setting up (binaries cached under ~/.cache/aggen/e2e; the first run builds kube-apiserver, minutes)")
	bins := map[string]string{}
	for _, name := range []string{harness.BinEtcd, harness.BinKubeAPIServer, harness.BinSampleAPIServer} {
		if bins[name], err = harness.ResolveBinary(ctx, name); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	binDir := filepath.Join(work, "bin")
	if err := harness.GoBuild(ctx, example, binDir, "./cmd/apiserver"); err != nil {
		return nil, err
	}
	logf("%s's apiserver built in %v", filepath.Base(example), time.Since(start).Round(time.Millisecond))
	start = time.Now()
	crd, err := benchCRD(example)
	if err != nil {
		return nil, err
	}
	logf("controller-gen's CRD of %s made in %v", benchKind, time.Since(start).Round(time.Millisecond))

	cp, err := harness.StartControlPlane(ctx, harness.ControlPlaneOptions{
		Dir: filepath.Join(work, "cp"), EtcdBinary: bins[harness.BinEtcd], KubeAPIServerBinary: bins[harness.BinKubeAPIServer], Logf: logf,
	})
	if err != nil {
		return nil, err
	}
	b.cp = cp
	b.stops = append(b.stops, func() { _ = cp.Stop() })
	b.kubePID = cp.APIServer.Pid()
	b.etcdPID = cp.Etcd.Pid()

	dep, err := cp.DeployProject(ctx, harness.DeployOptions{
		ProjectDir: example, APIServerBinary: filepath.Join(binDir, "apiserver"),
		EtcdURL: cp.Etcd.ClientURL, Dir: filepath.Join(work, "generated"), ExtraArgs: cfg.serverArgs, Env: cfg.serverEnv, Logf: logf,
	})
	if err != nil {
		return nil, err
	}
	b.dep = dep
	b.stops = append(b.stops, func() { _ = dep.Stop() })
	b.aggenPID = dep.Server.Pid()

	for _, ns := range []string{listNamespace, watchNamespace} {
		if err := cp.EnsureNamespace(ctx, ns); err != nil {
			return nil, err
		}
	}
	if err := installCRD(ctx, cp.Admin, crd); err != nil {
		return nil, err
	}

	admin := func() (*harness.Client, error) { return harness.NewClientFromKubeconfig(cp.AdminKubeconfig) }
	b.targets = append(b.targets,
		&target{
			name: "aggen", collection: beeCollection(benchGroup), object: beeObject(benchGroup),
			newClient: admin, pid: dep.Server.Pid(), writes: true, rounds: true, watch: true,
		},
		&target{
			name: "CRD", collection: beeCollection(crdGroup), object: beeObject(crdGroup),
			newClient: admin, pid: cp.APIServer.Pid(), writes: true, rounds: true, watch: true,
		},
	)
	if cfg.sample {
		sample, err := startSample(ctx, cp, bins[harness.BinSampleAPIServer], filepath.Join(work, "sample"))
		if err != nil {
			return nil, err
		}
		b.sample = sample
		b.stops = append(b.stops, func() { _ = sample.Stop() })
		b.targets = append(b.targets, &target{
			name: "sample", collection: flunderCollection, object: flunderObject,
			newClient: admin, pid: sample.Pid(), writes: true, rounds: true,
		})
	}
	if cfg.direct {
		b.targets = append(b.targets, &target{
			name: "aggen direct", collection: beeCollection(benchGroup), object: beeObject(benchGroup),
			newClient: func() (*harness.Client, error) {
				return dep.DirectClient(harness.AdminUser, "system:masters", "system:authenticated")
			},
			pid: dep.Server.Pid(), rounds: true, watch: true,
		})
		if cfg.busyKube {
			direct := b.targets[len(b.targets)-1]
			b.targets = append(b.targets, &target{
				name: busyKubeTarget, collection: direct.collection, object: direct.object, newClient: direct.newClient,
				pid: direct.pid, rounds: true, busy: b.targets[1],
			})
		}
	}
	return b, nil
}

// benchCRD is the CRD controller-gen makes of the example's Bee, served
// under crdGroup in the storage version only.
func benchCRD(example string) (*apiextensionsv1.CustomResourceDefinition, error) {
	p, err := loader.Load(example)
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", example, err)
	}
	crds, err := controllergen.CRDs(example, p)
	if err != nil {
		return nil, fmt.Errorf("controller-gen: %w", err)
	}
	c := crds[schema.GroupKind{Group: benchGroup, Kind: benchKind}.String()]
	if c == nil {
		return nil, fmt.Errorf("controller-gen made no CRD for %s.%s", benchKind, benchGroup)
	}
	c = c.DeepCopy()
	c.Spec.Group = crdGroup
	c.Name = c.Spec.Names.Plural + "." + crdGroup
	var versions []apiextensionsv1.CustomResourceDefinitionVersion
	for _, v := range c.Spec.Versions {
		if v.Name == benchVersion {
			v.Served, v.Storage = true, true
			versions = append(versions, v)
		}
	}
	if len(versions) == 0 {
		return nil, fmt.Errorf("controller-gen's CRD of %s has no version %s", benchKind, benchVersion)
	}
	c.Spec.Versions = versions
	c.APIVersion, c.Kind = "apiextensions.k8s.io/v1", "CustomResourceDefinition"
	return c, nil
}

// installCRD creates the CRD and waits until its resource answers.
func installCRD(ctx context.Context, c *harness.Client, crd *apiextensionsv1.CustomResourceDefinition) error {
	if err := c.Create(ctx, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd); err != nil {
		return fmt.Errorf("installing CRD %s: %w", crd.Name, err)
	}
	list := beeCollection(crdGroup)(listNamespace)
	return harness.Eventually(ctx, 60*time.Second, "CRD "+crd.Name+" served", func(ctx context.Context) error {
		_, err := c.Get(ctx, list)
		return err
	})
}

// startSample runs sample-apiserver on the control plane's etcd with the
// RBAC a deployment gives it, behind an APIService.
func startSample(ctx context.Context, cp *harness.ControlPlane, bin, dir string) (*harness.ExtensionServer, error) {
	const user = "aggen-bench:sample-apiserver"
	if err := cp.GrantExtensionServerRBAC(ctx, user, user); err != nil {
		return nil, err
	}
	kc, err := cp.UserKubeconfig(user)
	if err != nil {
		return nil, err
	}
	ca, err := harness.NewCA("wardle-serving-ca")
	if err != nil {
		return nil, err
	}
	serving, err := harness.ExtensionServingCert(ca, "api", "wardle")
	if err != nil {
		return nil, err
	}
	sample, err := harness.StartSampleAPIServer(ctx, harness.SampleAPIServerOptions{
		Binary: bin, Dir: dir, EtcdURL: cp.Etcd.ClientURL,
		Kubeconfig: kc, Serving: serving, CAPEM: ca.CertPEM, ServerName: "api.wardle.svc",
	})
	if err != nil {
		return nil, err
	}
	reg := harness.APIServiceRegistration{Group: "wardle.example.com", Version: "v1alpha1", ServiceNamespace: "wardle", ServiceName: "api", Port: sample.Port, CABundle: ca.CertPEM}
	if err := cp.RegisterAPIService(ctx, reg); err != nil {
		_ = sample.Stop()
		return nil, err
	}
	actx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	if err := cp.Admin.WaitForAPIServiceAvailable(actx, reg.Name()); err != nil {
		_ = sample.Stop()
		return nil, err
	}
	return sample, nil
}

func beeCollection(group string) func(string) string {
	return func(ns string) string {
		return "/apis/" + group + "/" + benchVersion + "/namespaces/" + ns + "/" + benchPlural
	}
}

func beeObject(group string) func(name, ns string) map[string]any {
	return func(name, ns string) map[string]any {
		return map[string]any{
			"apiVersion": group + "/" + benchVersion, "kind": benchKind,
			"metadata": map[string]any{"name": name, "namespace": ns, "labels": map[string]any{"bench": "serving"}},
			"spec":     map[string]any{"replicas": 1, "description": description},
		}
	}
}

func flunderCollection(ns string) string {
	return "/apis/wardle.example.com/v1alpha1/namespaces/" + ns + "/flunders"
}

func flunderObject(name, ns string) map[string]any {
	return map[string]any{
		"apiVersion": "wardle.example.com/v1alpha1", "kind": "Flunder",
		"metadata": map[string]any{"name": name, "namespace": ns, "labels": map[string]any{"bench": "serving"}},
		"spec":     map[string]any{"reference": description},
	}
}
