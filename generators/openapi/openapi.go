package openapi

import (
	"errors"
	"fmt"
	"os"
	pathpkg "path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"k8s.io/gengo/v2"
	"k8s.io/gengo/v2/generator"
	"k8s.io/gengo/v2/types"
	"k8s.io/kube-openapi/cmd/openapi-gen/args"
	"k8s.io/kube-openapi/pkg/generators"

	"github.com/aggen-dev/aggen/generators/codegen"
)

// Name is the upstream generator's name.
const Name = "openapi-gen"

// OutputDir is where the definitions go, relative to the project root.
const OutputDir = codegen.Generated + "/openapi"

// ReadOnlyPackages are the library packages whose model names exist
// upstream; kube_codegen.sh passes the same list.
var ReadOnlyPackages = []string{
	"k8s.io/apimachinery/pkg/apis/meta/v1",
	"k8s.io/apimachinery/pkg/api/resource",
	"k8s.io/apimachinery/pkg/runtime",
	"k8s.io/apimachinery/pkg/types",
	"k8s.io/apimachinery/pkg/util/intstr",
	"k8s.io/apimachinery/pkg/version",
	"time",
}

// LibraryInputs are the packages kube_codegen.sh always adds to the inputs.
var LibraryInputs = []string{
	"k8s.io/apimachinery/pkg/apis/meta/v1",
	"k8s.io/apimachinery/pkg/runtime",
	"k8s.io/apimachinery/pkg/version",
	"k8s.io/apimachinery/pkg/api/resource",
}

// OutputFile is the definitions file, in OutputDir.
const OutputFile = "zz_generated.openapi.go"

// Result is what openapi-gen reports besides code.
type Result struct {
	// Violations are the API rule violations openapi-gen found, one per
	// line as it writes them; kube_codegen.sh fails on any.
	Violations []string
	// Fallback says why aggen's renderer left the definitions to the
	// upstream openapi-gen; nil when it rendered them or was not asked to.
	Fallback *UnsupportedError
	// ModelNameFallback says, per package, why aggen left its model names
	// to openapi-gen.
	ModelNameFallback []error
}

// Run generates model names and OpenAPI definitions. Besides the tagged
// packages of the project and LibraryInputs, the packages of reach are
// inputs, read-only, with only the types the API reaches defined: all of
// those types, even in a package without +k8s:openapi-gen=true, since the
// server cannot start with a reference it has no definition for.
//
// aggen renders each package's model names itself (see modelNames), on
// openapi-gen's own targets, and leaves a package it cannot to
// openapi-gen. The definitions file is rendered by
// aggen (see renderDefinitions) on openapi-gen's own choice of types;
// upstream writes it instead when reference is set or the renderer meets
// a shape it does not reproduce. openapi-gen's API rule checks run
// either way.
func Run(s *codegen.Session, t codegen.Tree, reach *Reach, reference bool) (*Result, error) {
	r, err := prepare(s, t, reach)
	if err != nil || r == nil {
		return &Result{}, err
	}
	report := filepath.Join(s.Dir, ".openapi-violations")
	defer os.Remove(report)
	r.argv = append(r.argv, "--report-filename", report)
	if err := r.parse(); err != nil {
		return nil, err
	}
	res := &Result{}
	names := func(c *generator.Context) []generator.Target {
		targets := generators.GetModelNameTargets(c, r.args, r.boilerplate)
		if reference {
			return targets
		}
		// aggen writes each package's model names itself; a package it
		// does not is left to openapi-gen.
		var left []generator.Target
		for _, tg := range targets {
			rel, data, err := modelNames(s, c, tg, r.args.OutputModelNameFile, r.boilerplate)
			if err == nil {
				err = s.Add(Name, rel, data)
			}
			if err != nil {
				res.ModelNameFallback = append(res.ModelNameFallback, err)
				left = append(left, tg)
			}
		}
		return left
	}
	if err := s.Run(Name, generators.NameSystems(), generators.DefaultNameSystem(), r.inputs, names); err != nil {
		return nil, err
	}
	var own func(c *generator.Context, gens []generator.Generator) []generator.Generator
	if !reference {
		own = func(c *generator.Context, gens []generator.Generator) []generator.Generator {
			rel, data, kept, err := r.render(s, c, gens)
			if err != nil {
				res.Fallback = err
				return gens
			}
			if err := s.Add(Name, rel, data); err != nil {
				res.Fallback = &UnsupportedError{Reason: err.Error()}
				return gens
			}
			return kept
		}
	}
	if err := r.definitions(s, own); err != nil {
		return nil, err
	}
	if b, err := os.ReadFile(report); err == nil {
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if line != "" {
				res.Violations = append(res.Violations, line)
			}
		}
		sort.Strings(res.Violations)
	}
	return res, nil
}

// Render renders the definitions file as Run writes it, adding nothing
// to s and running no upstream generator on it: rel is its
// project-relative path, err an *UnsupportedError where Run would leave
// the file to openapi-gen. rel is "" when the project has no
// +k8s:openapi-gen package.
func Render(s *codegen.Session, t codegen.Tree, reach *Reach) (rel string, data []byte, err error) {
	r, err := prepare(s, t, reach)
	if err != nil || r == nil {
		return "", nil, err
	}
	if err := r.parse(); err != nil {
		return "", nil, err
	}
	var ue *UnsupportedError
	rendered := false
	err = r.definitions(s, func(c *generator.Context, gens []generator.Generator) []generator.Generator {
		rel, data, _, ue = r.render(s, c, gens)
		rendered = true
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	if !rendered {
		return "", nil, &UnsupportedError{Reason: "no target"}
	}
	if ue != nil {
		return "", nil, ue
	}
	return rel, data, nil
}

// run is one openapi-gen run's arguments and inputs.
type run struct {
	argv        []string
	args        *args.Args
	boilerplate []byte
	inputs      []string
	reached     map[string]bool
	reach       *Reach
}

// prepare works out openapi-gen's inputs and arguments as
// kube_codegen.sh gives them, nil when no package asks for OpenAPI.
func prepare(s *codegen.Session, t codegen.Tree, reach *Reach) (*run, error) {
	tagged, err := t.PackagesWithTag("+k8s:openapi")
	if err != nil || len(tagged) == 0 {
		return nil, err
	}
	library := map[string]bool{}
	inputs := append([]string(nil), LibraryInputs...)
	for _, p := range LibraryInputs {
		library[p] = true
	}
	inputs = append(inputs, tagged...)
	readOnly := append([]string(nil), ReadOnlyPackages...)
	reached := map[string]bool{}
	if reach != nil {
		for _, p := range reach.Packages {
			if !library[p] {
				reached[p] = true
				inputs = append(inputs, p)
			}
			if !slices.Contains(readOnly, p) {
				readOnly = append(readOnly, p)
			}
		}
	}
	argv := []string{
		"--output-file", OutputFile,
		"--go-header-file", s.HeaderFile,
		"--output-dir", t.Abs(OutputDir),
		"--output-pkg", t.Pkg(OutputDir),
		"--output-model-name-file=zz_generated.model_name.go",
	}
	for _, p := range readOnly {
		argv = append(argv, "--readonly-pkg", p)
	}
	return &run{argv: argv, inputs: inputs, reached: reached, reach: reach}, nil
}

// parse parses the arguments as openapi-gen's main does.
func (r *run) parse() error {
	a := args.New()
	if err := codegen.Flags(Name, a.AddFlags, r.argv); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return fmt.Errorf("%s arguments: %w", Name, err)
	}
	boilerplate, err := gengo.GoBoilerplate(a.GoHeaderFile, gengo.StdBuildTag, gengo.StdGeneratedBy)
	if err != nil {
		return fmt.Errorf("%s: %w", Name, err)
	}
	r.args, r.boilerplate = a, boilerplate
	return nil
}

// definitions runs openapi-gen's definitions target, with the types the
// API reaches; own, unless nil, is given the target's context and
// generators (the definitions file's and the API rule checks') and
// returns the generators to run.
func (r *run) definitions(s *codegen.Session, own func(*generator.Context, []generator.Generator) []generator.Generator) error {
	undo := func() {}
	defer func() { undo() }()
	targets := func(c *generator.Context) []generator.Target {
		undo = unshadow(c, r.inputs)
		targets := generators.GetOpenAPITargets(c, r.args, r.boilerplate)
		for _, tg := range targets {
			st, ok := tg.(*generator.SimpleTarget)
			if !ok {
				continue
			}
			if st.FilterFunc != nil && len(r.reached) > 0 {
				upstream := st.FilterFunc
				st.FilterFunc = func(c *generator.Context, t *types.Type) bool {
					if !r.reached[t.Name.Package] {
						return upstream(c, t)
					}
					if !r.reach.Has(t.Name) {
						return false
					}
					return upstream(c, t) || (t.Kind == types.Struct && !packageTagged(c, t.Name.Package))
				}
			}
			if own != nil && st.GeneratorsFunc != nil {
				gens := st.GeneratorsFunc
				st.GeneratorsFunc = func(c *generator.Context) []generator.Generator {
					return own(c, gens(c))
				}
			}
		}
		return targets
	}
	return s.Run(Name, generators.NameSystems(), generators.DefaultNameSystem(), r.inputs, targets)
}

// render renders the definitions file of the target whose context is c
// and returns it with the generators of gens to run besides (the API rule
// checks); an error says why upstream's generators must run instead.
func (r *run) render(s *codegen.Session, c *generator.Context, gens []generator.Generator) (rel string, data []byte, kept []generator.Generator, err *UnsupportedError) {
	own := 0
	for _, g := range gens {
		if g.FileType() != generator.GoFileType {
			kept = append(kept, g)
			continue
		}
		if g.Filename() != r.args.OutputFile {
			return "", nil, nil, &UnsupportedError{Reason: "an unknown generator " + g.Name()}
		}
		own++
	}
	if own != 1 {
		return "", nil, nil, &UnsupportedError{Reason: fmt.Sprintf("%d definitions generators", own)}
	}
	header, herr := codegen.Header(s.HeaderFile, gengo.StdBuildTag, Name)
	if herr != nil {
		return "", nil, nil, &UnsupportedError{Reason: herr.Error()}
	}
	path, perr := filepath.Rel(s.Dir, filepath.Join(r.args.OutputDir, r.args.OutputFile))
	if perr != nil || strings.HasPrefix(path, "..") {
		return "", nil, nil, &UnsupportedError{Reason: "output outside the project"}
	}
	b, rerr := renderDefinitions(c.Universe, c.Order, header, r.args.OutputPkg, pathpkg.Base(r.args.OutputPkg))
	if rerr != nil {
		var ue *UnsupportedError
		if errors.As(rerr, &ue) {
			return "", nil, nil, ue
		}
		return "", nil, nil, &UnsupportedError{Reason: rerr.Error()}
	}
	return filepath.ToSlash(path), b, kept, nil
}

// packageTagged reports whether a package says +k8s:openapi-gen=... in its
// doc comments, deciding for itself which of its types get definitions.
func packageTagged(c *generator.Context, pkg string) bool {
	p := c.Universe[pkg]
	if p == nil {
		return false
	}
	for _, line := range p.Comments {
		if strings.HasPrefix(strings.TrimSpace(line), "+k8s:openapi-gen=") {
			return true
		}
	}
	return false
}
