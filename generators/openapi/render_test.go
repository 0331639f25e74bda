package openapi_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/generators/codegen"
	"github.com/aggen-dev/aggen/generators/codegen/rendertest"
	"github.com/aggen-dev/aggen/generators/openapi"
	"github.com/aggen-dev/aggen/test/upstream"
)

// renderAndCompare renders the definitions of the project at dir, which
// must not fall back, and compares them byte for byte with openapi-gen's
// on the same parse.
func renderAndCompare(t *testing.T, dir string, wantFile bool) {
	t.Helper()
	p := load(t, dir)
	module, err := upstream.ModulePath(dir)
	if err != nil {
		t.Fatal(err)
	}
	u, err := p.Session.Universe()
	if err != nil {
		t.Fatal(err)
	}
	reach := openapi.FindReach(u, module, module+"/pkg/apis")
	if err := p.Session.Include(reach.Packages...); err != nil {
		t.Fatal(err)
	}
	rel, got, err := openapi.Render(p.Session, p.Tree, reach)
	if err != nil {
		t.Fatalf("the renderer falls back: %v", err)
	}
	if rel == "" && !wantFile {
		return
	}
	if rel != openapi.OutputDir+"/"+openapi.OutputFile {
		t.Errorf("rendered %s", rel)
	}
	res, err := openapi.Run(p.Session, p.Tree, reach, true)
	if err != nil {
		t.Fatal(err)
	}
	if res.Fallback != nil {
		t.Errorf("reference run reports a fallback: %v", res.Fallback)
	}
	files, err := p.Session.Files()
	if err != nil {
		t.Fatal(err)
	}
	want, ok := files[rel]
	if !ok {
		t.Fatalf("openapi-gen wrote no %s", rel)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from openapi-gen's:\n%s", rel, rendertest.LineDiff(openapi.Name, string(want), string(got)))
	}
}

// load parses the project at dir as generate does: its API packages and
// openapi-gen's library inputs.
func load(t *testing.T, dir string) rendertest.Project {
	t.Helper()
	module, err := upstream.ModulePath(dir)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := codegen.NewTree(dir, module, "pkg/apis")
	if err != nil {
		t.Fatal(err)
	}
	patterns := append([]string{module + "/pkg/apis/..."}, openapi.LibraryInputs...)
	s, err := codegen.NewSession(dir, filepath.Join(dir, "hack", "boilerplate.go.txt"), patterns)
	if err != nil {
		t.Fatal(err)
	}
	return rendertest.Project{Session: s, Tree: tree}
}

// TestRenderExample: the example project's definitions, with no fallback,
// byte for byte as openapi-gen writes them.
func TestRenderExample(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the example's packages")
	}
	renderAndCompare(t, rendertest.Example(t), true)
}

// TestRenderCorpora renders the corpora (copies of k8s.io/api groups,
// Gateway API, lws, JobSet, Flux), none of them written at aggen: every
// file rendered must be openapi-gen's, and none may fall back but those
// of fallbacks, for the reason given there.
func TestRenderCorpora(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the corpora")
	}
	for name, mk := range rendertest.Projects(t) {
		if name == "example" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			renderAndCompare(t, mk(t), name != "lws" && name != "flux")
		})
	}
}

// TestRenderBench: a project shaped as the benchmark's (test/bench: three
// groups, model-named and legacy-named, *int32 with +default, maps of
// strings, condition lists as maps, TypeMeta/ObjectMeta/ListMeta) with
// a file of every other field shape openapi-gen knows (enums, value
// validations, defaults of each kind, extensions, unions, inlining,
// opted-out fields and types, private types, nested maps and lists).
func TestRenderBench(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a project's packages")
	}
	renderAndCompare(t, rendertest.Fixture(t, "testdata/bench"), true)
}

// TestRunExample: generate's own path (Run without reference) renders the
// example's definitions itself, the file Render returns, and adds it to
// the session alongside openapi-gen's model names.
func TestRunExample(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the example's packages")
	}
	p := load(t, rendertest.Example(t))
	rel, want, err := openapi.Render(p.Session, p.Tree, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := openapi.Run(p.Session, p.Tree, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Fallback != nil {
		t.Fatalf("fell back: %v", res.Fallback)
	}
	files, err := p.Session.Files()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(files[rel], want) {
		t.Errorf("Run wrote a different %s from Render's", rel)
	}
	models := 0
	for p := range files {
		if strings.HasSuffix(p, "/zz_generated.model_name.go") {
			models++
		}
	}
	if models == 0 {
		t.Errorf("no model names written")
	}
	// openapi-gen's API rule checks still run, on the same types.
	q := load(t, rendertest.Example(t))
	ref, err := openapi.Run(q.Session, q.Tree, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(ref.Violations) == 0 || strings.Join(ref.Violations, "\n") != strings.Join(res.Violations, "\n") {
		t.Errorf("violations %d, want openapi-gen's %d", len(res.Violations), len(ref.Violations))
	}
}

// TestFallback: a default the renderer does not write itself (a JSON
// object) makes it return an UnsupportedError naming the type, and Run
// leave the file to openapi-gen, which writes what it writes with
// reference set.
func TestFallback(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a project's packages twice")
	}
	dir := rendertest.Fixture(t, "testdata/fallback")
	p := load(t, dir)
	_, _, err := openapi.Render(p.Session, p.Tree, nil)
	var ue *openapi.UnsupportedError
	if !errors.As(err, &ue) || !strings.HasSuffix(ue.Type, "/pkg/apis/g/v1.Thing") {
		t.Fatalf("Render: %v, want an UnsupportedError on type Thing", err)
	}
	run := func(reference bool) (map[string][]byte, *openapi.Result) {
		p := load(t, dir)
		res, err := openapi.Run(p.Session, p.Tree, nil, reference)
		if err != nil {
			t.Fatal(err)
		}
		files, err := p.Session.Files()
		if err != nil {
			t.Fatal(err)
		}
		return files, res
	}
	want, _ := run(true)
	got, res := run(false)
	if res.Fallback == nil {
		t.Errorf("Run reports no fallback")
	}
	rel := openapi.OutputDir + "/" + openapi.OutputFile
	if len(want[rel]) == 0 || !bytes.Equal(want[rel], got[rel]) {
		t.Errorf("%s differs from openapi-gen's:\n%s", rel, rendertest.LineDiff(openapi.Name, string(want[rel]), string(got[rel])))
	}
}
