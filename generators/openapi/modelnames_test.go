package openapi_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/generators/codegen/rendertest"
	"github.com/aggen-dev/aggen/generators/openapi"
	"github.com/aggen-dev/aggen/test/upstream"
)

// TestModelNames: Run writes every package's model names itself, with no
// fallback, byte for byte as openapi-gen writes them (Run with reference)
// on the same project: the example, the bench-shaped fixture (model-named
// and legacy-named groups) and the corpora.
func TestModelNames(t *testing.T) {
	if testing.Short() {
		t.Skip("loads projects' packages twice each")
	}
	projects := rendertest.Projects(t)
	projects["bench"] = func(t *testing.T) string { return rendertest.Fixture(t, "testdata/bench") }
	for name, mk := range projects {
		t.Run(name, func(t *testing.T) {
			dir := mk(t)
			run := func(reference bool) (map[string][]byte, *openapi.Result) {
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
				res, err := openapi.Run(p.Session, p.Tree, reach, reference)
				if err != nil {
					t.Fatal(err)
				}
				files, err := p.Session.Files()
				if err != nil {
					t.Fatal(err)
				}
				names := map[string][]byte{}
				for rel, b := range files {
					if strings.HasSuffix(rel, "/zz_generated.model_name.go") {
						names[rel] = b
					}
				}
				return names, res
			}
			got, res := run(false)
			for _, err := range res.ModelNameFallback {
				t.Errorf("fell back: %v", err)
			}
			want, _ := run(true)
			for rel, w := range want {
				if g, ok := got[rel]; !ok {
					t.Errorf("%s: not written", rel)
				} else if !bytes.Equal(g, w) {
					t.Errorf("%s differs from openapi-gen's:\n%s", rel, rendertest.LineDiff(openapi.Name, string(w), string(g)))
				}
			}
			for rel := range got {
				if _, ok := want[rel]; !ok {
					t.Errorf("%s: written, openapi-gen writes none", rel)
				}
			}
			if name == "example" && len(want) == 0 {
				t.Error("no model names in the example")
			}
			t.Logf("%d model name files", len(want))
		})
	}
}
