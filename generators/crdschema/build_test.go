package crdschema_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pmezard/go-difflib/difflib"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/generators/model"
	"github.com/aggen-dev/aggen/test/controllergen"
	"github.com/aggen-dev/aggen/test/fixture"
)

// project lays a txtar archive of API packages over the example's files.
func project(t *testing.T, archive string) string { return fixture.Project(t, archive) }

func load(t *testing.T, dir string) *model.Project {
	t.Helper()
	p, err := loader.Load(dir)
	if err != nil {
		t.Fatalf("loading: %v", err)
	}
	return p
}

func pretty(t *testing.T, s *apiextensionsv1.JSONSchemaProps) string {
	t.Helper()
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestBuildMatchesControllerGen builds the schemas of every case in
// testdata/schema and of the example, and compares each with the one
// controller-gen's own code makes from the same types.
func TestBuildMatchesControllerGen(t *testing.T) {
	if testing.Short() {
		t.Skip("controller-tools loads packages from source")
	}
	cases, err := filepath.Glob(filepath.Join("..", "..", "testdata", "schema", "*.txtar"))
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	dirs := map[string]string{"example": filepath.Join("..", "..", "examples", "insects")}
	for _, c := range cases {
		dirs[strings.TrimSuffix(filepath.Base(c), ".txtar")] = ""
	}
	for name, dir := range dirs {
		t.Run(name, func(t *testing.T) {
			if dir == "" {
				dir = project(t, filepath.Join("..", "..", "testdata", "schema", name+".txtar"))
			}
			p := load(t, dir)
			crds, err := controllergen.CRDs(dir, p)
			if err != nil {
				t.Fatalf("controller-gen: %v", err)
			}
			kinds := 0
			for _, g := range p.Groups {
				for _, v := range g.Versions {
					for _, k := range v.Kinds {
						kinds++
						crd := crds[schema.GroupKind{Group: g.GroupName, Kind: k.Name}.String()]
						var want *apiextensionsv1.JSONSchemaProps
						for _, cv := range crd.Spec.Versions {
							if cv.Name == v.Name {
								want = cv.Schema.OpenAPIV3Schema
							}
						}
						got, exp := pretty(t, k.Schema), pretty(t, want)
						if got != exp {
							diff, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{A: difflib.SplitLines(exp), B: difflib.SplitLines(got),
								FromFile: "controller-gen", ToFile: "aggen", Context: 3})
							t.Errorf("%s %s: schema differs:\n%s", v.Name, k.Name, diff)
						}
					}
				}
			}
			if kinds == 0 {
				t.Fatal("no kinds")
			}
		})
	}
}

// TestMarkersApplyByResolvedType checks markers on fields whose types are
// named lists, maps, strings of other packages and chains of named types.
func TestMarkersApplyByResolvedType(t *testing.T) {
	p := load(t, project(t, filepath.Join("testdata", "resolved.txtar")))
	spec := p.Groups[0].Versions[0].Kinds[0].Schema.Properties["spec"]
	got := func(name string) string {
		s := spec.Properties[name]
		s.Description = ""
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for name, want := range map[string]string{
		"status":  `{"type":"string","pattern":"^[TF]","enum":["True","False"]}`,
		"flowers": `{"type":"array","maxItems":3,"minItems":1,"items":{"type":"string"}}`,
		"petals":  `{"type":"object","maxProperties":2,"additionalProperties":{"type":"integer","format":"int32"}}`,
		"owner":   `{"type":"string","maxLength":5,"pattern":"^[a-z]+$"}`,
	} {
		if g := got(name); g != want {
			t.Errorf("spec.%s:\n got %s\nwant %s", name, g, want)
		}
	}
	if strings.Join(spec.Required, ",") != "owner" {
		t.Errorf("spec required = %v, want [owner]", spec.Required)
	}
}
