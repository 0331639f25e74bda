package lister

import (
	"errors"
	"fmt"
	"sort"

	"k8s.io/code-generator/cmd/lister-gen/args"
	"k8s.io/code-generator/cmd/lister-gen/generators"
	"k8s.io/code-generator/pkg/util"
	"k8s.io/gengo/v2/generator"

	"github.com/aggen-dev/aggen/generators/clientset"
	"github.com/aggen-dev/aggen/generators/codegen"
)

// Name is the upstream generator's name.
const Name = "lister-gen"

// OutputDir is the listers tree, relative to the project root.
const OutputDir = codegen.Generated + "/listers"

// Run generates listers for the +genclient packages: with aggen's
// renderer, or with lister-gen when reference is set or the renderer
// does not support the project.
func Run(s *codegen.Session, t codegen.Tree, exceptions map[string]string, reference bool) error {
	inputs, _, err := t.ClientInputs()
	if err != nil || len(inputs) == 0 {
		return err
	}
	if !reference {
		done, err := runOwn(s, t, inputs, exceptions)
		if done || err != nil {
			return err
		}
	}
	return runUpstream(s, t, inputs, exceptions)
}

// runOwn renders with aggen's renderer; false when it does not support
// the project, before anything is added.
func runOwn(s *codegen.Session, t codegen.Tree, inputs []string, exceptions map[string]string) (bool, error) {
	files, err := Render(s, t, inputs, exceptions)
	var u *Unsupported
	if errors.As(err, &u) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	for _, f := range files {
		if err := s.Add(Name, f.Rel, f.Data); err != nil {
			return false, err
		}
	}
	return true, nil
}

// Render returns lister-gen's files for inputs as aggen renders them,
// or an *Unsupported error.
func Render(s *codegen.Session, t codegen.Tree, inputs []string, exceptions map[string]string) ([]File, error) {
	u, err := s.Universe()
	if err != nil {
		return nil, err
	}
	header, err := Header(s.HeaderFile, Name)
	if err != nil {
		return nil, err
	}
	inputs = append([]string(nil), inputs...)
	sort.Strings(inputs)
	a, err := parseArgs(s, t, exceptions)
	if err != nil {
		return nil, err
	}
	return render(u, t, header, inputs, util.PluralExceptionListToMapOrDie(a.PluralExceptions))
}

// parseArgs returns lister-gen's arguments as its command line sets them.
func parseArgs(s *codegen.Session, t codegen.Tree, exceptions map[string]string) (*args.Args, error) {
	a := args.New()
	argv := []string{
		"--go-header-file", s.HeaderFile,
		"--output-dir", t.Abs(OutputDir),
		"--output-pkg", t.Pkg(OutputDir),
		"--plural-exceptions", clientset.PluralExceptions(exceptions),
	}
	if err := codegen.Flags(Name, a.AddFlags, argv); err != nil {
		return nil, err
	}
	if err := a.Validate(); err != nil {
		return nil, fmt.Errorf("%s arguments: %w", Name, err)
	}
	return a, nil
}

func runUpstream(s *codegen.Session, t codegen.Tree, inputs []string, exceptions map[string]string) error {
	a, err := parseArgs(s, t, exceptions)
	if err != nil {
		return err
	}
	systems := generators.NameSystems(util.PluralExceptionListToMapOrDie(a.PluralExceptions))
	return s.Run(Name, systems, generators.DefaultNameSystem(), inputs, func(c *generator.Context) []generator.Target {
		return generators.GetTargets(c, a)
	})
}
