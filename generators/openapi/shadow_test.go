package openapi

import (
	"reflect"
	"testing"

	"k8s.io/gengo/v2/types"
)

func memberNames(t *types.Type) []string {
	var out []string
	for _, m := range t.Members {
		out = append(out, m.Name)
	}
	return out
}

// TestUnshadow: a field of an inlined struct that a shallower field of the
// same JSON name shadows is hidden from openapi-gen in the struct that
// inlines it, at any depth, and only there; undo puts the parse back.
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
	u := types.Universe{"p": &types.Package{Path: "p", Types: map[string]*types.Type{"Outer": outer, "Inner": inner, "Deep": deep, "Plain": plain}}}
	before := outer.Members
	undo := unshadow(u, []string{"p", "absent"})

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
	if !reflect.DeepEqual(outer.Members, before) || inner.Members[2].Type != deep {
		t.Errorf("undo left the parse changed")
	}
}
