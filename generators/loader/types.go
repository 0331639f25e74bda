package loader

import (
	"bytes"
	"go/ast"
	"go/printer"
	"go/token"
	"go/types"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/gengo/v2/namer"
	gengotypes "k8s.io/gengo/v2/types"
	crdmarkers "sigs.k8s.io/controller-tools/pkg/crd/markers"

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
	spec *ast.TypeSpec
	file *ast.File
	src  []byte
	// doc is the declaration's doc comment; groups are the comment groups
	// whose markers belong to it (the doc comment and the closest comment
	// group above it), as controller-gen attaches them.
	doc     *ast.CommentGroup
	groups  []*ast.CommentGroup
	imports map[string]string // local name -> import path
	t       *model.Type
	markers []*markers.Marker
}

// declareTypes registers the types of a version's own files in the
// project's type index, so that fields can refer to any of them.
func (l *load) declareTypes(v *model.Version) {
	pkg := l.parsed[v]
	if pkg == nil {
		return
	}
	local := map[string]*typeDecl{}
	v.Imports = map[string]string{}
	for _, f := range pkg.ownFiles() {
		imports := fileImports(f)
		for n, ip := range imports {
			v.Imports[n] = ip
		}
		prevEnd := f.Name.End()
		if len(f.Imports) > 0 {
			prevEnd = f.Imports[len(f.Imports)-1].End()
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				prevEnd = d.End()
				continue
			}
			specPrev := prevEnd
			for i, sp := range gd.Specs {
				ts := sp.(*ast.TypeSpec)
				doc := ts.Doc
				var groups []*ast.CommentGroup
				if !gd.Lparen.IsValid() {
					doc = gd.Doc
					groups = l.attached(f, prevEnd, gd.Pos(), doc)
				} else {
					if i == 0 {
						specPrev = gd.Lparen
					}
					groups = l.attached(f, specPrev, ts.Pos(), doc)
					specPrev = ts.End()
				}
				name := ts.Name.Name
				if prev, dup := local[name]; dup {
					l.errorf(l.pos(ts.Name.Pos()), "type %s is declared twice in package %s (first at %s)", name, v.Dir, l.pos(prev.spec.Name.Pos()))
					l.markUsed(groups...)
					continue
				}
				if name == "_" {
					continue
				}
				td := &typeDecl{spec: ts, file: f, doc: doc, groups: groups, imports: imports}
				td.t = &model.Type{Name: name, Package: v.Package, Pos: l.pos(ts.Name.Pos()), Doc: docLines(doc),
					Description: description(doc)}
				local[name] = td
				l.project.Types[model.TypeID(v.Package, name)] = td.t
			}
			prevEnd = d.End()
		}
	}
	names := make([]string, 0, len(local))
	for n := range local {
		names = append(names, n)
	}
	sort.Strings(names)
	pkg.decls = pkg.decls[:0]
	for _, n := range names {
		pkg.decls = append(pkg.decls, local[n])
	}
	pkg.local = local
}

// attached returns the comment groups whose markers belong to the node
// that starts at end: its doc comment, and the closest comment group
// above it that starts after from (the end of the previous node) and not
// on the previous node's last line (that is the previous node's own
// end-of-line comment).
func (l *load) attached(f *ast.File, from, end token.Pos, doc *ast.CommentGroup) []*ast.CommentGroup {
	fromLine := l.fset.Position(from).Line
	var closest *ast.CommentGroup
	for _, cg := range f.Comments {
		if cg.Pos() < from || cg == doc {
			continue
		}
		if cg.End() > end || (doc != nil && cg.Pos() >= doc.Pos()) {
			break
		}
		if l.fset.Position(cg.Pos()).Line == fromLine {
			continue
		}
		closest = cg
	}
	var out []*ast.CommentGroup
	if closest != nil {
		out = append(out, closest)
	}
	if doc != nil {
		out = append(out, doc)
	}
	return out
}

func (l *load) markUsed(groups ...*ast.CommentGroup) {
	for _, cg := range groups {
		if cg != nil {
			for _, c := range cg.List {
				l.used[c] = true
			}
		}
	}
}

// types fills the types and kinds of a version from its declarations and
// the type checker's information. The hand-written internal package has
// types only: its kinds are the versions'.
func (l *load) types(g *model.Group, v *model.Version, hub bool) {
	pkg := l.parsed[v]
	if pkg == nil {
		return
	}
	for _, d := range pkg.decls {
		t := d.t
		for _, cg := range d.groups {
			for _, c := range cg.List {
				text := strings.TrimPrefix(c.Text, "//")
				if markers.IsMarker(text) {
					t.Markers = append(t.Markers, strings.TrimSpace(text))
				}
			}
			d.markers = append(d.markers, l.markersOf(cg, markers.OnType)...)
		}
		d.markers = l.once(d.markers)
		t.Parsed = d.markers
		t.Source = l.source(d.spec)
		t.Imports = usedImports(d.spec, pkg.info)
		t.Uses = usedTypes(d.spec, pkg.types, pkg.info)
		if root := model.Find(d.markers, markers.ObjectRoot); root != nil && root.Text() != "false" && model.Find(d.markers, markers.DeepcopyInterfaces) == nil {
			t.ImpliedTags = append(t.ImpliedTags, "+"+markers.DeepcopyInterfaces+"=k8s.io/apimachinery/pkg/runtime.Object")
		}
		t.Validation = legacyValidation(d.markers)
		if obj, ok := pkg.info.Defs[d.spec.Name].(*types.TypeName); ok {
			named, _ := obj.Type().(*types.Named)
			t.Ref = l.ref(pkg.info.TypeOf(d.spec.Type))
			if named != nil {
				t.MarshalsJSON, t.MarshalsText = marshalers(named)
				t.Constants = constantsOf(pkg.types, named)
			}
		} else {
			t.Ref = &model.TypeRef{Kind: model.InvalidRef}
		}
		switch st := d.spec.Type.(type) {
		case *ast.StructType:
			t.Kind = model.StructType
			prev := st.Fields.Opening
			for _, fl := range st.Fields.List {
				groups := l.attached(d.file, prev, fl.Pos(), fl.Doc)
				prev = fl.End()
				t.Fields = append(t.Fields, l.fields(fl, groups, d, pkg)...)
			}
		default:
			t.Kind = model.OtherType
			t.Underlying = l.source(d.spec.Type)
		}
		v.Types = append(v.Types, t)
	}
	sort.Slice(v.Types, func(i, j int) bool { return v.Types[i].Name < v.Types[j].Name })
	for _, d := range pkg.decls {
		for _, f := range d.t.Fields {
			resolveLocalBasic(&f.Type, pkg.local)
		}
	}
	l.constMarkers(pkg)
	if hub {
		return
	}
	for _, d := range pkg.decls {
		if k := l.kind(g, v, d); k != nil {
			v.Kinds = append(v.Kinds, k)
		}
	}
	sort.Slice(v.Kinds, func(i, j int) bool { return v.Kinds[i].Name < v.Kinds[j].Name })
	l.checkKindNames(v)
	l.checkGeneratedNames(v)
}

// constMarkers reads the markers on constants (+k8s:enumExclude), so that
// they are checked and count as attached.
func (l *load) constMarkers(pkg *apiPackage) {
	for _, f := range pkg.ownFiles() {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			if !gd.Lparen.IsValid() {
				l.markersOf(gd.Doc, markers.OnConstant)
				continue
			}
			for _, sp := range gd.Specs {
				l.markersOf(sp.(*ast.ValueSpec).Doc, markers.OnConstant)
			}
		}
	}
}

// usedImports returns the packages a declaration refers to, by the name
// its file imports them under: what the type checker resolved, never a
// word in a comment that happens to look like one.
func usedImports(n ast.Node, info *types.Info) map[string]string {
	out := map[string]string{}
	ast.Inspect(n, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if id, ok := sel.X.(*ast.Ident); ok {
			if pn, ok := info.Uses[id].(*types.PkgName); ok {
				out[id.Name] = pn.Imported().Path()
			}
		}
		return true
	})
	return out
}

// usedTypes returns the names of the types of pkg, other than its own, a
// declaration refers to, aliases included.
func usedTypes(spec *ast.TypeSpec, pkg *types.Package, info *types.Info) []string {
	if pkg == nil || info == nil {
		return nil
	}
	seen := map[string]bool{}
	ast.Inspect(spec.Type, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name != spec.Name.Name {
			if tn, ok := info.Uses[id].(*types.TypeName); ok && tn.Pkg() == pkg && tn.Parent() == pkg.Scope() {
				seen[id.Name] = true
			}
		}
		return true
	})
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// optionalMarkers and requiredMarkers say a field may or must be set.
var (
	optionalMarkers = []string{markers.Optional, markers.VOptional, "k8s:optional"}
	requiredMarkers = []string{markers.Required, markers.VRequired, "k8s:required"}
)

// contradictions rejects a field marked both optional and required in one
// family of markers (+optional and +required, or the kubebuilder pair, or
// the +k8s: pair): controller-gen would silently take whichever it checks
// first. Across families a +kubebuilder:validation marker decides the
// CRD, as controller-gen has it (k8s.io/api uses that on purpose).
func (l *load) contradictions(ms []*markers.Marker) {
	for i := range optionalMarkers {
		opt, req := model.Find(ms, optionalMarkers[i]), model.Find(ms, requiredMarkers[i])
		if opt == nil || req == nil {
			continue
		}
		later, earlier := req, opt
		if later.Pos.Line < earlier.Pos.Line {
			later, earlier = earlier, later
		}
		l.errorf(later.Pos, "marker %q contradicts %q (at %s): a field is either optional or required", "+"+later.Name, "+"+earlier.Name, earlier.Pos)
	}
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
		ft.Basic = localBasic(ft.Local, local)
	}
	resolveLocalBasic(ft.Elem, local)
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

func (l *load) fields(fl *ast.Field, groups []*ast.CommentGroup, d *typeDecl, pkg *apiPackage) []*model.Field {
	var ms []*markers.Marker
	for _, cg := range groups {
		ms = append(ms, l.markersOf(cg, markers.OnField)...)
	}
	ms = l.once(ms)
	l.contradictions(ms)
	ft := l.fieldType(fl.Type, d.imports, pkg.local)
	ref := l.ref(pkg.info.TypeOf(fl.Type))
	if what := unsupportedType(fl.Type); what != "" && exported(fl) {
		l.errorf(l.pos(fl.Type.Pos()), "field of type %s: %s cannot be serialized in an API type", l.source(fl.Type), what)
		// Reported: the schema leaves the field out rather than add
		// follow-up errors about it.
		ref = &model.TypeRef{Kind: model.InvalidRef}
	}
	tag := ""
	if fl.Tag != nil {
		tag, _ = strconv.Unquote(fl.Tag.Value)
	}
	jsonTag, hasJSON := reflect.StructTag(tag).Lookup("json")
	jsonName, opts, _ := strings.Cut(jsonTag, ",")
	omitempty := strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,")
	inline := strings.Contains(","+opts+",", ",inline,")
	mk := func(name string, pos token.Pos, embedded bool) *model.Field {
		f := &model.Field{GoName: name, JSONName: jsonName, Inline: inline, Embedded: embedded, Type: ft, Doc: docLines(fl.Doc), Pos: l.pos(pos),
			Ref: ref, JSONTag: jsonTag, HasJSON: hasJSON, Parsed: ms, Description: description(fl.Doc)}
		l.typeSpan[f] = &span{From: l.pos(fl.Type.Pos()), To: l.pos(fl.Type.End())}
		if jsonName == "-" && opts == "" {
			f.JSONName = ""
		}
		f.Optional = omitempty || ft.Pointer
		for _, m := range ms {
			switch {
			case slices.Contains(optionalMarkers, m.Name):
				f.Optional, f.Required = true, false
			case slices.Contains(requiredMarkers, m.Name):
				f.Required, f.Optional = true, false
			}
			if def := legacyDefault(m); def != nil {
				f.Default = def
			}
		}
		f.Validation = legacyValidation(ms)
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

// applyMethodInput refuses a +genclient:method with verb=apply whose
// input type is not one of the project's API types: client-gen looks for
// its apply configuration in the project's applyconfiguration tree, where
// only the project's own types have one, and the clientset would not
// compile (k8s.io/api's apps/v1 ApplyScale, input autoscaling/v1.Scale).
func (l *load) applyMethodInput(m *model.Marker) {
	var verb, input string
	for _, part := range strings.Split(m.Text(), ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "verb":
			verb = v
		case "input":
			input = v
		}
	}
	if verb != "apply" || input == "" {
		return
	}
	i := strings.LastIndexByte(input, '.')
	if i < 0 {
		return
	}
	apis := l.project.Module + "/" + APIsDir + "/"
	if !strings.HasPrefix(input[:i], apis) {
		l.errorf(m.Pos, "+%s with verb=apply: input %s is not a type of the project's API packages, so it has no apply configuration for the clientset to use; drop the method or use verb=update", markers.GenClientMethod, input)
	}
}

// kind turns a root type declaration into a Kind, or returns nil.
func (l *load) kind(g *model.Group, v *model.Version, d *typeDecl) *model.Kind {
	t := d.t
	local := l.parsed[v].local
	var genclient, root, nonNamespaced, noStatus, readonly bool
	var computed *model.Marker
	for _, m := range d.markers {
		switch m.Name {
		case markers.Computed:
			computed = m
		case markers.GenClientReadonly:
			readonly = true
		case markers.GenClient:
			genclient = m.Text() != "false"
		case markers.ObjectRoot:
			root = m.Text() != "false"
		case markers.GenClientNonNamespace:
			nonNamespaced = true
		case markers.GenClientNoStatus:
			noStatus = true
		case markers.GenClientMethod:
			l.applyMethodInput(m)
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
		// A kubebuilder kind: aggen serves it and generates its client, so
		// client-gen sees +genclient in the staged copy, and
		// +genclient:nonNamespaced for a cluster-scoped one.
		t.ImpliedTags = append(t.ImpliedTags, "+"+markers.GenClient)
		for _, m := range d.markers {
			if r, ok := m.Value.(crdmarkers.Resource); ok && r.Scope == "Cluster" && !nonNamespaced {
				nonNamespaced = true
				t.ImpliedTags = append(t.ImpliedTags, "+"+markers.GenClientNonNamespace)
			}
		}
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
		switch val := m.Value.(type) {
		case crdmarkers.Resource:
			switch val.Scope {
			case "":
			case "Cluster":
				if !nonNamespaced {
					l.errorf(m.Pos, "kind %s: scope=Cluster needs +genclient:nonNamespaced too, or the generated client would be namespaced", t.Name)
				}
			case "Namespaced":
				if nonNamespaced {
					l.errorf(m.Pos, "kind %s: scope=Namespaced contradicts +genclient:nonNamespaced", t.Name)
				}
			default:
				l.errorf(m.PosOf("scope"), "kind %s: scope must be Namespaced or Cluster, not %q", t.Name, val.Scope)
			}
			if val.Path != "" {
				k.Plural = val.Path
				l.resourceName(m.PosOf("path"), "path", val.Path)
			}
			if val.Singular != "" {
				k.Singular = val.Singular
				l.resourceName(m.PosOf("singular"), "singular", val.Singular)
			}
			if len(val.ShortName) > 0 {
				k.ShortNames = val.ShortName
				for _, n := range k.ShortNames {
					l.resourceName(m.PosOf("shortName"), "shortName", n)
				}
			}
			if len(val.Categories) > 0 {
				k.Categories = val.Categories
				for _, n := range k.Categories {
					l.resourceName(m.PosOf("categories"), "categories", n)
				}
			}
		case crdmarkers.SubresourceStatus:
			k.Status = true
		case crdmarkers.SubresourceScale:
			k.Scale = &model.Scale{SpecReplicasPath: val.SpecPath, StatusReplicasPath: val.StatusPath}
			if val.SelectorPath != nil {
				k.Scale.LabelSelectorPath = *val.SelectorPath
			}
			for arg, p := range map[string]string{"specpath": k.Scale.SpecReplicasPath, "statuspath": k.Scale.StatusReplicasPath, "selectorpath": k.Scale.LabelSelectorPath} {
				if p != "" {
					l.resolvePath(m.PosOf(arg), v, t, p)
				}
			}
		case crdmarkers.PrintColumn:
			pc := model.PrintColumn{Name: val.Name, Type: val.Type, JSONPath: val.JSONPath, Description: val.Description, Format: val.Format, Priority: val.Priority}
			switch pc.Type {
			case "integer", "number", "string", "boolean", "date":
			default:
				l.errorf(m.PosOf("type"), "printcolumn %q: type must be integer, number, string, boolean or date, not %q", pc.Name, pc.Type)
			}
			l.resolvePath(m.PosOf("JSONPath"), v, t, pc.JSONPath)
			k.PrintColumns = append(k.PrintColumns, pc)
		case crdmarkers.SelectableField:
			jp := val.JSONPath
			goPath, leaf := l.resolvePath(m.PosOf("JSONPath"), v, t, jp)
			if leaf != nil {
				if u := leaf.Ref.Deref().Underlying(); u == nil || u.Kind != model.BasicRef {
					l.followUpf(leaf, m.PosOf("JSONPath"), "selectable field %s must be a string, number or boolean field, not %s", jp, leaf.Type.Expr)
				}
			}
			k.SelectableFields = append(k.SelectableFields, model.SelectableField{
				JSONPath: jp, FieldLabel: strings.TrimPrefix(jp, "."), GoPath: goPath, Leaf: leaf, Pos: m.Pos,
			})
		case crdmarkers.StorageVersion:
			k.StorageVersion = true
			l.storagePos[k] = m.Pos
		}
		if m.Name == markers.Storage {
			// The marker's parser accepts only model.StorageBackends.
			k.Storage, k.StoragePos = model.StorageBackend(m.Value.(string)), m.Pos
		}
	}
	l.subresources(k, d, local)
	if computed != nil {
		l.computedKind(k, d, computed, readonly)
		// The client of a computed kind has no status methods.
		noStatus = true
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

// computedKind marks a kind +aggen:computed: read only, so its client is
// +genclient:readonly (implied in the staged copy), and it refuses what
// needs a stored object to read or write: /status, /scale and custom
// subresources, each at its marker.
func (l *load) computedKind(k *model.Kind, d *typeDecl, computed *model.Marker, readonly bool) {
	k.Computed = true
	if !readonly {
		k.Type.ImpliedTags = append(k.Type.ImpliedTags, "+"+markers.GenClientReadonly)
	}
	for _, m := range d.markers {
		switch m.Name {
		case markers.SubresourceStat:
			l.errorf(m.Pos, "kind %s is +%s (read only, at %s): it has no /status to write; drop +%s", k.Name, markers.Computed, computed.Pos, markers.SubresourceStat)
		case markers.SubresourceScale:
			l.errorf(m.Pos, "kind %s is +%s (read only, at %s): it has no replicas to scale; drop +%s", k.Name, markers.Computed, computed.Pos, markers.SubresourceScale)
		case markers.Subresource:
			l.errorf(m.Pos, "kind %s is +%s (at %s): custom subresources read or write a stored object, which a computed kind has not; serve the view as a field of the computed kind instead", k.Name, markers.Computed, computed.Pos)
		case markers.GenClientMethod:
			l.errorf(m.Pos, "kind %s is +%s (read only, at %s): its client has only get, list and watch; drop +%s", k.Name, markers.Computed, computed.Pos, markers.GenClientMethod)
		case markers.Storage:
			l.errorf(m.Pos, "kind %s is +%s (at %s): its objects are made on every read and stored nowhere; drop +%s", k.Name, markers.Computed, computed.Pos, markers.Storage)
		}
	}
	k.Status = false
	k.Scale = nil
	k.Subresources = nil
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
// names and the field it ends at, through the project's types and those
// of other packages alike. Past an index or filter, or a map, the rest is
// taken as written, and the leaf is nil.
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
		f := findJSONField(cur, name)
		if f == nil {
			l.errorf(pos, "JSONPath %q: type %s has no field %q", jsonPath, cur.Name, name)
			return nil, nil
		}
		goPath = append(goPath, f.GoName)
		leaf = f
		inner := f.Ref.Deref()
		under := inner.Underlying()
		rest := parts[i+1:]
		if under == nil || under.Kind == model.InvalidRef {
			return goPath, nil
		}
		switch {
		case indexed || under.Kind == model.SliceRef || under.Kind == model.ArrayRef || under.Kind == model.MapRef:
			if indexed || len(rest) > 0 {
				return goPath, nil
			}
			return goPath, leaf
		case inner.Kind == model.NamedRef && inner.Package == metav1 && inner.Name == "ObjectMeta" && len(rest) > 0:
			metaName, _, _ := strings.Cut(rest[0], "[")
			goName, ok := objectMetaFields[metaName]
			if !ok {
				l.errorf(pos, "JSONPath %q: ObjectMeta has no field %q", jsonPath, metaName)
				return nil, nil
			}
			return append(goPath, goName), nil
		case inner.Kind == model.NamedRef && inner.Named == nil && len(rest) > 0:
			return goPath, nil
		}
		cur = nil
		if inner.Kind == model.NamedRef && inner.Named != nil && inner.Named.External && inner.Named.Kind == "" {
			// A type of another package, declared but not filled in
			// yet (they are filled once every version is loaded).
			l.ext.fillAll()
		}
		if inner.Kind == model.NamedRef && inner.Named != nil && inner.Named.Kind == model.StructType {
			cur = inner.Named
		}
	}
	return goPath, leaf
}

// findJSONField finds the field serialized under name, looking through
// inlined and embedded structs.
func findJSONField(t *model.Type, name string) *model.Field {
	for _, f := range t.Fields {
		if f.JSONName == name {
			return f
		}
		if f.Inline || f.Embedded {
			if r := f.Ref.Deref(); r != nil && r.Kind == model.NamedRef && r.Named != nil && r.Named.Kind == model.StructType {
				if got := findJSONField(r.Named, name); got != nil {
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
// generatedNames are the package-level names register-gen writes into
// every API version package, with what they are.
var generatedNames = map[string]string{
	"GroupName": "the group name constant", "GroupVersion": "the group-version variable",
	"SchemeGroupVersion": "the group-version variable", "Resource": "the Resource function",
	"SchemeBuilder": "the scheme builder", "localSchemeBuilder": "the scheme builder",
	"AddToScheme": "the AddToScheme function", "Install": "the Install function",
	"addKnownTypes": "the addKnownTypes function", "RegisterDefaults": "the RegisterDefaults function",
	"RegisterConversions": "the RegisterConversions function",
}

// checkGeneratedNames rejects types whose names the generated code of
// their package takes.
func (l *load) checkGeneratedNames(v *model.Version) {
	for _, t := range v.Types {
		if what, ok := generatedNames[t.Name]; ok {
			l.errorf(t.Pos, "type %s: the name is taken by %s that register-gen writes into every API package: rename the type", t.Name, what)
		}
	}
}

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

// builtinClientMethods are the methods client-gen generates for every
// kind, which a subresource's client method must not repeat.
var builtinClientMethods = map[string]bool{
	"Create": true, "Update": true, "UpdateStatus": true, "Delete": true, "DeleteCollection": true,
	"Get": true, "List": true, "Watch": true, "Patch": true, "Apply": true, "ApplyStatus": true,
	"GetScale": true, "UpdateScale": true, "ApplyScale": true,
}

// subresources reads the kind's +aggen:subresource markers: each names a
// subresource, its type and the kinds of the same package it uses, which
// must be structs embedding metav1.TypeMeta (so register-gen registers
// them) and not kinds. The client method of an action or getter is
// implied as a +genclient:method tag, unless the kind declares one of
// that name itself; a kind it uses that lacks the runtime.Object deepcopy
// tag gets that implied too.
func (l *load) subresources(k *model.Kind, d *typeDecl, local map[string]*typeDecl) {
	t := k.Type
	own := map[string]bool{}
	for _, m := range d.markers {
		if m.Name == markers.GenClientMethod {
			name, _, _ := strings.Cut(m.Text(), ",")
			own[strings.TrimSpace(name)] = true
		}
	}
	seen := map[string]bool{}
	for _, m := range d.markers {
		if m.Name != markers.Subresource {
			continue
		}
		s := &model.Subresource{Name: m.Args["name"], Type: model.SubresourceType(m.Args["type"]), Request: m.Args["request"], Response: m.Args["response"], Options: m.Args["options"], Pos: m.Pos}
		ok := true
		if errs := validation.IsDNS1123Label(s.Name); len(errs) > 0 {
			l.errorf(m.PosOf("name"), "subresource name %q must be a lower-case DNS label (a-z, 0-9, '-')", s.Name)
			ok = false
		} else if s.Name == "status" || s.Name == "scale" {
			l.errorf(m.PosOf("name"), "subresource %q is aggen's own: use +kubebuilder:subresource:%s", s.Name, s.Name)
			ok = false
		} else if seen[s.Name] {
			l.errorf(m.PosOf("name"), "kind %s declares subresource %q twice", t.Name, s.Name)
			ok = false
		}
		seen[s.Name] = true
		args := map[string]bool{}
		switch s.Type {
		case model.ActionSubresource:
			args["request"], args["response"] = true, true
			if s.Request == "" {
				l.errorf(m.Pos, "subresource %q: an action needs request=<kind>, the type its POST body decodes into", s.Name)
				ok = false
			}
		case model.GetterSubresource:
			args["response"] = true
			if s.Response == "" {
				l.errorf(m.Pos, "subresource %q: a getter needs response=<kind>, the type its GET returns", s.Name)
				ok = false
			}
		case model.ConnectSubresource:
			args["options"] = true
			if s.Options == "" {
				l.errorf(m.Pos, "subresource %q: a connect subresource needs options=<kind>, the type its query parameters decode into", s.Name)
				ok = false
			}
		default:
			l.errorf(m.PosOf("type"), "subresource %q: type must be action, getter or connect, not %q", s.Name, s.Type)
			continue
		}
		for _, a := range []string{"request", "response", "options"} {
			if _, set := m.Args[a]; set && !args[a] {
				l.errorf(m.PosOf(a), "subresource %q: a %s subresource takes no %s", s.Name, s.Type, a)
				ok = false
			}
		}
		if method := s.ClientMethod(); method != "" && builtinClientMethods[method] {
			l.errorf(m.PosOf("name"), "subresource %q: its client method %s would clash with the client's own; pick another name", s.Name, method)
			ok = false
		}
		for _, a := range []string{"request", "response", "options"} {
			name := m.Args[a]
			if name == "" {
				continue
			}
			if !l.subresourceType(m.PosOf(a), s, a, name, local) {
				ok = false
			}
		}
		if !ok {
			continue
		}
		if method := s.ClientMethod(); method != "" && !own[method] {
			tag := "+" + markers.GenClientMethod + "=" + method
			switch s.Type {
			case model.ActionSubresource:
				result := s.Response
				if result == "" {
					result = metav1 + ".Status"
				}
				tag += ",verb=create,subresource=" + s.Name + ",input=" + s.Request + ",result=" + result
			case model.GetterSubresource:
				tag += ",verb=get,subresource=" + s.Name + ",result=" + s.Response
			}
			t.ImpliedTags = append(t.ImpliedTags, tag)
		}
		k.Subresources = append(k.Subresources, s)
	}
	sort.Slice(k.Subresources, func(i, j int) bool { return k.Subresources[i].Name < k.Subresources[j].Name })
}

// subresourceType checks a kind a subresource uses and implies its
// runtime.Object deepcopy tag.
func (l *load) subresourceType(pos model.Position, s *model.Subresource, arg, name string, local map[string]*typeDecl) bool {
	d, found := local[name]
	if !found {
		l.errorf(pos, "subresource %q: %s %s is not a type of this package", s.Name, arg, name)
		return false
	}
	rt := d.t
	if rt.Kind != model.StructType {
		l.errorf(pos, "subresource %q: %s %s must be a struct embedding metav1.TypeMeta", s.Name, arg, name)
		return false
	}
	typeMeta := false
	for _, f := range rt.Fields {
		if f.Embedded && f.Type.Package == metav1 && f.Type.Name == "TypeMeta" {
			typeMeta = true
		}
	}
	if !typeMeta {
		l.errorf(pos, "subresource %q: %s %s must embed metav1.TypeMeta, so that the scheme knows it", s.Name, arg, name)
		return false
	}
	for _, m := range d.markers {
		switch m.Name {
		case markers.GenClient, markers.ObjectRoot:
			if m.Text() != "false" {
				l.errorf(pos, "subresource %q: %s %s is a kind of its own (+%s); a subresource uses a plain type", s.Name, arg, name, m.Name)
				return false
			}
		}
	}
	if arg == "options" {
		for _, f := range rt.Fields {
			if f.Embedded {
				continue
			}
			ft := f.Type
			if ft.Pointer && ft.Elem != nil {
				ft = *ft.Elem
			}
			if ft.Slice && ft.Elem != nil && ft.Elem.Basic == "string" {
				continue
			}
			if ft.Basic == "" || ft.Slice || ft.Map || ft.Basic == "[]byte" {
				l.errorf(f.Pos, "subresource %q: field %s of options %s must be a string, boolean or number (or a pointer to one, or []string): it is read from a query parameter", s.Name, f.GoName, name)
				return false
			}
		}
	}
	has := false
	for _, m := range d.markers {
		if m.Name == markers.DeepcopyInterfaces && m.Text() == "k8s.io/apimachinery/pkg/runtime.Object" {
			has = true
		}
	}
	tag := "+" + markers.DeepcopyInterfaces + "=k8s.io/apimachinery/pkg/runtime.Object"
	if !has && !slices.Contains(rt.ImpliedTags, tag) {
		rt.ImpliedTags = append(rt.ImpliedTags, tag)
	}
	return true
}
