// Package goformat formats generated Go source as goimports does without
// touching the imports' set (imports.Process with FormatOnly): what gengo
// runs on every file it writes, and what aggen's own templates get.
package goformat

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/imports"
)

// Source formats src exactly as imports.Process does with FormatOnly,
// tab indentation, tab width 8 and comments kept.
//
// imports.Process parses and prints a file twice: once to sort and group
// the imports, once more through go/format. At 200 kinds that was a third
// of a generate (pprof). For the shape generators write, one
// parenthesized import block, one import a line, no comments, sorting
// and grouping is done here on the text as goimports does it: each run
// of consecutive import lines (runs are separated by blank lines) sorted
// by group (the standard library, then paths whose first element has a
// dot), then path, a blank line wherever the group changes within a run.
// The file then goes through go/format once. Any other shape goes to
// imports.Process.
func Source(src []byte) ([]byte, error) {
	if out, ok := simple(src); ok {
		return out, nil
	}
	return imports.Process("", src, &imports.Options{Comments: true, TabIndent: true, TabWidth: 8, FormatOnly: true})
}

// An Import is one import spec; Name is empty for an import without one.
type Import struct{ Name, Path string }

// ImportSpecs returns imports as goimports orders one run of them (a run
// is a block of import lines without a blank line): by group
// (ImportGroup), then path, a blank line wherever the group changes, one
// tab-indented spec a line. It sorts imports in place. aggen's own
// renderers of upstream generators' files write their import blocks with
// it, so they come out as this package formats the others.
func ImportSpecs(imports []Import) string {
	sort.SliceStable(imports, func(i, j int) bool {
		a, b := imports[i], imports[j]
		if ga, gb := ImportGroup(a.Path), ImportGroup(b.Path); ga != gb {
			return ga < gb
		}
		return a.Path < b.Path
	})
	var b strings.Builder
	for i, s := range imports {
		if i > 0 && ImportGroup(s.Path) != ImportGroup(imports[i-1].Path) {
			b.WriteString("\n")
		}
		b.WriteString("\t")
		if s.Name != "" {
			b.WriteString(s.Name + " ")
		}
		b.WriteString(strconv.Quote(s.Path) + "\n")
	}
	return b.String()
}

func simple(src []byte) ([]byte, bool) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ImportsOnly|parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, false
	}
	var decls []*ast.GenDecl
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			decls = append(decls, g)
		}
	}
	text := src
	switch {
	case len(decls) > 1:
		return nil, false
	case len(decls) == 1 && decls[0].Lparen.IsValid():
		g := decls[0]
		for _, c := range f.Comments {
			if c.Pos() >= g.Pos() && c.End() <= g.End() {
				return nil, false
			}
		}
		var runs [][]Import
		seen := map[string]bool{}
		line := fset.Position(g.Lparen).Line
		for i, s := range g.Specs {
			is := s.(*ast.ImportSpec)
			l := fset.Position(is.Pos()).Line
			switch {
			case l == line, fset.Position(is.End()).Line != l, i == 0 && l != line+1:
				// Two imports on a line (or one beside the parenthesis),
				// one over several lines, a blank line first.
				return nil, false
			case l > line+1 || i == 0:
				runs = append(runs, nil)
			}
			line = l
			path, err := strconv.Unquote(is.Path.Value)
			if err != nil || seen[path] {
				return nil, false
			}
			seen[path] = true
			sp := Import{Path: path}
			if is.Name != nil {
				sp.Name = is.Name.Name
			}
			runs[len(runs)-1] = append(runs[len(runs)-1], sp)
		}
		if len(runs) == 0 || fset.Position(g.Rparen).Line != line+1 {
			return nil, false
		}
		var b bytes.Buffer
		b.WriteString("import (\n")
		for r, specs := range runs {
			if r > 0 {
				b.WriteString("\n")
			}
			b.WriteString(ImportSpecs(specs))
		}
		b.WriteString(")")
		from, to := fset.Position(g.Pos()).Offset, fset.Position(g.End()).Offset
		text = append(append(append([]byte(nil), src[:from]...), b.Bytes()...), src[to:]...)
	}
	out, err := format.Source(text)
	if err != nil {
		return nil, false
	}
	return out, true
}

// ImportGroup is goimports' grouping without a local prefix: the standard
// library, then paths whose first element has a dot, then appengine.
func ImportGroup(path string) int {
	if strings.HasPrefix(path, "appengine") {
		return 2
	}
	if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
		return 1
	}
	return 0
}
