package hub

import (
	"fmt"
	"path"
	"sort"

	"github.com/aggen-dev/aggen/generators/model"
	"github.com/aggen-dev/aggen/generators/output"
	"github.com/aggen-dev/aggen/templates"
)

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
	Doc    []string
	Root   bool
	Source string
}

type data struct {
	Project *model.Project
	Group   *model.Group
	Storage *model.Version
	Imports []importSpec
	Types   []hubType
	// KindTaken is set when a user type is named Kind: the hub then goes
	// without its Kind helper, which nothing aggen generates calls.
	KindTaken bool
}

// Generate renders the hub and install packages of every group.
func Generate(r *templates.Renderer, p *model.Project) ([]*output.File, error) {
	var out []*output.File
	for _, g := range p.Groups {
		storage := g.StorageVersion()
		if storage == nil {
			continue
		}
		d := data{Project: p, Group: g, Storage: storage}
		roots := map[string]bool{}
		for _, k := range storage.Kinds {
			roots[k.Name] = true
			roots[k.ListName] = true
		}
		imports := map[string]string{}
		for _, t := range storage.Types {
			d.Types = append(d.Types, hubType{Doc: t.Doc, Root: roots[t.Name], Source: t.Source})
			for name, p := range t.Imports {
				imports[name] = p
			}
			d.KindTaken = d.KindTaken || t.Name == "Kind"
		}
		for name, p := range imports {
			d.Imports = append(d.Imports, importSpec{Name: name, Path: p})
		}
		sort.Slice(d.Imports, func(i, j int) bool { return d.Imports[i].Path < d.Imports[j].Path })
		files := Files(g)
		for i, tmpl := range []string{"hub/doc.go.tmpl", "hub/types.go.tmpl", "hub/scheme.go.tmpl", "hub/install.go.tmpl"} {
			b, err := r.RenderGo(tmpl, d)
			if err != nil {
				return nil, fmt.Errorf("hub of group %s: %w", g.Name, err)
			}
			out = append(out, &output.File{Path: files[i], Data: b, Owner: output.Generated})
		}
	}
	return out, nil
}
