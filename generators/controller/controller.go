package controller

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/aggen-dev/aggen/generators/model"
	"github.com/aggen-dev/aggen/generators/output"
	"github.com/aggen-dev/aggen/templates"
)

// RenderError wraps a template failure with the file being rendered.
type RenderError struct {
	Path string
	Err  error
}

func (e *RenderError) Error() string { return fmt.Sprintf("rendering %s: %v", e.Path, e.Err) }

func (e *RenderError) Unwrap() error { return e.Err }

type versionImport struct {
	Alias, Path string
}

type reconciler struct {
	Group   *model.Group
	Kind    *model.Kind
	Package string // Go package of pkg/controller/<group>
	Alias   string // import alias of the kind's storage version
	Path    string // import path of the kind's storage version
	Version string // the kind's storage version
	File    string
	// Status writes: what the default reconcile sets.
	StatusSubresource  bool
	ObservedGeneration bool
	Conditions         bool
}

type data struct {
	Header      string
	Project     *model.Project
	Name        string
	Versions    []versionImport
	Reconcilers []reconciler
	Packages    []versionImport // controller packages to import
	// Reconciler is set when rendering one reconciler file.
	Reconciler *reconciler
}

func header(p *model.Project) string {
	h := strings.TrimRight(p.Boilerplate, "\n")
	if h != "" {
		h += "\n\n"
	}
	return h
}

// ControllerFile is the path of the user-owned reconciler of a kind.
func ControllerFile(g *model.Group, k *model.Kind) string {
	return path.Join("pkg", "controller", g.Name, strings.ToLower(k.Name)+"_controller.go")
}

func newData(p *model.Project) *data {
	name := p.Name
	if name == "" {
		name = path.Base(p.Module)
	}
	d := &data{Header: header(p), Project: p, Name: name}
	seenPkg := map[string]bool{}
	for _, g := range p.Groups {
		for _, v := range g.Versions {
			d.Versions = append(d.Versions, versionImport{Alias: g.Name + v.Name, Path: v.Package})
		}
		for _, k := range g.Kinds {
			// A computed kind (+aggen:computed) cannot be written: there is
			// nothing for a reconciler to do.
			if !k.Controller || k.Computed {
				continue
			}
			v := g.Version(k.Version)
			if v == nil {
				continue
			}
			rc := reconciler{Group: g, Kind: k, Package: g.Name, Alias: g.Name + v.Name, Path: v.Package, Version: v.Name, File: ControllerFile(g, k)}
			if st := statusType(v, k); st != nil {
				rc.StatusSubresource = k.Status
				if f := st.Field("ObservedGeneration"); f != nil && f.Type.Basic == "int64" && !f.Type.Pointer {
					rc.ObservedGeneration = true
				}
				if f := st.Field("Conditions"); f != nil && f.Type.Slice && f.Type.Elem != nil &&
					f.Type.Elem.Package == "k8s.io/apimachinery/pkg/apis/meta/v1" && f.Type.Elem.Name == "Condition" {
					rc.Conditions = true
				}
			}
			d.Reconcilers = append(d.Reconcilers, rc)
			pkgPath := p.Module + "/pkg/controller/" + g.Name
			if !seenPkg[pkgPath] {
				seenPkg[pkgPath] = true
				d.Packages = append(d.Packages, versionImport{Alias: g.Name + "controller", Path: pkgPath})
			}
		}
	}
	return d
}

func statusType(v *model.Version, k *model.Kind) *model.Type {
	if k.Type == nil {
		return nil
	}
	f := k.Type.Field("Status")
	if f == nil || f.Type.Local == "" {
		return nil
	}
	t := v.Type(f.Type.Local)
	if t == nil || t.Kind != model.StructType {
		return nil
	}
	return t
}

func render(r *templates.Renderer, tmpl, filePath string, d any, owner output.Ownership) (*output.File, error) {
	b, err := r.RenderGo(tmpl, d)
	if err != nil {
		return nil, &RenderError{Path: filePath, Err: err}
	}
	return &output.File{Path: filePath, Data: b, Owner: owner}, nil
}

// Generate renders pkg/controller/zz_generated.controllers.go: the scheme
// of the manager and the registration of every reconciler; and, for every
// group with reconcilers, pkg/controller/<group>/zz_generated.reconcile.go:
// what the scaffolded reconcilers need to know about the types.
func Generate(r *templates.Renderer, p *model.Project) ([]*output.File, error) {
	d := newData(p)
	f, err := render(r, "controller/controllers.go.tmpl", "pkg/controller/zz_generated.controllers.go", d, output.Generated)
	if err != nil {
		return nil, err
	}
	out := []*output.File{f}
	for _, g := range groupsOf(d) {
		f, err := render(r, "controller/reconcile.go.tmpl", path.Join("pkg", "controller", g.Package, "zz_generated.reconcile.go"), g, output.Generated)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// groupData is one controller package: the reconcilers of a group.
type groupData struct {
	Header      string
	Package     string
	Reconcilers []reconciler
	Versions    []versionImport
	// Conditions is set when some reconciler records a condition.
	Conditions bool
}

func groupsOf(d *data) []*groupData {
	var out []*groupData
	byPackage := map[string]*groupData{}
	for _, rc := range d.Reconcilers {
		g := byPackage[rc.Package]
		if g == nil {
			g = &groupData{Header: d.Header, Package: rc.Package}
			byPackage[rc.Package] = g
			out = append(out, g)
		}
		g.Reconcilers = append(g.Reconcilers, rc)
		g.Conditions = g.Conditions || rc.Conditions
		if !slices.ContainsFunc(g.Versions, func(v versionImport) bool { return v.Path == rc.Path }) {
			g.Versions = append(g.Versions, versionImport{Alias: rc.Alias, Path: rc.Path})
		}
	}
	return out
}

// Scaffold renders cmd/controller-manager/main.go and the reconciler of
// every kind whose Controller is set.
func Scaffold(r *templates.Renderer, p *model.Project) ([]*output.File, error) {
	d := newData(p)
	main, err := render(r, "controller/main.go.tmpl", "cmd/controller-manager/main.go", d, output.UserOwned)
	if err != nil {
		return nil, err
	}
	out := []*output.File{main}
	for i := range d.Reconcilers {
		rd := *d
		rd.Reconciler = &d.Reconcilers[i]
		f, err := render(r, "controller/reconciler.go.tmpl", rd.Reconciler.File, &rd, output.UserOwned)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}
