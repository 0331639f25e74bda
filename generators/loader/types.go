package loader

import (
	"bytes"
	"go/ast"
	"go/printer"
	"go/token"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/gengo/v2/namer"
	gengotypes "k8s.io/gengo/v2/types"

	"github.com/aggen-dev/aggen/generators/markers"
	"github.com/aggen-dev/aggen/generators/model"
)

const metav1 = "k8s.io/apimachinery/pkg/apis/meta/v1"

var basicKinds = map[string]bool{
	"string": true, "bool": true, "byte": true, "rune": true,
	"int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true,
	"float32": true, "float64": true,
}

// typeDecl is a parsed type declaration before it becomes a model.Type.
type typeDecl struct {
	spec    *ast.TypeSpec
	file    *ast.File
	src     []byte
	doc     *ast.CommentGroup
	second  *ast.CommentGroup
	imports map[string]string // local name -> import path
	t       *model.Type
	markers []*markers.Marker
}

func (l *load) types(g *model.Group, v *model.Version, files []*ast.File) {
	var decls []*typeDecl
	v.Imports = map[string]string{}
	for _, f := range files {
		imports := fileImports(f)
		for n, ip := range imports {
			v.Imports[n] = ip
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, s := range gd.Specs {
				ts := s.(*ast.TypeSpec)
				doc := ts.Doc
				if doc == nil && len(gd.Specs) == 1 {
					doc = gd.Doc
				}
				decls = append(decls, &typeDecl{spec: ts, file: f, doc: doc, second: secondClosest(l.fset, f, doc, gd), imports: imports})
			}
		}
	}
	local := map[string]*typeDecl{}
	unique := decls[:0]
	for _, d := range decls {
		name := d.spec.Name.Name
		if prev, dup := local[name]; dup {
			l.errorf(l.pos(d.spec.Name.Pos()), "type %s is declared twice in package %s (first at %s)", name, v.Dir, l.pos(prev.spec.Name.Pos()))
			for _, cg := range []*ast.CommentGroup{d.doc, d.second} {
				if cg != nil {
					for _, c := range cg.List {
						l.used[c] = true
					}
				}
			}
			continue
		}
		if name == "_" {
			continue
		}
		local[name] = d
		unique = append(unique, d)
	}
	decls = unique
	for _, d := range decls {
		t := &model.Type{Name: d.spec.Name.Name, Pos: l.pos(d.spec.Name.Pos()), Doc: docLines(d.doc)}
		for _, cg := range []*ast.CommentGroup{d.second, d.doc} {
			if cg == nil {
				continue
			}
			for _, c := range cg.List {
				text := strings.TrimPrefix(c.Text, "//")
				if markers.IsMarker(text) {
					t.Markers = append(t.Markers, strings.TrimSpace(text))
				}
			}
			d.markers = append(d.markers, l.markersOf(cg, markers.OnType)...)
		}
		t.Source = l.source(d.spec)
		t.Validation = l.validation(d.markers, nil)
		switch st := d.spec.Type.(type) {
		case *ast.StructType:
			t.Kind = model.StructType
			for _, fl := range st.Fields.List {
				t.Fields = append(t.Fields, l.fields(fl, d, local)...)
			}
		default:
			t.Kind = model.OtherType
			t.Underlying = l.source(d.spec.Type)
		}
		d.t = t
		v.Types = append(v.Types, t)
	}
	sort.Slice(v.Types, func(i, j int) bool { return v.Types[i].Name < v.Types[j].Name })
	// Resolve basic kinds under local named types now that all are known.
	for _, d := range decls {
		for _, f := range d.t.Fields {
			resolveLocalBasic(&f.Type, local)
		}
	}
	for _, d := range decls {
		if k := l.kind(g, v, d, local); k != nil {
			v.Kinds = append(v.Kinds, k)
		}
	}
	sort.Slice(v.Kinds, func(i, j int) bool { return v.Kinds[i].Name < v.Kinds[j].Name })
	l.checkKindNames(v)
}

// localBasic returns the basic kind under a local named type, following
// chains such as `type A B; type B string`, or "".
func localBasic(name string, local map[string]*typeDecl) string {
	for range len(local) + 1 {
		d, ok := local[name]
		if !ok {
			return ""
		}
		id, ok := d.spec.Type.(*ast.Ident)
		if !ok {
			return ""
		}
		if basicKinds[id.Name] {
			return id.Name
		}
		name = id.Name
	}
	return ""
}

func resolveLocalBasic(ft *model.FieldType, local map[string]*typeDecl) {
	if ft == nil {
		return
	}
	if ft.Local != "" && ft.Basic == "" {
		if d, ok := local[ft.Local]; ok {
			if id, ok := d.spec.Type.(*ast.Ident); ok && basicKinds[id.Name] {
				ft.Basic = id.Name
			}
		}
	}
	resolveLocalBasic(ft.Elem, local)
}

// secondClosest finds a comment group that ends one blank line above the
// doc comment (or the declaration), as gengo's SecondClosestCommentLines.
func secondClosest(fset *token.FileSet, f *ast.File, doc *ast.CommentGroup, gd *ast.GenDecl) *ast.CommentGroup {
	anchor := gd.Pos()
	if doc != nil {
		anchor = doc.Pos()
	}
	line := fset.Position(anchor).Line
	for _, cg := range f.Comments {
		if fset.Position(cg.End()).Line == line-2 {
			if cg == f.Doc {
				return nil
			}
			return cg
		}
	}
	return nil
}

func fileImports(f *ast.File) map[string]string {
	out := map[string]string{}
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		name := importName(p)
		if imp.Name != nil {
			name = imp.Name.Name
		}
		out[name] = p
	}
	return out
}

func importName(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		p = p[i+1:]
	}
	return p
}

func (l *load) source(n ast.Node) string {
	var buf bytes.Buffer
	cfg := printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}
	_ = cfg.Fprint(&buf, l.fset, n)
	return buf.String()
}

func (l *load) fields(fl *ast.Field, d *typeDecl, local map[string]*typeDecl) []*model.Field {
	ms := l.markersOf(fl.Doc, markers.OnField)
	ft := l.fieldType(fl.Type, d.imports, local)
	if what := unsupportedType(fl.Type); what != "" && exported(fl) {
		l.errorf(l.pos(fl.Type.Pos()), "field of type %s: %s cannot be serialized in an API type", l.source(fl.Type), what)
	}
	tag := ""
	if fl.Tag != nil {
		tag, _ = strconv.Unquote(fl.Tag.Value)
	}
	jsonTag := reflect.StructTag(tag).Get("json")
	jsonName, opts, _ := strings.Cut(jsonTag, ",")
	omitempty := strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,")
	inline := strings.Contains(","+opts+",", ",inline,")
	mk := func(name string, pos token.Pos, embedded bool) *model.Field {
		f := &model.Field{GoName: name, JSONName: jsonName, Inline: inline, Embedded: embedded, Type: ft, Doc: docLines(fl.Doc), Pos: l.pos(pos)}
		l.typeSpan[f] = &span{From: l.pos(fl.Type.Pos()), To: l.pos(fl.Type.End())}
		if jsonName == "-" {
			f.JSONName = ""
		}
		f.Optional = omitempty || ft.Pointer
		for _, m := range ms {
			switch m.Name {
			case markers.Optional, markers.VOptional:
				f.Optional, f.Required = true, false
			case markers.Required, markers.VRequired:
				f.Required, f.Optional = true, false
			case markers.Default, markers.KBDefault:
				val := m.Value
				f.Default = &val
			}
		}
		f.Validation = l.validation(ms, f)
		return f
	}
	if len(fl.Names) == 0 {
		name := ft.Name
		if name == "" {
			name = ft.Local
		}
		return []*model.Field{mk(name, fl.Type.Pos(), true)}
	}
	var out []*model.Field
	for _, n := range fl.Names {
		if !n.IsExported() {
			continue
		}
		out = append(out, mk(n.Name, n.Pos(), false))
	}
	return out
}

// unsupportedType names the part of a field type that no API type can
// hold (the upstream generators stop the process on them), or "".
func unsupportedType(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.ChanType:
		return "a channel"
	case *ast.FuncType:
		return "a function"
	case *ast.InterfaceType:
		return "an interface"
	case *ast.Ident:
		switch x.Name {
		case "complex64", "complex128", "uintptr", "any":
			return x.Name
		}
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok && id.Name == "unsafe" {
			return "unsafe.Pointer"
		}
	case *ast.StarExpr:
		return unsupportedType(x.X)
	case *ast.ArrayType:
		return unsupportedType(x.Elt)
	case *ast.MapType:
		if w := unsupportedType(x.Key); w != "" {
			return w
		}
		return unsupportedType(x.Value)
	}
	return ""
}

// exported reports whether a struct field is serialized: embedded, or with
// an exported name.
func exported(fl *ast.Field) bool {
	if len(fl.Names) == 0 {
		return true
	}
	for _, n := range fl.Names {
		if n.IsExported() {
			return true
		}
	}
	return false
}

func (l *load) fieldType(e ast.Expr, imports map[string]string, local map[string]*typeDecl) model.FieldType {
	ft := model.FieldType{Expr: l.source(e)}
	switch x := e.(type) {
	case *ast.StarExpr:
		inner := l.fieldType(x.X, imports, local)
		ft.Pointer = true
		ft.Elem = &inner
		ft.Basic, ft.Local, ft.Package, ft.Name = inner.Basic, inner.Local, inner.Package, inner.Name
	case *ast.ArrayType:
		inner := l.fieldType(x.Elt, imports, local)
		if id, ok := x.Elt.(*ast.Ident); ok && id.Name == "byte" {
			ft.Basic = "[]byte"
		}
		ft.Slice = true
		ft.Elem = &inner
	case *ast.MapType:
		inner := l.fieldType(x.Value, imports, local)
		ft.Map = true
		ft.Elem = &inner
	case *ast.Ident:
		if basicKinds[x.Name] {
			ft.Basic = x.Name
		} else {
			ft.Local = x.Name
			ft.Basic = localBasic(x.Name, local)
		}
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			ft.Package = imports[id.Name]
			ft.Name = x.Sel.Name
		}
	}
	return ft
}

// validation reads +kubebuilder:validation markers. f is nil for types.
func (l *load) validation(ms []*markers.Marker, f *model.Field) model.Validation {
	var v model.Validation
	num := func(s string) *float64 { x, _ := strconv.ParseFloat(s, 64); return &x }
	integer := func(s string) *int64 { x, _ := strconv.ParseInt(s, 10, 64); return &x }
	for _, m := range ms {
		switch m.Name {
		case markers.VMinimum:
			v.Minimum = num(m.Value)
		case markers.VMaximum:
			v.Maximum = num(m.Value)
		case markers.VExclusiveMin:
			v.ExclusiveMinimum = m.Value != "false"
		case markers.VExclusiveMax:
			v.ExclusiveMaximum = m.Value != "false"
		case markers.VMultipleOf:
			v.MultipleOf = num(m.Value)
		case markers.VMinLength:
			v.MinLength = integer(m.Value)
		case markers.VMaxLength:
			v.MaxLength = integer(m.Value)
		case markers.VPattern:
			v.Pattern = m.Value
			if _, err := regexp.Compile(m.Value); err != nil {
				l.errorf(m.ValuePos, "marker %q: %v", "+"+m.Name, err)
			}
		case markers.VEnum:
			v.Enum = strings.Split(m.Value, ";")
		case markers.VMinItems:
			v.MinItems = integer(m.Value)
		case markers.VMaxItems:
			v.MaxItems = integer(m.Value)
		case markers.VUniqueItems:
			v.UniqueItems = m.Value != "false"
		case markers.VFormat:
			v.Format = m.Value
		case markers.VMinProperties:
			v.MinProperties = integer(m.Value)
		case markers.VMaxProperties:
			v.MaxProperties = integer(m.Value)
		default:
			continue
		}
		if f != nil {
			l.checkApplies(m, f)
		}
	}
	return v
}

// checkApplies rejects validation markers that cannot apply to the
// field's type, e.g. Minimum on a string.
func (l *load) checkApplies(m *markers.Marker, f *model.Field) {
	t := f.Type
	if t.Pointer && t.Elem != nil {
		t = *t.Elem
	}
	numeric := strings.HasPrefix(t.Basic, "int") || strings.HasPrefix(t.Basic, "uint") || strings.HasPrefix(t.Basic, "float")
	isString := t.Basic == "string" || (t.Package != "" && (t.Name == "Quantity" || t.Name == "Time" || t.Name == "Duration" || t.Name == "IntOrString"))
	var ok bool
	var want string
	switch m.Name {
	case markers.VMinimum, markers.VMaximum, markers.VExclusiveMin, markers.VExclusiveMax, markers.VMultipleOf:
		ok, want = numeric, "a number"
	case markers.VMinLength, markers.VMaxLength, markers.VPattern, markers.VFormat:
		ok, want = isString && !t.Slice && !t.Map, "a string"
	case markers.VMinItems, markers.VMaxItems, markers.VUniqueItems:
		ok, want = t.Slice, "a list"
	case markers.VMinProperties, markers.VMaxProperties:
		ok, want = t.Map || (t.Local != "" && t.Basic == ""), "a map or an object"
	case markers.VEnum:
		ok, want = t.Basic != "" && !t.Slice && !t.Map, "a string, number or boolean"
	default:
		ok = true
	}
	if !ok {
		l.followUpf(f, m.Pos, "marker %q applies to %s, but field %s is %s", "+"+m.Name, want, f.GoName, f.Type.Expr)
		return
	}
	if m.Name == markers.VEnum && (numeric || t.Basic == "bool") {
		for _, item := range strings.Split(m.Value, ";") {
			_, numErr := strconv.ParseFloat(item, 64)
			if (numeric && numErr != nil) || (t.Basic == "bool" && item != "true" && item != "false") {
				l.errorf(m.ValuePos, "marker %q: value %q is not valid for field %s of type %s", "+"+m.Name, item, f.GoName, f.Type.Expr)
				return
			}
		}
	}
}

// kind turns a root type declaration into a Kind, or returns nil.
func (l *load) kind(g *model.Group, v *model.Version, d *typeDecl, local map[string]*typeDecl) *model.Kind {
	t := d.t
	var genclient, root, nonNamespaced, noStatus bool
	for _, m := range d.markers {
		switch m.Name {
		case markers.GenClient:
			genclient = m.Value != "false"
		case markers.ObjectRoot:
			root = m.Value != "false"
		case markers.GenClientNonNamespace:
			nonNamespaced = true
		case markers.GenClientNoStatus:
			noStatus = true
		}
	}
	if !genclient && !root {
		return nil
	}
	if t.Kind != model.StructType {
		l.errorf(t.Pos, "%s is marked as an API kind but is not a struct", t.Name)
		return nil
	}
	hasObjectMeta := false
	for _, f := range t.Fields {
		if f.Type.Package == metav1 && f.Type.Name == "ObjectMeta" {
			hasObjectMeta = true
		}
	}
	if !hasObjectMeta {
		if strings.HasSuffix(t.Name, "List") && root {
			return nil // a list type
		}
		l.errorf(t.Pos, "kind %s has no metav1.ObjectMeta field", t.Name)
		return nil
	}
	if !genclient {
		l.errorf(t.Pos, "kind %s has +kubebuilder:object:root but no +genclient: aggen serves and generates a client for every kind; add +genclient", t.Name)
	}
	if problem := KindNameProblem(t.Name); problem != "" {
		l.errorf(t.Pos, "kind %s: %s", t.Name, problem)
	}
	k := &model.Kind{
		Name:       t.Name,
		ListName:   t.Name + "List",
		Group:      g.Name,
		Version:    v.Name,
		Singular:   strings.ToLower(t.Name),
		Plural:     Plural(t.Name),
		Namespaced: !nonNamespaced,
		Type:       t,
		Pos:        t.Pos,
	}
	if _, ok := local[k.ListName]; !ok {
		l.errorf(t.Pos, "kind %s has no list type %s in package %s", t.Name, k.ListName, v.Dir)
	}
	for _, m := range d.markers {
		switch m.Name {
		case markers.Resource:
			if s, ok := m.Arg("scope"); ok {
				switch s {
				case "Cluster":
					if !nonNamespaced {
						l.errorf(m.Pos, "kind %s: scope=Cluster needs +genclient:nonNamespaced too, or the generated client would be namespaced", t.Name)
					}
				case "Namespaced":
					if nonNamespaced {
						l.errorf(m.Pos, "kind %s: scope=Namespaced contradicts +genclient:nonNamespaced", t.Name)
					}
				default:
					l.errorf(m.PosOf("scope"), "kind %s: scope must be Namespaced or Cluster, not %q", t.Name, s)
				}
			}
			if p, ok := m.Arg("path"); ok {
				k.Plural = p
				l.resourceName(m.PosOf("path"), "path", p)
			}
			if s, ok := m.Arg("singular"); ok {
				k.Singular = s
				l.resourceName(m.PosOf("singular"), "singular", s)
			}
			if s, ok := m.Arg("shortName"); ok {
				k.ShortNames = strings.Split(s, ";")
				for _, n := range k.ShortNames {
					l.resourceName(m.PosOf("shortName"), "shortName", n)
				}
			}
			if s, ok := m.Arg("categories"); ok {
				k.Categories = strings.Split(s, ";")
				for _, n := range k.Categories {
					l.resourceName(m.PosOf("categories"), "categories", n)
				}
			}
		case markers.SubresourceStat:
			k.Status = true
		case markers.SubresourceScale:
			k.Scale = &model.Scale{}
			k.Scale.SpecReplicasPath, _ = m.Arg("specpath")
			k.Scale.StatusReplicasPath, _ = m.Arg("statuspath")
			k.Scale.LabelSelectorPath, _ = m.Arg("selectorpath")
			for _, arg := range []string{"specpath", "statuspath", "selectorpath"} {
				if p, ok := m.Arg(arg); ok {
					l.resolvePath(m.PosOf(arg), v, t, p)
				}
			}
		case markers.PrintColumn:
			pc := model.PrintColumn{}
			pc.Name, _ = m.Arg("name")
			pc.Type, _ = m.Arg("type")
			pc.JSONPath, _ = m.Arg("JSONPath")
			pc.Description, _ = m.Arg("description")
			pc.Format, _ = m.Arg("format")
			if pr, ok := m.Arg("priority"); ok {
				n, _ := strconv.Atoi(pr)
				pc.Priority = int32(n)
			}
			switch pc.Type {
			case "integer", "number", "string", "boolean", "date":
			default:
				l.errorf(m.PosOf("type"), "printcolumn %q: type must be integer, number, string, boolean or date, not %q", pc.Name, pc.Type)
			}
			l.resolvePath(m.PosOf("JSONPath"), v, t, pc.JSONPath)
			k.PrintColumns = append(k.PrintColumns, pc)
		case markers.SelectableField:
			jp, _ := m.Arg("JSONPath")
			goPath, leaf := l.resolvePath(m.PosOf("JSONPath"), v, t, jp)
			if leaf != nil {
				lt := leaf.Type
				if lt.Pointer && lt.Elem != nil {
					lt = *lt.Elem
				}
				if lt.Basic == "" || lt.Slice || lt.Map {
					l.followUpf(leaf, m.PosOf("JSONPath"), "selectable field %s must be a string, number or boolean field, not %s", jp, leaf.Type.Expr)
				}
			}
			k.SelectableFields = append(k.SelectableFields, model.SelectableField{
				JSONPath: jp, FieldLabel: strings.TrimPrefix(jp, "."), GoPath: goPath, Leaf: leaf, Pos: m.Pos,
			})
		case markers.StorageVersion:
			k.StorageVersion = true
			l.storagePos[k] = m.Pos
		}
	}
	if k.HasStatusField() && !k.Status && !noStatus {
		l.errorf(t.Pos, "kind %s has a Status field but no /status subresource: add +kubebuilder:subresource:status to serve /status, or +genclient:noStatus so the client does not call it", t.Name)
	}
	if k.Status && !k.HasStatusField() {
		l.errorf(t.Pos, "kind %s is marked +kubebuilder:subresource:status but has no Status field", t.Name)
	}
	if k.Status && noStatus {
		l.errorf(t.Pos, "kind %s: +kubebuilder:subresource:status contradicts +genclient:noStatus", t.Name)
	}
	return k
}

// objectMetaFields maps the JSON names of metav1.ObjectMeta's fields to
// their Go names.
var objectMetaFields = map[string]string{
	"name": "Name", "generateName": "GenerateName", "namespace": "Namespace", "uid": "UID",
	"resourceVersion": "ResourceVersion", "generation": "Generation", "creationTimestamp": "CreationTimestamp",
	"deletionTimestamp": "DeletionTimestamp", "deletionGracePeriodSeconds": "DeletionGracePeriodSeconds",
	"labels": "Labels", "annotations": "Annotations", "ownerReferences": "OwnerReferences",
	"finalizers": "Finalizers", "managedFields": "ManagedFields", "selfLink": "SelfLink",
}

// splitPath splits a JSONPath into its dot-separated segments, keeping
// brackets whole: .status.conditions[?(@.type=="Ready")].status has three.
func splitPath(p string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '[':
			depth++
		case ']':
			if depth > 0 {
				depth--
			}
		case '.':
			if depth == 0 {
				parts = append(parts, p[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, p[start:])
}

// resolvePath resolves a JSONPath such as .spec.replicas to Go field
// names and the field it ends at. It checks what it can see: fields of
// the package's own types and of ObjectMeta. Past an index or filter, a
// map, or a type from another package, the rest is taken as written, and
// the leaf is nil.
func (l *load) resolvePath(pos model.Position, v *model.Version, root *model.Type, jsonPath string) ([]string, *model.Field) {
	if !strings.HasPrefix(jsonPath, ".") {
		l.errorf(pos, "JSONPath %q must start with '.'", jsonPath)
		return nil, nil
	}
	parts := splitPath(strings.TrimPrefix(jsonPath, "."))
	cur := root
	var goPath []string
	var leaf *model.Field
	for i, part := range parts {
		name, _, indexed := strings.Cut(part, "[")
		if name == "" {
			l.errorf(pos, "JSONPath %q has an empty segment", jsonPath)
			return nil, nil
		}
		if cur == nil {
			l.followUpf(leaf, pos, "JSONPath %q: %s is not an object", jsonPath, strings.Join(parts[:i], "."))
			return nil, nil
		}
		f := findJSONField(v, cur, name)
		if f == nil {
			l.errorf(pos, "JSONPath %q: type %s has no field %q", jsonPath, cur.Name, name)
			return nil, nil
		}
		goPath = append(goPath, f.GoName)
		leaf = f
		inner := f.Type
		if inner.Pointer && inner.Elem != nil {
			inner = *inner.Elem
		}
		rest := parts[i+1:]
		switch {
		case indexed || inner.Slice || inner.Map:
			if indexed || len(rest) > 0 {
				return goPath, nil
			}
			return goPath, leaf
		case inner.Package == metav1 && inner.Name == "ObjectMeta" && len(rest) > 0:
			metaName, _, _ := strings.Cut(rest[0], "[")
			goName, ok := objectMetaFields[metaName]
			if !ok {
				l.errorf(pos, "JSONPath %q: ObjectMeta has no field %q", jsonPath, metaName)
				return nil, nil
			}
			return append(goPath, goName), nil
		case inner.Package != "" && len(rest) > 0:
			return goPath, nil
		}
		cur = nil
		if inner.Local != "" {
			cur = v.Type(inner.Local)
		}
	}
	return goPath, leaf
}

func findJSONField(v *model.Version, t *model.Type, name string) *model.Field {
	for _, f := range t.Fields {
		if f.JSONName == name {
			return f
		}
		if (f.Inline || f.Embedded) && f.Type.Local != "" {
			if inner := v.Type(f.Type.Local); inner != nil {
				if got := findJSONField(v, inner, name); got != nil {
					return got
				}
			}
		}
	}
	return nil
}

// Plural returns the resource name client-gen derives for a kind.
func Plural(kind string) string {
	n := namer.NewAllLowercasePluralNamer(map[string]string{"Endpoints": "Endpoints"})
	return n.Name(&gengotypes.Type{Name: gengotypes.Name{Name: kind}})
}

// reservedKinds would clash with the types of k8s.io/apimachinery that
// every API package uses, or with the names aggen generates.
var reservedKinds = map[string]bool{
	"List": true, "Status": true, "Scale": true, "Object": true, "ObjectMeta": true, "TypeMeta": true,
	"ListMeta": true, "ListOptions": true, "GetOptions": true, "DeleteOptions": true, "CreateOptions": true,
	"UpdateOptions": true, "PatchOptions": true, "WatchEvent": true, "Table": true, "APIGroup": true,
	"APIResource": true, "APIVersions": true, "Condition": true, "Time": true, "Duration": true, "Event": true,
}

var kindPattern = regexp.MustCompile(`^[A-Z][a-zA-Z0-9]*$`)

// KindNameProblem says what is wrong with a kind name, or returns "".
// Kinds are UpperCamelCase ASCII and must not clash with the API
// machinery types every API package uses.
func KindNameProblem(name string) string {
	switch {
	case !kindPattern.MatchString(name):
		return "a kind name must be UpperCamelCase: an upper-case ASCII letter, then letters and digits"
	case reservedKinds[name]:
		return "the name is reserved: it clashes with a Kubernetes API machinery type"
	}
	return ""
}

// resourceName checks a resource name, short name, singular or category.
func (l *load) resourceName(pos model.Position, what, name string) {
	if errs := validation.IsDNS1123Label(name); len(errs) > 0 || strings.ToLower(name) != name {
		l.errorf(pos, "%s %q must be a lower-case DNS label (a-z, 0-9, '-')", what, name)
	}
}

// checkKindNames rejects kinds whose derived type names (the list type,
// and Spec and Status by convention) are the names of other kinds.
func (l *load) checkKindNames(v *model.Version) {
	kinds := map[string]*model.Kind{}
	for _, k := range v.Kinds {
		kinds[k.Name] = k
	}
	for _, k := range v.Kinds {
		for _, suffix := range []string{"List", "Spec", "Status"} {
			if other, ok := kinds[k.Name+suffix]; ok {
				l.errorf(other.Pos, "kind %s clashes with the %s type of kind %s: rename one of them", other.Name, suffix, k.Name)
			}
		}
	}
}
