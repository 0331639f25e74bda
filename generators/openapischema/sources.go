package openapischema

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"k8s.io/gengo/v2"
	"k8s.io/gengo/v2/types"
)

// sources reads the bodies of methods whose results openapi-gen's code
// gets at run time (OpenAPISchemaType, OpenAPISchemaFormat, a hand-written
// OpenAPIModelName). Those methods return literals, which aggen reads from
// the package's source instead of running them.
type sources struct {
	u     types.Universe
	fset  *token.FileSet
	funcs map[string]map[string]*ast.FuncDecl // package -> "Type.Method" -> decl
	ctx   build.Context
}

func newSources(u types.Universe) *sources {
	ctx := build.Default
	// The parse sees the files gengo's generators see.
	ctx.BuildTags = append(append([]string(nil), ctx.BuildTags...), gengo.StdBuildTag)
	return &sources{u: u, fset: token.NewFileSet(), funcs: map[string]map[string]*ast.FuncDecl{}, ctx: ctx}
}

func (s *sources) method(t *types.Type, name string) (*ast.FuncDecl, error) {
	pkg := t.Name.Package
	funcs, ok := s.funcs[pkg]
	if !ok {
		p := s.u[pkg]
		if p == nil || p.Dir == "" {
			return nil, fmt.Errorf("no source directory for package %s", pkg)
		}
		var err error
		if funcs, err = s.load(p.Dir); err != nil {
			return nil, err
		}
		s.funcs[pkg] = funcs
	}
	decl := funcs[t.Name.Name+"."+name]
	if decl == nil {
		return nil, fmt.Errorf("method %s.%s not found in %s", t.Name.Name, name, pkg)
	}
	return decl, nil
}

// load parses the files of dir that declare methods OpenAPI reads and
// indexes their methods by receiver type and name.
func (s *sources) load(dir string) (map[string]*ast.FuncDecl, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := map[string]*ast.FuncDecl{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		if !bytes.Contains(src, []byte(") OpenAPI")) {
			continue
		}
		if ok, err := s.ctx.MatchFile(dir, name); err != nil || !ok {
			continue
		}
		f, err := parser.ParseFile(s.fset, filepath.Join(dir, name), src, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || len(fd.Recv.List) != 1 || !strings.HasPrefix(fd.Name.Name, "OpenAPI") {
				continue
			}
			recv := fd.Recv.List[0].Type
			if star, ok := recv.(*ast.StarExpr); ok {
				recv = star.X
			}
			if id, ok := recv.(*ast.Ident); ok {
				out[id.Name+"."+fd.Name.Name] = fd
			}
		}
	}
	return out, nil
}

// literal returns the expression of a method whose body is one return.
func (s *sources) literal(t *types.Type, name string) (ast.Expr, error) {
	fd, err := s.method(t, name)
	if err != nil {
		return nil, err
	}
	if fd.Body != nil && len(fd.Body.List) == 1 {
		if r, ok := fd.Body.List[0].(*ast.ReturnStmt); ok && len(r.Results) == 1 {
			return r.Results[0], nil
		}
	}
	return nil, s.notLiteral(t, name, fd)
}

func (s *sources) notLiteral(t *types.Type, name string, fd *ast.FuncDecl) error {
	return fmt.Errorf("%s: %s.%s does not just return a literal, so aggen cannot evaluate it in process",
		s.fset.Position(fd.Pos()), t.Name.Name, name)
}

func (s *sources) stringMethod(t *types.Type, name string) (string, error) {
	e, err := s.literal(t, name)
	if err != nil {
		return "", err
	}
	if v, ok := stringLit(e); ok {
		return v, nil
	}
	fd, _ := s.method(t, name)
	return "", s.notLiteral(t, name, fd)
}

func (s *sources) stringsMethod(t *types.Type, name string) ([]string, error) {
	e, err := s.literal(t, name)
	if err != nil {
		return nil, err
	}
	fd, _ := s.method(t, name)
	cl, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil, s.notLiteral(t, name, fd)
	}
	if at, ok := cl.Type.(*ast.ArrayType); !ok || at.Len != nil {
		return nil, s.notLiteral(t, name, fd)
	} else if id, ok := at.Elt.(*ast.Ident); !ok || id.Name != "string" {
		return nil, s.notLiteral(t, name, fd)
	}
	out := []string{}
	for _, el := range cl.Elts {
		v, ok := stringLit(el)
		if !ok {
			return nil, s.notLiteral(t, name, fd)
		}
		out = append(out, v)
	}
	return out, nil
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	v, err := strconv.Unquote(lit.Value)
	return v, err == nil
}
