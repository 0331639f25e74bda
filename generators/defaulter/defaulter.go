package defaulter

import (
	"fmt"

	"k8s.io/code-generator/cmd/defaulter-gen/args"
	"k8s.io/code-generator/cmd/defaulter-gen/generators"
	"k8s.io/gengo/v2/generator"

	"github.com/aggen-dev/aggen/generators/codegen"
)

// Name is the upstream generator's name.
const Name = "defaulter-gen"

// Tag selects defaulter-gen's input packages, as kube_codegen.sh's grep does.
const Tag = "+k8s:defaulter-gen="

// OutputFile is the file written into every package that gets defaulters.
const OutputFile = "zz_generated.defaults.go"

// Run writes zz_generated.defaults.go into every package tagged
// +k8s:defaulter-gen=. defaulter-gen's GetTargets decides which packages
// get a file and which types an object defaulter; aggen renders the
// files itself. A package with a shape the renderer does not reproduce
// with certainty (see Render) is left to defaulter-gen's own generator,
// as is every package when reference is set.
func Run(s *codegen.Session, t codegen.Tree, reference bool) error {
	var addErr error
	err := s.RunPerPackage(t, upstream(func(c *generator.Context, a *args.Args, targets []generator.Target) []generator.Target {
		if reference {
			return targets
		}
		r := renderTargets(c, a, s.Dir, targets)
		if err := s.AddFiles(Name, r.Files); err != nil && addErr == nil {
			addErr = err
		}
		return r.rest
	}))
	if err != nil {
		return err
	}
	return addErr
}

// Render decides and renders defaulter-gen's output for every package of
// t tagged +k8s:defaulter-gen=, as defaulter-gen v0.37.2 would write it
// after goimports and gofmt -s, without adding anything to s: a package
// with a shape it does not reproduce with certainty goes to Fallback.
func Render(s *codegen.Session, t codegen.Tree) (*Result, error) {
	res := &Result{Files: map[string][]byte{}}
	err := s.RunPerPackage(t, upstream(func(c *generator.Context, a *args.Args, targets []generator.Target) []generator.Target {
		res = renderTargets(c, a, s.Dir, targets)
		return nil
	}))
	if err != nil {
		return nil, err
	}
	return res, nil
}

// upstream describes defaulter-gen as kube_codegen.sh runs it; then
// receives GetTargets' targets and returns those defaulter-gen is to
// execute.
func upstream(then func(*generator.Context, *args.Args, []generator.Target) []generator.Target) codegen.PerPackage {
	a := args.New()
	return codegen.PerPackage{
		Name: Name, Tag: Tag, OutputFile: OutputFile,
		AddFlags: a.AddFlags, Validate: a.Validate,
		Systems: generators.NameSystems(), Default: generators.DefaultNameSystem(),
		Targets: func(c *generator.Context) []generator.Target { return then(c, a, generators.GetTargets(c, a)) },
	}
}

// UnsupportedError says why the renderer left a package to the upstream
// generator: a shape it does not reproduce with certainty.
type UnsupportedError struct {
	Package string
	Reason  string
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("defaulter renderer: package %s: %s", e.Package, e.Reason)
}
