package scaffold

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"golang.org/x/mod/module"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/aggen-dev/aggen/generators"
	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/generators/output"
	"github.com/aggen-dev/aggen/templates"
)

// InitOptions are the flags of `aggen init`.
type InitOptions struct {
	Dir     string
	Domain  string
	Repo    string
	Name    string
	Owner   string
	License string
	// Year goes into the boilerplate; zero means the current year.
	Year int
	// SkipDownload skips `go mod download` (tests that run offline).
	SkipDownload bool
	Out          io.Writer
	// Templates is the template set to render; nil is the running one.
	// Tests make projects of an older aggen with an older set.
	Templates fs.FS
	// beforeCommit is Apply's hook; tests use it to fail a run late.
	beforeCommit func() error
}

// UsageError is a problem with the command line; it maps to its own exit code.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, args ...any) error { return &UsageError{Msg: fmt.Sprintf(format, args...)} }

var projectName = regexp.MustCompile(`^[a-z]([-a-z0-9]*[a-z0-9])?$`)

// Validate checks the options and fills defaults.
func (o *InitOptions) Validate() error {
	if o.Domain == "" {
		return usagef("--domain is required, e.g. --domain example.com")
	}
	if errs := validation.IsDNS1123Subdomain(o.Domain); len(errs) > 0 {
		return usagef("--domain %q is not a DNS subdomain: %s", o.Domain, strings.Join(errs, "; "))
	}
	if o.Repo == "" {
		return usagef("--repo is required: the Go module path, e.g. --repo github.com/acme/insects")
	}
	if err := module.CheckPath(o.Repo); err != nil {
		return usagef("--repo %q is not a valid Go module path: %v", o.Repo, err)
	}
	if o.Name == "" {
		o.Name = strings.ToLower(path.Base(o.Repo))
	}
	if !projectName.MatchString(o.Name) || len(o.Name) > 40 {
		return usagef("--name %q must be a DNS label of at most 40 characters (lower case letters, digits, '-')", o.Name)
	}
	switch o.License {
	case "", "apache2":
		o.License = "apache2"
	case "none":
	default:
		return usagef("--license must be apache2 or none, not %q", o.License)
	}
	if o.Owner == "" {
		o.Owner = "The " + o.Name + " Authors"
	}
	if o.Year == 0 {
		o.Year = time.Now().Year()
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	return nil
}

// ErrProjectExists is returned by Init over an existing project.
var ErrProjectExists = errors.New("a project already exists here")

type projectData struct {
	Module, Domain, Name, Namespace, Image, Owner, License string
	Year                                                   int
	KubernetesVersion, KubeOpenAPIVersion                  string
	ControllerRuntimeVersion, GoVersion                    string
	TemplatesRevision                                      int
}

// Init scaffolds a new project in o.Dir, all of it at once: a failure at
// any step leaves the directory as it was (or absent, if it was).
func Init(o InitOptions) error {
	if err := o.Validate(); err != nil {
		return err
	}
	plan, err := planInit(&o)
	if err != nil {
		return err
	}
	if err := plan.Apply(o.beforeCommit); err != nil {
		return err
	}
	plan.Report(o.Out, "init")
	fmt.Fprintf(o.Out, "\nNext: aggen create api --group <group> --version v1alpha1 --kind <Kind>\n")
	return nil
}

// planInit renders the project files, downloads the modules and renders
// everything derived in a shadow of the new project, and returns the plan
// that writes it all, having written nothing to o.Dir.
func planInit(o *InitOptions) (*Plan, error) {
	if err := checkNewProject(o.Dir, "init"); err != nil {
		return nil, err
	}
	set, err := initFiles(o)
	if err != nil {
		return nil, err
	}
	// The rest (cmd/, pkg/, config/) is derived: the generators render it
	// from a shadow of the new project. go.sum comes from
	// `go mod download` there.
	sh, err := newShadow(o.Dir)
	if err != nil {
		return nil, err
	}
	defer sh.remove()
	res, err := renderNewProject(sh, set, !o.SkipDownload, o.Out, o.Templates)
	if err != nil {
		return nil, err
	}
	if err := res.Files.Add(set.Files()...); err != nil {
		return nil, err
	}
	plan, err := NewPlan(o.Dir, res.Files, false)
	if err != nil {
		return nil, err
	}
	if err := sh.carry(plan, "go.sum"); err != nil {
		return nil, sh.relocate(err)
	}
	if err := plan.recordScaffold(); err != nil {
		return nil, err
	}
	return plan, nil
}

// renderNewProject writes a new project's own files into the shadow,
// downloads its modules there (for go.sum) when download is set, and
// renders everything derived from them, as init and import both need.
func renderNewProject(sh *shadow, set *output.Set, download bool, out io.Writer, tmpl fs.FS) (*generators.Result, error) {
	ownPlan, err := NewPlan(sh.dir, set, false)
	if err != nil {
		return nil, err
	}
	if err := sh.apply(ownPlan); err != nil {
		return nil, sh.relocate(err)
	}
	if download {
		if err := goCommand(sh.dir, out, "downloading modules (the first time takes a minute)", "mod", "download", "-x"); err != nil {
			return nil, sh.relocate(err)
		}
	}
	res, err := renderFiles(&GenerateOptions{Dir: sh.dir, Templates: tmpl})
	if err != nil {
		return nil, sh.relocate(err)
	}
	return res, nil
}

// checkNewProject refuses to start a project where one exists.
func checkNewProject(dir, command string) error {
	for _, f := range []string{loader.ConfigFile, "go.mod"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			return fmt.Errorf("%w: %s exists in %s; aggen %s only starts new projects", ErrProjectExists, f, dir, command)
		}
	}
	return nil
}

// initFiles renders the project files init writes itself (aggen.yaml,
// go.mod, the boilerplate, Makefile, ...), all user-owned.
func initFiles(o *InitOptions) (*output.Set, error) {
	r, err := renderer(o.Templates)
	if err != nil {
		return nil, err
	}
	d := projectData{
		Module: o.Repo, Domain: o.Domain, Name: o.Name, Namespace: o.Name + "-system", Image: o.Name + ":latest",
		Owner: o.Owner, License: o.License, Year: o.Year,
	}
	return renderProjectFiles(r, d, projectFiles)
}

// projectFiles are the files init renders from the project's settings
// alone, template and path.
var projectFiles = []struct{ tmpl, path string }{
	{"project/aggen.yaml.tmpl", loader.ConfigFile},
	{"project/go.mod.tmpl", "go.mod"},
	{"project/boilerplate.go.txt.tmpl", "hack/boilerplate.go.txt"},
	{"project/Makefile.tmpl", "Makefile"},
	{"project/Dockerfile.tmpl", "Dockerfile"},
	{"project/README.md.tmpl", "README.md"},
	{"project/gitignore.tmpl", ".gitignore"},
	{"project/verify.yaml.tmpl", ".github/workflows/verify.yaml"},
}

// renderProjectFiles renders files from the project's settings, pinned to
// the running aggen's versions.
func renderProjectFiles(r *templates.Renderer, d projectData, files []struct{ tmpl, path string }) (*output.Set, error) {
	d.KubernetesVersion, d.KubeOpenAPIVersion = KubernetesVersion, KubeOpenAPIVersion
	d.ControllerRuntimeVersion, d.GoVersion = ControllerRuntimeVersion, GoVersion
	d.TemplatesRevision = templates.Revision
	set := output.NewSet()
	for _, f := range files {
		b, err := r.Render(f.tmpl, d)
		if err != nil {
			return nil, err
		}
		if err := set.Add(&output.File{Path: f.path, Data: b, Owner: output.UserOwned}); err != nil {
			return nil, err
		}
	}
	return set, nil
}

// renderer parses a template set; nil is the running one.
func renderer(fsys fs.FS) (*templates.Renderer, error) {
	if fsys == nil {
		return templates.New()
	}
	return templates.NewFS(fsys)
}

// goCommand runs the go tool in dir, showing progress: one line per
// module it fetches.
func goCommand(dir string, out io.Writer, what string, args ...string) error {
	fmt.Fprintf(out, "%s: go %s\n", what, strings.Join(args, " "))
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	cmd.Stdout = out
	cmd.Stderr = &progressWriter{out: out}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
	}
	return nil
}

// progressWriter turns `go mod download -x` traces into short lines.
type progressWriter struct {
	out io.Writer
	n   int
	buf []byte
}

func (p *progressWriter) Write(b []byte) (int, error) {
	p.buf = append(p.buf, b...)
	for {
		i := strings.IndexByte(string(p.buf), '\n')
		if i < 0 {
			break
		}
		line := string(p.buf[:i])
		p.buf = p.buf[i+1:]
		switch {
		case strings.Contains(line, ".zip: 200"):
			p.n++
			fmt.Fprintf(p.out, "  fetched %d modules\r", p.n)
		case strings.HasPrefix(line, "#") || strings.HasPrefix(line, "go: downloading"):
		default:
			fmt.Fprintln(p.out, line)
		}
	}
	return len(b), nil
}
