package loader

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"

	"github.com/aggen-dev/aggen/generators/model"
)

// OwnFuncs are the top-level functions a package's own files declare:
// the files the user writes, not generated ones and not tests.
type OwnFuncs struct {
	Names map[string]bool
	// Clause is the position of the package clause of the first file,
	// the preferred file if it exists.
	Clause model.Position
	// Unparsable is set when a file has syntax errors: the names are then
	// incomplete, and the compiler reports the error with its position.
	Unparsable bool
}

// ReadOwnFuncs parses the own files of the package in root/rel (rel is
// slash-separated and becomes the positions' file prefix). It returns nil
// when the directory or its own files do not exist.
func ReadOwnFuncs(root, rel, preferred string) (*OwnFuncs, error) {
	names, err := sourceFiles(filepath.Join(root, filepath.FromSlash(rel)))
	if os.IsNotExist(err) || len(names) == 0 {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	for i, n := range names {
		if n == preferred {
			names[0], names[i] = names[i], names[0]
		}
	}
	out := &OwnFuncs{Names: map[string]bool{}}
	fset := token.NewFileSet()
	for _, n := range names {
		fileRel := path.Join(rel, n)
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(fileRel)))
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, fileRel, src, parser.SkipObjectResolution)
		if err != nil {
			out.Unparsable = true
			continue
		}
		if out.Clause.File == "" {
			p := fset.Position(f.Package)
			out.Clause = model.Position{File: fileRel, Line: p.Line, Column: p.Column}
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
				out.Names[fd.Name.Name] = true
			}
		}
	}
	return out, nil
}

// Orphans looks at the user-owned files matching pattern (slash-separated,
// relative to root, as filepath.Glob reads it) that no generator produces
// any more (produced says which are): their kind is gone. broken returns
// the error at a file's first use of what went away, when it certainly
// no longer compiles; the others are named in warnings.
func Orphans(root, pattern string, produced func(rel string) bool, broken func(rel string) *InputError) (Errors, []string) {
	var errs Errors
	var warnings []string
	matches, _ := filepath.Glob(filepath.Join(root, filepath.FromSlash(pattern)))
	for _, m := range matches {
		rel, err := filepath.Rel(root, m)
		if err != nil {
			continue
		}
		rel = filepath.ToSlash(rel)
		if produced(rel) {
			continue
		}
		if err := broken(rel); err != nil {
			errs = append(errs, err)
			continue
		}
		warnings = append(warnings, rel+" belongs to a kind that no longer exists; it is yours, so aggen leaves it, but the project will not build until you delete it")
	}
	return errs, warnings
}
