package informer_test

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/aggen-dev/aggen/generators/codegen/rendertest"
	"github.com/aggen-dev/aggen/generators/informer"
	"github.com/aggen-dev/aggen/generators/lister"
	"github.com/aggen-dev/aggen/test/fixture"
)

// TestRendererMatchesInformerGen fails if the renderer falls back to informer-gen on
// the example, the corpora or the synthetic project of lister's testdata
// (three groups, two of them with two versions: namespaced and
// cluster-scoped kinds, verbs left out, +groupGoName, +resourceName, a
// plural exception, a group directory named like a package the generated
// files import (cache), an upper-case one, a hand-written lister
// expansion), or writes a byte other than informer-gen's.
func TestRendererMatchesInformerGen(t *testing.T) {
	if testing.Short() {
		t.Skip("loads several projects")
	}
	projects := rendertest.Projects(t)
	projects["multigroup"] = func(t *testing.T) string {
		return rendertest.Fixture(t, filepath.Join(fixture.Root(), "generators", "lister", "testdata", "multigroup"))
	}
	exceptions := map[string]string{"Endpoints": "Endpoints"}
	rendertest.MatchUpstream(t, projects, "informer-gen", informer.OutputDir,
		func(p rendertest.Project) (map[string][]byte, error) {
			inputs, _, err := p.Tree.ClientInputs()
			if err != nil {
				return nil, err
			}
			own, err := informer.Render(p.Session, p.Tree, inputs, exceptions)
			got := map[string][]byte{}
			for _, f := range own {
				got[f.Rel] = f.Data
			}
			return got, err
		},
		func(p rendertest.Project) error { return informer.Run(p.Session, p.Tree, exceptions, true) })
}

// TestUnsupportedFallsBack: an internal version (ObjectMeta without a
// json tag) is a shape the renderer leaves to informer-gen.
func TestUnsupportedFallsBack(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a project")
	}
	p := rendertest.Load(t, rendertest.ExampleWith(t, "pkg/apis/insects/v1beta1/hivesummary_types.go",
		"metav1.ObjectMeta `json:\"metadata,omitempty\"`", "metav1.ObjectMeta"))
	inputs, _, err := p.Tree.ClientInputs()
	if err != nil {
		t.Fatal(err)
	}
	_, err = informer.Render(p.Session, p.Tree, inputs, nil)
	var u *lister.Unsupported
	if !errors.As(err, &u) {
		t.Fatalf("want *lister.Unsupported, got %v", err)
	}
}
