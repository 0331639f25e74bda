package registry

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/generators/model"
	"github.com/aggen-dev/aggen/generators/output"
)

// Places are where the registry's generated files live.
var Places = []output.Place{"zz_generated.*"}

// hooksFile is the user-owned file of a kind's registry package that
// holds the hooks its generated strategy calls.
const hooksFile = "hooks.go"

// Check reports, before anything is written, every hook function the
// generated strategies call that a kind's registry package no longer
// declares (at the package clause of its hooks file; a package with no
// user files yet is skipped: its hooks.go is scaffolded), and the
// hooks.go of a kind that no longer exists: an error when its package has
// no generated file left (it uses the deleted kind's internal type),
// else a warning.
func Check(dir string, p *model.Project, files *output.Set) ([]string, error) {
	var errs loader.Errors
	for _, g := range p.Groups {
		for _, k := range g.Kinds {
			if k.Computed {
				// No strategy calls hooks; its source.go is the user's.
				continue
			}
			_, rel, _ := KindPackage(p, g, k)
			own, err := loader.ReadOwnFuncs(dir, rel, hooksFile)
			if err != nil {
				return nil, err
			}
			if own == nil || own.Unparsable {
				continue
			}
			for _, name := range HookFuncs {
				if !own.Names[name] {
					errs = append(errs, &loader.InputError{Pos: own.Clause, Msg: "missing hook func " + name +
						" of kind " + k.Name + ": the generated strategy calls it (aggen scaffolded it in hooks.go); declare it in package " + path.Base(rel)})
				}
			}
		}
	}
	orphaned, warnings := loader.Orphans(dir, path.Join(packagesDir, "*", "*", hooksFile),
		func(rel string) bool { return files.Get(rel) != nil },
		func(rel string) *loader.InputError { return orphanHooks(dir, rel, p, files) })
	errs = append(errs, orphaned...)
	if len(errs) > 0 {
		return warnings, errs
	}
	return warnings, nil
}

// orphanHooks reports hooks.go of a registry package whose generated
// files are all gone, at its first use of an API package of the project.
func orphanHooks(dir, rel string, p *model.Project, files *output.Set) *loader.InputError {
	pkgDir := path.Dir(rel)
	for _, f := range files.Files() {
		if path.Dir(f.Path) == pkgDir {
			return nil
		}
	}
	src, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, rel, src, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	apis := map[string]bool{}
	for _, imp := range f.Imports {
		ip, err := strconv.Unquote(imp.Path.Value)
		if err != nil || !strings.HasPrefix(ip, p.Module+"/"+loader.APIsDir+"/") {
			continue
		}
		name := path.Base(ip)
		if imp.Name != nil {
			name = imp.Name.Name
		}
		apis[name] = true
	}
	// The first use of the internal type, else the package clause.
	at := f.Package
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && at == f.Package {
			if x, ok := sel.X.(*ast.Ident); ok && apis[x.Name] {
				at = sel.Pos()
			}
		}
		return at == f.Package
	})
	pos := fset.Position(at)
	return &loader.InputError{Pos: model.Position{File: rel, Line: pos.Line, Column: pos.Column},
		Msg: "the kind these hooks are for no longer exists, and neither does the code of " + pkgDir + " that called them: delete " + pkgDir + "/ (aggen scaffolded it, but it is yours, so aggen does not)"}
}
