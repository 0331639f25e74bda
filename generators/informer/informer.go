package informer

import (
	"errors"
	"fmt"
	"sort"

	"k8s.io/code-generator/cmd/informer-gen/args"
	"k8s.io/code-generator/cmd/informer-gen/generators"
	"k8s.io/code-generator/pkg/util"
	"k8s.io/gengo/v2/generator"

	"github.com/aggen-dev/aggen/generators/clientset"
	"github.com/aggen-dev/aggen/generators/codegen"
	"github.com/aggen-dev/aggen/generators/lister"
)

// Name is the upstream generator's name.
const Name = "informer-gen"

// OutputDir is the informers tree, relative to the project root.
const OutputDir = codegen.Generated + "/informers"

// Run generates informers for the +genclient packages: with aggen's
// renderer, or with informer-gen when reference is set or the renderer
// does not support the project.
func Run(s *codegen.Session, t codegen.Tree, exceptions map[string]string, reference bool) error {
	inputs, _, err := t.ClientInputs()
	if err != nil || len(inputs) == 0 {
		return err
	}
	if !reference {
		files, err := Render(s, t, inputs, exceptions)
		var u *lister.Unsupported
		switch {
		case errors.As(err, &u):
			// informer-gen below.
		case err != nil:
			return err
		default:
			for _, f := range files {
				if err := s.Add(Name, f.Rel, f.Data); err != nil {
					return err
				}
			}
			return nil
		}
	}
	a, err := parseArgs(s, t, exceptions)
	if err != nil {
		return err
	}
	systems := generators.NameSystems(util.PluralExceptionListToMapOrDie(a.PluralExceptions))
	return s.Run(Name, systems, generators.DefaultNameSystem(), inputs, func(c *generator.Context) []generator.Target {
		return generators.GetTargets(c, a)
	})
}

// Render returns informer-gen's files for inputs as aggen renders them,
// or a *lister.Unsupported error.
func Render(s *codegen.Session, t codegen.Tree, inputs []string, exceptions map[string]string) ([]lister.File, error) {
	u, err := s.Universe()
	if err != nil {
		return nil, err
	}
	header, err := lister.Header(s.HeaderFile, Name)
	if err != nil {
		return nil, err
	}
	a, err := parseArgs(s, t, exceptions)
	if err != nil {
		return nil, err
	}
	if a.SingleDirectory || a.VersionedClientSetPackage != t.Pkg(clientset.OutputDir+"/versioned") || a.ListersPackage != t.Pkg(lister.OutputDir) {
		return nil, &lister.Unsupported{Generator: Name, Reason: "these arguments"}
	}
	inputs = append([]string(nil), inputs...)
	sort.Strings(inputs)
	return render(u, t, header, inputs, util.PluralExceptionListToMapOrDie(a.PluralExceptions))
}

// parseArgs returns informer-gen's arguments as its command line sets
// them.
func parseArgs(s *codegen.Session, t codegen.Tree, exceptions map[string]string) (*args.Args, error) {
	a := args.New()
	argv := []string{
		"--go-header-file", s.HeaderFile,
		"--output-dir", t.Abs(OutputDir),
		"--output-pkg", t.Pkg(OutputDir),
		"--versioned-clientset-package", t.Pkg(clientset.OutputDir + "/versioned"),
		"--listers-package", t.Pkg(lister.OutputDir),
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
