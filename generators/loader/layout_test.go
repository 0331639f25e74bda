package loader

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/test/fixture"
)

func TestLayoutFreedom(t *testing.T) {
	p, err := Load(fixture.Project(t, filepath.Join("testdata", "layout.txtar")))
	if err != nil {
		t.Fatal(err)
	}
	g := p.Group("wardle")
	if g.Hub == nil || g.Hub.Type("Flunder") == nil || !g.Hub.Declared["AddToScheme"] {
		t.Fatalf("hand-written internal package not read: %+v", g.Hub)
	}
	if !g.OwnInstall {
		t.Error("hand-written install package not noticed")
	}
	stored := map[string]string{}
	for _, k := range g.Kinds {
		stored[k.Name] = k.Version
	}
	if stored["Flunder"] != "v1alpha1" || stored["Fischer"] != "v1alpha1" {
		t.Errorf("storage versions = %v, want Flunder and Fischer in v1alpha1", stored)
	}
	v1alpha1 := g.Version("v1alpha1")
	if v1alpha1.SchemeBuilder != "k8s.io/apimachinery/pkg/runtime.SchemeBuilder" || !v1alpha1.OwnRegistration() {
		t.Errorf("v1alpha1 registers itself with %q", v1alpha1.SchemeBuilder)
	}
	if g.Version("v1beta1").OwnRegistration() {
		t.Error("v1beta1 has no registration of its own")
	}
	fischer := v1alpha1.Kind("Fischer")
	if fischer == nil || fischer.Namespaced || !slices.Contains(fischer.Type.ImpliedTags, "+genclient") || !slices.Contains(fischer.Type.ImpliedTags, "+genclient:nonNamespaced") {
		t.Errorf("kubebuilder kind Fischer = %+v, implied %v", fischer, fischer.Type.ImpliedTags)
	}
}

// TestPathThroughExternalPointer: a JSONPath through a pointer to another
// module's struct, met first by the path itself, resolves to its field.
func TestPathThroughExternalPointer(t *testing.T) {
	p, err := Load(fixture.Project(t, filepath.Join("testdata", "external-path.txtar")))
	if err != nil {
		t.Fatal(err)
	}
	k := p.Groups[0].Versions[0].Kinds[0]
	if len(k.SelectableFields) != 1 {
		t.Fatalf("selectable fields %+v", k.SelectableFields)
	}
	sf := k.SelectableFields[0]
	if strings.Join(sf.GoPath, ".") != "Spec.SourceRef.Name" || sf.Leaf == nil || sf.Leaf.GoName != "Name" {
		t.Errorf("path %v, leaf %+v", sf.GoPath, sf.Leaf)
	}
	if len(k.PrintColumns) != 1 || k.PrintColumns[0].JSONPath != ".spec.sourceRef.name" {
		t.Errorf("print columns %+v", k.PrintColumns)
	}
}
