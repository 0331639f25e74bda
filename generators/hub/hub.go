package hub

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strconv"

	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/generators/model"
	"github.com/aggen-dev/aggen/generators/output"
	"github.com/aggen-dev/aggen/templates"
)

// Places are where the hub generator's files live: the hub package's
// doc.go (gengo reads package tags only there) and zz_generated files.
var Places = []output.Place{loader.APIsDir + "/*/doc.go", "zz_generated.*"}

// Files lists the hub files of a group, relative to the project root.
func Files(g *model.Group) []string {
	return []string{
		// gengo reads package tags only from a file named doc.go.
		path.Join(g.Dir, "doc.go"),
		path.Join(g.Dir, "zz_generated.types.go"),
		path.Join(g.Dir, "zz_generated.scheme.go"),
		path.Join(g.Dir, "install", "zz_generated.install.go"),
	}
}

type importSpec struct{ Name, Path string }

type hubType struct {
	Doc       []string
	Root      bool
	Source    string
	Constants []constant
}

type constant struct{ Name, Type, Value string }

type data struct {
	Project *model.Project
	Group   *model.Group
	Imports []importSpec
	Types   []hubType
	// KindTaken is set when a user type is named Kind: the hub then goes
	// without its Kind helper, which nothing aggen generates calls.
	KindTaken bool
	// Declared are the names the hand-written internal package declares
	// already; the generated registration leaves them out.
	Declared map[string]bool
	// Subresources are the kinds custom subresources use, registered with
	// the internal version as the kinds are.
	Subresources []string
}

// Generate renders the hub and install packages of every group.
func Generate(r *templates.Renderer, p *model.Project) ([]*output.File, error) {
	var out []*output.File
	for _, g := range p.Groups {
		if len(g.Kinds) == 0 {
			continue
		}
		var d *data
		var err error
		if g.Hub != nil {
			d, err = handWritten(p, g)
		} else {
			d, err = derive(p, g)
		}
		if err != nil {
			return nil, err
		}
		files := Files(g)
		for i, tmpl := range []string{"hub/doc.go.tmpl", "hub/types.go.tmpl", "hub/scheme.go.tmpl", "hub/install.go.tmpl"} {
			switch {
			case g.Hub != nil && (i == 0 && slices.Contains(g.Hub.OwnFiles, "doc.go") || i == 1):
				continue
			case g.Hub != nil && i == 2 && d.Declared["GroupName"] && d.Declared["SchemeGroupVersion"] && d.Declared["Resource"] && d.Declared["AddToScheme"]:
				continue
			case i == 3 && g.OwnInstall:
				continue
			}
			b, err := r.RenderGo(tmpl, d)
			if err != nil {
				return nil, fmt.Errorf("hub of group %s: %w", g.Name, err)
			}
			out = append(out, &output.File{Path: files[i], Data: b, Owner: output.Generated})
		}
	}
	return out, nil
}

// handWritten checks a group's hand-written internal package: every kind
// and its list need their type there.
func handWritten(p *model.Project, g *model.Group) (*data, error) {
	d := &data{Project: p, Group: g, Declared: g.Hub.Declared, KindTaken: g.Hub.Declared["Kind"]}
	var errs []error
	for _, v := range g.Versions {
		for _, vk := range v.Kinds {
			for _, s := range vk.Subresources {
				for _, name := range s.Types() {
					if g.Hub.Type(name) == nil {
						errs = append(errs, &model.Problem{Pos: s.Pos, Msg: fmt.Sprintf("subresource %q of kind %s needs a type %s in the internal package %s, which you write by hand: add it there (registered with the internal version)", s.Name, vk.Name, name, g.Dir)})
					}
				}
			}
		}
	}
	for _, k := range g.Kinds {
		for _, name := range []string{k.Name, k.ListName} {
			if g.Hub.Type(name) == nil {
				errs = append(errs, &model.Problem{Pos: k.Pos, Msg: fmt.Sprintf("kind %s needs a type %s in the internal package %s, which you write by hand: add it there, or remove the package's types to let aggen derive them", k.Name, name, g.Dir)})
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return d, nil
}

// derive collects the hub types of a group: for every kind, its type, its
// list type and every type of the same package they reach, from the
// kind's storage version; and the enum types of those versions, with
// their constants, so code written against the hub can use them.
func derive(p *model.Project, g *model.Group) (*data, error) {
	d := &data{Project: p, Group: g}
	chosen := map[string]*model.Type{}
	roots := map[string]bool{}
	var add func(t *model.Type, why *model.Kind) error
	add = func(t *model.Type, why *model.Kind) error {
		if prev, ok := chosen[t.Name]; ok {
			if prev != t && prev.Source != t.Source {
				return &model.Problem{Pos: t.Pos, Msg: fmt.Sprintf("type %s differs between %s and %s, and the internal types aggen derives can hold one: kinds stored in different versions need the same %s, or write the internal types yourself in %s (as k8s.io/sample-apiserver has them)",
					t.Name, path.Base(path.Dir(prev.Pos.File)), path.Base(path.Dir(t.Pos.File)), t.Name, g.Dir)}
			}
			return nil
		}
		chosen[t.Name] = t
		for _, r := range refs(t) {
			if r.Named != nil && !r.Named.External && r.Named.Package == t.Package {
				if err := add(r.Named, why); err != nil {
					return err
				}
			}
		}
		// The refs resolve aliases away; the source, copied into the
		// hub, still names them.
		for _, name := range t.Uses {
			if u := p.Types[model.TypeID(t.Package, name)]; u != nil {
				if err := add(u, why); err != nil {
					return err
				}
			}
		}
		return nil
	}
	storage := map[*model.Version]bool{}
	for _, k := range g.Kinds {
		v := g.Version(k.Version)
		storage[v] = true
		roots[k.Name], roots[k.ListName] = true, true
		if err := add(k.Type, k); err != nil {
			return nil, err
		}
		if list := v.Type(k.ListName); list != nil {
			if err := add(list, k); err != nil {
				return nil, err
			}
		}
	}
	// The kinds of custom subresources, from every version that declares
	// one: runtime.Objects of the internal version too.
	for _, v := range g.Versions {
		for _, vk := range v.Kinds {
			for _, s := range vk.Subresources {
				for _, name := range s.Types() {
					t := v.Type(name)
					if t == nil {
						continue
					}
					if !roots[name] {
						roots[name] = true
						d.Subresources = append(d.Subresources, name)
					}
					if err := add(t, vk); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	sort.Strings(d.Subresources)
	for _, v := range g.Versions {
		if !storage[v] {
			continue
		}
		for _, t := range v.Types {
			if len(t.Constants) > 0 && t.Kind == model.OtherType {
				if _, taken := chosen[t.Name]; !taken {
					chosen[t.Name] = t
				}
			}
		}
	}
	names := make([]string, 0, len(chosen))
	for n := range chosen {
		names = append(names, n)
	}
	sort.Strings(names)
	imports := map[string]string{}
	for _, n := range names {
		t := chosen[n]
		ht := hubType{Doc: t.Doc, Root: roots[t.Name], Source: t.Source}
		for _, c := range t.Constants {
			ht.Constants = append(ht.Constants, constant{Name: c.Name, Type: t.Name, Value: literal(c.Value)})
		}
		d.Types = append(d.Types, ht)
		for name, p := range t.Imports {
			imports[name] = p
		}
		d.KindTaken = d.KindTaken || t.Name == "Kind"
	}
	for name, p := range imports {
		d.Imports = append(d.Imports, importSpec{Name: name, Path: p})
	}
	sort.Slice(d.Imports, func(i, j int) bool { return d.Imports[i].Path < d.Imports[j].Path })
	return d, nil
}

// refs lists the type references of a type's declaration.
func refs(t *model.Type) []*model.TypeRef {
	var out []*model.TypeRef
	var walk func(r *model.TypeRef)
	walk = func(r *model.TypeRef) {
		if r == nil {
			return
		}
		if r.Kind == model.NamedRef {
			out = append(out, r)
			return
		}
		walk(r.Elem)
		walk(r.Key)
	}
	walk(t.Ref)
	for _, f := range t.Fields {
		walk(f.Ref)
	}
	return out
}

// literal is the Go source of a constant's value.
func literal(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}
