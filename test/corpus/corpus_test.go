package corpus

import (
	"encoding/json"
	"sort"
	"testing"

	"github.com/pmezard/go-difflib/difflib"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/test/controllergen"
)

const root = "../.."

// TestSchemasMatchControllerGen loads each corpus as an aggen project and
// compares every kind's schema with the CRD schema controller-gen's own
// code makes from the same types.
func TestSchemasMatchControllerGen(t *testing.T) {
	if testing.Short() {
		t.Skip("downloads modules and loads packages from source")
	}
	names := make([]string, 0, len(Corpora))
	for n := range Corpora {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := Assemble(root, dir, Corpora[name]); err != nil {
				t.Fatal(err)
			}
			p, err := loader.Load(dir)
			if err != nil {
				t.Fatalf("aggen refuses %s:\n%v", name, err)
			}
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
						if crd == nil {
							t.Errorf("controller-gen made no CRD for %s", k.Name)
							continue
						}
						var want *apiextensionsv1.JSONSchemaProps
						for _, cv := range crd.Spec.Versions {
							if cv.Name == v.Name {
								want = cv.Schema.OpenAPIV3Schema
							}
						}
						got, _ := json.MarshalIndent(k.Schema, "", "  ")
						exp, _ := json.MarshalIndent(want, "", "  ")
						if string(got) != string(exp) {
							diff, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{A: difflib.SplitLines(string(exp)), B: difflib.SplitLines(string(got)),
								FromFile: "controller-gen", ToFile: "aggen", Context: 2})
							if len(diff) > 4000 {
								diff = diff[:4000] + "\n..."
							}
							t.Errorf("%s/%s %s: schema differs:\n%s", g.Name, v.Name, k.Name, diff)
						}
					}
				}
			}
			t.Logf("%s: %d kinds compared", name, kinds)
			if kinds == 0 {
				t.Fatal("no kinds")
			}
		})
	}
}
