package deepcopy

import (
	"fmt"

	"k8s.io/code-generator/cmd/deepcopy-gen/args"
	"k8s.io/code-generator/cmd/deepcopy-gen/generators"
	"k8s.io/gengo/v2/generator"

	"github.com/aggen-dev/aggen/generators/codegen"
)

// Name is the upstream generator's name.
const Name = "deepcopy-gen"

// Tag selects deepcopy-gen's input packages, as kube_codegen.sh's grep does.
const Tag = "+k8s:deepcopy-gen="

// OutputFile is the file written into every package that gets deep copies.
const OutputFile = "zz_generated.deepcopy.go"

// Run writes zz_generated.deepcopy.go into every package tagged
// +k8s:deepcopy-gen=. aggen renders the files itself; a package with a
// shape the renderer does not know (see Render) is handed to the upstream
// deepcopy-gen, as is every package when reference is set.
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

// upstream describes deepcopy-gen as kube_codegen.sh runs it, leaving out
// the packages in skip.
func upstream(skip map[string]bool) codegen.PerPackage {
	a := args.New()
	return codegen.PerPackage{
		Name: Name, Tag: Tag, OutputFile: OutputFile, Skip: skip,
		AddFlags: a.AddFlags, Validate: a.Validate,
		Systems: generators.NameSystems(), Default: generators.DefaultNameSystem(),
		Targets: func(c *generator.Context) []generator.Target { return generators.GetTargets(c, a) },
	}
}

// UnsupportedError says why the renderer left a package to the upstream
// generator: a shape it does not reproduce with certainty, or an input
// upstream rejects (which upstream then reports itself).
type UnsupportedError struct {
	Package string
	Reason  string
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("deepcopy renderer: package %s: %s", e.Package, e.Reason)
}
