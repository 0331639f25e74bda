package registry_test

import (
	"strings"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"

	"github.com/aggen-dev/aggen/generators/registry"
	"github.com/aggen-dev/aggen/generators/server/servertest"
)

func TestCheckSchemasAcceptsTheExample(t *testing.T) {
	if problems := registry.CheckSchemas(servertest.Insects()); len(problems) > 0 {
		t.Errorf("problems in a valid schema: %v", problems)
	}
}

// TestCheckSchemas refuses what kube-apiserver refuses in a CRD, at the
// field the schema path leads to.
func TestCheckSchemas(t *testing.T) {
	p := servertest.Insects()
	bee := p.Groups[0].Version("v1beta1").Kind("Bee")
	spec := bee.Schema.Properties["spec"]
	replicas := spec.Properties["replicas"]
	replicas.Default = &apiextensionsv1.JSON{Raw: []byte(`"five"`)}
	spec.Properties["replicas"] = replicas
	bee.Schema.Properties["spec"] = spec
	alpha := p.Groups[0].Version("v1alpha1").Kind("Bee")
	aspec := alpha.Schema.Properties["spec"]
	hive := aspec.Properties["hive"]
	hive.XValidations = apiextensionsv1.ValidationRules{{Rule: "self.nope > 1"}}
	aspec.Properties["hive"] = hive
	alpha.Schema.Properties["spec"] = aspec

	problems := registry.CheckSchemas(p)
	if len(problems) != 2 {
		t.Fatalf("want 2 problems, got %d: %v", len(problems), problems)
	}
	var got []string
	for _, pr := range problems {
		got = append(got, pr.Error())
	}
	want := []string{
		`Bee v1beta1: spec.replicas: Invalid value: "string"`,
		`Bee v1alpha1: spec.hive: rule "self.nope > 1": compilation failed`,
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			if strings.Contains(g, w) {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem says %q:\n%s", w, strings.Join(got, "\n"))
		}
	}
}
