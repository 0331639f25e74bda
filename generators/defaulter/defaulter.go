package defaulter

import (
	"k8s.io/code-generator/cmd/defaulter-gen/args"
	"k8s.io/code-generator/cmd/defaulter-gen/generators"
	"k8s.io/gengo/v2/generator"

	"github.com/aggen-dev/aggen/generators/codegen"
)

// Name is the upstream generator's name.
const Name = "defaulter-gen"

// Run runs defaulter-gen on every package tagged +k8s:defaulter-gen=.
func Run(s *codegen.Session, t codegen.Tree) error {
	a := args.New()
	return s.RunPerPackage(t, codegen.PerPackage{
		Name: Name, Tag: "+k8s:defaulter-gen=", OutputFile: "zz_generated.defaults.go",
		AddFlags: a.AddFlags, Validate: a.Validate,
		Systems: generators.NameSystems(), Default: generators.DefaultNameSystem(),
		Targets: func(c *generator.Context) []generator.Target { return generators.GetTargets(c, a) },
	})
}
