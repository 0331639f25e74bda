package controller

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/generators/markers"
	"github.com/aggen-dev/aggen/generators/model"
	"github.com/aggen-dev/aggen/generators/output"
)

// Places are where the controller generator's files live.
var Places = []output.Place{"zz_generated.*"}

// generatedForKind matches the names this generator writes for a kind's
// reconciler (controller.go.tmpl, reconcile.go.tmpl).
var generatedForKind = regexp.MustCompile(`^([A-Z]\w*Object|record[A-Z]\w*Reconciled|write[A-Z]\w*Status)$`)

// Check reports, before anything is written, the reconciler of a
// computed kind (it would call generated helpers such a kind does not
// get) and the reconciler of a kind that no longer exists: an error at
// its first use of a name generated for that kind, else a warning.
func Check(dir string, p *model.Project, files *output.Set) ([]string, error) {
	var errs loader.Errors
	for _, g := range p.Groups {
		for _, k := range g.Kinds {
			if k.Computed && k.Controller {
				errs = append(errs, &loader.InputError{Pos: k.Pos, Msg: "kind " + k.Name + " is +" + markers.Computed +
					" (read only): its reconciler " + ControllerFile(g, k) + " has nothing to write; delete it"})
			}
		}
	}
	// The reconciler file of any group and kind, as a glob.
	orphaned, warnings := loader.Orphans(dir, ControllerFile(&model.Group{Name: "*"}, &model.Kind{Name: "*"}),
		func(rel string) bool { return files.Get(rel) != nil },
		func(rel string) *loader.InputError { return orphanReconciler(dir, rel, files) })
	errs = append(errs, orphaned...)
	if len(errs) > 0 {
		return warnings, errs
	}
	return warnings, nil
}

// orphanReconciler reports a reconciler at its first use of a name this
// generator wrote for a kind and no longer writes.
func orphanReconciler(dir, rel string, files *output.Set) *loader.InputError {
	declared := map[string]bool{}
	pkgDir := path.Dir(rel)
	fset := token.NewFileSet()
	var own *ast.File
	entries, _ := os.ReadDir(filepath.Join(dir, filepath.FromSlash(pkgDir)))
	for _, e := range entries {
		name := path.Join(pkgDir, e.Name())
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if gen := files.Get(name); gen != nil {
			src = gen.Data
		} else if files.Holds(name) && output.IsGenerated(src) {
			// A generated file nothing produces any more goes in this run.
			continue
		}
		f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
		if err != nil {
			return nil
		}
		if name == rel {
			own = f
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					declared[d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					if ts, ok := s.(*ast.TypeSpec); ok {
						declared[ts.Name.Name] = true
					}
				}
			}
		}
	}
	if own == nil {
		return nil
	}
	var found *ast.Ident
	ast.Inspect(own, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			// The name after the dot is another package's.
			ast.Inspect(n.X, func(m ast.Node) bool {
				if id, ok := m.(*ast.Ident); ok && found == nil && generatedForKind.MatchString(id.Name) && !declared[id.Name] {
					found = id
				}
				return found == nil
			})
			return false
		case *ast.Ident:
			if found == nil && generatedForKind.MatchString(n.Name) && !declared[n.Name] {
				found = n
			}
		}
		return found == nil
	})
	if found == nil {
		return nil
	}
	pos := fset.Position(found.Pos())
	return &loader.InputError{Pos: model.Position{File: rel, Line: pos.Line, Column: pos.Column},
		Msg: "undefined: " + found.Name + ": aggen generated it for a kind that no longer exists or no longer has this reconciler: delete " + rel + " (aggen scaffolded it, but it is yours, so aggen does not)"}
}
