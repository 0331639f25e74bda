package cli_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aggen-dev/aggen/test/e2e/harness"
)

// TestImportedServesSampleAPIServerEtcd runs the real sample-apiserver
// (v0.37.2, from hack/e2e-binaries.sh) behind a real kube-apiserver,
// writes flunders and a fischer through it, stops it, and starts the
// server `aggen import k8s.io/sample-apiserver@v0.37.2` made (no edits)
// on the same etcd with its default flags: it must read, list and update
// those objects (same resources, same etcd keys, same storage version),
// convert them to both versions with the hand-written conversion, and
// refuse a banned flunder with BanFlunder, now the project's plugin,
// through kube-apiserver.
func TestImportedServesSampleAPIServerEtcd(t *testing.T) {
	if os.Getenv("AGGEN_E2E") != "1" {
		t.Skip("set AGGEN_E2E=1: runs sample-apiserver and the imported server on one etcd behind kube-apiserver")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 25*time.Minute)
	defer cancel()
	dir := t.TempDir()
	proj := filepath.Join(dir, "wardle")
	if err := os.Mkdir(proj, 0o755); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	mustAggen(t, proj, "import", sampleAPIServer)
	if err := harness.GoBuild(ctx, proj, filepath.Join(dir, "bin"), "./cmd/apiserver"); err != nil {
		t.Fatal(err)
	}
	imported := filepath.Join(dir, "bin", "apiserver")
	t.Logf("aggen import + go build ./cmd/apiserver: %v", time.Since(start).Round(time.Second))

	bins := map[string]string{}
	for _, name := range []string{harness.BinEtcd, harness.BinKubeAPIServer, harness.BinSampleAPIServer} {
		p, err := harness.ResolveBinary(ctx, name)
		if err != nil {
			t.Fatalf("resolve %s: %v", name, err)
		}
		bins[name] = p
	}
	cp, err := harness.StartControlPlane(ctx, harness.ControlPlaneOptions{
		Dir: filepath.Join(dir, "cp"), EtcdBinary: bins[harness.BinEtcd], KubeAPIServerBinary: bins[harness.BinKubeAPIServer], Logf: t.Logf,
	})
	if err != nil {
		t.Fatalf("start control plane: %v", err)
	}
	t.Cleanup(func() {
		if err := cp.Stop(); err != nil {
			t.Errorf("stop control plane: %v", err)
		}
	})
	const serverUser = "aggen-e2e:wardle"
	if err := cp.GrantExtensionServerRBAC(ctx, "aggen-e2e:wardle", serverUser); err != nil {
		t.Fatal(err)
	}
	serverKC, err := cp.UserKubeconfig(serverUser)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := harness.NewCA("wardle-serving-ca")
	if err != nil {
		t.Fatal(err)
	}
	serving, err := harness.ExtensionServingCert(ca, "api", "wardle")
	if err != nil {
		t.Fatal(err)
	}
	serve := func(name, binary string) *harness.ExtensionServer {
		t.Helper()
		s, err := harness.StartSampleAPIServer(ctx, harness.SampleAPIServerOptions{
			Binary: binary, Dir: filepath.Join(dir, name), EtcdURL: cp.Etcd.ClientURL, Kubeconfig: serverKC,
			Serving: serving, CAPEM: ca.CertPEM, ServerName: "api.wardle.svc",
		})
		if err != nil {
			t.Fatalf("start %s: %v", name, err)
		}
		t.Cleanup(func() { _ = s.Stop() })
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("---- last lines of %s ----\n%s", name, s.LogTail(40))
			}
		})
		for _, v := range []string{"v1alpha1", "v1beta1"} {
			reg := harness.APIServiceRegistration{Group: "wardle.example.com", Version: v, ServiceNamespace: "wardle", ServiceName: "api", Port: s.Port, CABundle: ca.CertPEM}
			_ = cp.Admin.Delete(ctx, "/apis/apiregistration.k8s.io/v1/apiservices/"+reg.Name())
			_ = cp.Admin.Delete(ctx, "/api/v1/namespaces/wardle/services/api")
			if err := cp.RegisterAPIService(ctx, reg); err != nil {
				t.Fatalf("register %s for %s: %v", reg.Name(), name, err)
			}
			actx, acancel := context.WithTimeout(ctx, 2*time.Minute)
			err := cp.Admin.WaitForAPIServiceAvailable(actx, reg.Name())
			acancel()
			if err != nil {
				t.Fatalf("%s behind %s: %v", reg.Name(), name, err)
			}
		}
		return s
	}
	kubectl := func(stdin string, args ...string) (string, error) {
		var in []byte
		if stdin != "" {
			in = []byte(stdin)
		}
		return harness.Kubectl(ctx, cp.AdminKubeconfig, in, args...)
	}
	// eventually retries while the aggregator's view of the server settles.
	eventually := func(what string, f func() error) {
		t.Helper()
		var err error
		for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(time.Second) {
			if err = f(); err == nil {
				return
			}
		}
		t.Fatalf("%s: %v", what, err)
	}

	// 1. The real sample-apiserver writes the objects.
	sample := serve("sample-apiserver", bins[harness.BinSampleAPIServer])
	eventually("create objects through sample-apiserver", func() error {
		_, err := kubectl(`apiVersion: wardle.example.com/v1alpha1
kind: Fischer
metadata:
  name: bans
disallowedFlunders: ["banned"]
---
apiVersion: wardle.example.com/v1alpha1
kind: Flunder
metadata:
  name: alpha
  namespace: default
spec:
  reference: beta
---
apiVersion: wardle.example.com/v1beta1
kind: Flunder
metadata:
  name: beta
  namespace: default
spec:
  referenceType: Fischer
  fischerReference: bans
`, "apply", "-f", "-")
		return err
	})
	uids := map[string]string{}
	for _, name := range []string{"alpha", "beta"} {
		out, err := kubectl("", "get", "flunders.v1alpha1.wardle.example.com", name, "-n", "default", "-o", "jsonpath={.metadata.uid}")
		if err != nil {
			t.Fatal(err)
		}
		uids[name] = out
	}
	const alphaKey = "/registry/wardle.example.com/wardle.example.com/flunders/default/alpha"
	raw := etcdGet(t, cp.Etcd.ClientURL, alphaKey)
	if !strings.Contains(raw, `"apiVersion":"wardle.example.com/v1alpha1"`) {
		t.Fatalf("sample-apiserver stored %s as:\n%s", alphaKey, raw)
	}
	if err := sample.Stop(); err != nil {
		t.Fatal(err)
	}

	// 2. The imported server, with its defaults, on the same etcd.
	serve("imported", imported)
	eventually("list flunders through the imported server", func() error {
		out, err := kubectl("", "get", "flunders.v1alpha1.wardle.example.com", "-n", "default", "-o", "jsonpath={range .items[*]}{.metadata.name}={.metadata.uid} {end}")
		if err != nil {
			return err
		}
		if want := fmt.Sprintf("alpha=%s beta=%s ", uids["alpha"], uids["beta"]); out != want {
			return fmt.Errorf("listed %q, want %q", out, want)
		}
		return nil
	})
	out, err := kubectl("", "get", "fischers.wardle.example.com", "bans", "-o", "jsonpath={.disallowedFlunders}")
	if err != nil || !strings.Contains(out, "banned") {
		t.Fatalf("fischer bans through the imported server: %q, %v", out, err)
	}
	// The hand-written conversion: v1alpha1's reference is v1beta1's
	// flunderReference, and back.
	out, err = kubectl("", "get", "flunders.v1beta1.wardle.example.com", "alpha", "-n", "default", "-o", "jsonpath={.spec.referenceType}/{.spec.flunderReference}")
	if err != nil || out != "Flunder/beta" {
		t.Fatalf("alpha as v1beta1: %q, %v", out, err)
	}
	out, err = kubectl("", "get", "flunders.v1alpha1.wardle.example.com", "beta", "-n", "default", "-o", "jsonpath={.spec.referenceType}/{.spec.reference}")
	if err != nil || out != "Fischer/bans" {
		t.Fatalf("beta as v1alpha1: %q, %v", out, err)
	}
	// Update: the object sample-apiserver wrote, rewritten by the
	// imported server, stays in v1alpha1 under the same key.
	if _, err := kubectl("", "label", "flunders.v1alpha1.wardle.example.com", "alpha", "-n", "default", "imported=yes"); err != nil {
		t.Fatal(err)
	}
	raw = etcdGet(t, cp.Etcd.ClientURL, alphaKey)
	if !strings.Contains(raw, `"apiVersion":"wardle.example.com/v1alpha1"`) || !strings.Contains(raw, `"imported":"yes"`) || !strings.Contains(raw, uids["alpha"]) {
		t.Fatalf("the imported server stored %s as:\n%s", alphaKey, raw)
	}
	// The hand-written validation, from hooks.go.
	if _, err := kubectl(`{"apiVersion":"wardle.example.com/v1beta1","kind":"Flunder","metadata":{"name":"bad","namespace":"default"},"spec":{"referenceType":"Fischer"}}`, "create", "-f", "-"); err == nil || !strings.Contains(err.Error(), "cannot be empty if referenceType is Fischer") {
		t.Fatalf("an invalid flunder: want the hand-written validation's error, got %v", err)
	}
	// BanFlunder, the project's admission plugin, through kube-apiserver.
	if _, err := kubectl(`{"apiVersion":"wardle.example.com/v1alpha1","kind":"Flunder","metadata":{"name":"banned","namespace":"default"}}`, "create", "-f", "-"); err == nil || !strings.Contains(err.Error(), "this name may not be used") {
		t.Fatalf("a banned flunder: want BanFlunder's refusal, got %v", err)
	}
	if _, err := kubectl(`{"apiVersion":"wardle.example.com/v1alpha1","kind":"Flunder","metadata":{"name":"allowed","namespace":"default"}}`, "create", "-f", "-"); err != nil {
		t.Fatalf("an allowed flunder: %v", err)
	}
}

// etcdGet reads one key through etcd's JSON gateway (/v3/kv/range).
func etcdGet(t *testing.T, etcdURL, key string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"key": base64.StdEncoding.EncodeToString([]byte(key))})
	resp, err := http.Post(etcdURL+"/v3/kv/range", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var r struct {
		Kvs []struct{ Value string } `json:"kvs"`
	}
	if err := json.Unmarshal(b, &r); err != nil || len(r.Kvs) != 1 {
		t.Fatalf("etcd range %s: %v: %s", key, err, b)
	}
	v, err := base64.StdEncoding.DecodeString(r.Kvs[0].Value)
	if err != nil {
		t.Fatal(err)
	}
	return string(v)
}
