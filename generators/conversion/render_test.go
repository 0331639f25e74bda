package conversion_test

import (
	"path"
	"path/filepath"
	"sort"
	"testing"

	"github.com/aggen-dev/aggen/generators"
	"github.com/aggen-dev/aggen/generators/codegen"
	"github.com/aggen-dev/aggen/generators/codegen/rendertest"
	"github.com/aggen-dev/aggen/generators/conversion"
	"github.com/aggen-dev/aggen/scaffold"
	"github.com/aggen-dev/aggen/test/staged"
	"github.com/aggen-dev/aggen/test/upstream"
)

const exampleModule = "github.com/aggen-dev/aggen/examples/insects"

// TestRenderExample renders the example project's conversions with no
// fallback and byte for byte as the upstream conversion-gen writes them
// on the same parse (url.Values conversions, unsafe copies of identical
// structs and lists, metav1's hand-written conversions).
func TestRenderExample(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the example's packages")
	}
	renderAndCompare(t, rendertest.Example(t), 2)
}

// TestRenderBench does the same on the shape of the 200-kind benchmark
// project (test/bench): two groups, internal hubs, one group with two
// versions converted to its hub.
func TestRenderBench(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a project's packages")
	}
	renderAndCompare(t, rendertest.Fixture(t, "testdata/bench"), 3)
}

// TestRenderSynthetic does the same on a version whose types differ from
// the hub's: fields missing on one side, opted out, of other builtin
// types, named strings, lists, maps and pointers of types that differ,
// metav1.Time, and a hand-written conversion function.
func TestRenderSynthetic(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a project's packages")
	}
	renderAndCompare(t, rendertest.Fixture(t, "testdata/synthetic"), 1)
}

// TestFallback: a package with a shape the renderer does not know goes to
// the upstream generator, the others do not, and the files are the same
// as upstream's for all.
func TestFallback(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a project's packages three times")
	}
	dir := rendertest.Fixture(t, "testdata/fallback")
	files := func(reference bool) map[string][]byte {
		tree, s := session(t, dir)
		if err := conversion.Run(s, tree, reference); err != nil {
			t.Fatal(err)
		}
		out, err := s.Files()
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	tree, s := session(t, dir)
	r, err := conversion.Render(s, tree)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Fallback) != 1 || r.Fallback[0].Package != exampleModule+"/pkg/apis/g/v1" {
		t.Errorf("fallback %v, want pkg/apis/g/v1 alone", r.Fallback)
	}
	if len(r.Files) != 1 || r.Files["pkg/apis/g/v2/zz_generated.conversion.go"] == nil {
		t.Errorf("rendered %d files, want pkg/apis/g/v2's", len(r.Files))
	}
	want, got := files(true), files(false)
	if len(want) != 2 {
		t.Errorf("upstream wrote %d files, want 2", len(want))
	}
	for p := range want {
		if string(got[p]) != string(want[p]) {
			t.Errorf("%s differs from conversion-gen's:\n%s", p, rendertest.LineDiff(conversion.Name, string(want[p]), string(got[p])))
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s written, not by conversion-gen", p)
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

// renderAndCompare renders dir's conversions, wantFiles of them, with no
// fallback, and compares them with conversion-gen's on the same parse.
func renderAndCompare(t *testing.T, dir string, wantFiles int) {
	t.Helper()
	tree, s := session(t, dir)
	r, err := conversion.Render(s, tree)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Fallback {
		t.Errorf("fell back to upstream: %v", f)
	}
	if len(r.Files) != wantFiles {
		t.Errorf("rendered %d files, want %d", len(r.Files), wantFiles)
	}
	if err := conversion.Run(s, tree, true); err != nil {
		t.Fatal(err)
	}
	want, err := s.Files()
	if err != nil {
		t.Fatal(err)
	}
	paths := map[string]bool{}
	for p := range want {
		paths[p] = true
	}
	for p := range r.Files {
		paths[p] = true
	}
	sorted := make([]string, 0, len(paths))
	for p := range paths {
		sorted = append(sorted, p)
	}
	sort.Strings(sorted)
	for _, p := range sorted {
		w, g := string(want[p]), string(r.Files[p])
		if w != g {
			t.Errorf("%s differs from conversion-gen's:\n%s", p, rendertest.LineDiff(conversion.Name, w, g))
		}
	}
}

// TestRenderCorpora renders the conversions of the example and the
// corpora (copies of k8s.io/api groups, Gateway API, lws, JobSet, Flux)
// on the staged copy aggen generates them from (with its internal hub
// types and implied tags), generated first with the upstream generators
// (Options.Reference): no package may fall back, and every file must be
// conversion-gen's from that run.
func TestRenderCorpora(t *testing.T) {
	if testing.Short() {
		t.Skip("generates several projects")
	}
	for name, mk := range rendertest.Projects(t) {
		t.Run(name, func(t *testing.T) {
			dir := mk(t)
			if err := upstream.Prune(dir); err != nil {
				t.Fatal(err)
			}
			res, stage := staged.Generate(t, dir, generators.Options{Generators: scaffold.Generators(), Reference: true})
			want := map[string][]byte{}
			for _, f := range res.Files.Files() {
				if path.Base(f.Path) == conversion.OutputFile {
					want[f.Path] = f.Data
				}
			}
			if len(want) == 0 {
				t.Fatal("conversion-gen wrote no file")
			}
			p := rendertest.Load(t, stage)
			r, err := conversion.Render(p.Session, p.Tree)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range r.Fallback {
				t.Errorf("fell back to upstream: %v", f)
			}
			for rel, w := range want {
				if g, ok := r.Files[rel]; !ok {
					t.Errorf("%s: not rendered", rel)
				} else if string(g) != string(w) {
					t.Errorf("%s differs from conversion-gen's:\n%s", rel, rendertest.LineDiff(conversion.Name, string(w), string(g)))
				}
			}
			for rel := range r.Files {
				if _, ok := want[rel]; !ok {
					t.Errorf("%s: rendered, not written by conversion-gen", rel)
				}
			}
		})
	}
}
