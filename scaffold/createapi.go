package scaffold

import (
	"fmt"
	"go/token"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/kube-openapi/pkg/util"

	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/generators/model"
	"github.com/aggen-dev/aggen/generators/output"
	"github.com/aggen-dev/aggen/templates"
)

// CreateAPIOptions are the flags of `aggen create api`.
type CreateAPIOptions struct {
	Dir        string
	Group      string
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
}

// Validate checks every name and fills defaults.
func (o *CreateAPIOptions) Validate() error {
	if o.Group == "" || o.Version == "" || o.Kind == "" {
		return usagef("--group, --version and --kind are required")
	}
	if errs := validation.IsDNS1123Label(o.Group); len(errs) > 0 {
		return usagef("--group %q is not a DNS-1123 label: %s", o.Group, strings.Join(errs, "; "))
	}
	if strings.Contains(o.Group, "-") || token.IsKeyword(o.Group) {
		return usagef("--group %q is also a Go package name: use letters and digits only, and no Go keyword", o.Group)
	}
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
// version's doc.go when new), then regenerates.
func CreateAPI(o CreateAPIOptions) error {
	if err := o.Validate(); err != nil {
		return err
	}
	p, err := loader.Load(o.Dir)
	if err != nil {
		return err
	}
	if g := p.Group(o.Group); g != nil {
		for _, v := range g.Versions {
			if k := v.Kind(o.Kind); k != nil && (v.Name == o.Version) && !o.Force {
				return &DuplicateKindError{Kind: o.Kind, GroupVersion: g.GroupName + "/" + v.Name, Pos: k.Pos}
			}
			if k := v.Kind(o.Kind); k != nil && k.Namespaced != o.Namespaced {
				return usagef("kind %s is %s in %s; every version of a kind has the same scope", o.Kind, scopeWord(k.Namespaced), v.Name)
			}
		}
		for _, k := range g.Kinds {
			if k.Name != o.Kind && k.Plural == o.Plural {
				return usagef("resource name %s is already used by kind %s in group %s; pick another with --plural", o.Plural, k.Name, g.Name)
			}
		}
	}
	groupName := o.Group + "." + p.Domain
	d := apiData{
		Project: p, Group: o.Group, Version: o.Version, Kind: o.Kind, Plural: o.Plural,
		DefaultPlural: loader.Plural(o.Kind), GroupName: groupName,
		HubPackage: path.Join(p.Module, loader.APIsDir, o.Group),
		// Model names follow the Go import path, as k8s.io types and
		// sample-apiserver do: applyconfiguration-gen finds the schema of
		// a type only under that name.
		ModelPackage: util.ToRESTFriendlyName(path.Join(p.Module, loader.APIsDir, o.Group, o.Version)),
		Namespaced:   o.Namespaced, Status: o.Status, Scale: o.Scale,
	}
	r, err := templates.New()
	if err != nil {
		return err
	}
	dir := path.Join(loader.APIsDir, o.Group, o.Version)
	set := output.NewSet()
	docPath := path.Join(dir, "doc.go")
	if _, err := os.Stat(filepath.Join(o.Dir, filepath.FromSlash(docPath))); os.IsNotExist(err) {
		b, err := r.RenderGo("api/doc.go.tmpl", d)
		if err != nil {
			return err
		}
		_ = set.Add(&output.File{Path: docPath, Data: b, Owner: output.UserOwned})
	}
	b, err := r.RenderGo("api/types.go.tmpl", d)
	if err != nil {
		return err
	}
	typesPath := path.Join(dir, strings.ToLower(o.Kind)+"_types.go")
	if err := set.Add(&output.File{Path: typesPath, Data: b, Owner: output.UserOwned}); err != nil {
		return err
	}
	plan, err := NewPlan(o.Dir, set, o.Force)
	if err != nil {
		return err
	}
	// Generate before writing, on a copy of the plan's effect, so a kind
	// that does not generate leaves the tree untouched.
	if err := plan.Apply(nil); err != nil {
		return err
	}
	for _, c := range plan.Pending() {
		fmt.Fprintf(o.Out, "create  %s\n", c.Path)
	}
	gen := GenerateOptions{Dir: o.Dir, Out: o.Out, Progress: o.Progress}
	if o.Controller {
		gen.Controllers = map[string]bool{o.Group + "/" + o.Kind: true}
	}
	if _, err := Generate(gen); err != nil {
		// Undo the types file so the project is as it was.
		for _, c := range plan.Pending() {
			if c.Action == Create {
				os.Remove(filepath.Join(o.Dir, filepath.FromSlash(c.Path)))
			}
		}
		return err
	}
	if !o.SkipTidy {
		if err := goCommand(o.Dir, o.Out, "resolving dependencies", "mod", "tidy"); err != nil {
			return err
		}
	}
	return nil
}

func scopeWord(namespaced bool) string {
	if namespaced {
		return "namespaced"
	}
	return "cluster-scoped"
}
