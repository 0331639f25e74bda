// Package storage_test generates a project whose kinds are stored outside
// etcd (+aggen:storage=sqlite and =memory), builds its apiserver and runs
// it as a real process: CRUD, list paging, server-side apply and watch
// from a resourceVersion on both backends; a restart on the same SQLite
// file keeps every object, a restart loses the memory kind's.
package storage_test

import (
	"bufio"
	"bytes"
	"context"
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

	"github.com/aggen-dev/aggen/scaffold"
	"github.com/aggen-dev/aggen/test/aggentest"
	"github.com/aggen-dev/aggen/test/e2e/harness"
)

var aggenBin string

func TestMain(m *testing.M) { os.Exit(aggentest.Main(m, &aggenBin)) }

func run(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// addMarker puts a marker line above the kind's declaration.
func addMarker(t *testing.T, file, kind, marker string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	decl := "type " + kind + " struct"
	if !bytes.Contains(b, []byte(decl)) {
		t.Fatalf("%s has no %s", file, decl)
	}
	b = bytes.Replace(b, []byte(decl), []byte("// "+marker+"\n"+decl), 1)
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// buildProject makes a project with Order stored in sqlite and Cart in
// memory and builds its apiserver.
func buildProject(t *testing.T) (dir, bin string) {
	dir = t.TempDir()
	run(t, dir, aggenBin, "init", "--domain", "example.com", "--repo", "example.com/shop")
	run(t, dir, aggenBin, "create", "api", "--group", "shop", "--version", "v1", "--kind", "Order", "--controller=false")
	run(t, dir, aggenBin, "create", "api", "--group", "shop", "--version", "v1", "--kind", "Cart", "--namespaced=false", "--controller=false")
	addMarker(t, filepath.Join(dir, "pkg/apis/shop/v1/order_types.go"), "Order", "+aggen:storage=sqlite")
	addMarker(t, filepath.Join(dir, "pkg/apis/shop/v1/cart_types.go"), "Cart", "+aggen:storage=memory")
	out := run(t, dir, aggenBin, "generate")
	if want := "go get github.com/k3s-io/kine@" + scaffold.KineVersion; !strings.Contains(out, want) {
		t.Errorf("generate does not say that kine is missing from go.mod (%q):\n%s", want, out)
	}
	run(t, dir, "go", "get", "github.com/k3s-io/kine@"+scaffold.KineVersion)
	run(t, dir, "go", "mod", "tidy")
	if out := run(t, dir, aggenBin, "generate"); strings.Contains(out, "k3s-io/kine") {
		t.Errorf("generate still warns about kine once go.mod requires it:\n%s", out)
	}
	run(t, dir, aggenBin, "verify")
	bin = filepath.Join(dir, "bin", "apiserver")
	start := time.Now()
	run(t, dir, "go", "build", "-o", bin, "./cmd/apiserver")
	t.Logf("go build ./cmd/apiserver: %v", time.Since(start).Round(time.Second))
	return dir, bin
}

// server is a running apiserver in local mode.
type server struct {
	*harness.ExtensionServer
	client *harness.Client
	token  string
}

func startServer(t *testing.T, ctx context.Context, dir, bin string, extra ...string) *server {
	t.Helper()
	state := filepath.Join(dir, ".state")
	kubeconfig := filepath.Join(state, "kubeconfig")
	os.Remove(kubeconfig)
	s, err := harness.StartExtensionServer(ctx, harness.ExtensionServerOptions{
		Name: "apiserver", Binary: bin, Dir: state,
		Args: func(port int) []string {
			return append([]string{
				"--local",
				"--bind-address=127.0.0.1",
				"--secure-port=" + strconv.Itoa(port),
				"--cert-dir=" + filepath.Join(state, "certs"),
				"--local-kubeconfig=" + kubeconfig,
			}, extra...)
		},
		ReadyPath: "/livez",
	})
	if err != nil {
		t.Fatal(err)
	}
	// The kubeconfig is written once the server listens.
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := os.Stat(kubeconfig); err == nil {
			break
		}
		if time.Now().After(deadline) {
			s.Stop()
			t.Fatalf("no kubeconfig at %s\n%s", kubeconfig, s.LogTail(40))
		}
		time.Sleep(100 * time.Millisecond)
	}
	kc, err := harness.LoadKubeconfig(kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	token := kc.Token
	kc.Token = ""
	c, err := harness.NewClient(kc)
	if err != nil {
		t.Fatal(err)
	}
	c.Header = http.Header{"Authorization": {"Bearer " + token}}
	return &server{ExtensionServer: s, client: c, token: token}
}

// request sends a request and decodes a JSON answer into out (if not nil);
// it fails the test unless the status is want.
func (s *server) request(t *testing.T, ctx context.Context, method, path, contentType string, body []byte, want int, out any) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, s.client.Server+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := s.client.HTTP.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: HTTP %d, want %d: %s", method, path, resp.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

type object struct {
	Metadata struct {
		Name            string `json:"name"`
		UID             string `json:"uid"`
		ResourceVersion string `json:"resourceVersion"`
		ManagedFields   []struct {
			Manager string `json:"manager"`
		} `json:"managedFields"`
	} `json:"metadata"`
	Spec struct {
		Description string `json:"description"`
	} `json:"spec"`
}

type list struct {
	Metadata struct {
		ResourceVersion string `json:"resourceVersion"`
		Continue        string `json:"continue"`
	} `json:"metadata"`
	Items []object `json:"items"`
}

type kind struct {
	name, collection string
	namespaced       bool
}

var (
	orders = kind{name: "Order", collection: "/apis/shop.example.com/v1/namespaces/default/orders", namespaced: true}
	carts  = kind{name: "Cart", collection: "/apis/shop.example.com/v1/carts"}
)

func (k kind) manifest(name, description string) []byte {
	ns := ""
	if k.namespaced {
		ns = `,"namespace":"default"`
	}
	return []byte(fmt.Sprintf(`{"apiVersion":"shop.example.com/v1","kind":%q,"metadata":{"name":%q%s},"spec":{"description":%q}}`, k.name, name, ns, description))
}

// exercise runs CRUD, paging, server-side apply and a watch from a
// resourceVersion against one kind; it returns the objects left.
func exercise(t *testing.T, ctx context.Context, s *server, k kind) map[string]object {
	t.Helper()
	var created object
	s.request(t, ctx, http.MethodPost, k.collection, "application/json", k.manifest("a", "first"), http.StatusCreated, &created)
	s.request(t, ctx, http.MethodPost, k.collection, "application/json", k.manifest("a", "again"), http.StatusConflict, nil)
	// Watch from the resourceVersion of the create: what follows only.
	watchCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	events := watch(t, watchCtx, s, k.collection+"?watch=true&resourceVersion="+created.Metadata.ResourceVersion)

	var updated object
	s.request(t, ctx, http.MethodPatch, k.collection+"/a", "application/merge-patch+json", []byte(`{"spec":{"description":"second"}}`), http.StatusOK, &updated)
	if updated.Spec.Description != "second" || updated.Metadata.ResourceVersion == created.Metadata.ResourceVersion {
		t.Errorf("%s: the patch gave %+v", k.name, updated)
	}
	// Server-side apply, creating and then owning a field.
	applyPath := k.collection + "/b?fieldManager=storage-test"
	var applied object
	s.request(t, ctx, http.MethodPatch, applyPath, "application/apply-patch+yaml", k.manifest("b", "applied"), http.StatusCreated, &applied)
	s.request(t, ctx, http.MethodPatch, applyPath, "application/apply-patch+yaml", k.manifest("b", "reapplied"), http.StatusOK, &applied)
	if applied.Spec.Description != "reapplied" || len(applied.Metadata.ManagedFields) == 0 || applied.Metadata.ManagedFields[0].Manager != "storage-test" {
		t.Errorf("%s: server-side apply gave %+v", k.name, applied)
	}
	// A conflict with another manager is refused, as on etcd.
	s.request(t, ctx, http.MethodPatch, k.collection+"/b?fieldManager=other", "application/apply-patch+yaml", k.manifest("b", "taken"), http.StatusConflict, nil)
	for i := 0; i < 5; i++ {
		s.request(t, ctx, http.MethodPost, k.collection, "application/json", k.manifest(fmt.Sprintf("p%d", i), "paged"), http.StatusCreated, nil)
	}
	s.request(t, ctx, http.MethodDelete, k.collection+"/p4", "", nil, http.StatusOK, nil)
	s.request(t, ctx, http.MethodGet, k.collection+"/p4", "", nil, http.StatusNotFound, nil)

	want := []string{"MODIFIED a second", "ADDED b applied", "MODIFIED b reapplied"}
	for i := 0; i < 5; i++ {
		want = append(want, fmt.Sprintf("ADDED p%d paged", i))
	}
	want = append(want, "DELETED p4 paged")
	var got []string
	timeout := time.After(30 * time.Second)
	for len(got) < len(want) {
		select {
		case e, ok := <-events:
			if !ok {
				t.Fatalf("%s: the watch ended after %q", k.name, got)
			}
			got = append(got, e)
		case <-timeout:
			t.Fatalf("%s: watch from resourceVersion %s: got %q, want %q", k.name, created.Metadata.ResourceVersion, got, want)
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s: watch from resourceVersion %s:\n got %q\nwant %q", k.name, created.Metadata.ResourceVersion, got, want)
	}

	// Paging: two at a time through continue tokens.
	all := map[string]object{}
	next, pages := "", 0
	for {
		var l list
		s.request(t, ctx, http.MethodGet, k.collection+"?limit=2&continue="+next, "", nil, http.StatusOK, &l)
		pages++
		for _, o := range l.Items {
			all[o.Metadata.Name] = o
		}
		if next = l.Metadata.Continue; next == "" {
			break
		}
	}
	if len(all) != 6 || pages != 3 {
		t.Errorf("%s: paged list: %d objects in %d pages, want 6 in 3", k.name, len(all), pages)
	}
	return all
}

// watch streams a watch's events as "TYPE name description".
func watch(t *testing.T, ctx context.Context, s *server, path string) <-chan string {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.client.Server+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	client := &http.Client{Transport: s.client.HTTP.Transport}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		t.Fatalf("watch %s: HTTP %d: %s", path, resp.StatusCode, b)
	}
	out := make(chan string, 100)
	go func() {
		defer close(out)
		defer resp.Body.Close()
		dec := json.NewDecoder(bufio.NewReader(resp.Body))
		for {
			var e struct {
				Type   string `json:"type"`
				Object object `json:"object"`
			}
			if err := dec.Decode(&e); err != nil {
				return
			}
			if e.Type == "BOOKMARK" {
				continue
			}
			out <- e.Type + " " + e.Object.Metadata.Name + " " + e.Object.Spec.Description
		}
	}()
	return out
}

func TestSQLiteAndMemoryStorage(t *testing.T) {
	if testing.Short() || os.Getenv("AGGEN_E2E") == "" {
		t.Skip("set AGGEN_E2E=1: generates a project, builds its apiserver with kine and runs it")
	}
	ctx := context.Background()
	dir, bin := buildProject(t)
	db := filepath.Join(dir, "data", "shop.sqlite")

	// Without its file the server refuses to start, naming the kinds.
	cmd := exec.Command(bin, "--local", "--cert-dir", filepath.Join(dir, ".state", "certs"))
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--storage-sqlite-path is required: orders.shop.example.com are stored in sqlite") {
		t.Errorf("the server without --storage-sqlite-path: %v\n%s", err, out)
	}

	s := startServer(t, ctx, dir, bin, "--storage-sqlite-path="+db)
	stored := exercise(t, ctx, s, orders)
	exercise(t, ctx, s, carts)
	if _, err := os.Stat(db); err != nil {
		t.Errorf("the SQLite file: %v", err)
	}
	if err := s.Stop(); err != nil {
		t.Fatalf("stopping the server: %v\n%s", err, s.LogTail(40))
	}

	// The same file again: every order is there, with its UID and
	// resourceVersion; the carts were in memory and are gone.
	s = startServer(t, ctx, dir, bin, "--storage-sqlite-path="+db)
	defer s.Stop()
	var l list
	s.request(t, ctx, http.MethodGet, orders.collection, "", nil, http.StatusOK, &l)
	if len(l.Items) != len(stored) {
		t.Errorf("after a restart: %d orders, want %d", len(l.Items), len(stored))
	}
	for _, o := range l.Items {
		before, ok := stored[o.Metadata.Name]
		if !ok || before.Metadata.UID != o.Metadata.UID || before.Metadata.ResourceVersion != o.Metadata.ResourceVersion || before.Spec != o.Spec {
			t.Errorf("after a restart order %s is %+v, was %+v", o.Metadata.Name, o, before)
		}
	}
	// New writes follow the old resourceVersions.
	var created object
	s.request(t, ctx, http.MethodPost, orders.collection, "application/json", orders.manifest("after", "restart"), http.StatusCreated, &created)
	listRV, _ := strconv.ParseInt(l.Metadata.ResourceVersion, 10, 64)
	if rv, _ := strconv.ParseInt(created.Metadata.ResourceVersion, 10, 64); rv <= listRV {
		t.Errorf("a create after the restart got resourceVersion %d, not above the list's %d", rv, listRV)
	}
	var carts list
	s.request(t, ctx, http.MethodGet, "/apis/shop.example.com/v1/carts", "", nil, http.StatusOK, &carts)
	if len(carts.Items) != 0 {
		t.Errorf("carts are stored in memory, yet %d survived a restart", len(carts.Items))
	}
}
