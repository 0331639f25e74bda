package deepcopy_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/generators/codegen"
	"github.com/aggen-dev/aggen/generators/codegen/rendertest"
	"github.com/aggen-dev/aggen/generators/deepcopy"
	"github.com/aggen-dev/aggen/test/upstream"
)

const exampleModule = "github.com/aggen-dev/aggen/examples/insects"

// TestRenderExample renders the example project's deep copies with no
// fallback and byte for byte as the upstream deepcopy-gen writes them on
// the same parse.
func TestRenderExample(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the example's packages")
	}
	dir := t.TempDir()
	if err := upstream.CopyTree("../../examples/insects", dir); err != nil {
		t.Fatal(err)
	}
	if err := upstream.Prune(dir); err != nil {
		t.Fatal(err)
	}
	renderAndCompare(t, dir, 3)
}

// TestRenderSynthetic does the same on a multi-group project written for
// the shapes deepcopy-gen handles: an internal version beside versioned
// packages, type-level opt-in and opt-out, named slices and maps, maps of
// slices, pointers and structs, pointers to slices, maps and pointers,
// embedded structs, hand-written DeepCopy and DeepCopyInto, interfaces
// (pointer and non-pointer receivers), foreign types with and without
// copy methods, the standard library, and three packages named v1.
func TestRenderSynthetic(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a project's packages")
	}
	dir := rendertest.Fixture(t, "testdata/synthetic")
	renderAndCompare(t, dir, 4)
}

// TestRenderKubernetesAPIs renders packages nobody at aggen wrote, of the
// versions aggen depends on, copied under a project's pkg/apis with their
// imports of each other rewritten: all of k8s.io/api (the shapes
// extension APIs copy), apiextensions' API (hand-written deep copies,
// JSON values), and apimachinery's meta/v1, runtime, watch, resource and
// labels (type-level opt-in, interfaces, copy methods of every kind). No
// package may fall back, and every file must be deepcopy-gen's.
func TestRenderKubernetesAPIs(t *testing.T) {
	if testing.Short() {
		t.Skip("loads all of k8s.io/api")
	}
	dir := rendertest.Fixture(t, "testdata/empty")
	type source struct{ module, under, to, rewrite string }
	sources := []source{
		{"k8s.io/api", "", "", "k8s.io/api/"},
		{"k8s.io/apiextensions-apiserver", "pkg/apis", "", "k8s.io/apiextensions-apiserver/pkg/apis/"},
		{"k8s.io/apimachinery", "pkg/apis/meta/v1", "meta/v1", ""},
		{"k8s.io/apimachinery", "pkg/runtime", "runtime", ""},
		{"k8s.io/apimachinery", "pkg/watch", "watch", ""},
		{"k8s.io/apimachinery", "pkg/api/resource", "resource", ""},
		{"k8s.io/apimachinery", "pkg/labels", "labels", ""},
	}
	tagged := map[string]bool{}
	for _, src := range sources {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", src.module).Output()
		if err != nil {
			t.Fatalf("locating %s: %v", src.module, err)
		}
		root := filepath.Join(strings.TrimSpace(string(out)), src.under)
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				// Only the packages themselves, not their subpackages,
				// unless the whole tree is copied.
				if src.rewrite == "" && p != root {
					return fs.SkipDir
				}
				return nil
			}
			name := d.Name()
			if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || strings.HasPrefix(name, "zz_generated") ||
				strings.HasPrefix(name, "generated.") || strings.HasSuffix(name, "_generated.go") {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			rel = filepath.Join(src.to, rel)
			if strings.Contains(string(b), "+k8s:deepcopy-gen=") {
				tagged[filepath.Dir(rel)] = true
			}
			if src.rewrite != "" {
				b = []byte(strings.ReplaceAll(string(b), `"`+src.rewrite, `"`+exampleModule+`/pkg/apis/`))
			}
			to := filepath.Join(dir, "pkg", "apis", rel)
			if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
				return err
			}
			return os.WriteFile(to, b, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(tagged) < 60 {
		t.Fatalf("only %d packages tagged +k8s:deepcopy-gen=", len(tagged))
	}
	renderAndCompare(t, dir, -1)
}

// TestFallback: a package with a shape the renderer does not know goes to
// the upstream generator, the others do not, and the files are the same
// as upstream's for all.
func TestFallback(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a project's packages twice")
	}
	dir := rendertest.Fixture(t, "testdata/fallback")
	files := func(reference bool) map[string][]byte {
		tree, s := session(t, dir)
		if err := deepcopy.Run(s, tree, reference); err != nil {
			t.Fatal(err)
		}
		out, err := s.Files()
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	tree, s := session(t, dir)
	r, err := deepcopy.Render(s, tree)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Fallback) != 1 || r.Fallback[0].Package != exampleModule+"/pkg/apis/g/v1" {
		t.Errorf("fallback %v, want pkg/apis/g/v1 alone", r.Fallback)
	}
	if len(r.Files) != 1 || r.Files["pkg/apis/g/v2/zz_generated.deepcopy.go"] == nil {
		t.Errorf("rendered %d files, want pkg/apis/g/v2's", len(r.Files))
	}
	want, got := files(true), files(false)
	if len(want) != 2 {
		t.Errorf("upstream wrote %d files, want 2", len(want))
	}
	for p := range want {
		if string(got[p]) != string(want[p]) {
			t.Errorf("%s differs from deepcopy-gen's:\n%s", p, rendertest.LineDiff("deepcopy-gen", string(want[p]), string(got[p])))
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s written, not by deepcopy-gen", p)
		}
	}
}

func session(t *testing.T, dir string) (codegen.Tree, *codegen.Session) {
	t.Helper()
	tree, err := codegen.NewTree(dir, exampleModule, "pkg/apis")
	if err != nil {
		t.Fatal(err)
	}
	s, err := codegen.NewSession(dir, filepath.Join(dir, "hack", "boilerplate.go.txt"), []string{exampleModule + "/pkg/apis/..."})
	if err != nil {
		t.Fatal(err)
	}
	return tree, s
}

// renderAndCompare renders dir's deep copies, wantFiles of them unless
// negative, with no fallback, and compares them with deepcopy-gen's.
func renderAndCompare(t *testing.T, dir string, wantFiles int) {
	t.Helper()
	tree, s := session(t, dir)
	r, err := deepcopy.Render(s, tree)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Fallback {
		t.Errorf("fell back to upstream: %v", f)
	}
	if wantFiles >= 0 && len(r.Files) != wantFiles {
		t.Errorf("rendered %d files, want %d", len(r.Files), wantFiles)
	}
	// Upstream on the same parse, into the session.
	if err := deepcopy.Run(s, tree, true); err != nil {
		t.Fatal(err)
	}
	want, err := s.Files()
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for p := range want {
		paths = append(paths, p)
	}
	for p := range r.Files {
		if _, ok := want[p]; !ok {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		w, g := string(want[p]), string(r.Files[p])
		if w != g {
			t.Errorf("%s differs from deepcopy-gen's:\n%s", p, rendertest.LineDiff("deepcopy-gen", w, g))
		}
	}
}
