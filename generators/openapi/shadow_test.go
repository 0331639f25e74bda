package openapi

import (
	"reflect"
	"testing"

	"k8s.io/gengo/v2/generator"
	"k8s.io/gengo/v2/types"
)

// before0 is the type of the given name among the parse's.
func before0(before map[*types.Type][]types.Member, name string) *types.Type {
	for t := range before {
		if t.Name.Name == name {
			return t
		}
	}
	return nil
}

func memberNames(t *types.Type) []string {
	var out []string
	for _, m := range t.Members {
		out = append(out, m.Name)
	}
	return out
}

// TestUnshadow: a field of an inlined struct that a shallower field of the
// same JSON name shadows is hidden from openapi-gen in the struct that
// inlines it, at any depth, and only there, in copies that the context
// shows in the parse's place while the parse itself stays as it is; undo
// puts the context back.
func TestUnshadow(t *testing.T) {
	str := types.String
	deep := &types.Type{Name: types.Name{Package: "p", Name: "Deep"}, Kind: types.Struct, Members: []types.Member{
		{Name: "Other", Type: str, Tags: `json:"other,omitempty"`},
		{Name: "Auth", Type: str, Tags: `json:"authorization,omitempty"`},
	}}
	inner := &types.Type{Name: types.Name{Package: "p", Name: "Inner"}, Kind: types.Struct, Members: []types.Member{
		{Name: "Authorization", Type: str, Tags: `json:"authorization,omitempty"`},
		{Name: "Proxy", Type: str, Tags: `json:"proxy,omitempty"`},
		{Name: "Deep", Type: deep, Embedded: true, Tags: `json:",inline"`},
	}}
	outer := &types.Type{Name: types.Name{Package: "p", Name: "Outer"}, Kind: types.Struct, Members: []types.Member{
		{Name: "Authorization", Type: &types.Type{Kind: types.Pointer, Elem: str}, Tags: `json:"authorization,omitempty"`},
		{Name: "Inner", Type: &types.Type{Kind: types.Pointer, Elem: inner}, Embedded: true, Tags: `json:",inline"`},
		{Name: "Skipped", Type: str, Tags: `json:"-"`},
	}}
	plain := &types.Type{Name: types.Name{Package: "p", Name: "Plain"}, Kind: types.Struct, Members: []types.Member{
		{Name: "Inner", Type: inner, Embedded: true, Tags: `json:",inline"`},
		{Name: "Proxy2", Type: str, Tags: `json:"proxy2"`},
	}}
	holder := &types.Type{Name: types.Name{Package: "p", Name: "Holder"}, Kind: types.Struct, Members: []types.Member{
		{Name: "Outers", Type: &types.Type{Kind: types.Slice, Elem: outer}, Tags: `json:"outers"`},
	}}
	u := types.Universe{"p": &types.Package{Path: "p", Types: map[string]*types.Type{"Outer": outer, "Inner": inner, "Deep": deep, "Plain": plain, "Holder": holder}}}
	c := &generator.Context{Universe: u, Order: []*types.Type{deep, holder, inner, outer, plain}}
	before := map[*types.Type][]types.Member{}
	for _, ty := range u["p"].Types {
		before[ty] = ty.Members
	}
	undo := unshadow(c, []string{"p", "absent"})
	for ty, m := range before {
		if !reflect.DeepEqual(ty.Members, m) {
			t.Errorf("%s changed in the parse", ty.Name.Name)
		}
	}
	if c.Order[3] != u["p"].Types["Outer"] || c.Order[3] == outer {
		t.Errorf("the context's order does not hold Outer's copy")
	}
	if h := u["p"].Types["Holder"]; h == holder || h.Members[0].Type.Elem != u["p"].Types["Outer"] {
		t.Errorf("Holder does not refer to Outer's copy")
	}
	outer, inner, plain = u["p"].Types["Outer"], u["p"].Types["Inner"], u["p"].Types["Plain"]

	got := outer.Members[1].Type
	if got == inner || got.Kind != types.Struct {
		t.Fatalf("Outer inlines %v, want a copy of Inner", got)
	}
	if n := memberNames(got); !reflect.DeepEqual(n, []string{"Proxy", "Deep"}) {
		t.Errorf("Outer's Inner has %v, want [Proxy Deep]", n)
	}
	if n := memberNames(got.Members[1].Type); !reflect.DeepEqual(n, []string{"Other"}) {
		t.Errorf("Outer's Deep has %v, want [Other]", n)
	}
	// Inner itself shadows Deep's authorization; its own field stays.
	if n := memberNames(inner.Members[2].Type); !reflect.DeepEqual(n, []string{"Other"}) {
		t.Errorf("Inner's Deep has %v, want [Other]", n)
	}
	if n := memberNames(deep); !reflect.DeepEqual(n, []string{"Other", "Auth"}) {
		t.Errorf("Deep changed: %v", n)
	}
	// Plain inlines Inner, whose own field shadows Deep's: Plain's copy
	// hides it too, whatever order the types are met in, and keeps the rest.
	plainInner := plain.Members[0].Type
	if n := memberNames(plainInner); !reflect.DeepEqual(n, []string{"Authorization", "Proxy", "Deep"}) {
		t.Errorf("Plain's Inner has %v, want [Authorization Proxy Deep]", n)
	}
	if n := memberNames(plainInner.Members[2].Type); !reflect.DeepEqual(n, []string{"Other"}) {
		t.Errorf("Plain's Deep has %v, want [Other]", n)
	}
	if n := memberNames(plain); !reflect.DeepEqual(n, []string{"Inner", "Proxy2"}) {
		t.Errorf("Plain has %v, want [Inner Proxy2]", n)
	}
	undo()
	for name, ty := range u["p"].Types {
		if _, ok := before[ty]; !ok {
			t.Errorf("undo left a copy of %s", name)
		}
	}
	if c.Order[3] != before0(before, "Outer") {
		t.Errorf("undo left a copy in the context's order")
	}
}
