package lister_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/generators/codegen"
	"github.com/aggen-dev/aggen/generators/lister"
	"github.com/aggen-dev/aggen/test/corpus"
	"github.com/aggen-dev/aggen/test/upstream"
)

// Project is a project the renderer must support, parsed once.
type project struct {
	s    *codegen.Session
	tree codegen.Tree
}

func load(t *testing.T, dir string) project {
	t.Helper()
	module, err := upstream.ModulePath(dir)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := codegen.NewTree(dir, module, "pkg/apis")
	if err != nil {
		t.Fatal(err)
	}
	header := filepath.Join(dir, "hack", "boilerplate.go.txt")
	s, err := codegen.NewSession(dir, header, []string{module + "/pkg/apis/..."})
	if err != nil {
		t.Fatal(err)
	}
	return project{s, tree}
}

// projects: the example, a synthetic multi-group project, and the corpora of test/corpus (copies of
// k8s.io/api groups, a multi-group project; Gateway API, lws, JobSet,
// Flux), none of them written at aggen. Prometheus is left out as
// TestOwnRenderersMatchUpstream leaves it out; its shapes are in the
// others.
func projects(t *testing.T) map[string]func(t *testing.T) string {
	out := map[string]func(t *testing.T) string{
		"example": func(t *testing.T) string {
			dir := t.TempDir()
			if err := upstream.CopyTree("../../examples/insects", dir); err != nil {
				t.Fatal(err)
			}
			if err := upstream.Prune(dir); err != nil {
				t.Fatal(err)
			}
			return dir
		},
	}
	// A synthetic project of three groups, two of them with two
	// versions: namespaced and cluster-scoped kinds, verbs left out
	// (skipVerbs, onlyVerbs, readonly, noVerbs), +groupGoName,
	// +resourceName, a plural exception, a group directory named like a
	// package the generated files import (cache), an upper-case one, a
	// hand-written lister expansion.
	out["multigroup"] = func(t *testing.T) string {
		dir := t.TempDir()
		for _, name := range []string{"go.mod", "go.sum", filepath.Join("hack", "boilerplate.go.txt")} {
			b, err := os.ReadFile(filepath.Join("../../examples/insects", name))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := upstream.CopyTree("../lister/testdata/multigroup", dir); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	for name, sources := range corpus.Corpora {
		if name == "prometheus" {
			continue
		}
		out[name] = func(t *testing.T) string {
			dir := t.TempDir()
			if err := corpus.Assemble("../..", dir, sources); err != nil {
				t.Fatal(err)
			}
			return dir
		}
	}
	if _, ok := out["k8sapi"]; !ok {
		t.Fatal("no multi-group corpus k8sapi")
	}
	return out
}

// TestRendererMatchesListerGen fails if the renderer falls back to
// lister-gen on the example or a corpus, or writes a byte
// other than lister-gen's.
func TestRendererMatchesListerGen(t *testing.T) {
	if testing.Short() {
		t.Skip("loads two projects")
	}
	for name, mk := range projects(t) {
		t.Run(name, func(t *testing.T) {
			p := load(t, mk(t))
			inputs, _, err := p.tree.ClientInputs()
			if err != nil {
				t.Fatal(err)
			}
			exceptions := map[string]string{"Endpoints": "Endpoints"}
			own, err := lister.Render(p.s, p.tree, inputs, exceptions)
			if err != nil {
				t.Fatalf("the renderer falls back: %v", err)
			}
			if err := lister.Run(p.s, p.tree, exceptions, true); err != nil {
				t.Fatal(err)
			}
			want, err := p.s.Files()
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][]byte{}
			for _, f := range own {
				got[f.Rel] = f.Data
			}
			compare(t, want, got)
		})
	}
}

func compare(t *testing.T, want, got map[string][]byte) {
	t.Helper()
	var paths []string
	for p := range want {
		if strings.HasPrefix(p, lister.OutputDir+"/") {
			paths = append(paths, p)
		}
	}
	if len(paths) < 2 {
		t.Fatalf("lister-gen wrote %d files", len(paths))
	}
	sort.Strings(paths)
	for _, p := range paths {
		if g, ok := got[p]; !ok {
			t.Errorf("%s: not rendered", p)
		} else if !bytes.Equal(g, want[p]) {
			t.Errorf("%s differs from lister-gen's:\n--- lister-gen\n%s\n--- aggen\n%s", p, want[p], g)
		}
		delete(got, p)
	}
	for p := range got {
		t.Errorf("%s: rendered, not written by lister-gen", p)
	}
}

// TestUnsupportedFallsBack: an internal version (ObjectMeta without a
// json tag) is a shape the renderer leaves to lister-gen.
func TestUnsupportedFallsBack(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a project")
	}
	dir := t.TempDir()
	if err := upstream.CopyTree("../../examples/insects", dir); err != nil {
		t.Fatal(err)
	}
	if err := upstream.Prune(dir); err != nil {
		t.Fatal(err)
	}
	types := filepath.Join(dir, "pkg", "apis", "insects", "v1beta1", "hivesummary_types.go")
	b, err := os.ReadFile(types)
	if err != nil {
		t.Fatal(err)
	}
	changed := bytes.Replace(b, []byte("metav1.ObjectMeta `json:\"metadata,omitempty\"`"), []byte("metav1.ObjectMeta"), 1)
	if bytes.Equal(changed, b) {
		t.Fatal("no ObjectMeta with a json tag in " + types)
	}
	if err := os.WriteFile(types, changed, 0o644); err != nil {
		t.Fatal(err)
	}
	p := load(t, dir)
	inputs, _, err := p.tree.ClientInputs()
	if err != nil {
		t.Fatal(err)
	}
	_, err = lister.Render(p.s, p.tree, inputs, nil)
	var u *lister.Unsupported
	if !errors.As(err, &u) {
		t.Fatalf("want *lister.Unsupported, got %v", err)
	}
}
