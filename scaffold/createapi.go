package scaffold

import (
	"errors"
	"fmt"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/kube-openapi/pkg/util"

	"github.com/aggen-dev/aggen/generators"
	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/generators/model"
	"github.com/aggen-dev/aggen/generators/output"
)

// CreateAPIOptions are the flags of `aggen create api`.
type CreateAPIOptions struct {
	Dir string
	// Group is the group's first label (its directory under pkg/apis),
	// more labels (gateway.networking), or a full group name that ends in
	// the project's domain; Domain, when set, replaces the project's
	// domain for this group.
	Group      string
	Domain     string
	Version    string
	Kind       string
	Plural     string
	Namespaced bool
	Status     bool
	Scale      bool
	Controller bool
	Force      bool
	// SkipTidy skips `go mod tidy` after generating (tests that run offline).
	SkipTidy bool
	Out      io.Writer
	Progress io.Writer
	// Templates is the template set to render; nil is the running one.
	// Tests make projects of an older aggen with an older set.
	Templates fs.FS
	// beforeCommit is Apply's hook; tests use it to fail a run late.
	beforeCommit func() error
	// label is the group's first label: its directory and Go package.
	label string
	// groupName is the API group, settled against the project.
	groupName string
}

// Validate checks every name and fills defaults.
func (o *CreateAPIOptions) Validate() error {
	if o.Group == "" || o.Version == "" || o.Kind == "" {
		return usagef("--group, --version and --kind are required")
	}
	label, _, multi := strings.Cut(o.Group, ".")
	if errs := validation.IsDNS1123Label(label); len(errs) > 0 {
		return usagef("--group %q: %q is not a DNS-1123 label: %s", o.Group, label, strings.Join(errs, "; "))
	}
	if strings.Contains(label, "-") || token.IsKeyword(label) {
		return usagef("--group %q: its first label %q is also a Go package name (the directory pkg/apis/%s): use letters and digits only, and no Go keyword", o.Group, label, label)
	}
	if errs := validation.IsDNS1123Subdomain(o.Group); multi && len(errs) > 0 {
		return usagef("--group %q is not a lower-case DNS subdomain: %s", o.Group, strings.Join(errs, "; "))
	}
	if errs := validation.IsDNS1123Subdomain(o.Domain); o.Domain != "" && len(errs) > 0 {
		return usagef("--domain %q is not a lower-case DNS subdomain: %s", o.Domain, strings.Join(errs, "; "))
	}
	o.label = label
	if !model.ValidVersion(o.Version) {
		return usagef("--version %q is not a Kubernetes API version such as v1, v1alpha1 or v2beta3", o.Version)
	}
	// The loader's rule, so create api refuses exactly what generate would.
	if problem := loader.KindNameProblem(o.Kind); problem != "" {
		return usagef("--kind %s: %s", o.Kind, problem)
	}
	for _, suffix := range []string{"List", "Spec", "Status"} {
		if strings.HasSuffix(o.Kind, suffix) {
			return usagef("--kind %s ends in %q, which clashes with the %s type aggen derives for another kind", o.Kind, suffix, suffix)
		}
	}
	if o.Plural == "" {
		o.Plural = loader.Plural(o.Kind)
	} else if errs := validation.IsDNS1123Label(o.Plural); len(errs) > 0 || strings.ToLower(o.Plural) != o.Plural {
		return usagef("--plural %q must be a lower-case DNS-1123 label", o.Plural)
	}
	if o.Scale && !o.Status {
		return usagef("--scale needs --status: the scale subresource reads .status.replicas")
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	return nil
}

type apiData struct {
	Project                                     *model.Project
	Group, Version, Kind, Plural, DefaultPlural string
	GroupName, HubPackage, ModelPackage         string
	Namespaced, Status, Scale                   bool
}

// DuplicateKindError is returned when the kind already exists.
type DuplicateKindError struct {
	Kind, GroupVersion string
	Pos                model.Position
}

func (e *DuplicateKindError) Error() string {
	return fmt.Sprintf("%s: kind %s already exists in %s (use --force to overwrite its types file)", e.Pos, e.Kind, e.GroupVersion)
}

// CreateAPI writes the user-owned types file of a new kind (and the
// version's doc.go when new) and regenerates, as one change: everything
// runs first in a private copy of the project (see shadow), and the real
// tree is written once, atomically, only when all of it succeeded.
func CreateAPI(o CreateAPIOptions) error {
	if err := o.Validate(); err != nil {
		return err
	}
	plan, res, err := planCreateAPI(&o)
	if err != nil {
		return err
	}
	warn(o.Out, res)
	if err := plan.Apply(o.beforeCommit); err != nil {
		return err
	}
	plan.Report(o.Out, "create api")
	return nil
}

// planCreateAPI renders the kind's files, regenerates and tidies in a
// shadow of the project, and returns the plan that makes the real tree
// match, having written nothing to it.
func planCreateAPI(o *CreateAPIOptions) (*Plan, *generators.Result, error) {
	p, err := loader.Load(o.Dir)
	if err != nil {
		return nil, nil, err
	}
	if err := o.settleGroupName(p); err != nil {
		return nil, nil, err
	}
	if g := p.Group(o.label); g != nil {
		for _, v := range g.Versions {
			if k := v.Kind(o.Kind); k != nil && (v.Name == o.Version) && !o.Force {
				return nil, nil, &DuplicateKindError{Kind: o.Kind, GroupVersion: g.GroupName + "/" + v.Name, Pos: k.Pos}
			}
			if k := v.Kind(o.Kind); k != nil && k.Namespaced != o.Namespaced {
				return nil, nil, usagef("kind %s is %s in %s; every version of a kind has the same scope", o.Kind, scopeWord(k.Namespaced), v.Name)
			}
		}
		for _, k := range g.Kinds {
			if k.Name != o.Kind && k.Plural == o.Plural {
				return nil, nil, usagef("resource name %s is already used by kind %s in group %s; pick another with --plural", o.Plural, k.Name, g.Name)
			}
		}
	}
	own, err := renderKindFiles(o, p)
	if err != nil {
		return nil, nil, err
	}
	sh, err := newShadow(o.Dir)
	if err != nil {
		return nil, nil, err
	}
	defer sh.remove()
	ownPlan := &Plan{Root: o.Dir}
	for _, f := range own {
		if err := ownPlan.Put(f.Path, f.Data, f.Mode); err != nil {
			return nil, nil, err
		}
	}
	if err := sh.apply(ownPlan); err != nil {
		return nil, nil, sh.relocate(err)
	}
	gen := GenerateOptions{Dir: sh.dir, Progress: o.Progress, Templates: o.Templates}
	if o.Controller {
		gen.Controllers = map[string]bool{o.label + "/" + o.Kind: true}
	}
	res, err := renderFiles(&gen)
	if err != nil {
		return nil, nil, sh.relocate(err)
	}
	plan, err := NewPlan(o.Dir, res.Files, false)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range ownPlan.Changes {
		if err := plan.Put(c.Path, c.New, c.Mode); err != nil {
			return nil, nil, err
		}
		plan.change(c.Path).Scaffold = true
	}
	if !o.SkipTidy {
		if err := sh.apply(plan); err != nil {
			return nil, nil, sh.relocate(err)
		}
		if err := goCommand(sh.dir, o.Out, "resolving dependencies", "mod", "tidy"); err != nil {
			return nil, nil, sh.relocate(err)
		}
		if err := sh.carry(plan, "go.mod", "go.sum"); err != nil {
			return nil, nil, sh.relocate(err)
		}
	}
	if err := plan.recordScaffold(); err != nil {
		return nil, nil, err
	}
	return plan, res, nil
}

// renderKindFiles renders the new kind's types file, and the version's
// doc.go when the version is new. A types file that exists is replaced
// only with --force.
func renderKindFiles(o *CreateAPIOptions, p *model.Project) ([]*output.File, error) {
	groupName := o.groupName
	d := apiData{
		Project: p, Group: o.label, Version: o.Version, Kind: o.Kind, Plural: o.Plural,
		DefaultPlural: loader.Plural(o.Kind), GroupName: groupName,
		HubPackage: path.Join(p.Module, loader.APIsDir, o.label),
		// Model names follow the Go import path, as k8s.io types and
		// sample-apiserver do: applyconfiguration-gen finds the schema of
		// a type only under that name.
		ModelPackage: util.ToRESTFriendlyName(path.Join(p.Module, loader.APIsDir, o.label, o.Version)),
		Namespaced:   o.Namespaced, Status: o.Status, Scale: o.Scale,
	}
	r, err := renderer(o.Templates)
	if err != nil {
		return nil, err
	}
	dir := path.Join(loader.APIsDir, o.label, o.Version)
	var out []*output.File
	docPath := path.Join(dir, "doc.go")
	if _, err := os.Stat(filepath.Join(o.Dir, filepath.FromSlash(docPath))); errors.Is(err, fs.ErrNotExist) {
		b, err := r.RenderGo("api/doc.go.tmpl", d)
		if err != nil {
			return nil, err
		}
		out = append(out, &output.File{Path: docPath, Data: b, Owner: output.UserOwned})
	}
	b, err := r.RenderGo("api/types.go.tmpl", d)
	if err != nil {
		return nil, err
	}
	typesPath := path.Join(dir, strings.ToLower(o.Kind)+"_types.go")
	if _, err := os.Stat(filepath.Join(o.Dir, filepath.FromSlash(typesPath))); err == nil && !o.Force {
		return nil, usagef("%s exists; move it away, or run with --force to replace it", typesPath)
	}
	return append(out, &output.File{Path: typesPath, Data: b, Owner: output.UserOwned}), nil
}

func scopeWord(namespaced bool) string {
	if namespaced {
		return "namespaced"
	}
	return "cluster-scoped"
}

// settleGroupName works out the API group: --group joined with --domain
// or the project's domain (a --group that already ends in the project's
// domain is the full name), or, for a bare first label naming a group
// the project has, that group's name whatever its domain.
func (o *CreateAPIOptions) settleGroupName(p *model.Project) error {
	_, _, multi := strings.Cut(o.Group, ".")
	switch {
	case o.Domain != "":
		o.groupName = o.Group + "." + o.Domain
	case strings.HasSuffix(o.Group, "."+p.Domain):
		o.groupName = o.Group
	default:
		o.groupName = o.Group + "." + p.Domain
	}
	if errs := validation.IsDNS1123Subdomain(o.groupName); len(errs) > 0 {
		return usagef("API group %q is not a lower-case DNS subdomain: %s", o.groupName, strings.Join(errs, "; "))
	}
	g := p.Group(o.label)
	if g == nil || g.GroupName == o.groupName {
		return nil
	}
	if !multi && o.Domain == "" {
		o.groupName = g.GroupName
		return nil
	}
	return usagef("--group %s: directory %s/%s already serves API group %s, and a group's directory is its first label; pick another first label", o.Group, loader.APIsDir, o.label, g.GroupName)
}
