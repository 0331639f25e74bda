package lister_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/aggen-dev/aggen/generators/codegen/rendertest"
	"github.com/aggen-dev/aggen/generators/lister"
)

// projects: the example, the corpora, and a synthetic project of three
// groups, two of them with two versions: namespaced and cluster-scoped
// kinds, verbs left out (skipVerbs, onlyVerbs, readonly, noVerbs),
// +groupGoName, +resourceName, a plural exception, a group directory named
// like a package the generated files import (cache), an upper-case one, a
// hand-written lister expansion.
func projects(t *testing.T) map[string]func(t *testing.T) string {
	out := rendertest.Projects(t)
	out["multigroup"] = func(t *testing.T) string {
		return rendertest.Fixture(t, filepath.Join(rendertest.Root(t), "generators", "lister", "testdata", "multigroup"))
	}
	return out
}

// TestRendererMatchesListerGen fails if the renderer falls back to
// lister-gen on the example, the synthetic project or a corpus, or writes a
// byte other than lister-gen's.
func TestRendererMatchesListerGen(t *testing.T) {
	if testing.Short() {
		t.Skip("loads several projects")
	}
	for name, mk := range projects(t) {
		t.Run(name, func(t *testing.T) {
			p := rendertest.Load(t, mk(t))
			inputs, _, err := p.Tree.ClientInputs()
			if err != nil {
				t.Fatal(err)
			}
			exceptions := map[string]string{"Endpoints": "Endpoints"}
			own, err := lister.Render(p.Session, p.Tree, inputs, exceptions)
			if err != nil {
				t.Fatalf("the renderer falls back: %v", err)
			}
			if err := lister.Run(p.Session, p.Tree, exceptions, true); err != nil {
				t.Fatal(err)
			}
			want, err := p.Session.Files()
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][]byte{}
			for _, f := range own {
				got[f.Rel] = f.Data
			}
			rendertest.Compare(t, "lister-gen", lister.OutputDir, want, got)
		})
	}
}

// TestUnsupportedFallsBack: an internal version (ObjectMeta without a
// json tag) is a shape the renderer leaves to lister-gen.
func TestUnsupportedFallsBack(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a project")
	}
	dir := rendertest.Example(t)
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
	p := rendertest.Load(t, dir)
	inputs, _, err := p.Tree.ClientInputs()
	if err != nil {
		t.Fatal(err)
	}
	_, err = lister.Render(p.Session, p.Tree, inputs, nil)
	var u *lister.Unsupported
	if !errors.As(err, &u) {
		t.Fatalf("want *lister.Unsupported, got %v", err)
	}
}
