package scaffold

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/generators/model"
	"github.com/aggen-dev/aggen/generators/output"
)

// kindOwnedPatterns are the user-owned files aggen scaffolds per kind.
// When the kind is deleted they stay (they are the user's), but the code
// they call is gone, so the project stops building until they go too.
var kindOwnedPatterns = []string{
	"pkg/registry/*/*/hooks.go",
	"pkg/controller/*/*_controller.go",
}

// generatedForKind matches the names the controller generator writes for
// a kind's reconciler (see generators/controller).
var generatedForKind = regexp.MustCompile(`^([A-Z]\w*Object|record[A-Z]\w*Reconciled|write[A-Z]\w*Status)$`)

// orphans finds the per-kind user-owned files that no kind produces any
// more. A file that certainly no longer compiles is an InputError at its
// first use of what went away: a registry package's hooks.go whose
// generated files are all gone (it uses the deleted kind's internal
// type), and a reconciler that uses what aggen generated for a kind that
// no longer has it. The others are named in warnings.
func orphans(dir string, p *model.Project, files *output.Set) (loader.Errors, []string) {
	var errs loader.Errors
	var warnings []string
	for _, pattern := range kindOwnedPatterns {
		matches, _ := filepath.Glob(filepath.Join(dir, filepath.FromSlash(pattern)))
		for _, m := range matches {
			rel, err := filepath.Rel(dir, m)
			if err != nil {
				continue
			}
			rel = filepath.ToSlash(rel)
			if files.Get(rel) != nil {
				continue
			}
			var broken *loader.InputError
			if strings.HasPrefix(rel, "pkg/registry/") {
				broken = orphanHooks(dir, rel, p, files)
			} else {
				broken = orphanReconciler(dir, rel, files)
			}
			if broken != nil {
				errs = append(errs, broken)
				continue
			}
			warnings = append(warnings, rel+" belongs to a kind that no longer exists; it is yours, so aggen leaves it, but the project will not build until you delete it")
		}
	}
	sort.Strings(warnings)
	return errs, warnings
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
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, rel, mustRead(dir, rel), parser.SkipObjectResolution)
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

// orphanReconciler reports a reconciler at its first use of a name the
// controller generator wrote for a kind and no longer writes.
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
		src := mustRead(dir, name)
		if gen := files.Get(name); gen != nil {
			src = gen.Data
		} else if generatedByUs(src) {
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

func mustRead(dir, rel string) []byte {
	b, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	return b
}
