package scaffold

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/generators/model"
	"github.com/aggen-dev/aggen/generators/registry"
)

// checkHooks reports every hook function the generated strategies call
// that a kind's user-owned registry package no longer declares, with the
// position of the package's hooks file, before anything is written.
// A package with no user files yet is skipped: its hooks.go is scaffolded.
func checkHooks(dir string, p *model.Project) error {
	var errs loader.Errors
	for _, g := range p.Groups {
		for _, k := range g.Kinds {
			_, rel, _ := registry.KindPackage(p, g, k)
			declared, anchor, err := userFuncs(dir, rel)
			if err != nil {
				return err
			}
			if anchor.File == "" {
				continue
			}
			for _, name := range registry.HookFuncs {
				if !declared[name] {
					errs = append(errs, &loader.InputError{Pos: anchor, Msg: "missing hook func " + name +
						" of kind " + k.Name + ": the generated strategy calls it (aggen scaffolded it in hooks.go); declare it in package " + path.Base(rel)})
				}
			}
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// userFuncs returns the top-level functions declared in the package's own
// files and the position of its package clause (hooks.go preferred).
func userFuncs(root, rel string) (map[string]bool, model.Position, error) {
	entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(rel)))
	if os.IsNotExist(err) {
		return nil, model.Position{}, nil
	}
	if err != nil {
		return nil, model.Position{}, err
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") && !strings.HasPrefix(n, "zz_generated") {
			names = append(names, n)
		}
	}
	sort.Slice(names, func(i, j int) bool { return names[i] == "hooks.go" || (names[j] != "hooks.go" && names[i] < names[j]) })
	declared := map[string]bool{}
	var anchor model.Position
	fset := token.NewFileSet()
	for _, n := range names {
		fileRel := path.Join(rel, n)
		f, err := parser.ParseFile(fset, fileRel, nil, parser.SkipObjectResolution)
		if err != nil {
			// Not ours to diagnose: go build reports it with its position.
			declared = allHooks()
			return declared, model.Position{File: fileRel, Line: 1, Column: 1}, nil
		}
		if anchor.File == "" {
			pp := fset.Position(f.Package)
			anchor = model.Position{File: fileRel, Line: pp.Line, Column: pp.Column}
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
				declared[fd.Name.Name] = true
			}
		}
	}
	return declared, anchor, nil
}

func allHooks() map[string]bool {
	out := map[string]bool{}
	for _, h := range registry.HookFuncs {
		out[h] = true
	}
	return out
}
