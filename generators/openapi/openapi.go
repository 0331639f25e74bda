package openapi

import (
	"fmt"
	"os"
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

// Result is what openapi-gen reports besides code.
type Result struct {
	// Violations are the API rule violations openapi-gen found, one per
	// line as it writes them; kube_codegen.sh fails on any.
	Violations []string
}

// Run generates model names and OpenAPI definitions. Besides the tagged
// packages of the project and LibraryInputs, the packages of reach are
// inputs, read-only, with only the types the API reaches defined: all of
// those types, even in a package without +k8s:openapi-gen=true, since the
// server cannot start with a reference it has no definition for.
func Run(s *codegen.Session, t codegen.Tree, reach *Reach) (*Result, error) {
	tagged, err := t.PackagesWithTag("+k8s:openapi")
	if err != nil || len(tagged) == 0 {
		return &Result{}, err
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
	report := filepath.Join(s.Dir, ".openapi-violations")
	defer os.Remove(report)
	argv := []string{
		"--output-file", "zz_generated.openapi.go",
		"--go-header-file", s.HeaderFile,
		"--output-dir", t.Abs(OutputDir),
		"--output-pkg", t.Pkg(OutputDir),
		"--report-filename", report,
		"--output-model-name-file=zz_generated.model_name.go",
	}
	for _, p := range readOnly {
		argv = append(argv, "--readonly-pkg", p)
	}
	a := args.New()
	if err := codegen.Flags(Name, a.AddFlags, argv); err != nil {
		return nil, err
	}
	if err := a.Validate(); err != nil {
		return nil, fmt.Errorf("%s arguments: %w", Name, err)
	}
	boilerplate, err := gengo.GoBoilerplate(a.GoHeaderFile, gengo.StdBuildTag, gengo.StdGeneratedBy)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	modelNames := func(c *generator.Context) []generator.Target {
		return generators.GetModelNameTargets(c, a, boilerplate)
	}
	if err := s.Run(Name, generators.NameSystems(), generators.DefaultNameSystem(), inputs, modelNames); err != nil {
		return nil, err
	}
	undo := func() {}
	defer func() { undo() }()
	definitions := func(c *generator.Context) []generator.Target {
		undo = unshadow(c.Universe, inputs)
		targets := generators.GetOpenAPITargets(c, a, boilerplate)
		for _, tg := range targets {
			if st, ok := tg.(*generator.SimpleTarget); ok && st.FilterFunc != nil && len(reached) > 0 {
				upstream := st.FilterFunc
				st.FilterFunc = func(c *generator.Context, t *types.Type) bool {
					if !reached[t.Name.Package] {
						return upstream(c, t)
					}
					if !reach.Has(t.Name) {
						return false
					}
					return upstream(c, t) || (t.Kind == types.Struct && !packageTagged(c, t.Name.Package))
				}
			}
		}
		return targets
	}
	if err := s.Run(Name, generators.NameSystems(), generators.DefaultNameSystem(), inputs, definitions); err != nil {
		return nil, err
	}
	undo()
	undo = func() {}
	res := &Result{}
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
