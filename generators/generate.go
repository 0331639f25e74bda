// Package generators turns a project's API types into every derived file:
// it loads the model, stages the API packages with the hub types aggen
// derives, runs the upstream generators on one parse, and renders aggen's
// own generators, all in memory.
package generators

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/aggen-dev/aggen/generators/applyconfig"
	"github.com/aggen-dev/aggen/generators/clientset"
	"github.com/aggen-dev/aggen/generators/codegen"
	"github.com/aggen-dev/aggen/generators/controller"
	"github.com/aggen-dev/aggen/generators/conversion"
	"github.com/aggen-dev/aggen/generators/crdschema"
	"github.com/aggen-dev/aggen/generators/declarative"
	"github.com/aggen-dev/aggen/generators/deepcopy"
	"github.com/aggen-dev/aggen/generators/defaulter"
	"github.com/aggen-dev/aggen/generators/goenv"
	"github.com/aggen-dev/aggen/generators/goformat"
	"github.com/aggen-dev/aggen/generators/informer"
	"github.com/aggen-dev/aggen/generators/lifecycle"
	"github.com/aggen-dev/aggen/generators/lister"
	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/generators/model"
	"github.com/aggen-dev/aggen/generators/openapi"
	"github.com/aggen-dev/aggen/generators/openapischema"
	"github.com/aggen-dev/aggen/generators/output"
	"github.com/aggen-dev/aggen/generators/register"
	"github.com/aggen-dev/aggen/templates"
)

// Result is everything one generation produced.
type Result struct {
	Project *model.Project
	// Files holds every generated file and every user-owned file the
	// project should have; the scaffold layer decides what to write.
	Files *output.Set
	// Warnings are problems that do not stop generation.
	Warnings []string
}

// Generator renders files from the model alone.
type Generator struct {
	Name     string
	Generate func(*templates.Renderer, *model.Project) ([]*output.File, error)
	// APIs says the generator writes Go files under pkg/apis, which the
	// upstream generators must see: it runs before them. The others run
	// beside them, on the cores the upstream generators leave idle.
	APIs bool
	// Places are where its generated files live: a file there that it no
	// longer produces is deleted.
	Places []output.Place
	// Check, when set, looks at the project's files on disk against what
	// this run generates (files): the user-owned files the generator
	// scaffolded that the generated code calls, or that a deleted kind
	// left behind. Its error stops the run before anything is written
	// (input errors carry their positions); warnings are printed.
	Check func(dir string, p *model.Project, files *output.Set) (warnings []string, err error)
}

// UpstreamPlaces are where the upstream generators' files live.
var UpstreamPlaces = []output.Place{codegen.Generated + "/", "zz_generated.*"}

// Options configure a run.
type Options struct {
	// Generators are aggen's own model-only generators. Whatever they put
	// under pkg/apis is staged for the upstream generators to parse.
	Generators []Generator
	// Controllers names kinds ("group/Kind") that get a reconciler even
	// though their controller file does not exist yet (create api --controller).
	Controllers map[string]bool
	// Progress receives one line per step; nil discards.
	Progress io.Writer
	// KeepStage leaves the staging directory for debugging.
	KeepStage bool
	// Templates is the template set to render; nil is the running one.
	// Tests make projects of an older aggen with an older set.
	Templates fs.FS
	// Reference runs the upstream generator for every file aggen also
	// renders itself, byte for byte the same (deep copies, defaulters,
	// conversions, registration, OpenAPI definitions and model names,
	// the clientset, listers, informers, the per-type apply
	// configurations): tests compare the two.
	Reference bool
	// GoEnv is the go command's configuration in the project; nil reads
	// it once here.
	GoEnv *goenv.Env
	// Memo remembers across runs the formatting of aggen's own Go files
	// and the CRDs that passed kube-apiserver's validation; nil formats
	// and validates everything.
	Memo *goformat.Memo
	// Prestage, when set, is given each generated file as soon as its
	// final bytes are known, from any goroutine, while generation goes on;
	// the files of the Result are the ones that count.
	Prestage func(path string, data []byte)
}

// markControllers sets Kind.Controller for kinds whose user-owned
// reconciler exists or is asked for, so the generated manager wires them.
func markControllers(dir string, p *model.Project, extra map[string]bool) {
	for _, g := range p.Groups {
		for _, k := range g.Kinds {
			_, err := os.Stat(filepath.Join(dir, filepath.FromSlash(controller.ControllerFile(g, k))))
			if err == nil || extra[g.Name+"/"+k.Name] {
				k.Controller = true
			}
		}
	}
}

// stageable reports whether the upstream generators must see f: Go files
// under pkg/apis that aggen writes now, generated ones always and
// user-owned ones when they are about to be created.
func stageable(dir string, f *output.File) bool {
	if !strings.HasPrefix(f.Path, loader.APIsDir+"/") || !strings.HasSuffix(f.Path, ".go") {
		return false
	}
	if f.Owner == output.Generated {
		return true
	}
	_, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f.Path)))
	return os.IsNotExist(err)
}

// Load loads the project's model as Generate sees it: kinds whose
// reconciler exists, or that controllers names, have Controller set.
func Load(dir string, controllers map[string]bool) (*model.Project, error) {
	p, err := loader.Load(dir)
	if err != nil {
		return nil, err
	}
	markControllers(dir, p, controllers)
	return p, nil
}

// Own renders only the files of aggen's own generators, with r: what a
// template set makes of the model, without the upstream generators.
func Own(p *model.Project, r *templates.Renderer, gens []Generator) (*output.Set, error) {
	set := output.NewSet()
	for _, g := range gens {
		set.Claim(g.Places...)
		files, err := g.Generate(r, p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", g.Name, err)
		}
		if err := set.Add(files...); err != nil {
			return nil, err
		}
	}
	return set, nil
}

// Generate produces every file derived from the project's types, and
// runs the generators' checks of the project's files against them.
func Generate(dir string, opts Options) (*Result, error) {
	res, err := generate(dir, opts)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, g := range opts.Generators {
		if g.Check == nil {
			continue
		}
		warnings, err := g.Check(dir, res.Project, res.Files)
		if err != nil {
			errs = append(errs, err)
		}
		res.Warnings = append(res.Warnings, warnings...)
	}
	if len(errs) > 0 {
		return nil, report(errs...)
	}
	return res, nil
}

func generate(dir string, opts Options) (*Result, error) {
	progress := opts.Progress
	if progress == nil {
		progress = io.Discard
	}
	env := opts.GoEnv
	if env == nil {
		// On failure each user of it reads it again, and goes without
		// its cache.
		env, _ = goenv.Read(dir)
	}
	var validated crdschema.Memo
	if opts.Memo != nil {
		validated = opts.Memo
	}
	p, buildSchemas, err := loader.LoadWithoutSchemas(dir, env, validated)
	if err != nil {
		return nil, err
	}
	markControllers(dir, p, opts.Controllers)
	tmpl := opts.Templates
	if tmpl == nil {
		tmpl = templates.Files()
	}
	r, err := templates.NewFS(tmpl)
	if err != nil {
		return nil, err
	}
	if opts.Memo != nil {
		r.FormatWith(opts.Memo)
	}
	res := &Result{Project: p, Files: output.NewSet()}
	res.Files.Claim(UpstreamPlaces...)
	for _, g := range opts.Generators {
		res.Files.Claim(g.Places...)
	}
	var staged []*output.File
	var apis, others []Generator
	for _, g := range opts.Generators {
		if g.APIs {
			apis = append(apis, g)
		} else {
			others = append(others, g)
		}
	}
	for _, g := range apis {
		files, err := g.Generate(r, p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", g.Name, err)
		}
		if err := res.Files.Add(files...); err != nil {
			return nil, err
		}
		for _, f := range files {
			if stageable(dir, f) {
				staged = append(staged, f)
			}
		}
	}
	// The model is read-only from here on, but for the schemas: they are
	// built beside the staging and the upstream generators, which never
	// read them, and the other generators render once they are.
	rendered := renderAll(r, p, others, buildSchemas, opts.Prestage)
	addRendered := func() (schemaErr, err error) {
		all := <-rendered
		if all.schemas != nil {
			return all.schemas, nil
		}
		var errs []error
		for i, files := range all.gens {
			if files.err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", others[i].Name, files.err))
				continue
			}
			for _, f := range files.files {
				if stageable(dir, f) {
					// A generator the upstream generators depend on must
					// run before them (Generator.APIs).
					errs = append(errs, fmt.Errorf("%s writes %s, under %s, without Generator.APIs", others[i].Name, f.Path, loader.APIsDir))
				}
			}
			if err := res.Files.Add(files.files...); err != nil {
				errs = append(errs, err)
			}
		}
		return nil, errors.Join(errs...)
	}
	if len(p.Groups) == 0 {
		if schemaErr, err := addRendered(); schemaErr != nil || err != nil {
			return nil, errors.Join(schemaErr, err)
		}
		return res, nil
	}
	stage, err := os.MkdirTemp("", "aggen-stage-")
	if err != nil {
		return nil, err
	}
	if !opts.KeepStage {
		defer os.RemoveAll(stage)
	} else {
		fmt.Fprintf(progress, "staging directory kept at %s\n", stage)
	}
	tags := impliedTags(p)
	for _, more := range []map[string]map[int][]string{declarative.Tags(p), lifecycle.Tags(p)} {
		for file, lines := range more {
			if tags[file] == nil {
				tags[file] = map[int][]string{}
			}
			for line, t := range lines {
				tags[file][line] = append(tags[file][line], t...)
			}
		}
	}
	if err := stageProject(dir, stage, staged, tags); err != nil {
		return nil, fmt.Errorf("staging the API packages: %w", err)
	}
	if err := packageDocs(stage, p, declarative.PackageTags(p)); err != nil {
		return nil, fmt.Errorf("staging the API packages: %w", err)
	}
	// validation-gen runs as its own process, beside the in-process
	// generators.
	validations := make(chan declarativeResult, 1)
	go func() { validations <- runDeclarative(stage, p, progress) }()
	upstream, warnings, err := runUpstream(stage, p, env, progress, opts.Reference, opts.Prestage)
	declared := <-validations
	schemaErr, own := addRendered()
	if err != nil || declared.err != nil || schemaErr != nil {
		return nil, report(err, declared.err, schemaErr)
	}
	if own != nil {
		return nil, own
	}
	for path, b := range declared.files {
		upstream[path] = b
	}
	res.Warnings = append(res.Warnings, warnings...)
	for _, path := range sortedKeys(upstream) {
		if err := res.Files.Add(&output.File{Path: path, Data: upstream[path], Owner: output.Generated}); err != nil {
			return nil, err
		}
	}
	return res, nil
}

type renderedFiles struct {
	files []*output.File
	err   error
}

// renderedAll is what renderAll sends: the schemas' input errors, or the
// generators' results in their order.
type renderedAll struct {
	schemas error
	gens    []renderedFiles
}

// renderAll builds the schemas, then runs gens, each on its own
// goroutine, and sends their results once all are done. Each generated
// file goes to prestage, when set, as soon as its generator is done.
func renderAll(r *templates.Renderer, p *model.Project, gens []Generator, buildSchemas func() error, prestage func(string, []byte)) <-chan renderedAll {
	out := make(chan renderedAll, 1)
	go func() {
		if err := buildSchemas(); err != nil {
			out <- renderedAll{schemas: err}
			return
		}
		results := make([]renderedFiles, len(gens))
		var wg sync.WaitGroup
		for i, g := range gens {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i].files, results[i].err = g.Generate(r, p)
				if prestage == nil || results[i].err != nil {
					return
				}
				for _, f := range results[i].files {
					if f.Owner == output.Generated && f.Mode == 0 {
						prestage(f.Path, f.Data)
					}
				}
			}()
		}
		wg.Wait()
		out <- renderedAll{gens: results}
	}()
	return out
}

// runUpstream loads the staged API packages once and runs every upstream
// generator on that parse.
func runUpstream(stage string, p *model.Project, env *goenv.Env, progress io.Writer, reference bool, prestage func(string, []byte)) (map[string][]byte, []string, error) {
	header := filepath.Join(stage, "hack", "boilerplate.go.txt")
	if _, err := os.Stat(header); err != nil {
		header = ""
	}
	tree, err := codegen.NewTree(stage, p.Module, loader.APIsDir)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the staged API packages: %w", err)
	}
	patterns := []string{p.Module + "/" + loader.APIsDir + "/..."}
	patterns = append(patterns, openapi.LibraryInputs...)
	patterns = append(patterns, "k8s.io/apimachinery/pkg/conversion")
	fmt.Fprintln(progress, "loading API packages")
	s, err := codegen.NewSessionEnv(stage, header, patterns, env)
	if err != nil {
		return nil, nil, err
	}
	s.Final = prestage
	// Everything the API types reach beyond the project joins the parse
	// as if asked for, before any generator runs.
	u, err := s.Universe()
	if err != nil {
		return nil, nil, err
	}
	reach := openapi.FindReach(u, p.Module, p.Module+"/"+loader.APIsDir)
	if err := s.Include(reach.Packages...); err != nil {
		return nil, nil, err
	}
	exceptions := pluralExceptions(p)
	// Two lanes share the two cores. The OpenAPI definitions and the apply
	// configurations, about half the work, never ask the parser for
	// packages: they run on a fork of the session, beside the other
	// generators, which may (see codegen.Session.Fork).
	progress = &syncWriter{w: progress}
	fork, err := s.Fork()
	if err != nil {
		return nil, nil, err
	}
	type laneResult struct {
		openapi    *openapi.Result
		openapiErr error
		applyErr   error
	}
	laneB := make(chan laneResult, 1)
	go func() {
		defer fork.Release()
		var r laneResult
		fmt.Fprintln(progress, "running", openapi.Name)
		r.openapi, r.openapiErr = openapi.Run(fork, tree, reach, reference)
		fmt.Fprintln(progress, "running", applyconfig.Name)
		r.applyErr = runApplyConfigurations(fork, tree, stage, reference, progress)
		laneB <- r
	}()
	steps := []struct {
		name string
		run  func() error
	}{
		{deepcopy.Name, func() error { return deepcopy.Run(s, tree, reference) }},
		{defaulter.Name, func() error { return defaulter.Run(s, tree, reference) }},
		{conversion.Name, func() error { return conversion.Run(s, tree, reference) }},
		{register.Name, func() error { return register.Run(s, tree, ownRegistration(p), reference) }},
		{lifecycle.Name, func() error { return lifecycle.Run(s, tree, p) }},
		{clientset.Name, func() error { return clientset.Run(s, tree, exceptions, reference) }},
		{lister.Name, func() error { return lister.Run(s, tree, exceptions, reference) }},
		{informer.Name, func() error { return informer.Run(s, tree, exceptions, reference) }},
	}
	var laneA []error
	for _, st := range steps {
		fmt.Fprintln(progress, "running", st.name)
		if err := st.run(); err != nil {
			laneA = append(laneA, err)
		}
	}
	b := <-laneB
	// Errors in the order the generators ran in when they ran one after
	// the other.
	var warnings []string
	var errs []error
	if b.openapiErr != nil {
		errs = append(errs, b.openapiErr)
	} else {
		for _, v := range b.openapi.Violations {
			// Violations in library packages are upstream's known ones.
			if strings.Contains(v, ","+p.Module+"/") {
				warnings = append(warnings, "openapi-gen: "+v)
			}
		}
	}
	errs = append(errs, laneA...)
	if b.applyErr != nil {
		errs = append(errs, b.applyErr)
	}
	if len(errs) > 0 {
		return nil, nil, report(errs...)
	}
	files, err := s.Files()
	if err != nil {
		return nil, nil, err
	}
	// A conversion function conversion-gen calls but cannot write would
	// leave a project that does not compile: the user must write it
	// first, and generate writes nothing until then.
	manual, err := conversion.FindManual(stage, files)
	if err != nil {
		return nil, nil, err
	}
	var missing loader.Errors
	for _, m := range manual {
		missing = append(missing, m.InputError(p))
	}
	if len(missing) > 0 {
		return nil, nil, loader.Merge(missing)
	}
	return files, warnings, nil
}

// runApplyConfigurations runs applyconfiguration-gen with the OpenAPI v2
// document --openapi-schema reads, built from this parse instead of a
// compiled models-schema program and written to the staging directory,
// never to the user's tree.
func runApplyConfigurations(s *codegen.Session, tree codegen.Tree, stage string, reference bool, progress io.Writer) error {
	doc, err := openapischema.Generate(s, tree)
	if err != nil {
		return fmt.Errorf("%s: OpenAPI schema: %w", applyconfig.Name, err)
	}
	schema := ""
	if doc != nil {
		schema = filepath.Join(stage, ".aggen-applyconfig-openapi-schema.json")
		if err := os.WriteFile(schema, doc, 0o644); err != nil {
			return err
		}
	}
	return applyconfig.Run(s, tree, schema, reference, progress)
}

// syncWriter lets the generators of both lanes write progress lines.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (w *syncWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(b)
}

// UpstreamGenerators names the upstream generators aggen runs, as the
// "Code generated by" headers of their files name them.
func UpstreamGenerators() []string {
	return []string{openapi.Name, deepcopy.Name, defaulter.Name, conversion.Name, register.Name,
		applyconfig.Name, clientset.Name, lister.Name, informer.Name, declarative.Name, lifecycle.Name}
}

// ownRegistration lists the version packages that register their types
// themselves (sample-apiserver's register.go, kubebuilder's
// groupversion_info.go), for which register-gen must not run.
func ownRegistration(p *model.Project) map[string]bool {
	out := map[string]bool{}
	for _, g := range p.Groups {
		for _, v := range g.Versions {
			if v.OwnRegistration() {
				out[v.Package] = true
			}
		}
	}
	return out
}

// report joins the errors of a run: the user's input errors sorted by
// position and reported once, each on its line, then any other failure.
func report(errs ...error) error {
	var flat []error
	var walk func(error)
	walk = func(err error) {
		if err == nil {
			return
		}
		if list, ok := err.(loader.Errors); ok {
			for _, e := range list {
				walk(e)
			}
			return
		}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		flat = append(flat, err)
	}
	for _, err := range errs {
		walk(err)
	}
	var input, other loader.Errors
	for _, e := range flat {
		if loader.IsInputError(e) {
			input = append(input, e)
		} else {
			other = append(other, e)
		}
	}
	if len(other) > 0 {
		return loader.Errors(append(other, input...))
	}
	return loader.Merge(input)
}

type declarativeResult struct {
	files map[string][]byte
	err   error
}

// runDeclarative runs validation-gen on the packages that carry its tags.
func runDeclarative(stage string, p *model.Project, progress io.Writer) declarativeResult {
	versions := declarative.Versions(p)
	if len(versions) == 0 {
		return declarativeResult{}
	}
	fmt.Fprintln(progress, "running", declarative.Name)
	bin, err := declarative.Binary()
	if err != nil {
		return declarativeResult{err: err}
	}
	header := filepath.Join(stage, "hack", "boilerplate.go.txt")
	files, err := declarative.Run(bin, stage, header, p, versions)
	return declarativeResult{files: files, err: err}
}

// pluralExceptions lists the kinds whose resource name is not the one
// client-gen would derive, so client and server agree.
func pluralExceptions(p *model.Project) map[string]string {
	out := map[string]string{}
	for _, g := range p.Groups {
		for _, v := range g.Versions {
			for _, k := range v.Kinds {
				if k.Plural != loader.Plural(k.Name) {
					out[k.Name] = k.Plural
				}
			}
		}
	}
	return out
}
