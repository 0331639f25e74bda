package conversion

import (
	"k8s.io/code-generator/cmd/conversion-gen/args"
	"k8s.io/code-generator/cmd/conversion-gen/generators"
	"k8s.io/gengo/v2/generator"

	"github.com/aggen-dev/aggen/generators/codegen"
)

// Name is the upstream generator's name.
const Name = "conversion-gen"

// Tag selects conversion-gen's input packages, as kube_codegen.sh's grep does.
const Tag = "+k8s:conversion-gen="

// OutputFile is the file written into every package that gets conversions.
const OutputFile = "zz_generated.conversion.go"

// Run writes zz_generated.conversion.go into every package tagged
// +k8s:conversion-gen=. aggen renders the files itself; a package with a
// shape the renderer does not know (see Render) is handed to the upstream
// conversion-gen, as is every package when reference is set.
func Run(s *codegen.Session, t codegen.Tree, reference bool) error {
	if reference {
		return s.RunPerPackage(t, upstream(nil))
	}
	r, err := Render(s, t)
	if err != nil {
		return err
	}
	if err := s.AddFiles(Name, r.Files); err != nil {
		return err
	}
	if len(r.Fallback) == 0 {
		return nil
	}
	skip := map[string]bool{}
	for _, p := range r.Rendered {
		skip[p] = true
	}
	return s.RunPerPackage(t, upstream(skip))
}

// upstream describes conversion-gen as kube_codegen.sh runs it, leaving
// out the packages in skip.
func upstream(skip map[string]bool) codegen.PerPackage {
	a := args.New()
	return codegen.PerPackage{
		Name: Name, Tag: Tag, OutputFile: OutputFile, Skip: skip,
		AddFlags: a.AddFlags, Validate: a.Validate,
		Systems: generators.NameSystems(), Default: generators.DefaultNameSystem(),
		Targets: func(c *generator.Context) []generator.Target { return generators.GetTargets(c, a) },
	}
}
