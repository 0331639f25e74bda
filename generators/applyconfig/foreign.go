package applyconfig

import (
	"reflect"
	"slices"
	"strings"

	"k8s.io/gengo/v2/generator"
	"k8s.io/gengo/v2/types"

	"github.com/aggen-dev/aggen/generators/codegen"
)

// foreignShapes rewrites, for applyconfiguration-gen only, the two shapes
// of the input packages' types that it turns into code that does not
// compile when they use a struct with no apply configuration (one of
// another module that is neither an input nor in external, such as Flux's
// github.com/fluxcd/pkg/apis/meta):
//   - an inlined struct (`json:",inline"`): its fields take the member's
//     place, as they stand in JSON; upstream writes With functions that
//     take the address of each of its fields as if it were an apply
//     configuration with pointer fields;
//   - a list of pointers to such a struct ([]*meta.Artifact): a list of
//     the struct; upstream appends *values[i] to the []*T.
//
// It makes the changes in c only (codegen.ReplaceMembers) and returns the
// function that puts c back as it was.
func foreignShapes(c *generator.Context, inputs []string, external map[types.Name]string) (undo func()) {
	hasApply := func(t *types.Type) bool {
		_, ok := external[t.Name]
		return ok || slices.Contains(inputs, t.Name.Package)
	}
	foreign := func(t *types.Type) bool {
		return t.Kind == types.Struct && t.Name.Package != "" && !hasApply(t)
	}
	replaced := map[*types.Type][]types.Member{}
	for _, path := range inputs {
		p := c.Universe[path]
		if p == nil {
			continue
		}
		for _, t := range p.Types {
			if t.Kind != types.Struct {
				continue
			}
			if members, changed := rewrite(t.Members, foreign); changed {
				replaced[t] = members
			}
		}
	}
	return codegen.ReplaceMembers(c, inputs, replaced)
}

func rewrite(members []types.Member, foreign func(*types.Type) bool) ([]types.Member, bool) {
	var out []types.Member
	changed := false
	for _, m := range members {
		t := m.Type
		for t.Kind == types.Pointer {
			t = t.Elem
		}
		switch {
		case m.Embedded && inline(m) && foreign(t):
			inner, _ := rewrite(t.Members, foreign)
			out = append(out, inner...)
			changed = true
			continue
		case m.Type.Kind == types.Slice && m.Type.Elem.Kind == types.Pointer && foreign(m.Type.Elem.Elem):
			m.Type = &types.Type{Kind: types.Slice, Elem: m.Type.Elem.Elem}
			changed = true
		}
		out = append(out, m)
	}
	return out, changed
}

func inline(m types.Member) bool {
	tag, ok := reflect.StructTag(m.Tags).Lookup("json")
	return ok && (tag == "" || strings.HasPrefix(tag, ","))
}
