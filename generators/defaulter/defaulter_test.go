package defaulter_test

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/generators/codegen/rendertest"
	"github.com/aggen-dev/aggen/generators/defaulter"
)

// TestRenderExample renders the example project's defaulters with no
// fallback and byte for byte as the upstream defaulter-gen writes them
// on the same parse.
func TestRenderExample(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the example's packages")
	}
	renderAndCompare(t, rendertest.Example(t), 2)
}

// TestRenderBench does the same on packages shaped as the 200-kind
// benchmark project's (test/bench): two groups, three versions, kinds with
// a +default on a *int32 and lists of them.
func TestRenderBench(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a project's packages")
	}
	renderAndCompare(t, rendertest.Fixture(t, "testdata/bench"), 3)
}

// TestRenderSynthetic does the same on a project written for the shapes
// defaulter-gen handles: hand-written SetDefaults_ functions (base,
// covering, additional, in another package), object defaulters calling
// each other, +default values on pointers, aliases, slices, maps and
// structs, embedded structs, recursive types, opt-in and opt-out tags,
// imports named apart (three packages named v1), and a tagged package
// with nothing to default.
func TestRenderSynthetic(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a project's packages")
	}
	renderAndCompare(t, rendertest.Fixture(t, "testdata/synthetic"), 4)
}

// TestRenderCorpora renders the corpora nobody at aggen wrote, their
// version packages tagged as aggen stages them: no package may fall back
// (core/v1's +default=ref(...) is reached from every PodTemplateSpec),
// and every file must be defaulter-gen's.
func TestRenderCorpora(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the corpora")
	}
	projects := rendertest.Projects(t)
	names := make([]string, 0, len(projects))
	for name := range projects {
		if name != "example" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			dir := projects[name](t)
			tagVersions(t, dir)
			renderAndCompare(t, dir, -1)
		})
	}
}

// TestRenderUpstreamOutputTests renders the packages defaulter-gen's own
// output tests generate for (k8s.io/code-generator's
// cmd/defaulter-gen/output_tests, from the module cache: +default on every
// shape, references to constants of other packages, hand-written
// defaulters), copied under a project's pkg/apis with their imports of
// each other rewritten. No package may fall back, and every file must be
// defaulter-gen's.
func TestRenderUpstreamOutputTests(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a project's packages")
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "k8s.io/code-generator").Output()
	if err != nil {
		t.Fatalf("locating k8s.io/code-generator: %v", err)
	}
	const from = "k8s.io/code-generator/cmd/defaulter-gen/output_tests"
	root := filepath.Join(strings.TrimSpace(string(out)), "cmd", "defaulter-gen", "output_tests")
	dir := rendertest.Fixture(t, "testdata/empty")
	const to = "github.com/aggen-dev/aggen/examples/insects/pkg/apis/defaulter"
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := d.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || strings.HasPrefix(name, "zz_generated") || p == filepath.Join(root, "generate.go") {
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
		target := filepath.Join(dir, "pkg", "apis", "defaulter", rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, []byte(strings.ReplaceAll(string(b), from, to)), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	renderAndCompare(t, dir, 5)
}

// TestFallback: a package with a shape the renderer does not reproduce
// (a +default literal gofmt would keep but that reads differently in Go
// and JSON) goes to defaulter-gen, the other does not, and Run writes the
// same files as defaulter-gen alone.
func TestFallback(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a project's packages three times")
	}
	dir := rendertest.ExampleWith(t, "pkg/apis/insects/v1beta1/bee_types.go", "// +default=1\n", "// +default=1e3\n")
	p := rendertest.Load(t, dir)
	r, err := defaulter.Render(p.Session, p.Tree)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Fallback) != 1 || !strings.HasSuffix(r.Fallback[0].Package, "/pkg/apis/insects/v1beta1") {
		t.Errorf("fallback %v, want pkg/apis/insects/v1beta1 alone", r.Fallback)
	}
	if len(r.Files) != 1 || r.Files["pkg/apis/insects/v1alpha1/zz_generated.defaults.go"] == nil {
		t.Errorf("rendered %d files, want pkg/apis/insects/v1alpha1's", len(r.Files))
	}
	files := func(reference bool) map[string][]byte {
		p := rendertest.Load(t, dir)
		if err := defaulter.Run(p.Session, p.Tree, reference); err != nil {
			t.Fatal(err)
		}
		out, err := p.Session.Files()
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	want, got := files(true), files(false)
	if len(want) != 2 || !strings.Contains(string(want["pkg/apis/insects/v1beta1/zz_generated.defaults.go"]), "= 1e3") {
		t.Errorf("defaulter-gen wrote %d files, want 2, v1beta1's with the edit", len(want))
	}
	rendertest.Compare(t, "defaulter-gen", "pkg/apis", want, got)
}

// tagVersions gives every version package under pkg/apis the package
// tag aggen's staging implies for defaulter-gen (loader: Version.ImpliedTags).
func tagVersions(t *testing.T, dir string) {
	t.Helper()
	versions := 0
	err := filepath.WalkDir(filepath.Join(dir, "pkg", "apis"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() || !version.MatchString(d.Name()) {
			return err
		}
		doc := filepath.Join(p, "doc.go")
		b, err := os.ReadFile(doc)
		if os.IsNotExist(err) {
			b, err = []byte("package "+d.Name()+"\n"), nil
		}
		if err != nil {
			return err
		}
		text := string(b)
		i := strings.Index(text, "\npackage ")
		if strings.HasPrefix(text, "package ") {
			i = -1
		} else if i < 0 {
			return fmt.Errorf("%s has no package clause", doc)
		}
		versions++
		return os.WriteFile(doc, []byte(text[:i+1]+"// +k8s:defaulter-gen=TypeMeta\n"+text[i+1:]), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if versions == 0 {
		t.Fatal("no version packages")
	}
}

var version = regexp.MustCompile(`^v[0-9]+((alpha|beta)[0-9]+)?$`)

// renderAndCompare renders dir's defaulters, wantFiles of them unless
// negative, with no fallback, and compares them with defaulter-gen's on
// the same parse.
func renderAndCompare(t *testing.T, dir string, wantFiles int) {
	t.Helper()
	p := rendertest.Load(t, dir)
	r, err := defaulter.Render(p.Session, p.Tree)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Fallback {
		t.Errorf("fell back to upstream: %v", f)
	}
	if wantFiles >= 0 && len(r.Files) != wantFiles {
		t.Errorf("rendered %d files, want %d", len(r.Files), wantFiles)
	}
	if err := defaulter.Run(p.Session, p.Tree, true); err != nil {
		t.Fatal(err)
	}
	want, err := p.Session.Files()
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != len(r.Files)+len(r.Fallback) {
		t.Errorf("defaulter-gen wrote %d files, the renderer %d and left %d packages", len(want), len(r.Files), len(r.Fallback))
	}
	paths := make([]string, 0, len(r.Files))
	for p := range r.Files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		w, ok := want[p]
		if !ok {
			t.Errorf("%s: rendered, not written by defaulter-gen", p)
			continue
		}
		if g := string(r.Files[p]); string(w) != g {
			t.Errorf("%s differs from defaulter-gen's:\n%s", p, rendertest.LineDiff("defaulter-gen", string(w), g))
		}
	}
	t.Logf("%d files rendered, %d packages left to defaulter-gen", len(r.Files), len(r.Fallback))
}
