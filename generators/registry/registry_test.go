package registry_test

import (
	"flag"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/generators/output"
	"github.com/aggen-dev/aggen/generators/registry"
	"github.com/aggen-dev/aggen/generators/server/servertest"
	"github.com/aggen-dev/aggen/templates"
)

var update = flag.Bool("update", false, "rewrite the goldens under testdata")

func TestGolden(t *testing.T) {
	r, err := templates.New()
	if err != nil {
		t.Fatal(err)
	}
	p := servertest.Insects()
	gen, err := registry.Generate(r, p)
	if err != nil {
		t.Fatal(err)
	}
	schemes, err := registry.Scheme(r, p)
	if err != nil {
		t.Fatal(err)
	}
	gen = append(gen, schemes...)
	scaf, err := registry.Scaffold(r, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range gen {
		if f.Owner != output.Generated || !strings.Contains(string(f.Data), registry.DoNotEdit) {
			t.Errorf("%s: generated file without the DO NOT EDIT line", f.Path)
		}
	}
	for _, f := range scaf {
		if f.Owner != output.UserOwned || strings.Contains(string(f.Data), "DO NOT EDIT") {
			t.Errorf("%s: user-owned file must not say DO NOT EDIT", f.Path)
		}
	}
	servertest.Golden(t, "testdata/insects", append(gen, scaf...), *update)
}

func TestDeterministic(t *testing.T) {
	r, err := templates.New()
	if err != nil {
		t.Fatal(err)
	}
	a, err := registry.Generate(r, servertest.Insects())
	if err != nil {
		t.Fatal(err)
	}
	b, err := registry.Generate(r, servertest.Insects())
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Path != b[i].Path || string(a[i].Data) != string(b[i].Data) {
			t.Errorf("%s: output differs between two runs", a[i].Path)
		}
	}
}

func TestBadScalePath(t *testing.T) {
	r, err := templates.New()
	if err != nil {
		t.Fatal(err)
	}
	p := servertest.Insects()
	p.Groups[0].Kinds[0].Scale.SpecReplicasPath = ".spec.nope"
	_, err = registry.Generate(r, p)
	var me *registry.MarkerError
	if err == nil || !asMarkerError(err, &me) {
		t.Fatalf("want a MarkerError, got %v", err)
	}
	if !strings.Contains(err.Error(), "bee_types.go:40:1") || !strings.Contains(err.Error(), `no field with JSON name "nope"`) {
		t.Errorf("error lacks position or reason: %v", err)
	}
}

func asMarkerError(err error, target **registry.MarkerError) bool {
	me, ok := err.(*registry.MarkerError)
	if ok {
		*target = me
	}
	return ok
}

// TestStatusTypeOfAnyName: a kind's status type need not be called
// <Kind>Status (the Prometheus operator's Probe has a
// ConfigResourceStatus); the strategy clears the status without naming
// its type.
func TestStatusTypeOfAnyName(t *testing.T) {
	r, err := templates.New()
	if err != nil {
		t.Fatal(err)
	}
	p := servertest.Insects()
	files, err := registry.Generate(r, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !strings.HasSuffix(f.Path, "bee/zz_generated.strategy.go") {
			continue
		}
		if s := string(f.Data); strings.Contains(s, "BeeStatus") || !strings.Contains(s, "o.Status = insects.Bee{}.Status") {
			t.Errorf("%s does not clear the status through the kind's type:\n%s", f.Path, s)
		}
		return
	}
	t.Error("no strategy for Bee")
}
