// Package storage_test generates a project with a kind stored in SQLite,
// one in memory and one in etcd (+aggen:storage), builds its apiserver and
// runs it as a real process with a real etcd: CRUD, list paging,
// server-side apply and watch from a resourceVersion on each backend; a
// restart on the same SQLite file and etcd keeps every object of those,
// and loses the memory kind's.
package storage_test

import (
	"bufio"
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
	"testing"
	"time"

	"github.com/aggen-dev/aggen/scaffold"
	"github.com/aggen-dev/aggen/test/aggentest"
	"github.com/aggen-dev/aggen/test/e2e/harness"
	"github.com/aggen-dev/aggen/test/storage"
)

var aggenBin string

func TestMain(m *testing.M) { os.Exit(aggentest.Main(m, &aggenBin)) }

// request sends a request and decodes a JSON answer into out (if not
// nil); it fails the test unless the status is want.
func request(t *testing.T, ctx context.Context, s *storage.Server, method, path, contentType string, body []byte, want int, out any) {
	t.Helper()
	code, b, err := s.Do(ctx, method, path, contentType, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if code != want {
		t.Fatalf("%s %s: HTTP %d, want %d: %s", method, path, code, want, b)
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

// exercise runs CRUD, paging, server-side apply and a watch from a
// resourceVersion against one kind; it returns the objects left.
func exercise(t *testing.T, ctx context.Context, s *storage.Server, k storage.Kind) map[string]object {
	t.Helper()
	var created object
	request(t, ctx, s, http.MethodPost, k.Collection(), "application/json", k.Manifest("a", "first"), http.StatusCreated, &created)
	request(t, ctx, s, http.MethodPost, k.Collection(), "application/json", k.Manifest("a", "again"), http.StatusConflict, nil)
	// Watch from the resourceVersion of the create: what follows only.
	watchCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	events := watch(t, watchCtx, s, k.Collection()+"?watch=true&resourceVersion="+created.Metadata.ResourceVersion)

	var updated object
	request(t, ctx, s, http.MethodPatch, k.Collection()+"/a", "application/merge-patch+json", []byte(`{"spec":{"description":"second"}}`), http.StatusOK, &updated)
	if updated.Spec.Description != "second" || updated.Metadata.ResourceVersion == created.Metadata.ResourceVersion {
		t.Errorf("%s: the patch gave %+v", k.Name, updated)
	}
	// Server-side apply, creating and then owning a field.
	applyPath := k.Collection() + "/b?fieldManager=storage-test"
	var applied object
	request(t, ctx, s, http.MethodPatch, applyPath, "application/apply-patch+yaml", k.Manifest("b", "applied"), http.StatusCreated, &applied)
	request(t, ctx, s, http.MethodPatch, applyPath, "application/apply-patch+yaml", k.Manifest("b", "reapplied"), http.StatusOK, &applied)
	if applied.Spec.Description != "reapplied" || len(applied.Metadata.ManagedFields) == 0 || applied.Metadata.ManagedFields[0].Manager != "storage-test" {
		t.Errorf("%s: server-side apply gave %+v", k.Name, applied)
	}
	// A conflict with another manager is refused, as on etcd.
	request(t, ctx, s, http.MethodPatch, k.Collection()+"/b?fieldManager=other", "application/apply-patch+yaml", k.Manifest("b", "taken"), http.StatusConflict, nil)
	for i := 0; i < 5; i++ {
		request(t, ctx, s, http.MethodPost, k.Collection(), "application/json", k.Manifest(fmt.Sprintf("p%d", i), "paged"), http.StatusCreated, nil)
	}
	request(t, ctx, s, http.MethodDelete, k.Collection()+"/p4", "", nil, http.StatusOK, nil)
	request(t, ctx, s, http.MethodGet, k.Collection()+"/p4", "", nil, http.StatusNotFound, nil)

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
				t.Fatalf("%s: the watch ended after %q", k.Name, got)
			}
			got = append(got, e)
		case <-timeout:
			t.Fatalf("%s: watch from resourceVersion %s: got %q, want %q", k.Name, created.Metadata.ResourceVersion, got, want)
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s: watch from resourceVersion %s:\n got %q\nwant %q", k.Name, created.Metadata.ResourceVersion, got, want)
	}

	// Paging: two at a time through continue tokens.
	all := map[string]object{}
	next, pages := "", 0
	for {
		var l list
		request(t, ctx, s, http.MethodGet, k.Collection()+"?limit=2&continue="+next, "", nil, http.StatusOK, &l)
		pages++
		for _, o := range l.Items {
			all[o.Metadata.Name] = o
		}
		if next = l.Metadata.Continue; next == "" {
			break
		}
	}
	if len(all) != 6 || pages != 3 {
		t.Errorf("%s: paged list: %d objects in %d pages, want 6 in 3", k.Name, len(all), pages)
	}
	return all
}

// watch streams a watch's events as "TYPE name description".
func watch(t *testing.T, ctx context.Context, s *storage.Server, path string) <-chan string {
	t.Helper()
	req, err := s.Request(ctx, http.MethodGet, path, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	// No client timeout: the watch lasts until ctx ends.
	client := &http.Client{Transport: s.HTTP.Transport}
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

func TestStorageBackends(t *testing.T) {
	if testing.Short() || os.Getenv("AGGEN_E2E") == "" {
		t.Skip("set AGGEN_E2E=1: generates a project, builds its apiserver with kine and runs it with etcd")
	}
	ctx := context.Background()
	etcdBin, err := harness.ResolveBinary(ctx, harness.BinEtcd)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	kinds := storage.Kinds
	flags := []string{}
	// PostgreSQL where the machine has it: a throwaway cluster.
	if pg, err := storage.StartPostgres(ctx); err == nil {
		defer pg.Stop()
		kinds = append(kinds, storage.PostgresKind)
		flags = append(flags, "--storage-postgres-endpoint="+pg.Endpoint)
	} else if errors.Is(err, storage.ErrNoPostgres) {
		t.Logf("postgres not tested: %v", err)
	} else {
		t.Fatal(err)
	}
	start := time.Now()
	bin, generated, err := storage.Build(ctx, aggenBin, dir, kinds)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("project made and built: %v", time.Since(start).Round(time.Second))
	if want := "go get github.com/k3s-io/kine@" + scaffold.KineVersion; !strings.Contains(generated, want) {
		t.Errorf("generate does not say that kine is missing from go.mod (%q):\n%s", want, generated)
	}
	if out, err := storage.Aggen(ctx, aggenBin, dir, "verify"); err != nil || strings.Contains(out, "k3s-io/kine") {
		t.Errorf("aggen verify once go.mod requires kine: %v\n%s", err, out)
	}
	for file, wants := range map[string][]string{
		"pkg/apiserver/zz_generated.apiserver.go": {`c.restOptions("sqlite")`, `c.restOptions("memory")`, `c.restOptions("etcd")`},
		"pkg/cmd/server/zz_generated.storage.go":  {`"storage-sqlite-path"`, `"memory://"`},
	} {
		b, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range wants {
			if !strings.Contains(string(b), want) {
				t.Errorf("%s lacks %s", file, want)
			}
		}
	}
	etcd, err := harness.StartEtcd(ctx, harness.EtcdOptions{Binary: etcdBin, Dir: filepath.Join(dir, ".etcd")})
	if err != nil {
		t.Fatal(err)
	}
	defer etcd.Stop()
	db := filepath.Join(dir, "data", "shop.sqlite")

	// Without its file the server refuses to start, naming the kinds
	// (--local would default it beside the kubeconfig).
	out, err := exec.Command(bin, append(flags, "--etcd-servers="+etcd.ClientURL, "--cert-dir", filepath.Join(dir, ".state", "certs"))...).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--storage-sqlite-path is required: orders.shop.example.com are stored in sqlite") {
		t.Errorf("the server without --storage-sqlite-path: %v\n%s", err, out)
	}

	flags = append(flags, "--etcd-servers="+etcd.ClientURL, "--storage-sqlite-path="+db)
	s, err := storage.Start(ctx, dir, bin, flags...)
	if err != nil {
		t.Fatal(err)
	}
	kept := map[string]map[string]object{}
	for _, k := range kinds {
		t.Run(k.Name+"-"+k.Backend, func(t *testing.T) { kept[k.Name] = exercise(t, ctx, s, k) })
	}
	if _, err := os.Stat(db); err != nil {
		t.Errorf("the SQLite file: %v", err)
	}
	if err := s.Stop(); err != nil {
		t.Fatalf("stopping the server: %v\n%s", err, s.LogTail(40))
	}

	// Again, on the same file and etcd: every order and invoice is there
	// with its UID and resourceVersion; the carts were in memory and are
	// gone.
	s, err = storage.Start(ctx, dir, bin, flags...)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	for _, k := range kinds {
		var l list
		request(t, ctx, s, http.MethodGet, k.Collection(), "", nil, http.StatusOK, &l)
		want := kept[k.Name]
		if k.Backend == "memory" {
			want = nil
		}
		if len(l.Items) != len(want) {
			t.Errorf("after a restart: %d %s, want %d", len(l.Items), k.Plural, len(want))
		}
		for _, o := range l.Items {
			before, ok := want[o.Metadata.Name]
			if !ok || before.Metadata.UID != o.Metadata.UID || before.Metadata.ResourceVersion != o.Metadata.ResourceVersion || before.Spec != o.Spec {
				t.Errorf("after a restart %s %s is %+v, was %+v", k.Name, o.Metadata.Name, o, before)
			}
		}
		// New writes follow the old resourceVersions.
		var created object
		request(t, ctx, s, http.MethodPost, k.Collection(), "application/json", k.Manifest("after", "restart"), http.StatusCreated, &created)
		if k.Backend == "memory" {
			continue
		}
		listRV, _ := strconv.ParseInt(l.Metadata.ResourceVersion, 10, 64)
		if rv, _ := strconv.ParseInt(created.Metadata.ResourceVersion, 10, 64); rv <= listRV {
			t.Errorf("a create of %s after the restart got resourceVersion %d, not above the list's %d", k.Name, rv, listRV)
		}
	}
}
