package codegen

import (
	"go/ast"
	"go/parser"
	"go/token"
)

// maySimplify reports whether `gofmt -s` could change src, formatted Go
// source: whether it has any construct gofmt's simplification rewrites.
// It errs on the side of yes; a file it says no to is left as it is,
// which saves parsing and printing it again in gofmt (a tenth of a
// generate at 50 kinds, by pprof and rusage).
//
// gofmt -s rewrites: composite literal elements (and map keys) of array,
// slice and map literals that repeat the element type, or take the
// address of a literal of a pointer element type; s[a:len(s)]; range
// clauses with blank variables; and declaration groups with no specs.
func maySimplify(src []byte) bool {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution)
	if err != nil {
		return true // let gofmt say what is wrong
	}
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.GenDecl:
			if len(n.Specs) == 0 {
				found = true
			}
		case *ast.CompositeLit:
			switch n.Type.(type) {
			case *ast.ArrayType, *ast.MapType:
				for _, e := range n.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok {
						if typedLiteral(kv.Key) || typedLiteral(kv.Value) {
							found = true
						}
						continue
					}
					if typedLiteral(e) {
						found = true
					}
				}
			}
		case *ast.SliceExpr:
			if call, ok := n.High.(*ast.CallExpr); ok && n.Max == nil {
				if fun, ok := call.Fun.(*ast.Ident); ok && fun.Name == "len" {
					found = true
				}
			}
		case *ast.RangeStmt:
			if blank(n.Key) || blank(n.Value) {
				found = true
			}
		}
		return !found
	})
	return found
}

// typedLiteral: T{...} or &T{...} with T written out.
func typedLiteral(e ast.Expr) bool {
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = u.X
	}
	c, ok := e.(*ast.CompositeLit)
	return ok && c.Type != nil
}

func blank(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "_"
}
