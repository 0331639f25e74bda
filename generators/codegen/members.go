package codegen

import (
	"k8s.io/gengo/v2/generator"
	"k8s.io/gengo/v2/types"
)

// ReplaceMembers shows one generator's context other members for some
// struct types of pkgs, for the shapes an upstream generator would turn
// into code that does not compile, without touching the parse that the
// generators on other lanes of the session read at the same time (see
// Session.Fork): each type in replaced gets a copy with the new members,
// and so does every struct of pkgs that refers to a copied type, through
// its members, pointers, slices, maps or arrays, so that walking from any
// of them reaches only copies. The copies take the originals' places in
// c's package maps and in c.Order, which gengo's targets run through.
//
// It returns the function that puts c back as it was.
func ReplaceMembers(c *generator.Context, pkgs []string, replaced map[*types.Type][]types.Member) (undo func()) {
	if len(replaced) == 0 {
		return func() {}
	}
	members := func(t *types.Type) []types.Member {
		if m, ok := replaced[t]; ok {
			return m
		}
		return t.Members
	}
	copies := map[*types.Type]*types.Type{}
	for t := range replaced {
		cp := *t
		copies[t] = &cp
	}
	// Every struct of pkgs, where it stands in its package's map. The
	// result does not depend on their order: a struct is copied when it
	// reaches a copy, however many rounds that takes.
	type slot struct {
		p    *types.Package
		name string
		t    *types.Type
	}
	var structs []slot
	for _, path := range pkgs {
		p := c.Universe[path]
		if p == nil {
			continue
		}
		for name, t := range p.Types {
			if t.Kind == types.Struct {
				structs = append(structs, slot{p, name, t})
			}
		}
	}
	for grew := true; grew; {
		grew = false
		for _, s := range structs {
			if _, done := copies[s.t]; done {
				continue
			}
			if _, changed := remapMembers(members(s.t), copies); changed {
				cp := *s.t
				copies[s.t] = &cp
				grew = true
			}
		}
	}
	for t, cp := range copies {
		cp.Members, _ = remapMembers(members(t), copies)
	}
	var installed []slot
	for _, s := range structs {
		if cp, ok := copies[s.t]; ok {
			installed = append(installed, s)
			s.p.Types[s.name] = cp
		}
	}
	order := c.Order
	c.Order = make([]*types.Type, len(order))
	for i, t := range order {
		if cp, ok := copies[t]; ok {
			t = cp
		}
		c.Order[i] = t
	}
	return func() {
		for _, s := range installed {
			s.p.Types[s.name] = s.t
		}
		c.Order = order
	}
}

// remapMembers returns members with every type that refers to a key of
// copies referring to its copy instead; changed says whether any did.
func remapMembers(members []types.Member, copies map[*types.Type]*types.Type) ([]types.Member, bool) {
	var out []types.Member
	for i, m := range members {
		t, changed := remap(m.Type, copies)
		if !changed {
			continue
		}
		if out == nil {
			out = append([]types.Member(nil), members...)
		}
		out[i].Type = t
	}
	if out == nil {
		return members, false
	}
	return out, true
}

// remap returns t, or a copy of the unnamed types around it (pointers,
// slices, maps, arrays, anonymous structs) that leads to the copies of
// the named types it reaches that copies holds.
func remap(t *types.Type, copies map[*types.Type]*types.Type) (*types.Type, bool) {
	if t == nil {
		return nil, false
	}
	if cp, ok := copies[t]; ok {
		return cp, true
	}
	switch t.Kind {
	case types.Pointer, types.Slice, types.Array, types.Map:
		elem, elemChanged := remap(t.Elem, copies)
		key, keyChanged := remap(t.Key, copies)
		if !elemChanged && !keyChanged {
			return t, false
		}
		cp := *t
		cp.Elem, cp.Key = elem, key
		return &cp, true
	case types.Struct:
		if t.Name.Package != "" {
			return t, false
		}
		ms, changed := remapMembers(t.Members, copies)
		if !changed {
			return t, false
		}
		cp := *t
		cp.Members = ms
		return &cp, true
	}
	return t, false
}
