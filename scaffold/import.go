package scaffold

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"github.com/aggen-dev/aggen/generators/output"
	"github.com/aggen-dev/aggen/scaffold/importer"
)

// ImportOptions are the flags of `aggen import`.
type ImportOptions struct {
	Dir string
	// Source is a directory or a module@version of the Go module proxy.
	Source string
	// Repo, Domain and Name override what the source implies.
	Repo, Domain, Name string
	Owner, License     string
	Year               int
	// Boilerplate is a license header file to use instead of the
	// source's hack/boilerplate.go.txt.
	Boilerplate string
	// SkipTidy skips `go mod download` and `go mod tidy` (tests that run offline).
	SkipTidy bool
	Out      io.Writer
	// beforeCommit is Apply's hook; tests use it to fail a run late.
	beforeCommit func() error
}

// ReportFile is the migration report `aggen import` writes.
const ReportFile = "IMPORT.md"

// Import makes a new project in o.Dir that serves the API of o.Source
// through aggregation: `aggen init` with the module path, domain and
// name the source implies, its API packages copied with the markers
// aggen needs, its validation calls and admission plugin wired into the
// project's hooks and plugin, everything generated, and a migration
// report (IMPORT.md) of what was not carried over. All of it is written
// at once, or nothing is.
func Import(o ImportOptions) error {
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.Source == "" {
		return usagef("aggen import needs the project to import: a directory or module@version")
	}
	if err := checkNewProject(o.Dir, "import"); err != nil {
		return err
	}
	src, cleanup, err := resolveSource(o.Source, o.Out)
	if err != nil {
		return err
	}
	defer cleanup()
	res, err := importer.Analyze(src, o.Repo)
	if err != nil {
		return err
	}
	plan, err := planImport(&o, res)
	if err != nil {
		return err
	}
	if err := plan.Apply(o.beforeCommit); err != nil {
		return err
	}
	plan.Report(o.Out, "import")
	fmt.Fprintf(o.Out, "\n%d file(s) of %s were not carried over: see %s\n", len(res.Report.NotCarried), src.Label, ReportFile)
	return nil
}

// resolveSource finds the files of the source: a directory, or a module
// the go command downloads into its module cache.
func resolveSource(s string, out io.Writer) (importer.Source, func(), error) {
	none := func() {}
	if info, err := os.Stat(s); err == nil && info.IsDir() {
		abs, err := filepath.Abs(s)
		if err != nil {
			return importer.Source{}, none, err
		}
		mod, err := os.ReadFile(filepath.Join(abs, "go.mod"))
		if err != nil {
			return importer.Source{}, none, usagef("%s has no go.mod: aggen import reads a Go module", s)
		}
		label := modulePathOf(mod)
		if label == "" {
			label = filepath.Base(abs)
		}
		return importer.Source{Dir: abs, Label: label}, none, nil
	}
	if !strings.Contains(s, "@") {
		return importer.Source{}, none, usagef("%s is neither a directory nor a module@version", s)
	}
	tmp, err := os.MkdirTemp("", "aggen-import-")
	if err != nil {
		return importer.Source{}, none, err
	}
	cleanup := func() { os.RemoveAll(tmp) }
	fmt.Fprintf(out, "downloading %s: go mod download -json %s\n", s, s)
	cmd := exec.Command("go", "mod", "download", "-json", s)
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var m struct{ Path, Version, Dir, Error string }
	if err := json.Unmarshal(stdout.Bytes(), &m); err != nil || m.Error != "" || runErr != nil {
		msg := strings.TrimSpace(m.Error)
		if msg == "" {
			msg = strings.TrimSpace(stderr.String())
		}
		cleanup()
		return importer.Source{}, none, fmt.Errorf("downloading %s: %s", s, msg)
	}
	return importer.Source{Dir: m.Dir, Label: m.Path + "@" + m.Version}, cleanup, nil
}

func modulePathOf(gomod []byte) string {
	for _, l := range strings.Split(string(gomod), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(l), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}

// planImport plans the whole new project: init's files, the imported
// API packages, everything generated, the hooks and plugin wired to the
// source's code, the report, go.mod and go.sum.
func planImport(o *ImportOptions, res *importer.Result) (*Plan, error) {
	init := InitOptions{Dir: o.Dir, Domain: o.Domain, Repo: o.Repo, Name: o.Name, Owner: o.Owner, License: o.License, Year: o.Year, Out: o.Out}
	if init.Domain == "" {
		init.Domain = res.Domain
	}
	if init.Repo == "" {
		init.Repo = res.Module
	}
	if init.Name == "" {
		init.Name = res.Name
	}
	if err := init.Validate(); err != nil {
		return nil, err
	}
	set, err := initFiles(&init)
	if err != nil {
		return nil, err
	}
	boilerplate := res.Boilerplate
	if o.Boilerplate != "" {
		if boilerplate, err = os.ReadFile(o.Boilerplate); err != nil {
			return nil, usagef("--boilerplate: %v", err)
		}
	}
	if boilerplate != nil {
		set.Get("hack/boilerplate.go.txt").Data = boilerplate
	}
	for _, f := range res.Files {
		if err := set.Add(&output.File{Path: f.Path, Data: f.Data, Owner: output.UserOwned}); err != nil {
			return nil, err
		}
	}
	sh, err := newShadow(o.Dir)
	if err != nil {
		return nil, err
	}
	defer sh.remove()
	gen, err := renderNewProject(sh, set, !o.SkipTidy, o.Out, nil)
	if err != nil {
		return nil, err
	}
	plan, err := NewPlan(o.Dir, gen.Files, false)
	if err != nil {
		return nil, err
	}
	for _, f := range set.Files() {
		if err := plan.Put(f.Path, f.Data, 0); err != nil {
			return nil, err
		}
	}
	for _, h := range res.Hooks {
		p := path.Join("pkg", "registry", h.Group, strings.ToLower(h.Kind), "hooks.go")
		f := gen.Files.Get(p)
		if f == nil {
			res.Report.Change(h.Pos, fmt.Sprintf("no kind %s in group %s is served, so its validation is not called", h.Kind, h.Group))
			continue
		}
		b, err := res.HookFile(h, path.Join(init.Repo, "pkg", "apis", h.Group), f.Data)
		if err != nil {
			return nil, err
		}
		if err := plan.Put(p, b, 0); err != nil {
			return nil, err
		}
	}
	for i, p := range res.Plugins {
		if i > 0 {
			res.Report.NotCarriedFile(p.File, fmt.Sprintf("admission plugin %s: the project has one plugin (pkg/admission/plugin), which took %s; merge this one into it", p.Name, res.Plugins[0].Name))
			continue
		}
		b, err := res.PluginFile(p)
		if err != nil {
			return nil, err
		}
		if err := plan.Put("pkg/admission/plugin/admission.go", b, 0); err != nil {
			return nil, err
		}
	}
	res.Report.Sort()
	if err := plan.Put(ReportFile, res.Report.Markdown(), 0); err != nil {
		return nil, err
	}
	if !o.SkipTidy {
		if err := sh.apply(plan); err != nil {
			return nil, sh.relocate(err)
		}
		if err := goCommand(sh.dir, o.Out, "resolving dependencies", "mod", "tidy"); err != nil {
			return nil, sh.relocate(err)
		}
		if err := sh.carry(plan, "go.mod", "go.sum"); err != nil {
			return nil, sh.relocate(err)
		}
	}
	if err := plan.recordScaffold(); err != nil {
		return nil, err
	}
	return plan, nil
}
