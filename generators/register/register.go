package register

import (
	"fmt"

	"k8s.io/code-generator/cmd/register-gen/args"
	"k8s.io/code-generator/cmd/register-gen/generators"
	"k8s.io/gengo/v2/generator"

	"github.com/aggen-dev/aggen/generators/codegen"
)

// Name is the upstream generator's name.
const Name = "register-gen"

// Tag selects register-gen's input packages, as kube_codegen.sh's grep does.
const Tag = "+groupName"

// OutputFile is the file written into every package that gets a registration.
const OutputFile = "zz_generated.register.go"

// Run writes zz_generated.register.go into every package tagged
// +groupName but those in skip, which register their types themselves.
// register-gen's GetTargets decides which packages get a file; aggen
// renders the files itself (see Render). A package the renderer does not
// reproduce with certainty is left to register-gen's own generator, as is
// every package when reference is set.
func Run(s *codegen.Session, t codegen.Tree, skip map[string]bool, reference bool) error {
	var addErr error
	err := s.RunPerPackage(t, upstream(skip, func(c *generator.Context, a *args.Args, targets []generator.Target) []generator.Target {
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

// Render decides and renders register-gen's output for every package of
// t tagged +groupName but those in skip, as register-gen v0.37.2 would
// write it after goimports and gofmt -s, without adding anything to s: a
// package it does not reproduce with certainty goes to Fallback.
func Render(s *codegen.Session, t codegen.Tree, skip map[string]bool) (*Result, error) {
	res := &Result{Files: map[string][]byte{}}
	err := s.RunPerPackage(t, upstream(skip, func(c *generator.Context, a *args.Args, targets []generator.Target) []generator.Target {
		res = renderTargets(c, a, s.Dir, targets)
		return nil
	}))
	if err != nil {
		return nil, err
	}
	return res, nil
}

// upstream describes register-gen as kube_codegen.sh runs it, on the
// input packages without the types hideNonObjects hides; then receives
// GetTargets' targets (while those types are hidden) and returns those
// register-gen is to execute.
func upstream(skip map[string]bool, then func(*generator.Context, *args.Args, []generator.Target) []generator.Target) codegen.PerPackage {
	a := args.New()
	return codegen.PerPackage{
		Name: Name, Tag: Tag, OutputFile: OutputFile, Skip: skip,
		AddFlags: a.AddFlags, Validate: a.Validate,
		Systems: generators.NameSystems(), Default: generators.DefaultNameSystem(),
		Targets: func(c *generator.Context) []generator.Target {
			restore := hideNonObjects(c.Universe, c.Inputs)
			defer restore()
			return then(c, a, generators.GetTargets(c, a))
		},
	}
}

// UnsupportedError says why the renderer left a package to the upstream
// generator.
type UnsupportedError struct {
	Package string
	Reason  string
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("register renderer: package %s: %s", e.Package, e.Reason)
}
