package register

import (
	"k8s.io/code-generator/cmd/register-gen/args"
	"k8s.io/code-generator/cmd/register-gen/generators"
	"k8s.io/gengo/v2/generator"

	"github.com/aggen-dev/aggen/generators/codegen"
)

// Name is the upstream generator's name.
const Name = "register-gen"

// Run runs register-gen on every package tagged +groupName but those in
// skip, which register their types themselves.
func Run(s *codegen.Session, t codegen.Tree, skip map[string]bool) error {
	a := args.New()
	return s.RunPerPackage(t, codegen.PerPackage{
		Name: Name, Tag: "+groupName", OutputFile: "zz_generated.register.go", Skip: skip,
		AddFlags: a.AddFlags, Validate: a.Validate,
		Systems: generators.NameSystems(), Default: generators.DefaultNameSystem(),
		Targets: func(c *generator.Context) []generator.Target {
			restore := hideNonObjects(c.Universe, c.Inputs)
			defer restore()
			return generators.GetTargets(c, a)
		},
	})
}
