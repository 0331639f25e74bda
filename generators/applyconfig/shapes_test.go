package applyconfig_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/generators/applyconfig"
	"github.com/aggen-dev/aggen/generators/codegen"
	"github.com/aggen-dev/aggen/generators/codegen/rendertest"
	"github.com/aggen-dev/aggen/generators/openapischema"
	"github.com/aggen-dev/aggen/test/upstream"
)

// runOn runs the step on a copy of src (module example.com/shapes), as aggen's own
// renderer (reference false) or as applyconfiguration-gen alone, and
// returns the files and what it said on the progress writer.
func runOn(t *testing.T, src string, reference bool) (map[string][]byte, string) {
	t.Helper()
	dir := t.TempDir()
	if err := upstream.CopyTree(src, dir); err != nil {
		t.Fatal(err)
	}
	module := "example.com/shapes"
	tree, err := codegen.NewTree(dir, module, "pkg/apis")
	if err != nil {
		t.Fatal(err)
	}
	s, err := codegen.NewSession(dir, "", []string{module + "/pkg/apis/..."})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapischema.Generate(s, tree)
	if err != nil {
		t.Fatal(err)
	}
	schema := filepath.Join(t.TempDir(), "schema.json")
	if err := os.WriteFile(schema, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	var progress bytes.Buffer
	if err := applyconfig.Run(s, tree, schema, reference, &progress); err != nil {
		t.Fatal(err)
	}
	files, err := s.Files()
	if err != nil {
		t.Fatal(err)
	}
	return files, progress.String()
}

// TestShapes: the shapes of testdata/shapes (comments gofmt reformats,
// pointers to lists, maps of apply configurations, inlined and embedded
// structs, shadowed fields, client-go's apply configurations,
// cluster-scoped kinds, subresources, noStatus) are rendered by aggen,
// byte for byte as applyconfiguration-gen writes them.
func TestShapes(t *testing.T) {
	if testing.Short() {
		t.Skip("loads packages twice")
	}
	want, _ := runOn(t, "testdata/shapes", true)
	got, progress := runOn(t, "testdata/shapes", false)
	if progress != "" {
		t.Fatalf("fell back to upstream: %s", progress)
	}
	if len(want) < 8 {
		t.Fatalf("only %d files", len(want))
	}
	compare(t, want, got)
}

// TestFallback: a shape aggen's renderer does not support leaves every
// file to applyconfiguration-gen, which says so on the progress writer.
func TestFallback(t *testing.T) {
	if testing.Short() {
		t.Skip("loads packages twice")
	}
	for name, field := range map[string]string{
		// gofmt removes a doc comment with no text at all.
		"empty comment": "\t// +optional\n\t//\n\t// +listType=atomic\n\tOdd string `json:\"odd,omitempty\"`\n",
		// gofmt spaces an anonymous struct differently.
		"anonymous struct": "\tAnon struct{ A string `json:\"a\"` } `json:\"anon,omitempty\"`\n",
	} {
		t.Run(name, func(t *testing.T) {
			src := t.TempDir()
			if err := upstream.CopyTree("testdata/shapes", src); err != nil {
				t.Fatal(err)
			}
			types := filepath.Join(src, "pkg/apis/shapes/v1/types.go")
			b, err := os.ReadFile(types)
			if err != nil {
				t.Fatal(err)
			}
			anchor := "type GadgetSpec struct {\n"
			if !bytes.Contains(b, []byte(anchor)) {
				t.Fatal("testdata/shapes changed")
			}
			b = bytes.Replace(b, []byte(anchor), []byte(anchor+field), 1)
			if err := os.WriteFile(types, b, 0o644); err != nil {
				t.Fatal(err)
			}
			want, _ := runOn(t, src, true)
			got, progress := runOn(t, src, false)
			if !strings.Contains(progress, applyconfig.Name+": rendered by upstream") {
				t.Errorf("no fallback reported; progress: %q", progress)
			}
			compare(t, want, got)
		})
	}
}

func compare(t *testing.T, want, got map[string][]byte) {
	t.Helper()
	for p, w := range want {
		if g, ok := got[p]; !ok {
			t.Errorf("%s: missing", p)
		} else if !bytes.Equal(g, w) {
			t.Errorf("%s differs:\n%s", p, rendertest.LineDiff("applyconfiguration-gen", string(w), string(g)))
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: not written by applyconfiguration-gen", p)
		}
	}
}
