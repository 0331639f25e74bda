package harness

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// requireE2E skips unless AGGEN_E2E=1: these tests build (or reuse) real
// binaries and run a real control plane, too heavy for every `go test ./...`.
func requireE2E(t *testing.T) {
	t.Helper()
	if os.Getenv("AGGEN_E2E") != "1" {
		t.Skip("real aggregation e2e: set AGGEN_E2E=1 to run (binaries from hack/e2e-binaries.sh or AGGEN_E2E_* env vars)")
	}
}

// dumpLogsOnFailure prints the end of each process log if the test failed
// (or always with AGGEN_E2E_LOGS=1), since the temp dir holding them is
// removed afterwards.
func dumpLogsOnFailure(t *testing.T, procs ...*Process) {
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

const (
	wardleGroup   = "wardle.example.com"
	wardleVersion = "v1alpha1"
)

func TestAggregationWithSampleAPIServer(t *testing.T) {
	requireE2E(t)
	testStart := time.Now()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
	defer cancel()
	dir := t.TempDir()

	// Resolve binaries first so build time is not counted as startup time.
	bins := map[string]string{}
	for _, name := range []string{BinEtcd, BinKubeAPIServer, BinSampleAPIServer} {
		p, err := ResolveBinary(ctx, name)
		if err != nil {
			t.Fatalf("resolve %s: %v", name, err)
		}
		bins[name] = p
	}
	t.Logf("binaries resolved in %v", time.Since(testStart).Round(time.Millisecond))

	start := time.Now()
	cp, err := StartControlPlane(ctx, ControlPlaneOptions{
		Dir: filepath.Join(dir, "cp"), EtcdBinary: bins[BinEtcd], KubeAPIServerBinary: bins[BinKubeAPIServer], Logf: t.Logf,
	})
	if err != nil {
		t.Fatalf("start control plane: %v", err)
	}
	t.Cleanup(func() {
		if err := cp.Stop(); err != nil {
			t.Errorf("stop control plane: %v", err)
		}
	})
	dumpLogsOnFailure(t, cp.Etcd.Process, cp.APIServer.Process)

	// sample-apiserver runs as its own user with the RBAC a real deployment
	// gives its ServiceAccount, and delegates authn/authz to kube-apiserver.
	const serverUser = "aggen-e2e:sample-apiserver"
	if err := cp.GrantExtensionServerRBAC(ctx, "aggen-e2e:sample-apiserver", serverUser); err != nil {
		t.Fatalf("grant extension server RBAC: %v", err)
	}
	serverKC, err := cp.UserKubeconfig(serverUser)
	if err != nil {
		t.Fatal(err)
	}
	servingCA, err := NewCA("wardle-serving-ca")
	if err != nil {
		t.Fatal(err)
	}
	serving, err := ExtensionServingCert(servingCA, "api", "wardle")
	if err != nil {
		t.Fatal(err)
	}
	sample, err := StartSampleAPIServer(ctx, SampleAPIServerOptions{
		Binary: bins[BinSampleAPIServer], Dir: filepath.Join(dir, "sample"),
		EtcdURL: cp.Etcd.ClientURL, Kubeconfig: serverKC,
		Serving: serving, CAPEM: servingCA.CertPEM, ServerName: "api.wardle.svc",
	})
	if err != nil {
		t.Fatalf("start sample-apiserver: %v", err)
	}
	t.Cleanup(func() {
		if err := sample.Stop(); err != nil {
			t.Errorf("stop sample-apiserver: %v", err)
		}
	})
	dumpLogsOnFailure(t, sample.Process)
	t.Logf("sample-apiserver ready at %s", sample.URL)

	reg := APIServiceRegistration{
		Group: wardleGroup, Version: wardleVersion,
		ServiceNamespace: "wardle", ServiceName: "api",
		Port: sample.Port, CABundle: servingCA.CertPEM,
	}
	regStart := time.Now()
	if err := cp.RegisterAPIService(ctx, reg); err != nil {
		t.Fatalf("register APIService: %v", err)
	}
	actx, acancel := context.WithTimeout(ctx, 90*time.Second)
	defer acancel()
	if err := cp.Admin.WaitForAPIServiceAvailable(actx, reg.Name()); err != nil {
		t.Fatalf("APIService %s: %v", reg.Name(), err)
	}
	t.Logf("APIService %s Available=True %v after registration; %v after control-plane start (excluding binary resolution)",
		reg.Name(), time.Since(regStart).Round(time.Millisecond), time.Since(start).Round(time.Millisecond))

	t.Run("kubectl create and read a Flunder through kube-apiserver", func(t *testing.T) {
		flunder := []byte(`apiVersion: wardle.example.com/v1alpha1
kind: Flunder
metadata:
  name: e2e-flunder
  namespace: default
spec:
  reference: aggen-e2e
`)
		out, err := Kubectl(ctx, cp.AdminKubeconfig, flunder, "apply", "-f", "-")
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("kubectl apply: %s", strings.TrimSpace(out))
		out, err = Kubectl(ctx, cp.AdminKubeconfig, nil, "get", "flunders.wardle.example.com", "e2e-flunder", "-n", "default", "-o", "json")
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Metadata   struct {
				Name string `json:"name"`
				UID  string `json:"uid"`
			} `json:"metadata"`
			Spec struct {
				Reference string `json:"reference"`
			} `json:"spec"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("decode kubectl output: %v\n%s", err, out)
		}
		if got.Kind != "Flunder" || got.APIVersion != "wardle.example.com/v1alpha1" || got.Metadata.Name != "e2e-flunder" ||
			got.Metadata.UID == "" || got.Spec.Reference != "aggen-e2e" {
			t.Fatalf("read back an unexpected Flunder: %+v", got)
		}
		t.Logf("read back %s %s uid=%s spec.reference=%s", got.Kind, got.Metadata.Name, got.Metadata.UID, got.Spec.Reference)
	})

	t.Run("RBAC: 403 without a binding, 200 after a RoleBinding", func(t *testing.T) {
		alice, aliceKC, err := cp.UserClient("alice")
		if err != nil {
			t.Fatal(err)
		}
		defer alice.CloseIdle()
		const listPath = "/apis/wardle.example.com/v1alpha1/namespaces/default/flunders"
		resp, err := alice.Do(ctx, http.MethodGet, listPath, nil)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("alice without RBAC: got HTTP %d, want 403: %s", resp.StatusCode, resp.Body)
		}
		t.Logf("alice without RBAC: HTTP %d", resp.StatusCode)
		if _, err := Kubectl(ctx, aliceKC, nil, "get", "flunders", "-n", "default"); err == nil || !strings.Contains(err.Error(), "Forbidden") {
			t.Fatalf("kubectl as alice without RBAC: want a Forbidden error, got %v", err)
		}

		role := map[string]any{
			"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
			"metadata": map[string]any{"name": "flunder-reader", "namespace": "default"},
			"rules": []any{map[string]any{
				"apiGroups": []string{wardleGroup}, "resources": []string{"flunders"}, "verbs": []string{"get", "list", "watch"},
			}},
		}
		if err := cp.Admin.Create(ctx, "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", role); err != nil {
			t.Fatal(err)
		}
		rb := map[string]any{
			"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
			"metadata": map[string]any{"name": "alice-flunder-reader", "namespace": "default"},
			"roleRef":  map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "flunder-reader"},
			"subjects": []any{map[string]any{"kind": "User", "name": "alice", "apiGroup": "rbac.authorization.k8s.io"}},
		}
		if err := cp.Admin.Create(ctx, "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", rb); err != nil {
			t.Fatal(err)
		}
		// RBAC caches in kube-apiserver and the delegated-authorization cache
		// in sample-apiserver take a moment to see the binding.
		bound := time.Now()
		var last *Response
		for time.Since(bound) < 30*time.Second {
			if last, err = alice.Do(ctx, http.MethodGet, listPath, nil); err != nil {
				t.Fatal(err)
			}
			if last.StatusCode == http.StatusOK {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		if last.StatusCode != http.StatusOK {
			t.Fatalf("alice after RoleBinding: got HTTP %d, want 200: %s", last.StatusCode, last.Body)
		}
		if !strings.Contains(string(last.Body), `"e2e-flunder"`) {
			t.Errorf("alice's list does not contain e2e-flunder: %s", last.Body)
		}
		t.Logf("alice after RoleBinding: HTTP %d (%v after binding)", last.StatusCode, time.Since(bound).Round(time.Millisecond))
		// A verb the Role does not grant is still refused.
		resp, err = alice.Do(ctx, http.MethodDelete, listPath+"/e2e-flunder", nil)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("alice delete: got HTTP %d, want 403", resp.StatusCode)
		}
	})

	t.Run("discovery latency through the aggregator", func(t *testing.T) {
		const n = 200
		p50, p99, err := MeasureDiscovery(ctx, cp.AdminKubeconfig, "/apis/"+wardleGroup+"/"+wardleVersion, n)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("GET /apis/%s/%s via kube-apiserver (sample-apiserver), n=%d: p50=%v p99=%v", wardleGroup, wardleVersion, n, p50, p99)
		lp50, lp99, err := MeasureDiscovery(ctx, cp.AdminKubeconfig, "/apis/apiregistration.k8s.io/v1", n)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("GET /apis/apiregistration.k8s.io/v1 (served locally, baseline), n=%d: p50=%v p99=%v", n, lp50, lp99)
	})

	t.Logf("total test time %v", time.Since(testStart).Round(time.Millisecond))
}
