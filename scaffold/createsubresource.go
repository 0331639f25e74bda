package scaffold

import (
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/generators/markers"
	"github.com/aggen-dev/aggen/generators/model"
	"github.com/aggen-dev/aggen/generators/output"
	"github.com/aggen-dev/aggen/generators/registry"
	"github.com/aggen-dev/aggen/templates"
)

// CreateSubresourceOptions are the flags of `aggen create subresource`.
type CreateSubresourceOptions struct {
	Dir     string
	Group   string
	Version string
	Kind    string
	Name    string
	Type    string
	// Request, Response and Options name the kinds the subresource uses;
	// empty means the default name (see Validate), and a kind the package
	// lacks is scaffolded.
	Request  string
	Response string
	Options  string
	// SkipTidy skips `go mod tidy` after generating (tests that run offline).
	SkipTidy bool
	Out      io.Writer
	Progress io.Writer
	// beforeCommit is Apply's hook; tests use it to fail a run late.
	beforeCommit func() error
}

// longRunning are the subresources kube-apiserver lets run past its
// request timeout.
var longRunning = []string{"attach", "exec", "log", "portforward", "proxy"}

// Validate checks the flags and fills the default kind names: an action
// takes <Kind><Name> and answers with a Status unless --response is set,
// a getter answers with <Kind><Name>, a connect subresource takes
// <Kind><Name>Options.
func (o *CreateSubresourceOptions) Validate() error {
	if o.Group == "" || o.Version == "" || o.Kind == "" || o.Name == "" || o.Type == "" {
		return usagef("--group, --version, --kind, --name and --type are required")
	}
	if errs := validation.IsDNS1123Label(o.Name); len(errs) > 0 {
		return usagef("--name %q is not a lower-case DNS label: %s", o.Name, strings.Join(errs, "; "))
	}
	if o.Name == "status" || o.Name == "scale" {
		return usagef("--name %s: /%s is aggen's own (create api --%s)", o.Name, o.Name, o.Name)
	}
	t := model.SubresourceType(o.Type)
	if !slices.Contains(model.SubresourceTypes, t) {
		return usagef("--type %q: must be action, getter or connect", o.Type)
	}
	base := o.Kind + model.GoName(o.Name)
	switch t {
	case model.ActionSubresource:
		if o.Options != "" {
			return usagef("--options is for a connect subresource")
		}
		if o.Request == "" {
			o.Request = base
		}
	case model.GetterSubresource:
		if o.Request != "" || o.Options != "" {
			return usagef("a getter takes only --response")
		}
		if o.Response == "" {
			o.Response = base
		}
	case model.ConnectSubresource:
		if o.Request != "" || o.Response != "" {
			return usagef("a connect subresource takes only --options")
		}
		if o.Options == "" {
			o.Options = base + "Options"
		}
	}
	for flag, name := range map[string]string{"--request": o.Request, "--response": o.Response, "--options": o.Options} {
		if name != "" && loader.KindNameProblem(name) != "" {
			return usagef("%s %s: %s", flag, name, loader.KindNameProblem(name))
		}
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	return nil
}

// Marker is the +aggen:subresource line the command adds to the kind.
func (o *CreateSubresourceOptions) Marker() string {
	s := "+" + markers.Subresource + ":name=" + o.Name + ",type=" + o.Type
	for _, a := range []struct{ key, val string }{{"request", o.Request}, {"response", o.Response}, {"options", o.Options}} {
		if a.val != "" {
			s += "," + a.key + "=" + a.val
		}
	}
	return s
}

type subresourceTypesData struct {
	Project                             *model.Project
	Version, Plural, Name, Type         string
	Request, Response, Options          string
	NewRequest, NewResponse, NewOptions bool
}

// CreateSubresource adds a custom subresource to a kind: the marker on
// the kind, a types file with the kinds it uses that the package lacks,
// then a regeneration (which scaffolds the handler file), as one change
// that is written at once or not at all, as create api is.
func CreateSubresource(o CreateSubresourceOptions) error {
	if err := o.Validate(); err != nil {
		return err
	}
	p, err := loader.Load(o.Dir)
	if err != nil {
		return err
	}
	g := p.Group(o.Group)
	if g == nil {
		return usagef("the project has no group %s (aggen create api first)", o.Group)
	}
	v := g.Version(o.Version)
	if v == nil {
		return usagef("group %s has no version %s", o.Group, o.Version)
	}
	k := v.Kind(o.Kind)
	if k == nil {
		return usagef("version %s/%s has no kind %s", o.Group, o.Version, o.Kind)
	}
	for _, s := range k.Subresources {
		if s.Name == o.Name {
			return usagef("%s: kind %s already has subresource %s", s.Pos, o.Kind, o.Name)
		}
	}
	own, err := subresourceFiles(&o, p, g, v, k)
	if err != nil {
		return err
	}
	sh, err := newShadow(o.Dir)
	if err != nil {
		return err
	}
	defer sh.remove()
	ownPlan := &Plan{Root: o.Dir}
	for _, f := range own {
		if err := ownPlan.Put(f.Path, f.Data, 0); err != nil {
			return err
		}
	}
	if err := sh.apply(ownPlan); err != nil {
		return sh.relocate(err)
	}
	res, err := renderFiles(&GenerateOptions{Dir: sh.dir, Progress: o.Progress})
	if err != nil {
		return sh.relocate(err)
	}
	plan, err := NewPlan(o.Dir, res.Files, false)
	if err != nil {
		return err
	}
	for _, c := range ownPlan.Changes {
		if err := plan.Put(c.Path, c.New, c.Mode); err != nil {
			return err
		}
	}
	if !o.SkipTidy {
		if err := sh.apply(plan); err != nil {
			return sh.relocate(err)
		}
		if err := goCommand(sh.dir, o.Out, "resolving dependencies", "mod", "tidy"); err != nil {
			return sh.relocate(err)
		}
		if err := sh.carry(plan, "go.mod", "go.sum"); err != nil {
			return sh.relocate(err)
		}
	}
	warn(o.Out, res)
	if err := plan.Apply(o.beforeCommit); err != nil {
		return err
	}
	plan.Report(o.Out, "create subresource")
	fmt.Fprintf(o.Out, "\nWrite the handler in %s.\n", registry.SubresourceFile(p, g, k, o.Name))
	if o.Type == string(model.ConnectSubresource) && !slices.Contains(longRunning, o.Name) {
		fmt.Fprintf(o.Out, "Note: kube-apiserver ends requests to %s/%s after its --request-timeout (1m); it lets only %s run longer.\n",
			k.Plural, o.Name, strings.Join(longRunning, ", "))
	}
	return nil
}

// subresourceFiles returns the kind's types file with the marker added
// and, when the package lacks a kind the subresource uses, a new types
// file with it.
func subresourceFiles(o *CreateSubresourceOptions, p *model.Project, g *model.Group, v *model.Version, k *model.Kind) ([]*output.File, error) {
	file := k.Type.Pos.File
	b, err := os.ReadFile(filepath.Join(o.Dir, filepath.FromSlash(file)))
	if err != nil {
		return nil, err
	}
	lines := strings.Split(string(b), "\n")
	at := k.Type.Pos.Line - 1
	if at < 0 || at >= len(lines) || !strings.Contains(lines[at], k.Name) {
		return nil, fmt.Errorf("%s: cannot find the declaration of %s to add %s", k.Type.Pos, k.Name, o.Marker())
	}
	// The marker joins the doc comment, just above the type's line.
	lines = slices.Insert(lines, at, "// "+o.Marker())
	out := []*output.File{{Path: file, Data: []byte(strings.Join(lines, "\n")), Owner: output.UserOwned}}

	d := subresourceTypesData{
		Project: p, Version: v.Name, Plural: k.Plural, Name: o.Name, Type: o.Type,
		Request: o.Request, Response: o.Response, Options: o.Options,
	}
	d.NewRequest = o.Request != "" && v.Type(o.Request) == nil
	d.NewResponse = o.Response != "" && v.Type(o.Response) == nil
	d.NewOptions = o.Options != "" && v.Type(o.Options) == nil
	if !d.NewRequest && !d.NewResponse && !d.NewOptions {
		return out, nil
	}
	typesPath := path.Join(v.Dir, strings.ToLower(k.Name)+"_"+strings.ReplaceAll(o.Name, "-", "_")+"_types.go")
	if _, err := os.Stat(filepath.Join(o.Dir, filepath.FromSlash(typesPath))); err == nil {
		return nil, usagef("%s exists; move it away first", typesPath)
	}
	r, err := templates.New()
	if err != nil {
		return nil, err
	}
	tb, err := r.RenderGo("api/subresource_types.go.tmpl", d)
	if err != nil {
		return nil, err
	}
	return append(out, &output.File{Path: typesPath, Data: tb, Owner: output.UserOwned}), nil
}
