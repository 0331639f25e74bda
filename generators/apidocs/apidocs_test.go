package apidocs_test

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/generators/apidocs"
	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/generators/model"
	"github.com/aggen-dev/aggen/generators/output"
	"github.com/aggen-dev/aggen/generators/server/servertest"
	"github.com/aggen-dev/aggen/test/corpus"
	"github.com/aggen-dev/aggen/test/fixture"
)

var update = flag.Bool("update", false, "rewrite the goldens under testdata")

func render(t *testing.T, p *model.Project) []*output.File {
	t.Helper()
	files, err := apidocs.Generate(nil, p)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func load(t *testing.T, dir string) *model.Project {
	t.Helper()
	p, err := loader.Load(dir)
	if err != nil {
		t.Fatalf("loading %s: %v", dir, err)
	}
	return p
}

// cases are the projects the goldens are made from: this package's own
// and the schema shapes every generator is tested on.
func cases(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, pattern := range []string{"testdata/*.txtar", filepath.Join(fixture.Root(), "testdata", "schema", "*.txtar")} {
		found, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range found {
			out[strings.TrimSuffix(filepath.Base(f), ".txtar")] = f
		}
	}
	if len(out) < 2 {
		t.Fatalf("no cases: %v", out)
	}
	return out
}

func TestGolden(t *testing.T) {
	for name, archive := range cases(t) {
		t.Run(name, func(t *testing.T) {
			p := load(t, fixture.Project(t, archive))
			servertest.Golden(t, filepath.Join("testdata", name), render(t, p), *update)
		})
	}
}

// TestExample renders the committed example's reference and compares it
// with the files the example carries.
func TestExample(t *testing.T) {
	dir := filepath.Join(fixture.Root(), "examples", "insects")
	files := render(t, load(t, dir))
	if len(files) == 0 {
		t.Fatal("the example has no API reference")
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err != nil {
			t.Errorf("%s: %v (run `make examples`)", f.Path, err)
			continue
		}
		if string(b) != string(f.Data) {
			t.Errorf("examples/insects/%s is not what aggen renders (run `make examples`):\n%s", f.Path, servertest.Diff(string(b), string(f.Data)))
		}
	}
}

// markerText is what the reference writes for each validation marker a
// field carries, read off the marker's name, not the schema.
var markerText = map[string]string{
	"kubebuilder:validation:Minimum":       "minimum: ",
	"kubebuilder:validation:Maximum":       "maximum: ",
	"kubebuilder:validation:MultipleOf":    "multiple of: ",
	"kubebuilder:validation:MinLength":     "min length: ",
	"kubebuilder:validation:MaxLength":     "max length: ",
	"kubebuilder:validation:Pattern":       "pattern: ",
	"kubebuilder:validation:Enum":          "one of: ",
	"kubebuilder:validation:Format":        "format: ",
	"kubebuilder:validation:MinItems":      "min items: ",
	"kubebuilder:validation:MaxItems":      "max items: ",
	"kubebuilder:validation:UniqueItems":   "unique items",
	"kubebuilder:validation:MinProperties": "min properties: ",
	"kubebuilder:validation:MaxProperties": "max properties: ",
	"kubebuilder:validation:XValidation":   "rule: ",
	"kubebuilder:validation:items:Pattern": "items: pattern: ",
	"listType":                             "list type: ",
	"mapType":                              "map type: ",
	"nullable":                             "nullable",
}

// TestEveryFieldWithItsMarkers checks, on every case and the example,
// that each version's page has a row for every field of every struct its
// kinds reach in the package, and that the row shows each validation
// marker the field carries and its default.
func TestEveryFieldWithItsMarkers(t *testing.T) {
	dirs := map[string]string{"example": filepath.Join(fixture.Root(), "examples", "insects")}
	for name, archive := range cases(t) {
		dirs[name] = archive
	}
	for name, dir := range dirs {
		t.Run(name, func(t *testing.T) {
			if strings.HasSuffix(dir, ".txtar") {
				dir = fixture.Project(t, dir)
			}
			p := load(t, dir)
			checkFields(t, p, render(t, p))
		})
	}
}

// TestCorpora renders the reference of API packages nobody at aggen wrote
// (k8s.io/api groups, Gateway API, the Prometheus operator, from the Go
// module proxy) and checks it as the cases are checked.
func TestCorpora(t *testing.T) {
	if testing.Short() {
		t.Skip("downloads modules and loads packages from source")
	}
	for _, name := range []string{"gatewayapi", "k8sapi", "prometheus"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := corpus.Assemble(fixture.Root(), dir, corpus.Corpora[name]); err != nil {
				t.Fatal(err)
			}
			p := load(t, dir)
			files := render(t, p)
			checkFields(t, p, files)
			checkTables(t, files)
		})
	}
}

// checkFields checks that each version's page has a section for every
// type its kinds reach in the package and a row for each of their fields,
// that shows the field's default and every validation marker it carries
// (unless its own type enforces the same, which the type's section says).
func checkFields(t *testing.T, p *model.Project, rendered []*output.File) {
	t.Helper()
	files := map[string]string{}
	for _, f := range rendered {
		files[f.Path] = string(f.Data)
	}
	checked := 0
	for _, g := range p.Groups {
		for _, v := range g.Versions {
			page := apidocs.PagePath(g, v)
			doc := files[page]
			if doc == "" {
				t.Fatalf("no page for %s/%s", g.Name, v.Name)
			}
			seen := map[*model.Type]bool{}
			var walk func(*model.Type)
			walk = func(ty *model.Type) {
				if ty == nil || seen[ty] || ty.Package != v.Package {
					return
				}
				seen[ty] = true
				if ty.Kind == model.StructType && !strings.Contains(doc, "\n### "+ty.Name+"\n") {
					t.Errorf("%s: no section for %s", page, ty.Name)
				}
				for _, f := range ty.Fields {
					walk(elem(f.Ref))
					if f.JSONName == "" || f.Inline || f.JSONTag == "-" {
						continue
					}
					row := regexp.MustCompile(`(?m)^\| `+"`"+regexp.QuoteMeta(f.JSONName)+"`"+` \|.*$`).FindAllString(doc, -1)
					if len(row) == 0 {
						t.Errorf("%s: %s.%s has no row", page, ty.Name, f.JSONName)
						continue
					}
					all := strings.Join(row, "\n")
					checked++
					var typeMarkers []*model.Marker
					if e := elem(f.Ref); e != nil {
						typeMarkers = e.Parsed
					}
					for _, m := range f.Parsed {
						if want, ok := markerText[m.Name]; ok && !strings.Contains(all, want) && model.Find(typeMarkers, m.Name) == nil {
							t.Errorf("%s: %s.%s carries +%s, its row does not say %q:\n%s", page, ty.Name, f.JSONName, m.Name, want, all)
						}
						if (m.Name == "default" || m.Name == "kubebuilder:default") && !regexp.MustCompile(`\| (optional|\*\*required\*\*) \| `+"`").MatchString(all) {
							t.Errorf("%s: %s.%s has a default, its row shows none:\n%s", page, ty.Name, f.JSONName, all)
						}
					}
				}
			}
			for _, k := range v.Kinds {
				walk(k.Type)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no field checked")
	}
}

// elem is the named type a field's type is made of, or nil.
func elem(r *model.TypeRef) *model.Type {
	for r != nil {
		switch r.Kind {
		case model.NamedRef:
			return r.Named
		case model.PointerRef, model.SliceRef, model.ArrayRef, model.MapRef:
			r = r.Elem
		default:
			return nil
		}
	}
	return nil
}

// TestGeneratedAndDeterministic checks the header every page starts with
// and that two renderings are the same bytes.
func TestGeneratedAndDeterministic(t *testing.T) {
	p := load(t, fixture.Project(t, "testdata/zoo.txtar"))
	a, b := render(t, p), render(t, p)
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Path != b[i].Path || string(a[i].Data) != string(b[i].Data) {
			t.Errorf("%s: two renderings differ", a[i].Path)
		}
		if !strings.HasPrefix(string(a[i].Data), apidocs.Header+"\n") {
			t.Errorf("%s does not start with %q", a[i].Path, apidocs.Header)
		}
		if a[i].Owner != output.Generated {
			t.Errorf("%s is not a generated file", a[i].Path)
		}
	}
}

// TestTablesAreWellFormed checks every page of every case.
func TestTablesAreWellFormed(t *testing.T) {
	for name, archive := range cases(t) {
		t.Run(name, func(t *testing.T) {
			checkTables(t, render(t, load(t, fixture.Project(t, archive))))
		})
	}
}

// checkTables reads pages the way a code host's table parser does: each
// row has as many cells as its header (a stray '|' would add one, a line
// break end the table), and no '<' outside code starts an HTML tag the
// host would strip, but the line breaks the cells use.
func checkTables(t *testing.T, files []*output.File) {
	t.Helper()
	unescapedPipe := regexp.MustCompile(`(^|[^\\])\|`)
	cellCount := func(line string) int { return len(unescapedPipe.FindAllStringIndex(line, -1)) }
	codeSpan := regexp.MustCompile("`[^`]*`")
	for _, f := range files {
		lines := strings.Split(string(f.Data), "\n")
		header := 0
		for i, l := range lines {
			switch {
			case !strings.HasPrefix(l, "|"):
				header = 0
			case header == 0:
				header = cellCount(l)
				if i+1 >= len(lines) || cellCount(lines[i+1]) != header || !strings.HasPrefix(lines[i+1], "| ---") {
					t.Errorf("%s:%d: a table without its delimiter row", f.Path, i+1)
				}
			case cellCount(l) != header:
				t.Errorf("%s:%d: %d cells under a header of %d: %s", f.Path, i+1, cellCount(l)-1, header-1, l)
			}
			prose := strings.ReplaceAll(codeSpan.ReplaceAllString(l, ""), "<br>", "")
			if strings.Contains(prose, "<") && !strings.HasPrefix(l, apidocs.Header) {
				t.Errorf("%s:%d: raw '<' outside code: %s", f.Path, i+1, l)
			}
		}
	}
}

// TestNoGroupsNoDocs: a project without kinds has no reference yet.
func TestNoGroupsNoDocs(t *testing.T) {
	if files := render(t, &model.Project{}); len(files) != 0 {
		t.Errorf("got %d files for a project without groups", len(files))
	}
}
