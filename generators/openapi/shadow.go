package openapi

import (
	"reflect"
	"strings"

	"k8s.io/gengo/v2/generator"
	"k8s.io/gengo/v2/types"

	"github.com/aggen-dev/aggen/generators/codegen"
)

// unshadow hides, for openapi-gen, the fields of inlined structs
// (`json:",inline"`) that a shallower field of the same JSON name shadows,
// as encoding/json does: openapi-gen writes every inlined field, and two
// of one name make a duplicate key in the generated map literal, which
// does not compile (the Prometheus operator's ProbeSpec has an
// authorization field and inlines HTTPConfig, which has one too).
//
// It gives each struct of pkgs that needs it copies of its inlined types
// without the shadowed fields, in c only (codegen.ReplaceMembers), and
// returns the function that puts c back as it was.
func unshadow(c *generator.Context, pkgs []string) (undo func()) {
	// Every struct's new members are worked out from the parse as it is.
	replaced := map[*types.Type][]types.Member{}
	for _, path := range pkgs {
		p := c.Universe[path]
		if p == nil {
			continue
		}
		for _, t := range p.Types {
			if t.Kind != types.Struct {
				continue
			}
			if members, changed := withoutShadowed(t.Members, nil); changed {
				replaced[t] = members
			}
		}
	}
	return codegen.ReplaceMembers(c, pkgs, replaced)
}

// withoutShadowed returns members with every inlined struct replaced by a
// copy that lacks the fields named in outer or by a member of this level,
// recursively; changed says whether anything was hidden.
func withoutShadowed(members []types.Member, outer map[string]bool) ([]types.Member, bool) {
	names := map[string]bool{}
	for n := range outer {
		names[n] = true
	}
	for _, m := range members {
		if !inlined(&m) {
			if n := jsonName(&m); n != "" {
				names[n] = true
			}
		}
	}
	var out []types.Member
	changed := false
	for _, m := range members {
		if !inlined(&m) {
			if n := jsonName(&m); n != "" && outer[n] {
				changed = true
				continue
			}
			out = append(out, m)
			continue
		}
		t := m.Type
		for t.Kind == types.Pointer {
			t = t.Elem
		}
		if t.Kind != types.Struct {
			out = append(out, m)
			continue
		}
		inner, hid := withoutShadowed(t.Members, names)
		if hid {
			cp := *t
			cp.Members = inner
			m.Type = &cp
			changed = true
		}
		out = append(out, m)
	}
	return out, changed
}

// inlined is openapi-gen's test for a member whose fields it inlines.
func inlined(m *types.Member) bool {
	tag, ok := reflect.StructTag(m.Tags).Lookup("json")
	return m.Embedded && ok && (tag == "" || strings.HasPrefix(tag, ","))
}

// jsonName is the member's JSON name, "" for one encoding/json skips.
func jsonName(m *types.Member) string {
	tag := reflect.StructTag(m.Tags).Get("json")
	name, _, _ := strings.Cut(tag, ",")
	switch {
	case name == "-":
		return ""
	case name != "":
		return name
	}
	return m.Name
}
