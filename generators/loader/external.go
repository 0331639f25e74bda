package loader

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/aggen-dev/aggen/generators/markers"
	"github.com/aggen-dev/aggen/generators/model"
)

// externals loads the named types of other packages that the API types
// reach. Their structure comes from export data, which keeps field types
// and struct tags but no comments; their doc comments and markers, which
// the schema needs as much as controller-gen does (+optional, +listType on
// PodSpec.Containers, the enum of metav1.Condition.Status, ...), come from
// parsing the declaring package's source, found through `go list`.
type externals struct {
	l       *load
	exports map[string]exportFile
	sources map[string]*sourcePackage
	// named is the export-data type of each declared external type;
	// queue holds the ones not filled yet.
	named map[*model.Type]*types.Named
	queue []*model.Type
}

// sourcePackage is the parsed source of one dependency package.
type sourcePackage struct {
	types map[string]*sourceType
	// literals are the typed constants with literal values, in source order.
	literals []literal
}

type sourceType struct {
	spec   *ast.TypeSpec
	file   *ast.File
	doc    *ast.CommentGroup
	groups []*ast.CommentGroup
}

// declare registers an external named type and queues it to be filled.
func (e *externals) declare(n *types.Named) *model.Type {
	obj := n.Obj()
	t := &model.Type{Name: obj.Name(), Package: obj.Pkg().Path(), External: true}
	e.l.project.Types[model.TypeID(t.Package, t.Name)] = t
	e.named[t] = n
	e.queue = append(e.queue, t)
	return t
}

// fillAll fills every declared external type, and those they reach.
func (e *externals) fillAll() {
	if e == nil {
		return
	}
	for len(e.queue) > 0 {
		t := e.queue[0]
		e.queue = e.queue[1:]
		e.fill(t, e.named[t])
	}
}

func (e *externals) fill(t *model.Type, n *types.Named) {
	l := e.l
	src := e.source(t.Package)
	st := src.types[t.Name]
	if st != nil {
		t.Pos = l.pos(st.spec.Name.Pos())
		t.Doc = docLines(st.doc)
		t.Description = description(st.doc)
		for _, cg := range st.groups {
			t.Parsed = append(t.Parsed, e.markers(cg, markers.OnType)...)
		}
	}
	t.MarshalsJSON, t.MarshalsText = marshalers(n)
	t.Constants = e.constants(src, n)
	under, isStruct := n.Underlying().(*types.Struct)
	if !isStruct {
		t.Kind = model.OtherType
		t.Ref = e.definition(st, n)
		return
	}
	t.Kind = model.StructType
	t.Ref = &model.TypeRef{Kind: model.StructRef}
	astFields := map[string]*ast.Field{}
	prevEnd := map[*ast.Field]token.Pos{}
	if st != nil {
		if s, ok := st.spec.Type.(*ast.StructType); ok {
			prev := s.Fields.Opening
			for _, fl := range s.Fields.List {
				prevEnd[fl] = prev
				prev = fl.End()
				if len(fl.Names) == 0 {
					astFields[embeddedName(fl.Type)] = fl
				}
				for _, nm := range fl.Names {
					astFields[nm.Name] = fl
				}
			}
		}
	}
	for i := 0; i < under.NumFields(); i++ {
		v := under.Field(i)
		if !v.Exported() && !v.Embedded() {
			continue
		}
		tag := under.Tag(i)
		jsonTag, hasJSON := reflect.StructTag(tag).Lookup("json")
		jsonName, opts, _ := strings.Cut(jsonTag, ",")
		f := &model.Field{GoName: v.Name(), JSONName: jsonName, Embedded: v.Embedded(), Inline: hasOpt(opts, "inline"),
			Ref: l.ref(v.Type()), JSONTag: jsonTag, HasJSON: hasJSON}
		if jsonName == "-" && opts == "" {
			f.JSONName = ""
		}
		f.Type = legacyFieldType(f.Ref)
		f.Optional = hasOpt(opts, "omitempty") || hasOpt(opts, "omitzero") || f.Ref.Kind == model.PointerRef
		if fl := astFields[v.Name()]; fl != nil {
			f.Doc = docLines(fl.Doc)
			f.Description = description(fl.Doc)
			for _, cg := range l.attached(st.file, prevEnd[fl], fl.Pos(), fl.Doc) {
				f.Parsed = append(f.Parsed, e.markers(cg, markers.OnField)...)
			}
			f.Pos = l.pos(fl.Pos())
		}
		t.Fields = append(t.Fields, f)
	}
}

// definition resolves what a non-struct external type is defined as,
// keeping a named right-hand side (`type A B`) named, so B's markers
// apply to A as controller-gen applies them.
func (e *externals) definition(st *sourceType, n *types.Named) *model.TypeRef {
	if st != nil {
		pkg := n.Obj().Pkg()
		var target types.Object
		switch x := st.spec.Type.(type) {
		case *ast.Ident:
			target = pkg.Scope().Lookup(x.Name)
		case *ast.SelectorExpr:
			if id, ok := x.X.(*ast.Ident); ok {
				if ip := fileImports(st.file)[id.Name]; ip != "" {
					for _, imp := range pkg.Imports() {
						if imp.Path() == ip {
							target = imp.Scope().Lookup(x.Sel.Name)
						}
					}
				}
			}
		}
		if tn, ok := target.(*types.TypeName); ok {
			return e.l.ref(tn.Type())
		}
	}
	return e.l.ref(n.Underlying())
}

// constants are the typed constants of n: from the type checker's view of
// its package when that has them, and otherwise the literal values in
// the source, since export data of an indirect dependency holds only what
// its importers use.
func (e *externals) constants(src *sourcePackage, n *types.Named) []model.Constant {
	out := constantsOf(n.Obj().Pkg(), n)
	if len(out) > 0 || src == nil {
		return out
	}
	return src.literalConstants(n.Obj().Name())
}

// markers parses the markers of a dependency's comment group. They are
// not the user's input: errors and unknown markers are ignored.
func (e *externals) markers(cg *ast.CommentGroup, target markers.Target) []*markers.Marker {
	if cg == nil {
		return nil
	}
	var out []*markers.Marker
	for _, c := range cg.List {
		text := strings.TrimPrefix(c.Text, "//")
		if !strings.HasPrefix(c.Text, "//") || !markers.IsMarker(text) {
			continue
		}
		plus := strings.IndexByte(c.Text, '+')
		m, err := e.l.reg.Parse(text, e.l.pos(c.Slash+token.Pos(plus)), target)
		if err == nil && m != nil {
			out = append(out, m)
		}
	}
	return out
}

// source parses the declarations of a dependency package once.
func (e *externals) source(importPath string) *sourcePackage {
	if sp, ok := e.sources[importPath]; ok {
		return sp
	}
	sp := &sourcePackage{types: map[string]*sourceType{}}
	e.sources[importPath] = sp
	dir := e.exports[importPath].dir
	if dir == "" {
		return sp
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return sp
	}
	var names []string
	for _, ent := range entries {
		n := ent.Name()
		if ent.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") || strings.HasSuffix(n, ".pb.go") || strings.HasPrefix(n, "zz_generated") {
			continue
		}
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil || !buildable(n, b) {
			continue
		}
		// Positions name the file by import path, never by where the
		// module cache lives.
		f, err := parser.ParseFile(e.l.fset, path.Join(importPath, n), b, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		e.index(sp, f, importPath)
	}
	return sp
}

func (e *externals) index(sp *sourcePackage, f *ast.File, importPath string) {
	for _, cg := range packageMarkerGroups(f) {
		e.l.project.PackageMarkers[importPath] = append(e.l.project.PackageMarkers[importPath], e.markers(cg, markers.OnPackage)...)
	}
	prevEnd := f.Name.End()
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok {
			prevEnd = d.End()
			continue
		}
		switch gd.Tok {
		case token.TYPE:
			specPrev := gd.Lparen
			for _, s := range gd.Specs {
				ts := s.(*ast.TypeSpec)
				st := &sourceType{spec: ts, file: f, doc: ts.Doc}
				if !gd.Lparen.IsValid() {
					st.doc = gd.Doc
					st.groups = e.l.attached(f, prevEnd, gd.Pos(), st.doc)
				} else {
					st.groups = e.l.attached(f, specPrev, ts.Pos(), st.doc)
					specPrev = ts.End()
				}
				sp.types[ts.Name.Name] = st
			}
		case token.CONST:
			var typ string
			for _, s := range gd.Specs {
				vs := s.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); ok {
					typ = id.Name
				} else if vs.Type != nil || len(vs.Values) > 0 {
					typ = ""
				}
				for i, nm := range vs.Names {
					if typ == "" || i >= len(vs.Values) {
						continue
					}
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok {
						sp.addLiteral(typ, nm.Name, lit)
					}
				}
			}
		}
		prevEnd = d.End()
	}
}

// literal is a typed constant declared with a literal value.
type literal struct {
	typ, name string
	value     any
}

func (sp *sourcePackage) addLiteral(typ, name string, lit *ast.BasicLit) {
	var v any
	switch lit.Kind {
	case token.STRING:
		s, err := strconv.Unquote(lit.Value)
		if err != nil {
			return
		}
		v = s
	case token.INT:
		i, err := strconv.ParseInt(lit.Value, 0, 64)
		if err != nil {
			return
		}
		v = i
	default:
		return
	}
	sp.literals = append(sp.literals, literal{typ: typ, name: name, value: v})
}

func (sp *sourcePackage) literalConstants(typ string) []model.Constant {
	var out []model.Constant
	for _, lit := range sp.literals {
		if lit.typ == typ {
			out = append(out, model.Constant{Name: lit.name, Value: lit.value})
		}
	}
	return out
}

func hasOpt(opts, opt string) bool { return strings.Contains(","+opts+",", ","+opt+",") }

// embeddedName is the field name of an embedded field's type expression.
func embeddedName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StarExpr:
		return embeddedName(x.X)
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return x.Sel.Name
	}
	return ""
}

// legacyFieldType describes a field of another package in the syntactic
// terms of model.FieldType, for the generators that still read it.
func legacyFieldType(r *model.TypeRef) model.FieldType {
	ft := model.FieldType{Expr: r.String()}
	switch r.Kind {
	case model.PointerRef:
		inner := legacyFieldType(r.Elem)
		ft.Pointer, ft.Elem = true, &inner
		ft.Basic, ft.Package, ft.Name = inner.Basic, inner.Package, inner.Name
	case model.SliceRef:
		inner := legacyFieldType(r.Elem)
		ft.Slice, ft.Elem = true, &inner
		if r.Elem.Kind == model.BasicRef && r.Elem.Basic == "uint8" {
			ft.Basic = "[]byte"
		}
	case model.MapRef:
		inner := legacyFieldType(r.Elem)
		ft.Map, ft.Elem = true, &inner
	case model.BasicRef:
		ft.Basic = r.Basic
	case model.NamedRef:
		ft.Package, ft.Name = r.Package, r.Name
		if u := r.Underlying(); u != nil && u.Kind == model.BasicRef {
			ft.Basic = u.Basic
		}
	}
	return ft
}
