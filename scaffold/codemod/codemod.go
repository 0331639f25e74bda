// Package codemod rewrites user-owned Go code for known API changes of the
// libraries aggen projects call, between the versions aggen pins: each
// rewrite is a small go/ast transformation, applied by `aggen upgrade`
// after it moves the pins.
package codemod

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"path"
	"strconv"

	"golang.org/x/tools/go/ast/astutil"
)

// Codemod is one rewrite.
type Codemod struct {
	// Name says what changed, in which release.
	Name string
	// Rewrite changes f in place and reports whether it changed anything.
	Rewrite func(fset *token.FileSet, f *ast.File) bool
}

// All are the rewrites upgrade applies, in order.
func All() []Codemod {
	return []Codemod{
		{Name: "controller-runtime v0.16: manager.Options.MetricsBindAddress moved to Metrics (metricsserver.Options).BindAddress", Rewrite: metricsBindAddress},
		{Name: "controller-runtime v0.15: Builder.Watches takes the watched object, not a source.Kind", Rewrite: watchesSourceKind},
	}
}

// Apply runs mods on a Go source file and returns the rewritten source
// and the names of the rewrites that changed it; src comes back as it was
// when none did. A file that does not parse is left alone.
func Apply(filename string, src []byte, mods []Codemod) ([]byte, []string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return src, nil, nil
	}
	var applied []string
	for _, m := range mods {
		if m.Rewrite(fset, f) {
			applied = append(applied, m.Name)
		}
	}
	if len(applied) == 0 {
		return src, nil, nil
	}
	var buf bytes.Buffer
	if err := format.Node(&buf, fset, f); err != nil {
		return nil, nil, fmt.Errorf("%s: formatting after %s: %w", filename, applied[0], err)
	}
	return buf.Bytes(), applied, nil
}

// importName returns the name file f refers to the package at importPath
// by, or "" when f does not import it.
func importName(f *ast.File, importPath string) string {
	for _, s := range f.Imports {
		p, err := strconv.Unquote(s.Path.Value)
		if err != nil || p != importPath {
			continue
		}
		if s.Name != nil {
			if s.Name.Name == "_" || s.Name.Name == "." {
				return ""
			}
			return s.Name.Name
		}
		return defaultName(p)
	}
	return ""
}

// defaultName is the package name of the import paths the codemods know,
// their last element otherwise.
func defaultName(importPath string) string {
	switch importPath {
	case "sigs.k8s.io/controller-runtime":
		return "controllerruntime"
	}
	return path.Base(importPath)
}

// isSelector reports whether e is pkg.Name.
func isSelector(e ast.Expr, pkg, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || pkg == "" {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == pkg && sel.Sel.Name == name
}

const (
	crRoot    = "sigs.k8s.io/controller-runtime"
	crManager = "sigs.k8s.io/controller-runtime/pkg/manager"
	crMetrics = "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	crSource  = "sigs.k8s.io/controller-runtime/pkg/source"
)

// metricsBindAddress rewrites
//
//	ctrl.Options{MetricsBindAddress: addr}
//
// (or manager.Options) into
//
//	ctrl.Options{Metrics: metricsserver.Options{BindAddress: addr}}
//
// importing sigs.k8s.io/controller-runtime/pkg/metrics/server. A literal
// that already sets Metrics is left for the user.
func metricsBindAddress(fset *token.FileSet, f *ast.File) bool {
	root, mgr := importName(f, crRoot), importName(f, crManager)
	metrics := importName(f, crMetrics)
	changed := false
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok || !(isSelector(lit.Type, root, "Options") || isSelector(lit.Type, mgr, "Options")) {
			return true
		}
		at := -1
		for i, e := range lit.Elts {
			kv, ok := e.(*ast.KeyValueExpr)
			if !ok {
				return true
			}
			switch key, _ := kv.Key.(*ast.Ident); {
			case key == nil:
			case key.Name == "Metrics":
				return true
			case key.Name == "MetricsBindAddress":
				at = i
			}
		}
		if at < 0 {
			return true
		}
		if metrics == "" {
			metrics = "metricsserver"
			astutil.AddNamedImport(fset, f, metrics, crMetrics)
		}
		kv := lit.Elts[at].(*ast.KeyValueExpr)
		// The new nodes take the positions of the value they wrap, so
		// the printer keeps the literal on its lines, with its comments.
		pos, end := kv.Value.Pos(), kv.Value.End()
		ident := func(name string) *ast.Ident { return &ast.Ident{Name: name, NamePos: pos} }
		kv.Key = &ast.Ident{Name: "Metrics", NamePos: kv.Key.Pos()}
		kv.Value = &ast.CompositeLit{
			Type:   &ast.SelectorExpr{X: ident(metrics), Sel: ident("Options")},
			Lbrace: pos,
			Elts:   []ast.Expr{&ast.KeyValueExpr{Key: ident("BindAddress"), Colon: pos, Value: kv.Value}},
			Rbrace: end,
		}
		changed = true
		return true
	})
	return changed
}

// watchesSourceKind rewrites
//
//	b.Watches(&source.Kind{Type: obj}, h)
//
// into b.Watches(obj, h), and drops the source import when nothing else
// uses it.
func watchesSourceKind(fset *token.FileSet, f *ast.File) bool {
	src := importName(f, crSource)
	if src == "" {
		return false
	}
	changed := false
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) < 2 {
			return true
		}
		if sel, ok := call.Fun.(*ast.SelectorExpr); !ok || sel.Sel.Name != "Watches" {
			return true
		}
		u, ok := call.Args[0].(*ast.UnaryExpr)
		if !ok || u.Op != token.AND {
			return true
		}
		lit, ok := u.X.(*ast.CompositeLit)
		if !ok || !isSelector(lit.Type, src, "Kind") || len(lit.Elts) != 1 {
			return true
		}
		kv, ok := lit.Elts[0].(*ast.KeyValueExpr)
		if key, _ := kv.Key.(*ast.Ident); !ok || key == nil || key.Name != "Type" {
			return true
		}
		call.Args[0] = kv.Value
		changed = true
		return true
	})
	if changed && !usesName(f, src) {
		name := ""
		if src != defaultName(crSource) {
			name = src
		}
		astutil.DeleteNamedImport(fset, f, name, crSource)
	}
	return changed
}

// usesName reports whether f refers to an identifier name as the package
// of a selector (pkg.X).
func usesName(f *ast.File, name string) bool {
	used := false
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == name {
				used = true
			}
		}
		return !used
	})
	return used
}
