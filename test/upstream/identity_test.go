package upstream_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/aggen-dev/aggen/scaffold"
	"github.com/aggen-dev/aggen/test/upstream"
)

// TestByteIdenticalToKubeCodegen runs kube_codegen.sh (generator binaries
// built from k8s.io/code-generator and cached) and aggen on copies of the
// example, and requires every upstream-generated file to be identical.
// kube_codegen.sh gets the OpenAPI schema aggen builds for apply
// configurations; TestApplyConfigurationsWithModelsSchema checks that
// schema against the one users compile a program to print.
func TestByteIdenticalToKubeCodegen(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the upstream generators")
	}
	example, err := filepath.Abs("../../examples/insects")
	if err != nil {
		t.Fatal(err)
	}
	module, err := upstream.ModulePath(example)
	if err != nil {
		t.Fatal(err)
	}
	tools, err := upstream.FindTools(".")
	if err != nil {
		t.Fatal(err)
	}
	kube := filepath.Join(t.TempDir(), "kube")
	ours := filepath.Join(t.TempDir(), "ours")
	for _, d := range []string{kube, ours} {
		if err := upstream.CopyTree(example, d); err != nil {
			t.Fatal(err)
		}
		if err := upstream.Prune(d); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := scaffold.Generate(scaffold.GenerateOptions{Dir: ours}); err != nil {
		t.Fatal(err)
	}
	// kube_codegen.sh gets the OpenAPI schema aggen builds in process for
	// apply configurations, as --applyconfig-openapi-schema.
	schema := filepath.Join(t.TempDir(), "openapi-schema.json")
	if err := os.WriteFile(schema, schemaOf(t, ours, module), 0o644); err != nil {
		t.Fatal(err)
	}
	// kube_codegen.sh's temporary files go where TMPDIR says, and none may
	// stay behind (its gen_openapi's mktemp used to leave one per run).
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	if err := tools.Run(kube, module, upstream.Schema{File: schema}); err != nil {
		t.Fatal(err)
	}
	if left, err := os.ReadDir(tmp); err != nil || len(left) > 0 {
		var names []string
		for _, e := range left {
			names = append(names, e.Name())
		}
		t.Errorf("kube_codegen.sh left %v in its TMPDIR (%v)", names, err)
	}
	want, err := upstream.Files(kube)
	if err != nil {
		t.Fatal(err)
	}
	got, err := upstream.Files(ours)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 20 {
		t.Fatalf("kube_codegen.sh produced only %d files; the comparison would prove nothing", len(want))
	}
	compareTrees(t, want, got)
}

func compareTrees(t *testing.T, want, got map[string][]byte) {
	t.Helper()
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
	for _, p := range paths {
		w, inWant := want[p]
		g, inGot := got[p]
		switch {
		case !inGot:
			t.Errorf("%s: produced by kube_codegen.sh, not by aggen", p)
		case !inWant:
			t.Errorf("%s: produced by aggen, not by kube_codegen.sh", p)
		case string(w) != string(g):
			diff, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
				A: difflib.SplitLines(string(w)), B: difflib.SplitLines(string(g)),
				FromFile: "kube_codegen.sh/" + p, ToFile: "aggen/" + p, Context: 2,
			})
			lines := strings.Split(diff, "\n")
			if len(lines) > 60 {
				lines = append(lines[:60], "...")
			}
			t.Errorf("%s differs:\n%s", p, strings.Join(lines, "\n"))
		}
	}
	t.Logf("compared %d files", len(paths))
}

func TestMain(m *testing.M) {
	os.Exit(m.Run())
}
