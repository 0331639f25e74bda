package crdschema_test

import (
	"path/filepath"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/api/equality"

	"github.com/aggen-dev/aggen/generators/crdschema"
	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/test/fixture"
)

// mapMemo is a crdschema.Memo in memory that counts what it is asked.
type mapMemo struct {
	entries       map[string]bool
	recalls, hits int
	keeps         int
	all           bool // recall everything, as a memo that lied would
}

func (m *mapMemo) Recall(space string, key []byte) ([]byte, bool) {
	m.recalls++
	if m.all || m.entries[space+"\x00"+string(key)] {
		m.hits++
		return nil, true
	}
	return nil, false
}

func (m *mapMemo) Keep(space string, key, data []byte) {
	m.keeps++
	m.entries[space+"\x00"+string(key)] = true
}

// TestValidateMemo: a CRD that passed kube-apiserver's validation is not
// validated again with the same input; any change to the schema is
// validated again; a CRD that fails is never remembered, so its errors
// come back every run.
func TestValidateMemo(t *testing.T) {
	p := load(t, filepath.Join("..", "..", "examples", "insects"))
	kinds := 0
	for _, g := range p.Groups {
		for _, v := range g.Versions {
			for _, k := range v.Kinds {
				if k.Schema != nil {
					kinds++
				}
			}
		}
	}
	memo := &mapMemo{entries: map[string]bool{}}
	if err := crdschema.ValidateMemo(p, memo); err != nil {
		t.Fatal(err)
	}
	if memo.keeps != kinds || memo.hits != 0 {
		t.Fatalf("first run: %d kept, %d recalled; want %d kept, none recalled", memo.keeps, memo.hits, kinds)
	}
	*memo = mapMemo{entries: memo.entries}
	if err := crdschema.ValidateMemo(p, memo); err != nil {
		t.Fatal(err)
	}
	if memo.hits != kinds || memo.keeps != 0 {
		t.Fatalf("second run: %d recalled, %d kept; want %d recalled, none kept", memo.hits, memo.keeps, kinds)
	}

	// A default of the wrong type in one kind: that kind is validated
	// again and fails, the others are recalled.
	k := p.Groups[0].Versions[0].Kinds[0]
	spec := k.Schema.Properties["spec"]
	var name string
	for n, prop := range spec.Properties {
		if prop.Type == "integer" {
			name = n
			break
		}
	}
	if name == "" {
		t.Fatalf("%s's spec has no integer field to break", k.Name)
	}
	prop := spec.Properties[name]
	prop.Default = &apiextensionsv1.JSON{Raw: []byte(`"five"`)}
	spec.Properties[name] = prop
	k.Schema.Properties["spec"] = spec
	*memo = mapMemo{entries: memo.entries}
	if err := crdschema.ValidateMemo(p, memo); err == nil {
		t.Fatalf("a default %q for the integer %s.spec.%s passed with the memo", "five", k.Name, name)
	}
	if memo.hits != kinds-1 || memo.keeps != 0 {
		t.Errorf("after the edit: %d recalled, %d kept; want %d recalled, none kept", memo.hits, memo.keeps, kinds-1)
	}
}

// TestValidateMemoKeepsNoFailure: the errors of testdata/bad/schema-only
// come back in every run with a memo, and a memo is consulted: one that
// recalls everything hides them.
func TestValidateMemoKeepsNoFailure(t *testing.T) {
	dir := project(t, filepath.Join(fixture.Root(), "testdata", "bad", "schema-only.txtar"))
	memo := &mapMemo{entries: map[string]bool{}}
	for run := 1; run <= 2; run++ {
		_, schemas, err := loader.LoadWithoutSchemas(dir, nil, memo)
		if err != nil {
			t.Fatal(err)
		}
		if err := schemas(); err == nil {
			t.Fatalf("run %d: schema-only's errors were not reported", run)
		}
		if memo.hits != 0 {
			t.Fatalf("run %d: a failing CRD was recalled", run)
		}
	}
	lying := &mapMemo{entries: map[string]bool{}, all: true}
	_, schemas, err := loader.LoadWithoutSchemas(dir, nil, lying)
	if err != nil {
		t.Fatal(err)
	}
	if err := schemas(); err != nil {
		t.Errorf("with every CRD recalled, validation still ran: %v", err)
	}
}

// TestFlattenedSchemasStayUnchanged: a type's flattened schema is shared,
// not copied, by every schema that uses the type, so nothing may change
// it once it is made: not the flattening of the schemas that use it, not
// the kinds' schemas, not their validation. Checked on every case of
// testdata/schema, the example and the resolved-type case.
func TestFlattenedSchemasStayUnchanged(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join("..", "..", "testdata", "schema", "*.txtar"))
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	cases = append(cases, filepath.Join("testdata", "resolved.txtar"), "example")
	for _, c := range cases {
		t.Run(filepath.Base(c), func(t *testing.T) {
			dir := filepath.Join("..", "..", "examples", "insects")
			if c != "example" {
				dir = project(t, c)
			}
			p, _, err := loader.LoadWithoutSchemas(dir, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			made := map[*apiextensionsv1.JSONSchemaProps]*apiextensionsv1.JSONSchemaProps{}
			if err := crdschema.BuildWatched(p, func(s *apiextensionsv1.JSONSchemaProps) { made[s] = s.DeepCopy() }); err != nil {
				t.Fatal(err)
			}
			if err := crdschema.Validate(p); err != nil {
				t.Fatal(err)
			}
			if len(made) == 0 {
				t.Fatal("no flattened schema was made")
			}
			for s, was := range made {
				if !equality.Semantic.DeepEqual(s, was) {
					t.Errorf("a flattened schema changed after it was made:\nwas %s\nnow %s", pretty(t, was), pretty(t, s))
				}
			}
		})
	}
}
