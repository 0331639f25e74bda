package insects

// Issue 10: the hardened manifests checked by real servers. Every overlay
// goes through `kubectl apply --dry-run=server` on a kube-apiserver whose
// Pod Security admission enforces restricted on every namespace; the pods
// of every overlay are created there (dry run) to face that enforcement;
// `make deploy` of the project applies for real; and the etcd of every
// overlay, started with the overlay's own flags and `aggen certs`'
// certificates, refuses the unauthenticated write that once let anyone
// store a Bee that validation forbids.

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aggen-dev/aggen/test/e2e/harness"
)

// certManagerCRDs stand in for cert-manager's CustomResourceDefinitions
// (not installed here, and not on the module proxy as plain YAML): the
// kinds resolve and their objects are admitted, their schema is not
// checked.
const certManagerCRDs = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: issuers.cert-manager.io
spec:
  group: cert-manager.io
  names: {kind: Issuer, listKind: IssuerList, plural: issuers, singular: issuer}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: certificates.cert-manager.io
spec:
  group: cert-manager.io
  names: {kind: Certificate, listKind: CertificateList, plural: certificates, singular: certificate}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
`

var overlays = []string{"dev", "production", "cert-manager", "local"}

// hardenedProject is a copy of examples/insects with `aggen certs` run,
// and the aggen binary that ran it.
func hardenedProject(ctx context.Context, t *testing.T) (dir, aggen string) {
	t.Helper()
	binaries(t) // sets env.repo and env.project
	work := filepath.Join(env.work, "hardening", t.Name())
	if err := harness.GoBuild(ctx, env.repo, filepath.Join(work, "bin"), "./cmd/aggen"); err != nil {
		t.Fatal(err)
	}
	aggen = filepath.Join(work, "bin", "aggen")
	dir = filepath.Join(work, "insects")
	if out, err := exec.CommandContext(ctx, "cp", "-a", env.project, dir).CombinedOutput(); err != nil {
		t.Fatalf("copy the example: %v\n%s", err, out)
	}
	if err := os.RemoveAll(filepath.Join(dir, ".aggen")); err != nil {
		t.Fatal(err)
	}
	return dir, aggen
}

func runIn(ctx context.Context, dir string, env []string, name string, args ...string) (stdout, stderr string, err error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	if err != nil {
		err = fmt.Errorf("%s %s: %w\n%s%s", name, strings.Join(args, " "), err, o.String(), e.String())
	}
	return o.String(), e.String(), err
}

func TestManifestsOnRestrictedPodSecurity(t *testing.T) {
	requireE2E(t)
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Minute)
	defer cancel()
	project, aggen := hardenedProject(ctx, t)
	etcd := sharedEtcd(t)
	kas, err := harness.ResolveBinary(ctx, harness.BinKubeAPIServer)
	if err != nil {
		t.Fatal(err)
	}
	cpDir := filepath.Join(env.work, "hardening", "cp")
	psa, err := harness.PodSecurityAdmissionArgs(cpDir, "restricted")
	if err != nil {
		t.Fatal(err)
	}
	// A kube-apiserver of its own (a prefix of its own on the shared
	// etcd), so that make deploy applies for real without touching the
	// other suites' objects.
	cp, err := harness.StartControlPlaneOnEtcd(ctx, harness.ControlPlaneOptions{
		Dir: cpDir, KubeAPIServerBinary: kas, Logf: t.Logf,
		ExtraAPIServerArgs: append(psa, "--etcd-prefix=/hardening-registry"),
	}, etcd.ClientURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cp.Stop() })
	dumpLogsOnFailure(t, cp.APIServer.Process)
	kc := cp.AdminKubeconfig
	kubectl(ctx, t, kc, certManagerCRDs, "apply", "-f", "-")
	if err := harness.Eventually(ctx, 60*time.Second, "cert-manager.io stand-in CRDs served", func(ctx context.Context) error {
		_, err := kubectlErr(ctx, kc, "", "get", "issuers.cert-manager.io", "-A")
		return err
	}); err != nil {
		t.Fatal(err)
	}

	// The namespace (restricted enforced by its labels too) and the
	// ServiceAccounts must exist for namespaced dry runs and pods.
	base, err := renderOverlay(ctx, filepath.Join(project, "config", "base"))
	if err != nil {
		t.Fatal(err)
	}
	if err := harness.ApplyManifests(ctx, kc, filterManifests(base, func(o harness.Manifest) bool {
		return o.Kind() == "Namespace" || o.Kind() == "ServiceAccount"
	})); err != nil {
		t.Fatal(err)
	}
	// What kube-controller-manager (not running here) makes in every
	// namespace; a pod without a serviceAccountName runs as it.
	kubectl(ctx, t, kc, "", "create", "serviceaccount", "default", "-n", projectNamespace)
	labels := kubectl(ctx, t, kc, "", "get", "namespace", projectNamespace, "-o", "jsonpath={.metadata.labels.pod-security\\.kubernetes\\.io/enforce}")
	if labels != "restricted" {
		t.Errorf("namespace %s enforces %q, want restricted", projectNamespace, labels)
	}

	dryRun := func(t *testing.T, dir string) {
		t.Helper()
		objs, err := renderOverlay(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		out, stderr, err := runIn(ctx, "", nil, "kubectl", "--kubeconfig", kc, "apply", "--dry-run=server", "-k", dir)
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(out, "(server dry run)"); n != len(objs) {
			t.Errorf("%d of %d objects passed the server dry run:\n%s", n, len(objs), out)
		}
		if strings.Contains(stderr, "PodSecurity") || strings.Contains(stderr, "Warning") {
			t.Errorf("warnings from the server:\n%s", stderr)
		}
	}
	for _, overlay := range append([]string{"base"}, overlays...) {
		dir := filepath.Join(project, "config", overlay)
		if overlay != "base" {
			dir = filepath.Join(project, "config", "overlays", overlay)
		}
		t.Run("kubectl apply --dry-run=server -k config/"+strings.TrimPrefix(overlay, "overlays/"), func(t *testing.T) { dryRun(t, dir) })
	}
	for _, overlay := range []string{"dev", "production", "local"} {
		t.Run("aggen certs --overlay "+overlay+" then kubectl apply --dry-run=server -k .aggen/deploy", func(t *testing.T) {
			if _, _, err := runIn(ctx, project, nil, aggen, "certs", "--overlay", overlay); err != nil {
				t.Fatal(err)
			}
			dryRun(t, filepath.Join(project, ".aggen", "deploy"))
		})
	}

	t.Run("every pod of every overlay is admitted by restricted Pod Security, and a less secure one is not", func(t *testing.T) {
		pods := 0
		for _, overlay := range overlays {
			objs, err := renderOverlay(ctx, filepath.Join(project, "config", "overlays", overlay))
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range objs {
				if o.Kind() != "Deployment" && o.Kind() != "StatefulSet" {
					continue
				}
				pod := podOf(o)
				pods++
				if out, err := kubectlErr(ctx, kc, mustJSON(t, pod), "create", "--dry-run=server", "-f", "-"); err != nil {
					t.Errorf("%s: pod of %s refused: %v", overlay, o, err)
				} else if !strings.Contains(out, "(server dry run)") {
					t.Errorf("%s: pod of %s: %s", overlay, o, out)
				}
				// Without the pod's security context the same pod is refused:
				// the enforcement this test relies on is there.
				delete(pod.Map("spec"), "securityContext")
				_, err := kubectlErr(ctx, kc, mustJSON(t, pod), "create", "--dry-run=server", "-f", "-")
				if err == nil || !strings.Contains(err.Error(), "violates PodSecurity") {
					t.Errorf("%s: pod of %s without its securityContext: %v, want a PodSecurity refusal", overlay, o, err)
				}
			}
		}
		if pods != 3+3+3 { // dev: apiserver, manager, etcd; production and cert-manager the same; local none
			t.Errorf("%d pod templates in the overlays", pods)
		}
	})

	t.Run("make deploy applies the dev overlay with its certificates", func(t *testing.T) {
		out, stderr, err := runIn(ctx, project, []string{"KUBECONFIG=" + kc}, "make", "deploy", "AGGEN="+aggen, "KUBE_APISERVER_CIDRS=10.9.8.7,10.9.8.8")
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("make deploy:\n%s", out)
		if strings.Contains(stderr, "PodSecurity") {
			t.Errorf("make deploy: Pod Security warnings:\n%s", stderr)
		}
		for _, obj := range []string{"deployment/insects-apiserver", "deployment/insects-controller-manager", "statefulset/insects-etcd",
			"secret/insects-etcd-client-cert", "secret/insects-etcd-server-cert", "secret/insects-apiserver-serving-cert",
			"networkpolicy/insects-etcd", "networkpolicy/insects-apiserver", "service/insects-controller-manager-metrics"} {
			kubectl(ctx, t, kc, "", "get", "-n", projectNamespace, obj)
		}
		cidrs := kubectl(ctx, t, kc, "", "get", "-n", projectNamespace, "networkpolicy", "insects-apiserver", "-o", "jsonpath={.spec.ingress[0].from[*].ipBlock.cidr}")
		if cidrs != "10.9.8.7/32 10.9.8.8/32" {
			t.Errorf("the apiserver's NetworkPolicy admits %q, want the control plane addresses given to make deploy", cidrs)
		}
		bundle := kubectl(ctx, t, kc, "", "get", "apiservice", "v1beta1."+group, "-o", "jsonpath={.spec.caBundle}")
		ca, _ := os.ReadFile(filepath.Join(project, ".aggen", "certs", "ca.crt"))
		if bundle != base64.StdEncoding.EncodeToString(ca) {
			t.Errorf("the APIService's caBundle is not the CA of the serving certificate")
		}
	})

	t.Run("make undeploy deletes what deploy applied", func(t *testing.T) {
		// kubectl delete waits until the namespace is gone, and only a
		// namespace controller (kube-controller-manager, which this
		// control plane does not run) finishes a namespace's deletion: the
		// test does its part once undeploy has deleted everything in it.
		done := make(chan struct{})
		go func() {
			defer close(done)
			finishNamespaceDeletion(ctx, kc, projectNamespace)
		}()
		out, _, err := runIn(ctx, project, []string{"KUBECONFIG=" + kc}, "make", "undeploy")
		<-done
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("make undeploy:\n%s", out)
		if _, err := kubectlErr(ctx, kc, "", "get", "apiservice", "v1beta1."+group); err == nil || !strings.Contains(err.Error(), "NotFound") {
			t.Errorf("the APIService outlives make undeploy: %v", err)
		}
		for _, obj := range []string{"deployment/insects-apiserver", "statefulset/insects-etcd", "networkpolicy/insects-etcd"} {
			if _, err := kubectlErr(ctx, kc, "", "get", "-n", projectNamespace, obj); err == nil || !strings.Contains(err.Error(), "NotFound") {
				t.Errorf("%s outlives make undeploy: %v", obj, err)
			}
		}
		// A second undeploy finds nothing and still succeeds.
		if _, _, err := runIn(ctx, project, []string{"KUBECONFIG=" + kc}, "make", "undeploy"); err != nil {
			t.Errorf("make undeploy on an undeployed project: %v", err)
		}
	})
}

// finishNamespaceDeletion does what the namespace controller does for a
// namespace being deleted: once it is Terminating it clears its finalizers
// (nothing in the namespace needs cleaning up that kubectl has not
// deleted), so the deletion completes.
func finishNamespaceDeletion(ctx context.Context, kc, namespace string) {
	for ctx.Err() == nil {
		phase, err := kubectlErr(ctx, kc, "", "get", "namespace", namespace, "-o", "jsonpath={.status.phase}")
		if err != nil && strings.Contains(err.Error(), "NotFound") {
			return
		}
		if phase == "Terminating" {
			finalize := `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"` + namespace + `"},"spec":{"finalizers":[]}}`
			if _, err := kubectlErr(ctx, kc, finalize, "replace", "--raw", "/api/v1/namespaces/"+namespace+"/finalize", "-f", "-"); err == nil {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// podOf makes a Pod of a workload's pod template, in its namespace, with
// the volumes a StatefulSet adds for its volumeClaimTemplates.
func podOf(o harness.Manifest) harness.Manifest {
	tmpl, _ := o.Field("spec", "template").(map[string]any)
	spec, _ := tmpl["spec"].(map[string]any)
	claims, _ := o.Field("spec", "volumeClaimTemplates").([]any)
	for _, c := range claims {
		name, _ := harness.Manifest(c.(map[string]any)).Field("metadata", "name").(string)
		volumes, _ := spec["volumes"].([]any)
		spec["volumes"] = append(volumes, map[string]any{
			"name": name, "persistentVolumeClaim": map[string]any{"claimName": name + "-" + o.Name() + "-0"},
		})
	}
	return harness.Manifest{"apiVersion": "v1", "kind": "Pod", "metadata": map[string]any{
		"name": strings.ToLower(o.Kind()) + "-" + o.Name(), "namespace": o.Namespace(),
	}, "spec": spec}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestEtcdOfEveryOverlayRefusesUnauthenticatedWrites starts etcd with the
// flags of each overlay's StatefulSet (addresses and paths made local, the
// certificates `aggen certs` issued, which have the layout cert-manager's
// Secrets have) and tries the write that once stored an invalid Bee:
// POST /v3/kv/put without a client certificate.
func TestEtcdOfEveryOverlayRefusesUnauthenticatedWrites(t *testing.T) {
	requireE2E(t)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
	defer cancel()
	project, aggen := hardenedProject(ctx, t)
	if _, _, err := runIn(ctx, project, nil, aggen, "certs"); err != nil {
		t.Fatal(err)
	}
	bin, err := harness.ResolveBinary(ctx, harness.BinEtcd)
	if err != nil {
		t.Fatal(err)
	}
	certs := filepath.Join(project, ".aggen", "certs")
	tlsDir := filepath.Join(env.work, "hardening", "etcd-tls")
	if err := os.MkdirAll(tlsDir, 0o700); err != nil {
		t.Fatal(err)
	}
	for src, dst := range map[string]string{"etcd-ca.crt": "ca.crt", "etcd-server.crt": "tls.crt", "etcd-server.key": "tls.key"} {
		b, err := os.ReadFile(filepath.Join(certs, src))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tlsDir, dst), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	caPEM, _ := os.ReadFile(filepath.Join(certs, "etcd-ca.crt"))
	pair := func(base string) tls.Certificate {
		c, err := tls.LoadX509KeyPair(filepath.Join(certs, base+".crt"), filepath.Join(certs, base+".key"))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	apiserverCert, servingCert := pair("etcd-client"), pair("tls")
	foreignCA, err := harness.NewCA("someone-else")
	if err != nil {
		t.Fatal(err)
	}
	foreign, err := foreignCA.IssueClient("insects-apiserver")
	if err != nil {
		t.Fatal(err)
	}
	foreignCert, _ := tls.X509KeyPair(foreign.CertPEM, foreign.KeyPEM)

	for _, overlay := range []string{"dev", "production", "cert-manager"} {
		t.Run(overlay, func(t *testing.T) {
			objs, err := renderOverlay(ctx, filepath.Join(project, "config", "overlays", overlay))
			if err != nil {
				t.Fatal(err)
			}
			sets := ofKind(objs, "StatefulSet")
			if len(sets) != 1 {
				t.Fatalf("%d StatefulSets", len(sets))
			}
			args := etcdContainerArgs(t, sets[0])
			ports, err := harness.FreePorts(3)
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(env.work, "hardening", "etcd-"+overlay)
			local, client, metrics := localEtcdArgs(t, args, ports, dir, tlsDir)
			proc, err := harness.StartProcess(harness.ProcessOptions{Name: "etcd-" + overlay, Binary: bin, Args: local, Dir: env.work, LogPath: dir + ".log"})
			if err != nil {
				t.Fatal(err)
			}
			defer proc.Stop()
			dumpLogsOnFailure(t, proc)
			// The certificate is presented whatever CAs etcd asks for (Go's
			// client would otherwise send none that another CA signed).
			withCert := func(certs ...tls.Certificate) *http.Client {
				conf := &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: x509Pool(t, caPEM)}
				if len(certs) > 0 {
					conf.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &certs[0], nil }
				}
				return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: conf}}
			}
			apiserver := withCert(apiserverCert)
			if err := harness.Eventually(ctx, 60*time.Second, "etcd with the overlay's flags answers the apiserver's certificate", func(ctx context.Context) error {
				_, err := etcdPut(ctx, apiserver, client, "/registry/probe", "x")
				return err
			}); err != nil {
				t.Fatal(err)
			}
			// The write of the security review: a Bee that validation forbids.
			key := "/registry/" + group + "/bees/default/evil"
			value := `{"apiVersion":"insects.example.com/v1beta1","kind":"Bee","metadata":{"name":"evil","namespace":"default"},"spec":{"replicas":-5}}`
			plainURL := strings.Replace(client, "https://", "http://", 1)
			for _, c := range []struct {
				what   string
				client *http.Client
				url    string
			}{
				{"plain HTTP, no certificate", &http.Client{Timeout: 5 * time.Second}, plainURL},
				{"TLS without a client certificate", withCert(), client},
				{"the apiserver's serving certificate (another CA)", withCert(servingCert), client},
				{"a client certificate from a foreign CA", withCert(foreignCert), client},
				{"the plain-HTTP probes port", &http.Client{Timeout: 5 * time.Second}, metrics},
			} {
				code, err := etcdPut(ctx, c.client, c.url, key, value)
				if err == nil && code == http.StatusOK {
					t.Errorf("%s: POST /v3/kv/put accepted", c.what)
				} else {
					t.Logf("%s: refused (%v, HTTP %d)", c.what, err, code)
				}
			}
			if n, err := etcdCount(ctx, apiserver, client, key); err != nil || n != 0 {
				t.Errorf("after the unauthenticated writes, %s has %d keys (%v), want 0", key, n, err)
			}
			// The control: the apiserver's certificate writes.
			if code, err := etcdPut(ctx, apiserver, client, key, value); err != nil || code != http.StatusOK {
				t.Errorf("the apiserver's client certificate cannot write: %d %v", code, err)
			}
			if n, err := etcdCount(ctx, apiserver, client, key); err != nil || n != 1 {
				t.Errorf("the apiserver's write: %d keys (%v), want 1", n, err)
			}
			// The probes port answers the kubelet without a certificate.
			for _, path := range []string{"/livez", "/readyz"} {
				resp, err := http.Get(metrics + path)
				if err != nil {
					t.Errorf("GET %s on the probes port: %v", path, err)
					continue
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("GET %s on the probes port: HTTP %d", path, resp.StatusCode)
				}
			}
		})
	}
}

// etcdContainerArgs returns the etcd container's args.
func etcdContainerArgs(t *testing.T, sts harness.Manifest) []string {
	t.Helper()
	containers, _ := sts.Field("spec", "template", "spec", "containers").([]any)
	for _, c := range containers {
		m, _ := c.(map[string]any)
		if m["name"] != "etcd" {
			continue
		}
		var out []string
		list, _ := m["args"].([]any)
		for _, a := range list {
			s, _ := a.(string)
			out = append(out, s)
		}
		return out
	}
	t.Fatal("no etcd container")
	return nil
}

// localEtcdArgs turns the overlay's etcd flags into a single local
// member's: addresses on loopback ports (the schemes kept), the data
// directory and the certificate directory local. Every other flag, the
// TLS ones first, stays as the overlay has it.
func localEtcdArgs(t *testing.T, args []string, ports []int, dataDir, tlsDir string) (out []string, clientURL, metricsURL string) {
	t.Helper()
	flags := map[string]string{}
	var order []string
	for _, a := range args {
		name, value, _ := strings.Cut(a, "=")
		flags[name] = value
		order = append(order, name)
	}
	scheme := func(flag string) string {
		u := flags[flag]
		s, _, ok := strings.Cut(u, "://")
		if !ok {
			t.Fatalf("%s=%q has no scheme", flag, u)
		}
		return s
	}
	clientURL = scheme("--listen-client-urls") + "://127.0.0.1:" + strconv.Itoa(ports[0])
	peerURL := scheme("--listen-peer-urls") + "://127.0.0.1:" + strconv.Itoa(ports[1])
	metricsURL = scheme("--listen-metrics-urls") + "://127.0.0.1:" + strconv.Itoa(ports[2])
	override := map[string]string{
		"--name": "m0", "--data-dir": dataDir,
		"--listen-client-urls": clientURL, "--advertise-client-urls": clientURL,
		"--listen-peer-urls": peerURL, "--initial-advertise-peer-urls": peerURL,
		"--initial-cluster": "m0=" + peerURL, "--listen-metrics-urls": metricsURL,
	}
	for _, name := range order {
		v := flags[name]
		if o, ok := override[name]; ok {
			v = o
		}
		v = strings.ReplaceAll(v, "/etc/etcd/tls", tlsDir)
		out = append(out, name+"="+v)
	}
	if flags["--client-cert-auth"] != "true" || !strings.HasPrefix(clientURL, "https://") {
		t.Errorf("the overlay's etcd does not require client certificates: %v", args)
	}
	return append(out, "--unsafe-no-fsync", "--log-level=warn"), clientURL, metricsURL
}

func x509Pool(t *testing.T, caPEM []byte) *x509.CertPool {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		t.Fatal("no CA")
	}
	return pool
}

func etcdPut(ctx context.Context, c *http.Client, url, key, value string) (int, error) {
	body := fmt.Sprintf(`{"key":%q,"value":%q}`, base64.StdEncoding.EncodeToString([]byte(key)), base64.StdEncoding.EncodeToString([]byte(value)))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/v3/kv/put", strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

func etcdCount(ctx context.Context, c *http.Client, url, key string) (int, error) {
	body := fmt.Sprintf(`{"key":%q,"count_only":true}`, base64.StdEncoding.EncodeToString([]byte(key)))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/v3/kv/range", strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var r struct {
		Count string `json:"count"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return 0, err
	}
	if r.Count == "" {
		return 0, nil
	}
	return strconv.Atoi(r.Count)
}

// TestLivezDoesNotDependOnEtcd: with etcd gone, /readyz fails (the
// replica leaves its Service) and /livez keeps answering 200 (the kubelet
// does not restart it).
func TestLivezDoesNotDependOnEtcd(t *testing.T) {
	requireE2E(t)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	apiserverBin, _ := binaries(t)
	bin, err := harness.ResolveBinary(ctx, harness.BinEtcd)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(env.work, "livez")
	etcd, err := harness.StartEtcd(ctx, harness.EtcdOptions{Binary: bin, Dir: filepath.Join(dir, "etcd")})
	if err != nil {
		t.Fatal(err)
	}
	defer etcd.Stop()
	srv, err := startLocalServer(ctx, apiserverBin, filepath.Join(dir, "apiserver"), etcd.ClientURL, "/livez")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	dumpLogsOnFailure(t, srv.Process)
	status := func(path string) int {
		var code int
		srv.Client.RESTClient().Get().AbsPath(path).Do(ctx).StatusCode(&code)
		return code
	}
	for _, p := range []string{"/livez", "/readyz"} {
		if c := status(p); c != http.StatusOK {
			t.Fatalf("%s with etcd up: HTTP %d", p, c)
		}
	}
	if err := etcd.Kill(); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	unready := time.Duration(0)
	for time.Since(killed) < 15*time.Second {
		if c := status("/livez"); c != http.StatusOK {
			t.Fatalf("/livez answered %d %v after etcd went away", c, time.Since(killed).Round(time.Millisecond))
		}
		if unready == 0 && status("/readyz") != http.StatusOK {
			unready = time.Since(killed)
		}
		time.Sleep(250 * time.Millisecond)
	}
	if unready == 0 {
		t.Errorf("/readyz stayed 200 for 15 s without etcd")
	}
	t.Logf("etcd killed: /readyz failed after %v; /livez answered 200 for 15 s", unready.Round(time.Millisecond))
}
