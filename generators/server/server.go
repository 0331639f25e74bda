package server

import (
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/aggen-dev/aggen/generators/model"
	"github.com/aggen-dev/aggen/generators/output"
	"github.com/aggen-dev/aggen/generators/registry"
	"github.com/aggen-dev/aggen/templates"
)

// RenderError wraps a template failure with the file being rendered.
type RenderError struct {
	Path string
	Err  error
}

func (e *RenderError) Error() string { return fmt.Sprintf("rendering %s: %v", e.Path, e.Err) }

func (e *RenderError) Unwrap() error { return e.Err }

// DefaultError reports a +default or +kubebuilder:default value that is not
// JSON, at the field that carries it.
type DefaultError struct {
	Pos   model.Position
	Value string
	Err   error
}

func (e *DefaultError) Error() string {
	return fmt.Sprintf("%s: default %s: %v", e.Pos, e.Value, e.Err)
}

type kindStorage struct {
	Kind   *model.Kind
	Alias  string // import alias of the registry package
	Path   string
	Status bool
	Scale  bool
}

type versionStorage struct {
	Name  string
	Kinds []kindStorage
}

type groupData struct {
	Group        *model.Group
	InstallAlias string
	Versions     []versionStorage
}

type storageVersion struct {
	Group, Kind, Version string
}

type patch struct {
	Alias      string // import alias of the version package
	Type       string
	Property   string
	Statements []string
	Required   bool
}

type importLine struct {
	Alias, Path string
}

type data struct {
	Header          string
	Project         *model.Project
	Name            string
	Title           string
	PluginName      string
	EtcdPrefix      string
	HasGroups       bool
	HasScale        bool
	Groups          []groupData
	RegistryImports []importLine
	StorageVersions []storageVersion
	VersionImports  []importLine
	Patches         []patch
	FirstResource   *firstResource
	NeedJSON        bool
}

type firstResource struct {
	VersionAlias string
	VersionPath  string
	Plural       string
}

func header(p *model.Project) string {
	h := strings.TrimRight(p.Boilerplate, "\n")
	if h != "" {
		h += "\n\n"
	}
	return h
}

// projectName is the name of the project, never empty.
func projectName(p *model.Project) string {
	if p.Name != "" {
		return p.Name
	}
	return path.Base(p.Module)
}

// GoName turns "insects-server" into "InsectsServer".
func GoName(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			if b.Len() == 0 && r >= '0' && r <= '9' {
				b.WriteString("X")
			}
			if up && r >= 'a' && r <= 'z' {
				r -= 'a' - 'A'
			}
			b.WriteRune(r)
			up = false
		default:
			up = true
		}
	}
	return b.String()
}

// AdmissionPluginName is the name the scaffolded admission plugin registers.
func AdmissionPluginName(p *model.Project) string { return GoName(projectName(p)) }

func newData(p *model.Project) (*data, error) {
	d := &data{
		Header:     header(p),
		Project:    p,
		Name:       projectName(p),
		Title:      projectName(p),
		PluginName: AdmissionPluginName(p),
		EtcdPrefix: "/registry/" + projectName(p),
	}
	versionImports := map[string]string{}
	for _, g := range p.Groups {
		if len(g.Kinds) == 0 {
			continue
		}
		d.HasGroups = true
		gd := groupData{Group: g, InstallAlias: g.Name + "install"}
		for _, k := range g.Kinds {
			d.StorageVersions = append(d.StorageVersions, storageVersion{Group: g.GroupName, Kind: k.Name, Version: k.Version})
			importPath, _, name := registry.KindPackage(p, g, k)
			d.RegistryImports = append(d.RegistryImports, importLine{Alias: g.Name + name, Path: importPath})
			if k.Scale != nil {
				d.HasScale = true
			}
		}
		for _, v := range g.Versions {
			vs := versionStorage{Name: v.Name}
			for _, vk := range v.Kinds {
				k := g.Kind(vk.Name)
				if k == nil {
					continue
				}
				importPath, _, name := registry.KindPackage(p, g, k)
				vs.Kinds = append(vs.Kinds, kindStorage{Kind: k, Alias: g.Name + name, Path: importPath, Status: k.Status && k.HasStatusField(), Scale: k.Scale != nil})
			}
			if len(vs.Kinds) > 0 {
				gd.Versions = append(gd.Versions, vs)
			}
			alias := g.Name + v.Name
			for _, t := range v.Types {
				if t.Kind != model.StructType {
					continue
				}
				for _, f := range t.Fields {
					pt, err := propertyPatch(v, t, f)
					if err != nil {
						return nil, err
					}
					if pt == nil {
						continue
					}
					pt.Alias = alias
					versionImports[alias] = v.Package
					for _, s := range pt.Statements {
						if strings.Contains(s, "mustJSON") {
							d.NeedJSON = true
						}
					}
					d.Patches = append(d.Patches, *pt)
				}
			}
		}
		if d.FirstResource == nil {
			if len(g.Kinds) > 0 {
				k := g.Kinds[0]
				sv := g.Version(k.Version)
				d.FirstResource = &firstResource{VersionAlias: g.Name + sv.Name, VersionPath: sv.Package, Plural: k.Plural}
			}
		}
		d.Groups = append(d.Groups, gd)
	}
	for alias, p := range versionImports {
		d.VersionImports = append(d.VersionImports, importLine{Alias: alias, Path: p})
	}
	sort.Slice(d.VersionImports, func(i, j int) bool { return d.VersionImports[i].Path < d.VersionImports[j].Path })
	sort.Slice(d.RegistryImports, func(i, j int) bool { return d.RegistryImports[i].Path < d.RegistryImports[j].Path })
	return d, nil
}

func fl(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func isNumeric(basic string) bool {
	return strings.HasPrefix(basic, "int") || strings.HasPrefix(basic, "uint") || strings.HasPrefix(basic, "float")
}

// propertyPatch returns what the markers of a field add to the OpenAPI
// property that openapi-gen wrote for it, or nil.
func propertyPatch(v *model.Version, t *model.Type, f *model.Field) (*patch, error) {
	if f.JSONName == "" || f.Inline {
		return nil, nil
	}
	val := f.Validation
	base := f.Type
	if base.Pointer && base.Elem != nil {
		base = *base.Elem
	}
	if base.Local != "" {
		if nt := v.Type(base.Local); nt != nil && nt.Kind != model.StructType {
			val = mergeValidation(val, nt.Validation)
		}
	}
	var st []string
	if val.Minimum != nil {
		st = append(st, "s.Minimum = ptrFloat("+fl(*val.Minimum)+")")
		if val.ExclusiveMinimum {
			st = append(st, "s.ExclusiveMinimum = true")
		}
	}
	if val.Maximum != nil {
		st = append(st, "s.Maximum = ptrFloat("+fl(*val.Maximum)+")")
		if val.ExclusiveMaximum {
			st = append(st, "s.ExclusiveMaximum = true")
		}
	}
	if val.MultipleOf != nil {
		st = append(st, "s.MultipleOf = ptrFloat("+fl(*val.MultipleOf)+")")
	}
	if val.MinLength != nil {
		st = append(st, fmt.Sprintf("s.MinLength = ptrInt64(%d)", *val.MinLength))
	}
	if val.MaxLength != nil {
		st = append(st, fmt.Sprintf("s.MaxLength = ptrInt64(%d)", *val.MaxLength))
	}
	if val.Pattern != "" {
		st = append(st, "s.Pattern = "+strconv.Quote(unquote(val.Pattern)))
	}
	if len(val.Enum) > 0 {
		var items []string
		for _, e := range val.Enum {
			e = unquote(e)
			if isNumeric(base.Basic) {
				if _, err := strconv.ParseFloat(e, 64); err == nil {
					items = append(items, e)
				}
				continue
			}
			items = append(items, strconv.Quote(e))
		}
		st = append(st, "s.Enum = []interface{}{"+strings.Join(items, ", ")+"}")
	}
	if val.MinItems != nil {
		st = append(st, fmt.Sprintf("s.MinItems = ptrInt64(%d)", *val.MinItems))
	}
	if val.MaxItems != nil {
		st = append(st, fmt.Sprintf("s.MaxItems = ptrInt64(%d)", *val.MaxItems))
	}
	if val.UniqueItems {
		st = append(st, "s.UniqueItems = true")
	}
	if val.Format != "" {
		st = append(st, "s.Format = "+strconv.Quote(val.Format))
	}
	if val.MinProperties != nil {
		st = append(st, fmt.Sprintf("s.MinProperties = ptrInt64(%d)", *val.MinProperties))
	}
	if val.MaxProperties != nil {
		st = append(st, fmt.Sprintf("s.MaxProperties = ptrInt64(%d)", *val.MaxProperties))
	}
	if f.Default != nil {
		raw := strings.TrimSpace(*f.Default)
		var decoded interface{}
		if err := json.Unmarshal([]byte(raw), &decoded); err != nil {
			if base.Basic != "string" {
				return nil, &DefaultError{Pos: f.Pos, Value: raw, Err: err}
			}
			decoded = unquote(raw)
		}
		canonical, _ := json.Marshal(decoded)
		st = append(st, "s.Default = mustJSON("+strconv.Quote(string(canonical))+")")
	}
	if len(st) == 0 && !f.Required {
		return nil, nil
	}
	return &patch{Type: t.Name, Property: f.JSONName, Statements: st, Required: f.Required}, nil
}

func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '`' && s[len(s)-1] == '`') {
		if u, err := strconv.Unquote(s); err == nil {
			return u
		}
		return s[1 : len(s)-1]
	}
	return s
}

func mergeValidation(f, t model.Validation) model.Validation {
	out := f
	if out.Minimum == nil {
		out.Minimum, out.ExclusiveMinimum = t.Minimum, t.ExclusiveMinimum
	}
	if out.Maximum == nil {
		out.Maximum, out.ExclusiveMaximum = t.Maximum, t.ExclusiveMaximum
	}
	if out.MultipleOf == nil {
		out.MultipleOf = t.MultipleOf
	}
	if out.MinLength == nil {
		out.MinLength = t.MinLength
	}
	if out.MaxLength == nil {
		out.MaxLength = t.MaxLength
	}
	if out.Pattern == "" {
		out.Pattern = t.Pattern
	}
	if len(out.Enum) == 0 {
		out.Enum = t.Enum
	}
	if out.Format == "" {
		out.Format = t.Format
	}
	return out
}

func render(r *templates.Renderer, tmpl, filePath string, d any, owner output.Ownership) (*output.File, error) {
	b, err := r.RenderGo(tmpl, d)
	if err != nil {
		return nil, &RenderError{Path: filePath, Err: err}
	}
	return &output.File{Path: filePath, Data: b, Owner: owner}, nil
}

// Generate renders the generated files of the server: the API wiring and
// OpenAPI completion in pkg/apiserver, the options and command in
// pkg/cmd/server and the admission plugin initializer.
func Generate(r *templates.Renderer, p *model.Project) ([]*output.File, error) {
	d, err := newData(p)
	if err != nil {
		return nil, err
	}
	var out []*output.File
	for _, t := range []struct{ tmpl, file string }{
		{"server/apiserver.go.tmpl", "pkg/apiserver/zz_generated.apiserver.go"},
		{"server/openapi.go.tmpl", "pkg/apiserver/zz_generated.openapi.go"},
		{"server/server.go.tmpl", "pkg/cmd/server/zz_generated.server.go"},
		{"server/initializer.go.tmpl", "pkg/admission/initializer/zz_generated.initializer.go"},
	} {
		f, err := render(r, t.tmpl, t.file, d, output.Generated)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// Scaffold renders the user-owned files of the server: cmd/apiserver/main.go,
// the customization hook of pkg/apiserver, the admission plugin and the
// list of admission plugins to register.
func Scaffold(r *templates.Renderer, p *model.Project) ([]*output.File, error) {
	d, err := newData(p)
	if err != nil {
		return nil, err
	}
	var out []*output.File
	for _, t := range []struct{ tmpl, file string }{
		{"server/main.go.tmpl", "cmd/apiserver/main.go"},
		{"server/customize.go.tmpl", "pkg/apiserver/customize.go"},
		{"server/admission.go.tmpl", "pkg/cmd/server/admission.go"},
		{"server/plugin.go.tmpl", "pkg/admission/plugin/admission.go"},
	} {
		f, err := render(r, t.tmpl, t.file, d, output.UserOwned)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}
