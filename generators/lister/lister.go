// Package lister runs k8s.io/code-generator's lister-gen in process:
// listers under pkg/generated/listers.
//
// Markers read (by lister-gen): +genclient, +genclient:nonNamespaced,
// +groupName.
package lister

import (
	"fmt"

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

// Run generates listers for the +genclient packages.
func Run(s *codegen.Session, t codegen.Tree, exceptions map[string]string) error {
	inputs, _, err := t.ClientInputs()
	if err != nil || len(inputs) == 0 {
		return err
	}
	a := args.New()
	argv := []string{
		"--go-header-file", s.HeaderFile,
		"--output-dir", t.Abs(OutputDir),
		"--output-pkg", t.Pkg(OutputDir),
		"--plural-exceptions", clientset.PluralExceptions(exceptions),
	}
	if err := codegen.Flags(Name, a.AddFlags, argv); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return fmt.Errorf("%s arguments: %w", Name, err)
	}
	systems := generators.NameSystems(util.PluralExceptionListToMapOrDie(a.PluralExceptions))
	return s.Run(Name, systems, generators.DefaultNameSystem(), inputs, func(c *generator.Context) []generator.Target {
		return generators.GetTargets(c, a)
	})
}
