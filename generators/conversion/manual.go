package conversion

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/generators/model"
)

// Manual is a conversion function that conversion-gen calls but cannot
// write, because the types differ in a way only the user can resolve.
type Manual struct {
	// Package is the project-relative directory of the versioned package.
	Package string
	// Func is the function's name, Signature its full declaration line.
	Func      string
	Signature string
	// Fields are the fields conversion-gen could not convert.
	Fields []string
	// Local is the versioned package's type the function converts from or
	// to; FromLocal tells which. Peer is the other type, as the package
	// names it (e.g. insects.BeeSpec).
	Local     string
	FromLocal bool
	Peer      string
}

// File is where aggen asks the user to write manual conversions.
func (m Manual) File() string { return path.Join(m.Package, "conversion.go") }

func (m Manual) String() string {
	return fmt.Sprintf("%s: write %s { ... } (fields needing manual conversion: %s)", m.File(), m.Signature, strings.Join(m.Fields, ", "))
}

// InputError tells the user what to write and where, positioned at what
// made the function necessary: the first field conversion-gen could not
// convert when it is the versioned type's, else the versioned type.
func (m Manual) InputError(p *model.Project) *loader.InputError {
	var pos model.Position
	for _, g := range p.Groups {
		for _, v := range g.Versions {
			if v.Dir != m.Package {
				continue
			}
			pos = v.DocPos
			if t := v.Type(m.Local); t != nil {
				pos = t.Pos
				if m.FromLocal && len(m.Fields) > 0 {
					if f := t.Field(m.Fields[0]); f != nil {
						pos = f.Pos
					}
				}
			}
		}
	}
	from, to := m.Local, m.Peer
	if !m.FromLocal {
		from, to = to, from
	}
	what := fmt.Sprintf("%s cannot be converted to %s automatically", from, to)
	if len(m.Fields) > 0 {
		what = fmt.Sprintf("%s.%s cannot be converted to %s automatically", from, strings.Join(m.Fields, ", "+from+"."), to)
	}
	auto := "autoC" + strings.TrimPrefix(m.Func, "C")
	return &loader.InputError{Pos: pos, Msg: fmt.Sprintf("conversion: %s; write %s in %s (it may call %s, which aggen generates, for the fields that do convert)",
		what, m.Signature, m.File(), auto)}
}

var warning = regexp.MustCompile(`// WARNING: in\.(\w+) requires manual conversion`)

// FindManual reads the generated conversion files and reports every
// Convert_ function they call that neither they nor the package's own
// files (under stage) define.
func FindManual(stage string, generated map[string][]byte) ([]Manual, error) {
	var out []Manual
	for rel, src := range generated {
		if path.Base(rel) != "zz_generated.conversion.go" {
			continue
		}
		dir := path.Dir(rel)
		// Most files call only what they define: telling so from the
		// text spares parsing them (2 MB of code at 200 kinds).
		undefined := undefinedCalls(src)
		if len(undefined) == 0 {
			continue
		}
		own, err := loader.ReadOwnFuncs(stage, dir, "conversion.go")
		if err != nil {
			return nil, err
		}
		if own != nil {
			for name := range undefined {
				if own.Names[name] {
					delete(undefined, name)
				}
			}
		}
		if len(undefined) == 0 {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, rel, src, parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("reading generated %s: %w", rel, err)
		}
		defined := map[string]bool{}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				defined[fd.Name.Name] = true
			}
		}
		if own != nil {
			for name := range own.Names {
				defined[name] = true
			}
		}
		fields := autoConvertWarnings(f, src, fset)
		called := map[string]*ast.CallExpr{}
		ast.Inspect(f, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok {
				if id, ok := c.Fun.(*ast.Ident); ok && strings.HasPrefix(id.Name, "Convert_") && !defined[id.Name] {
					called[id.Name] = c
				}
			}
			return true
		})
		for name := range called {
			sig, in, outType, ok := signature(f, name)
			if !ok {
				continue
			}
			m := Manual{Package: dir, Func: name, Signature: sig, Fields: fields["autoC"+strings.TrimPrefix(name, "C")]}
			m.Local, m.Peer, m.FromLocal = outType, in, false
			if !strings.Contains(in, ".") {
				m.Local, m.Peer, m.FromLocal = in, outType, true
			}
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Package != out[j].Package {
			return out[i].Package < out[j].Package
		}
		return out[i].Func < out[j].Func
	})
	return out, nil
}

// undefinedCalls returns, from the text of a generated conversion file,
// the names of the Convert_ functions it calls unqualified but does not
// declare at the start of a line: a superset of the calls the syntax tree
// shows undefined (a call inside a string or comment, or a method's name,
// only costs the parse).
func undefinedCalls(src []byte) map[string]bool {
	const prefix = "Convert_"
	declared := map[string]bool{}
	called := map[string]bool{}
	for i := 0; ; {
		j := bytes.Index(src[i:], []byte(prefix))
		if j < 0 {
			break
		}
		start := i + j
		end := start + len(prefix)
		for end < len(src) && (isIdentByte(src[end])) {
			end++
		}
		i = end
		if start > 0 && (isIdentByte(src[start-1]) || src[start-1] == '.') {
			// autoConvert_..., or another package's function.
			continue
		}
		name := string(src[start:end])
		if start >= 5 && string(src[start-5:start]) == "func " && (start == 5 || src[start-6] == '\n') {
			declared[name] = true
			continue
		}
		if end < len(src) && src[end] == '(' {
			called[name] = true
		}
	}
	for name := range declared {
		delete(called, name)
	}
	return called
}

func isIdentByte(b byte) bool {
	return b == '_' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || b >= 0x80
}

// signature copies the parameter list of the matching autoConvert_
// function, which conversion-gen always writes, and returns the types
// converted from and to, as the package names them.
func signature(f *ast.File, name string) (sig, in, out string, ok bool) {
	auto := "autoC" + strings.TrimPrefix(name, "C")
	for _, d := range f.Decls {
		fd, isFunc := d.(*ast.FuncDecl)
		if !isFunc || fd.Name.Name != auto {
			continue
		}
		var params, types []string
		for _, p := range fd.Type.Params.List {
			typ := exprString(p.Type)
			for _, n := range p.Names {
				params = append(params, n.Name+" "+typ)
				types = append(types, strings.TrimPrefix(typ, "*"))
			}
		}
		if len(types) < 2 {
			return "", "", "", false
		}
		return fmt.Sprintf("func %s(%s) error", name, strings.Join(params, ", ")), types[0], types[1], true
	}
	return "", "", "", false
}

func exprString(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StarExpr:
		return "*" + exprString(x.X)
	case *ast.SelectorExpr:
		return exprString(x.X) + "." + x.Sel.Name
	case *ast.Ident:
		return x.Name
	}
	return "?"
}

// autoConvertWarnings maps each autoConvert_ function to the fields its
// body says need manual conversion.
func autoConvertWarnings(f *ast.File, src []byte, fset *token.FileSet) map[string][]string {
	out := map[string][]string{}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil || !strings.HasPrefix(fd.Name.Name, "autoConvert_") {
			continue
		}
		body := src[fset.Position(fd.Body.Pos()).Offset:fset.Position(fd.Body.End()).Offset]
		for _, m := range warning.FindAllSubmatch(body, -1) {
			out[fd.Name.Name] = append(out[fd.Name.Name], string(m[1]))
		}
	}
	return out
}
