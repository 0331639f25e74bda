package e2e

// Issue 11: custom subresources through kube-apiserver's aggregator. The
// project has a kind Flower with an action (water: a FlowerWater POSTed,
// a FlowerWaterResult back), a getter (summary) and a connect subresource
// (log: a stream, or a WebSocket upgrade), each added with `aggen create
// subresource`. Every request below goes through kube-apiserver unless it
// says otherwise.

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/websocket"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	plantsv1 "example.com/garden/pkg/apis/plants/v1"
	clientset "example.com/garden/pkg/generated/clientset/versioned"
	"example.com/garden/test/e2e/harness"
)

func TestSubresources(t *testing.T) {
	if os.Getenv("AGGEN_E2E") != "1" {
		t.Skip("set AGGEN_E2E=1 to run against a real kube-apiserver and etcd")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Minute)
	defer cancel()
	root, err := harness.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	bin := filepath.Join(work, "bin")
	if err := harness.GoBuild(ctx, root, bin, "./cmd/apiserver"); err != nil {
		t.Fatal(err)
	}
	cp, err := harness.StartControlPlane(ctx, harness.ControlPlaneOptions{Dir: filepath.Join(work, "cluster"), Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cp.Stop() })
	harness.DumpLogsOnFailure(t, cp.Etcd.Process, cp.APIServer.Process)
	d, err := cp.DeployProject(ctx, harness.DeployOptions{ProjectDir: root, APIServerBinary: filepath.Join(bin, "apiserver"), Logf: t.Logf})
	if err != nil {
		t.Fatalf("serve the project through kube-apiserver: %v", err)
	}
	t.Cleanup(func() { _ = d.Stop() })
	harness.DumpLogsOnFailure(t, d.Server.Process)

	const ns = "garden"
	if err := cp.EnsureNamespace(ctx, ns); err != nil {
		t.Fatal(err)
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", cp.AdminKubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := clientset.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	flowers := cs.PlantsV1().Flowers(ns)
	if _, err := flowers.Create(ctx, &plantsv1.Flower{ObjectMeta: metav1.ObjectMeta{Name: "rose"}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	base := "/apis/plants.example.com/v1/namespaces/" + ns + "/flowers/rose/"

	t.Run("discovery lists the subresources", func(t *testing.T) {
		var list metav1.APIResourceList
		if err := cs.Discovery().RESTClient().Get().AbsPath("/apis/plants.example.com/v1").Do(ctx).Into(&list); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"flowers/water": "create", "flowers/summary": "get", "flowers/log": "get"}
		for _, r := range list.APIResources {
			if verb, ok := want[r.Name]; ok {
				if !strings.Contains(strings.Join(r.Verbs, ","), verb) {
					t.Errorf("%s has verbs %v, want %s", r.Name, r.Verbs, verb)
				}
				delete(want, r.Name)
			}
		}
		if len(want) > 0 {
			t.Errorf("discovery lacks %v: %+v", want, list.APIResources)
		}
	})

	t.Run("action: the generated client method", func(t *testing.T) {
		res, err := flowers.Water(ctx, "rose", &plantsv1.FlowerWater{Reason: "dry"}, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Name != "rose" || res.Message != "watered: dry" {
			t.Errorf("Water returned %+v", res)
		}
		got, err := flowers.Get(ctx, "rose", metav1.GetOptions{})
		if err != nil || got.Spec.Description != "watered: dry" {
			t.Errorf("the action did not change the flower: %v %+v", err, got)
		}
		if _, err := flowers.Water(ctx, "tulip", &plantsv1.FlowerWater{}, metav1.CreateOptions{}); !apierrors.IsNotFound(err) {
			t.Errorf("Water on a missing flower: %v, want 404", err)
		}
	})

	t.Run("action: kubectl create --raw", func(t *testing.T) {
		body := []byte(`{"apiVersion":"plants.example.com/v1","kind":"FlowerWater","reason":"kubectl"}`)
		out, err := harness.Kubectl(ctx, cp.AdminKubeconfig, body, "create", "--raw", base+"water", "-f", "-")
		if err != nil {
			t.Fatal(err)
		}
		var res plantsv1.FlowerWaterResult
		if err := json.Unmarshal([]byte(out), &res); err != nil || res.Kind != "FlowerWaterResult" || res.APIVersion != "plants.example.com/v1" || res.Message != "watered: kubectl" {
			t.Errorf("kubectl create --raw: %v %s", err, out)
		}
	})

	t.Run("getter: kubectl get --raw and the generated client method", func(t *testing.T) {
		out, err := harness.Kubectl(ctx, cp.AdminKubeconfig, nil, "get", "--raw", base+"summary")
		if err != nil {
			t.Fatal(err)
		}
		var s plantsv1.FlowerSummary
		if err := json.Unmarshal([]byte(out), &s); err != nil || s.Kind != "FlowerSummary" || s.Name != "rose" || s.Namespace != ns {
			t.Errorf("kubectl get --raw: %v %s", err, out)
		}
		got, err := flowers.GetSummary(ctx, "rose", metav1.GetOptions{})
		if err != nil || got.Name != "rose" {
			t.Errorf("GetSummary: %v %+v", err, got)
		}
	})

	t.Run("connect: kubectl get --raw reads the stream", func(t *testing.T) {
		out, err := harness.Kubectl(ctx, cp.AdminKubeconfig, nil, "get", "--raw", base+"log")
		if err != nil {
			t.Fatal(err)
		}
		if want := "flower rose: line 1\nflower rose: line 2\nflower rose: line 3\n"; out != want {
			t.Errorf("kubectl get --raw %slog = %q, want %q", base, out, want)
		}
	})

	t.Run("connect: a followed stream arrives line by line", func(t *testing.T) {
		// With follow the stream never ends: reading lines only works if
		// kube-apiserver and the server pass each line on as it is flushed.
		sctx, stop := context.WithTimeout(ctx, 2*time.Minute)
		defer stop()
		rc, err := cs.PlantsV1().RESTClient().Get().Namespace(ns).Resource("flowers").Name("rose").SubResource("log").Param("follow", "true").Stream(sctx)
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		r := bufio.NewReader(rc)
		for i := 1; i <= 5; i++ {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("line %d: %v", i, err)
			}
			if want := "flower rose: line " + string(rune('0'+i)) + "\n"; line != want {
				t.Errorf("line %d = %q, want %q", i, line, want)
			}
		}
	})

	t.Run("connect: a WebSocket upgrade through the aggregator echoes", func(t *testing.T) {
		tlsConfig, err := rest.TLSConfigFor(cfg)
		if err != nil {
			t.Fatal(err)
		}
		wsc, err := websocket.NewConfig(strings.Replace(cfg.Host, "https://", "wss://", 1)+base+"log", "http://localhost/")
		if err != nil {
			t.Fatal(err)
		}
		wsc.TlsConfig = tlsConfig
		if cfg.BearerToken != "" {
			wsc.Header = http.Header{"Authorization": {"Bearer " + cfg.BearerToken}}
		}
		ws, err := websocket.DialConfig(wsc)
		if err != nil {
			t.Fatalf("upgrade %slog through kube-apiserver: %v", base, err)
		}
		defer ws.Close()
		for _, msg := range []string{"hello", "through the aggregator"} {
			if err := websocket.Message.Send(ws, msg); err != nil {
				t.Fatal(err)
			}
			var got string
			if err := websocket.Message.Receive(ws, &got); err != nil {
				t.Fatal(err)
			}
			if got != msg {
				t.Errorf("echo of %q = %q", msg, got)
			}
		}
	})

	t.Run("a user allowed flowers but not flowers/water gets 403", func(t *testing.T) {
		const user = "gardener"
		if err := cp.Grant(ctx, "e2e-gardener", user, "plants.example.com", []string{"flowers", "flowers/summary"}, "get", "list"); err != nil {
			t.Fatal(err)
		}
		kubeconfig, err := cp.UserKubeconfig(user)
		if err != nil {
			t.Fatal(err)
		}
		ucfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
		if err != nil {
			t.Fatal(err)
		}
		ucs, err := clientset.NewForConfig(ucfg)
		if err != nil {
			t.Fatal(err)
		}
		// The grant reaches the apiserver's authorization cache in a while.
		err = harness.Eventually(ctx, time.Minute, user+" allowed flowers and flowers/summary", func(ctx context.Context) error {
			if _, err := ucs.PlantsV1().Flowers(ns).Get(ctx, "rose", metav1.GetOptions{}); err != nil {
				return err
			}
			_, err := ucs.PlantsV1().Flowers(ns).GetSummary(ctx, "rose", metav1.GetOptions{})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ucs.PlantsV1().Flowers(ns).Water(ctx, "rose", &plantsv1.FlowerWater{}, metav1.CreateOptions{}); !apierrors.IsForbidden(err) {
			t.Errorf("Water as %s through kube-apiserver: %v, want 403", user, err)
		}
		if _, err := harness.Kubectl(ctx, kubeconfig, nil, "get", "--raw", base+"log"); err == nil || !strings.Contains(err.Error(), "Forbidden") {
			t.Errorf("kubectl get --raw %slog as %s: %v, want Forbidden", base, user, err)
		}
		// Straight to the apiserver, authenticated as the aggregator does
		// it: its own delegated authorization refuses the subresource too.
		direct, err := d.DirectClient(user, "system:authenticated")
		if err != nil {
			t.Fatal(err)
		}
		resp, err := direct.Do(ctx, http.MethodPost, base+"water", map[string]any{"apiVersion": "plants.example.com/v1", "kind": "FlowerWater"})
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST %swater as %s at the apiserver: HTTP %d %s, want 403", base, user, resp.StatusCode, resp.Body)
		}
		if _, err := direct.Get(ctx, base+"summary"); err != nil {
			t.Errorf("GET %ssummary as %s at the apiserver: %v", base, user, err)
		}
	})

	t.Run("OpenAPI describes the subresources and their kinds", func(t *testing.T) {
		raw, err := cs.Discovery().RESTClient().Get().AbsPath("/openapi/v3/apis/plants.example.com/v1").DoRaw(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Paths      map[string]any `json:"paths"`
			Components struct {
				Schemas map[string]any `json:"schemas"`
			} `json:"components"`
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"water", "summary", "log"} {
			path := "/apis/plants.example.com/v1/namespaces/{namespace}/flowers/{name}/" + p
			if _, ok := doc.Paths[path]; !ok {
				t.Errorf("OpenAPI v3 has no path %s", path)
			}
		}
		for _, kind := range []string{"FlowerWater", "FlowerWaterResult", "FlowerSummary"} {
			found := false
			for name := range doc.Components.Schemas {
				if strings.HasSuffix(name, ".v1."+kind) {
					found = true
				}
			}
			if !found {
				t.Errorf("OpenAPI v3 has no schema of %s", kind)
			}
		}
	})
}
