package hub

import (
	"fmt"
	"path"
	"regexp"
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
		var sources []string
		for _, t := range storage.Types {
			d.Types = append(d.Types, hubType{Doc: t.Doc, Root: roots[t.Name], Source: t.Source})
			sources = append(sources, t.Source)
		}
		d.Imports = usedImports(storage.Imports, sources)
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

// usedImports keeps the imports that the copied declarations refer to.
func usedImports(all map[string]string, sources []string) []importSpec {
	var out []importSpec
	for name, p := range all {
		re := regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + `\.`)
		for _, s := range sources {
			if re.MatchString(s) {
				out = append(out, importSpec{Name: name, Path: p})
				break
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}
