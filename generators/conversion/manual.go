package conversion

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/aggen-dev/aggen/generators/loader"
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
}

// File is where aggen asks the user to write manual conversions.
func (m Manual) File() string { return path.Join(m.Package, "conversion.go") }

func (m Manual) String() string {
	return fmt.Sprintf("%s: write %s { ... } (fields needing manual conversion: %s)", m.File(), m.Signature, strings.Join(m.Fields, ", "))
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
		dir := path.Dir(rel)
		own, err := loader.ReadOwnFuncs(stage, dir, "conversion.go")
		if err != nil {
			return nil, err
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
			sig, ok := signature(f, name)
			if !ok {
				continue
			}
			out = append(out, Manual{Package: dir, Func: name, Signature: sig, Fields: fields["autoC"+strings.TrimPrefix(name, "C")]})
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

// signature copies the parameter list of the matching autoConvert_
// function, which conversion-gen always writes.
func signature(f *ast.File, name string) (string, bool) {
	auto := "autoC" + strings.TrimPrefix(name, "C")
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Name.Name != auto {
			continue
		}
		var params []string
		for _, p := range fd.Type.Params.List {
			typ := exprString(p.Type)
			for _, n := range p.Names {
				params = append(params, n.Name+" "+typ)
			}
		}
		return fmt.Sprintf("func %s(%s) error", name, strings.Join(params, ", ")), true
	}
	return "", false
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
