package server

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/aggen-dev/aggen/generators/model"
	"github.com/aggen-dev/aggen/generators/output"
	"github.com/aggen-dev/aggen/generators/registry"
	"github.com/aggen-dev/aggen/templates"
)

// Places are where the server generator's files live.
var Places = []output.Place{"zz_generated.*"}

// RenderError wraps a template failure with the file being rendered.
type RenderError struct {
	Path string
	Err  error
}

func (e *RenderError) Error() string { return fmt.Sprintf("rendering %s: %v", e.Path, e.Err) }

func (e *RenderError) Unwrap() error { return e.Err }

type kindStorage struct {
	Kind   *model.Kind
	Alias  string // import alias of the registry package
	Path   string
	Status bool
	Scale  bool
	// Computed is set for a computed kind: its storage takes the server's
	// informers and client instead of etcd options.
	Computed bool
	// Subresources are the custom subresources the kind has in this version.
	Subresources []subresourceStorage
	// Backend is where the kind is stored (model.StorageBackend).
	Backend string
}

// subresourceStorage is a custom subresource served in one version.
type subresourceStorage struct {
	Name, GoName string
}

type versionStorage struct {
	Name  string
	Kinds []kindStorage
}

type groupData struct {
	Group        *model.Group
	InstallAlias string
	Versions     []versionStorage
	// Storages are the kinds served in any version, each once: their
	// storage is built once and shared by the versions.
	Storages []kindStorage
	// Connect is set when a kind of the group has a connect subresource:
	// its options are decoded from query parameters with the server's
	// scheme, which knows them, instead of metav1's.
	Connect bool
}

type storageVersion struct {
	Group, Kind, Version string
}

// overlay completes the OpenAPI definitions of a kind's root type in one
// version with the kind's schema in that version.
type overlay struct {
	VersionAlias  string // import alias of the version package
	Kind          string
	Version       string
	RegistryAlias string // import alias of the kind's registry package
}

// kindOverlays are the overlays of one kind, which parse its schemas once.
type kindOverlays struct {
	RegistryAlias string
	Versions      []overlay
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
	Overlays        []kindOverlays
	FirstResource   *firstResource
	// LongRunning are the names of the connect subresources, whose
	// requests the server lets run past its request timeout.
	LongRunning []string
	// HasComputed is set when a kind is computed (+aggen:computed): the
	// server's loopback clientset and shared informers go into the
	// apiserver's Config for the sources of computed kinds.
	HasComputed bool
	// Storage is set when a kind is stored elsewhere than etcd
	// (+aggen:storage): the server then starts kine for each such backend.
	Storage *storageData
}

// storageData describes the storage backends other than etcd in use.
type storageData struct {
	SQLite, Postgres, MySQL, Memory bool
	// UsesEtcd is set when some kind is still stored in etcd.
	UsesEtcd bool
	Backends []backendData
}

// backendData is one backend other than etcd and the resources stored
// there ("bees.insects.example.com"), sorted.
type backendData struct {
	Name      string
	Resources []string
}

// newStorageData returns the kine backends the project uses, or nil.
func newStorageData(p *model.Project) *storageData {
	backends := p.KineBackends()
	if len(backends) == 0 {
		return nil
	}
	sd := &storageData{UsesEtcd: p.UsesEtcd()}
	for _, b := range backends {
		bd := backendData{Name: string(b)}
		for _, g := range p.Groups {
			for _, k := range g.Kinds {
				if k.Storage == b {
					bd.Resources = append(bd.Resources, k.Plural+"."+g.GroupName)
				}
			}
		}
		sort.Strings(bd.Resources)
		sd.Backends = append(sd.Backends, bd)
		switch b {
		case model.SQLiteStorage:
			sd.SQLite = true
		case model.PostgresStorage:
			sd.Postgres = true
		case model.MySQLStorage:
			sd.MySQL = true
		case model.MemoryStorage:
			sd.Memory = true
		}
	}
	return sd
}

// StorageFile is the generated file of the storage backends' flags and
// kine, present when a kind is stored elsewhere than etcd.
const StorageFile = "pkg/cmd/server/zz_generated.storage.go"

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

// EtcdPrefix is where the server keeps its objects in etcd:
// /registry/<name>.<domain>. Keys below it are <group>/<resource>/...,
// as in every server built on k8s.io/apiserver's storage options. For a
// project named after its one group this is k8s.io/sample-apiserver's
// layout (/registry/wardle.example.com for group wardle.example.com).
// It is not derived from the groups, so that adding or removing a group
// never moves the objects of the others; --etcd-prefix overrides it.
func EtcdPrefix(p *model.Project) string {
	return "/registry/" + projectName(p) + "." + p.Domain
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
		Header:      header(p),
		Project:     p,
		Name:        projectName(p),
		Title:       projectName(p),
		PluginName:  AdmissionPluginName(p),
		EtcdPrefix:  EtcdPrefix(p),
		HasComputed: registry.HasComputed(p),
		Storage:     newStorageData(p),
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
				ks := kindStorage{Kind: k, Alias: g.Name + name, Path: importPath, Status: k.Status && k.HasStatusField(), Scale: k.Scale != nil, Computed: k.Computed, Backend: string(k.Storage)}
				if ks.Backend == "" {
					ks.Backend = string(model.EtcdStorage)
				}
				for _, s := range vk.Subresources {
					ks.Subresources = append(ks.Subresources, subresourceStorage{Name: s.Name, GoName: model.GoName(s.Name)})
					if s.Type == model.ConnectSubresource {
						gd.Connect = true
						if !slices.Contains(d.LongRunning, s.Name) {
							d.LongRunning = append(d.LongRunning, s.Name)
						}
					}
				}
				vs.Kinds = append(vs.Kinds, ks)
				if !slices.ContainsFunc(gd.Storages, func(s kindStorage) bool { return s.Kind == k }) {
					gd.Storages = append(gd.Storages, ks)
				}
			}
			if len(vs.Kinds) > 0 {
				gd.Versions = append(gd.Versions, vs)
			}
		}
		for _, k := range g.Kinds {
			_, _, name := registry.KindPackage(p, g, k)
			ko := kindOverlays{RegistryAlias: g.Name + name}
			for _, v := range g.Versions {
				if v.Kind(k.Name) == nil {
					continue
				}
				alias := g.Name + v.Name
				versionImports[alias] = v.Package
				ko.Versions = append(ko.Versions, overlay{VersionAlias: alias, Kind: k.Name, Version: v.Name, RegistryAlias: ko.RegistryAlias})
			}
			d.Overlays = append(d.Overlays, ko)
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
	sort.Strings(d.LongRunning)
	for alias, p := range versionImports {
		d.VersionImports = append(d.VersionImports, importLine{Alias: alias, Path: p})
	}
	sort.Slice(d.VersionImports, func(i, j int) bool { return d.VersionImports[i].Path < d.VersionImports[j].Path })
	sort.Slice(d.RegistryImports, func(i, j int) bool { return d.RegistryImports[i].Path < d.RegistryImports[j].Path })
	return d, nil
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
		{"server/frontproxy.go.tmpl", "pkg/cmd/server/zz_generated.frontproxy.go"},
		{"server/stack.go.tmpl", "pkg/apiserver/zz_generated.stack.go"},
		{"server/version.go.tmpl", "pkg/cmd/server/zz_generated.version.go"},
		{"server/initializer.go.tmpl", "pkg/admission/initializer/zz_generated.initializer.go"},
	} {
		f, err := render(r, t.tmpl, t.file, d, output.Generated)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	if d.HasGroups {
		f, err := render(r, "server/informers.go.tmpl", "pkg/apiserver/zz_generated.informers.go", d, output.Generated)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	if d.Storage != nil {
		f, err := render(r, "server/storage.go.tmpl", StorageFile, d, output.Generated)
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
