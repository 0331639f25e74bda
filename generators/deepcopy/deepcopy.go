package deepcopy

import (
	"k8s.io/code-generator/cmd/deepcopy-gen/args"
	"k8s.io/code-generator/cmd/deepcopy-gen/generators"
	"k8s.io/gengo/v2/generator"

	"github.com/aggen-dev/aggen/generators/codegen"
)

// Name is the upstream generator's name.
const Name = "deepcopy-gen"

// Run runs deepcopy-gen on every package tagged +k8s:deepcopy-gen=.
func Run(s *codegen.Session, t codegen.Tree) error {
	a := args.New()
	return s.RunPerPackage(t, codegen.PerPackage{
		Name: Name, Tag: "+k8s:deepcopy-gen=", OutputFile: "zz_generated.deepcopy.go",
		AddFlags: a.AddFlags, Validate: a.Validate,
		Systems: generators.NameSystems(), Default: generators.DefaultNameSystem(),
		Targets: func(c *generator.Context) []generator.Target { return generators.GetTargets(c, a) },
	})
}
