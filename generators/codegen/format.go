package codegen

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

// formatGo formats a file gengo assembled exactly as gengo does, with
// goimports' formatting (imports.Process, FormatOnly).
//
// imports.Process parses and prints a file twice: once to sort and group
// the imports, once more through go/format. At 200 kinds that was a third
// of a generate (pprof). gengo writes one parenthesized import block, one
// import a line in map order, with no comments; for that shape sorting
// and grouping is done here on the text (by group, then path: the
// standard library, then paths whose first element has a dot, each group
// its own block), and the file goes through go/format once. Any other
// shape goes to imports.Process.
func formatGo(src []byte) ([]byte, error) {
	if out, ok := formatSimple(src); ok {
		return out, nil
	}
	return imports.Process("", src, &imports.Options{Comments: true, TabIndent: true, TabWidth: 8, FormatOnly: true})
}

func formatSimple(src []byte) ([]byte, bool) {
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
		type spec struct {
			name, path string
			group      int
		}
		var specs []spec
		seen := map[string]bool{}
		line := fset.Position(g.Lparen).Line
		for _, s := range g.Specs {
			is := s.(*ast.ImportSpec)
			// One run of consecutive lines, one import each.
			if l := fset.Position(is.Pos()).Line; l != line+1 {
				return nil, false
			} else {
				line = l
			}
			path, err := strconv.Unquote(is.Path.Value)
			if err != nil || seen[path] {
				return nil, false
			}
			seen[path] = true
			sp := spec{path: path, group: importGroup(path)}
			if is.Name != nil {
				sp.name = is.Name.Name
			}
			specs = append(specs, sp)
		}
		if fset.Position(g.Rparen).Line != line+1 {
			return nil, false
		}
		sort.Slice(specs, func(i, j int) bool {
			a, b := specs[i], specs[j]
			if a.group != b.group {
				return a.group < b.group
			}
			return a.path < b.path
		})
		var b bytes.Buffer
		b.WriteString("import (\n")
		for i, s := range specs {
			if i > 0 && s.group != specs[i-1].group {
				b.WriteString("\n")
			}
			b.WriteString("\t")
			if s.name != "" {
				b.WriteString(s.name + " ")
			}
			b.WriteString(strconv.Quote(s.path) + "\n")
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

// importGroup is goimports' grouping without a local prefix: the
// standard library, appengine, then paths whose first element has a dot.
func importGroup(path string) int {
	if strings.HasPrefix(path, "appengine") {
		return 2
	}
	if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
		return 1
	}
	return 0
}
