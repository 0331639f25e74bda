package clientset

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/generators/codegen"
	"github.com/aggen-dev/aggen/generators/codegen/rendertest"
	"github.com/aggen-dev/aggen/test/upstream"
)

// generate runs the clientset step on a copy of the project at src, as
// generate does, and returns the clientset files and whether aggen's
// renderer wrote them.
func generate(t *testing.T, src, module string, reference bool, extra map[string]string) (map[string][]byte, bool) {
	t.Helper()
	dir := t.TempDir()
	if err := upstream.CopyTree(src, dir); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, filepath.FromSlash(OutputDir))); err != nil {
		t.Fatal(err)
	}
	for rel, src := range extra {
		// Files the case adds to the copy: a kind's hand-written
		// expansion, say, in place of the empty one
		// generated_expansion.go would declare.
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tree, err := codegen.NewTree(dir, module, "pkg/apis")
	if err != nil {
		t.Fatal(err)
	}
	header := filepath.Join(dir, "hack", "boilerplate.go.txt")
	if _, err := os.Stat(header); err != nil {
		header = ""
	}
	s, err := codegen.NewSession(dir, header, []string{module + "/pkg/apis/..."})
	if err != nil {
		t.Fatal(err)
	}
	own, err := run(s, tree, map[string]string{"Goose": "geese"}, reference)
	if err != nil {
		t.Fatal(err)
	}
	files, err := s.Files()
	if err != nil {
		t.Fatal(err)
	}
	return files, own
}

// TestRendererMatchesClientGen renders the example and a synthetic
// project of several groups (every +genclient variant, +genclient:method
// with inputs and results of other packages, +groupGoName, +resourceName)
// with aggen's renderer and with client-gen: the renderer must not fall
// back, and every file must be client-gen's byte for byte.
func TestRendererMatchesClientGen(t *testing.T) {
	if testing.Short() {
		t.Skip("loads packages")
	}
	for name, p := range map[string]struct {
		dir, module string
		expansions  map[string]string
	}{
		"insects": {dir: "../../examples/insects", module: "github.com/aggen-dev/aggen/examples/insects"},
		// No boilerplate, and one kind with its own expansion.
		"multi": {dir: "testdata/multi", module: "example.com/multi", expansions: map[string]string{
			OutputDir + "/versioned/typed/fish/v1/reef_expansion.go": "package v1\n\ntype ReefExpansion interface{}\n",
		}},
	} {
		t.Run(name, func(t *testing.T) {
			got, own := generate(t, p.dir, p.module, false, p.expansions)
			if !own {
				t.Fatal("aggen's renderer fell back to client-gen")
			}
			want, _ := generate(t, p.dir, p.module, true, p.expansions)
			if len(want) < 10 {
				t.Fatalf("client-gen wrote only %d files", len(want))
			}
			var paths []string
			for p := range want {
				paths = append(paths, p)
			}
			for p := range got {
				if _, ok := want[p]; !ok {
					paths = append(paths, p)
				}
			}
			sort.Strings(paths)
			if name == "multi" {
				// The shapes the fixture is for reached the output.
				typed := "pkg/generated/clientset/versioned/typed/"
				for p, s := range map[string]string{
					typed + "fish/v1/salmon.go":                 "ApplyScale(ctx context.Context, salmonName string, scale *applyconfigurationautoscalingv1.ScaleApplyConfiguration",
					typed + "fish/v1/fake/fake_lake.go":         `"lakes-of-the-world"`,
					typed + "birds/v1alpha1/birds_client.go":    "type AvianV1alpha1Client struct",
					typed + "birds/v1alpha1/fake/fake_goose.go": `WithResource("geese")`,
					typed + "fish/v1/fake/fake_pond.go":         "gentype.NewFakeClient[*v1.Pond]",
				} {
					if !strings.Contains(string(got[p]), s) {
						t.Errorf("%s lacks %q", p, s)
					}
				}
			}
			for _, p := range paths {
				w, g := string(want[p]), string(got[p])
				if w != g {
					t.Errorf("%s differs:\n%s", p, rendertest.LineDiff("client-gen", w, g))
				}
			}
		})
	}
}

// TestUnsupportedFallsBack gives the renderer a shape it declines (the
// clientset's scheme extended by a hand-written register_custom.go):
// client-gen must write the clientset, as it would have written it.
func TestUnsupportedFallsBack(t *testing.T) {
	if testing.Short() {
		t.Skip("loads packages")
	}
	custom := OutputDir + "/versioned/scheme/register_custom.go"
	extra := map[string]string{custom: "package scheme\n\nvar ExtraAddToScheme = AddToScheme\n"}
	got, own := generate(t, "testdata/multi", "example.com/multi", false, extra)
	if own {
		t.Fatal("the renderer wrote a shape it does not support")
	}
	want, _ := generate(t, "testdata/multi", "example.com/multi", true, extra)
	if len(got) != len(want) {
		t.Fatalf("%d files, client-gen writes %d", len(got), len(want))
	}
	for p, w := range want {
		if string(got[p]) != string(w) {
			t.Errorf("%s differs from client-gen's", p)
		}
	}
	if !strings.Contains(string(got[OutputDir+"/versioned/scheme/register.go"]), "ExtraAddToScheme,") {
		t.Error("client-gen did not write the custom registration")
	}
}

// TestRendererOnCorpora: on projects nobody at aggen wrote (the corpora of
// test/corpus: k8s.io/api copies, Gateway API, lws, JobSet, Flux) the
// renderer writes the clientset without falling back, byte for byte
// client-gen's.
func TestRendererOnCorpora(t *testing.T) {
	if testing.Short() {
		t.Skip("loads several projects")
	}
	for name, mk := range rendertest.Projects(t) {
		t.Run(name, func(t *testing.T) {
			dir := mk(t)
			files := func(reference bool) map[string][]byte {
				p := rendertest.Load(t, dir)
				own, err := run(p.Session, p.Tree, nil, reference)
				if err != nil {
					t.Fatal(err)
				}
				if !reference && !own {
					t.Fatal("aggen's renderer fell back to client-gen")
				}
				out, err := p.Session.Files()
				if err != nil {
					t.Fatal(err)
				}
				return out
			}
			rendertest.Compare(t, "client-gen", OutputDir, files(true), files(false))
		})
	}
}
