package defaulter

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"k8s.io/code-generator/cmd/defaulter-gen/args"
	"k8s.io/code-generator/pkg/apidefinitions"
	genutil "k8s.io/code-generator/pkg/util"
	"k8s.io/gengo/v2/generator"
	"k8s.io/gengo/v2/namer"
	"k8s.io/gengo/v2/types"

	"github.com/aggen-dev/aggen/generators/codegen"
)

// The tags defaulter-gen reads, and the names its generated code uses.
const (
	tagEnabled   = "k8s:defaulter-gen"
	tagDefault   = "default"
	runtimePkg   = "k8s.io/apimachinery/pkg/runtime"
	jsonPkg      = "encoding/json"
	namerDefault = "defaultfn"
	namerObject  = "objectdefaultfn"
)

// Result is what Render made of the tagged packages.
type Result struct {
	// Files are the rendered files, by project-relative slash path, in
	// their final form (gofmt -s formatted).
	Files map[string][]byte
	// Rendered are the import paths of the packages rendered.
	Rendered []string
	// Fallback lists the packages left to the upstream generator, why.
	Fallback []*UnsupportedError
	// rest are the targets left to the upstream generator.
	rest []generator.Target
}

// renderTargets renders the files of defaulter-gen's targets (GetTargets'
// answer on c) it can; the others it returns in rest, why in Fallback.
func renderTargets(c *generator.Context, a *args.Args, dir string, targets []generator.Target) *Result {
	res := &Result{Files: map[string][]byte{}}
	fallback := func(t generator.Target, reason string) {
		res.Fallback = append(res.Fallback, &UnsupportedError{Package: t.Path(), Reason: reason})
		res.rest = append(res.rest, t)
	}
	if len(targets) == 0 {
		return res
	}
	all := func(reason string) *Result {
		for _, t := range targets {
			fallback(t, reason)
		}
		return res
	}
	h, err := codegen.Header(a.GoHeaderFile, a.GeneratedBuildTag, Name)
	if err != nil {
		// Upstream reports a header it cannot read or format itself.
		return all(err.Error())
	}
	if len(a.ExtraPeerDirs) > 0 || len(a.LintRules) > 0 {
		return all("--extra-peer-dirs or lint rules")
	}
	manual, err := scanManual(c)
	if err != nil {
		return all(err.Error())
	}
	for _, t := range targets {
		rel, data, err := renderTarget(c, manual, []byte(h), dir, t)
		if err != nil {
			var ue *UnsupportedError
			if !errors.As(err, &ue) {
				fallback(t, err.Error())
				continue
			}
			fallback(t, ue.Reason)
			continue
		}
		res.Files[rel] = data
		res.Rendered = append(res.Rendered, t.Path())
	}
	return res
}

// manualDefaulters are the defaulting functions written by hand for one
// type: SetObjectDefaults_<T>, SetDefaults_<T> and SetDefaults_<T>_<more>.
type manualDefaulters struct {
	object, base *types.Type
	additional   []*types.Type
}

// scanManual finds the defaulting functions of the input packages, as
// defaulter-gen has them when it writes its files (every input package
// scanned). The names come from defaulter-gen's own namers.
func scanManual(c *generator.Context) (map[*types.Type]*manualDefaulters, error) {
	base, object := c.Namers[namerDefault], c.Namers[namerObject]
	if base == nil || object == nil {
		return nil, errors.New("defaulter-gen's namers missing")
	}
	out := map[*types.Type]*manualDefaulters{}
	get := func(t *types.Type) *manualDefaulters {
		m := out[t]
		if m == nil {
			m = &manualDefaulters{}
			out[t] = m
		}
		return m
	}
	for _, path := range c.Inputs {
		pkg := c.Universe[path]
		if pkg == nil {
			return nil, fmt.Errorf("input %s not in the parse", path)
		}
		for _, f := range pkg.Functions {
			if f.Underlying == nil || f.Underlying.Kind != types.Func || f.Underlying.Signature == nil {
				continue
			}
			sig := f.Underlying.Signature
			if sig.Receiver != nil || len(sig.Parameters) != 1 || len(sig.Results) != 0 {
				continue
			}
			in := sig.Parameters[0].Type
			if in.Kind != types.Pointer {
				continue
			}
			in = in.Elem
			name := base.Name(in)
			switch {
			case f.Name.Name == name:
				m := get(in)
				if m.base != nil {
					return nil, fmt.Errorf("two defaulters %v and %v", m.base, f)
				}
				m.base = f
			case strings.HasPrefix(f.Name.Name, name+"_"):
				m := get(in)
				m.additional = append(m.additional, f)
			}
			if f.Name.Name == object.Name(in) {
				m := get(in)
				if m.base != nil && m.base.Name.Package != path {
					return nil, fmt.Errorf("object defaulter %v beside %v", f, m.base)
				}
				m.object = f
			}
		}
	}
	return out, nil
}

func unsupported(format string, a ...any) {
	panic(&UnsupportedError{Reason: fmt.Sprintf(format, a...)})
}

var ident = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func identifier(s string) string {
	if !ident.MatchString(s) {
		unsupported("%q is not an identifier", s)
	}
	return s
}

func renderTarget(c *generator.Context, manual map[*types.Type]*manualDefaulters, header []byte, dir string, tgt generator.Target) (rel string, data []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			ue, ok := r.(*UnsupportedError)
			if !ok {
				panic(r)
			}
			ue.Package = tgt.Path()
			rel, data, err = "", nil, ue
		}
	}()
	st, ok := tgt.(*generator.SimpleTarget)
	if !ok || st.GeneratorsFunc == nil {
		unsupported("target of type %T", tgt)
	}
	pkgPath := st.PkgPath
	pkg := c.Universe[pkgPath]
	if pkg == nil {
		unsupported("not in the parse")
	}
	info, err := apidefinitions.Identify(pkg, apidefinitions.Defaulter)
	if err != nil {
		unsupported("%v", err)
	}
	if info.ExternalTypes() != pkgPath {
		unsupported("types from %s (+k8s:defaulter-gen-input)", info.ExternalTypes())
	}
	for _, t := range pkg.Types {
		if t.Name.Package != pkgPath {
			unsupported("type %v listed under %s (a Go alias)", t, pkgPath)
		}
	}
	gens := st.GeneratorsFunc(c)
	if len(gens) != 1 || gens[0].Filename() != OutputFile {
		unsupported("%d generators", len(gens))
	}
	g := gens[0]
	object := c.Namers[namerObject]
	// The types that get an object defaulter, in the order gengo hands
	// them to the generator: those its filter keeps.
	var list []*types.Type
	objects := map[*types.Type]*types.Type{}
	for _, t := range c.Order {
		if tgt.Filter(c, t) && g.Filter(c, t) {
			if t.Name.Package != pkgPath {
				unsupported("type %v from another package", t)
			}
			list = append(list, t)
			objects[t] = &types.Type{Name: types.Name{Package: pkgPath, Name: object.Name(t)}, Kind: types.Func}
		}
	}

	f := &file{c: c, pkg: pkgPath, tracker: generator.NewImportTrackerForPackage(pkgPath)}
	f.raw = namer.NewRawNamer(pkgPath, f.tracker)
	scheme := c.Universe.Type(types.Name{Package: runtimePkg, Name: "Scheme"})
	f.line("// RegisterDefaults adds defaulters functions to the given scheme.")
	f.line("// Public to allow building arbitrary schemes.")
	f.line("// All generated defaulters are covering - they call all nested defaulters.")
	f.open("func RegisterDefaults(scheme " + f.name(&types.Type{Kind: types.Pointer, Elem: scheme}) + ") error {")
	for _, t := range list {
		n := f.name(t)
		f.line("scheme.AddTypeDefaultingFunc(&" + n + "{}, func(obj interface{}) { " + identifier(object.Name(t)) + "(obj.(*" + n + ")) })")
	}
	f.line("return nil")
	f.close("}")
	for _, t := range list {
		b := &builder{manual: manual, objects: objects, building: map[*types.Type]bool{}}
		tree := b.build(t, true)
		if tree == nil {
			continue
		}
		f.resolveReferences(tree)
		f.body.WriteByte('\n')
		f.open("func " + identifier(object.Name(t)) + "(in *" + f.name(t) + ") {")
		f.writeMethod(tree, "in", 0, nil)
		f.close("}")
	}

	var out bytes.Buffer
	out.Write(header)
	fmt.Fprintf(&out, "package %s\n\n", identifier(st.PkgName))
	f.writeImports(&out)
	out.WriteString(f.body.String())
	if st.PkgDir == "" {
		unsupported("no directory")
	}
	r, err := filepath.Rel(dir, filepath.Join(st.PkgDir, OutputFile))
	if err != nil || strings.HasPrefix(r, "..") {
		unsupported("outside the project")
	}
	return filepath.ToSlash(r), out.Bytes(), nil
}

// node is one step of a defaulter's call tree: how a value is reached
// from its parent (a field, a slice or map element, a pointer), the
// functions called on it, and its +default value.
type node struct {
	field             string
	key, index, elem  bool
	call              []*types.Type
	children          []*node
	value             string     // +default, as written, unless a reference
	ref               types.Name // +default=ref(...)
	resolved          string     // ref as the file names it
	primitive, marker bool
	valueType, top    *types.Type
}

// builder builds call trees the way defaulter-gen does.
type builder struct {
	manual   map[*types.Type]*manualDefaulters
	objects  map[*types.Type]*types.Type
	building map[*types.Type]bool
}

func (b *builder) build(t *types.Type, root bool) *node {
	parent := &node{elem: root}
	var m manualDefaulters
	if p := b.manual[t]; p != nil {
		m = *p
	}
	obj, generated := b.objects[t]
	switch {
	case !root && generated:
		parent.call = append(parent.call, obj)
		return parent
	case m.object != nil:
		parent.call = append(parent.call, m.object)
		return parent
	case m.base != nil:
		parent.call = append(parent.call, m.base)
		if checkTag(m.base.CommentLines, "covers") {
			return parent
		}
	}
	if len(m.additional) > 1 {
		// defaulter-gen calls them in the order of a map.
		unsupported("type %v: %d SetDefaults_%s_* functions", t, len(m.additional), t.Name.Name)
	}
	parent.call = append(parent.call, m.additional...)
	if b.building[t] {
		return nil
	}
	b.building[t] = true
	defer func() { b.building[t] = false }()

	switch t.Kind {
	case types.Pointer:
		if child := b.build(t.Elem, false); child != nil {
			child.elem = true
			parent.children = append(parent.children, child)
		}
	case types.Slice, types.Array:
		if child := b.build(t.Elem, false); child != nil {
			child.index = true
			if t.Elem.Kind == types.Pointer {
				child.elem = true
			}
			parent.children = append(parent.children, child)
		} else if member := withDefault(nil, t.Elem, t.Elem.CommentLines, t.Elem.Name.Package); member != nil {
			member.index = true
			parent.children = append(parent.children, member)
		}
	case types.Map:
		if child := b.build(t.Elem, false); child != nil {
			child.key = true
			parent.children = append(parent.children, child)
		} else if member := withDefault(nil, t.Elem, t.Elem.CommentLines, t.Elem.Name.Package); member != nil {
			member.key = true
			parent.children = append(parent.children, member)
		}
	case types.Struct:
		for _, field := range t.Members {
			name := field.Name
			if name == "" {
				if field.Type.Kind == types.Pointer {
					name = field.Type.Elem.Name.Name
				} else {
					name = field.Type.Name.Name
				}
			}
			if child := b.build(field.Type, false); child != nil {
				child.field = name
				withDefault(child, field.Type, field.CommentLines, field.Type.Name.Package)
				parent.children = append(parent.children, child)
			} else if member := withDefault(nil, field.Type, field.CommentLines, t.Name.Package); member != nil {
				member.field = name
				parent.children = append(parent.children, member)
			}
		}
	case types.Alias:
		if child := b.build(t.Underlying, false); child != nil {
			parent.children = append(parent.children, child)
		}
	}
	if len(parent.children) == 0 && len(parent.call) == 0 {
		return nil
	}
	return parent
}

// checkTag: the comments carry +k8s:defaulter-gen=<value> and no other.
func checkTag(comments []string, value string) bool {
	tags, err := genutil.ExtractCommentTagsWithoutArguments("+", []string{tagEnabled}, comments)
	if err != nil {
		unsupported("%s tags: %v", tagEnabled, err)
	}
	return len(tags[tagEnabled]) == 1 && tags[tagEnabled][0] == value
}

// defaultTag is the values of the +default tags in comments. Only a line
// starting with +default can hold one (and only such a line can be
// malformed): the others are not parsed.
func defaultTag(comments []string) []string {
	has := false
	for _, l := range comments {
		if strings.Contains(l, "+"+tagDefault) {
			has = true
			break
		}
	}
	if !has {
		return nil
	}
	tags, err := genutil.ExtractCommentTagsWithoutArguments("+", []string{tagDefault}, comments)
	if err != nil {
		unsupported("+%s tags: %v", tagDefault, err)
	}
	return tags[tagDefault]
}

// resolve follows aliases and pointers to the value type, counting the
// pointers.
func resolve(t *types.Type) (*types.Type, int) {
	depth := 0
	for {
		switch t.Kind {
		case types.Alias:
			t = t.Underlying
		case types.Pointer:
			t = t.Elem
			depth++
		default:
			return t, depth
		}
	}
}

// pointerPath lists the element type of every pointer met following
// aliases and pointers from t.
func pointerPath(t *types.Type) []*types.Type {
	var out []*types.Type
	for {
		switch t.Kind {
		case types.Alias:
			t = t.Underlying
		case types.Pointer:
			t = t.Elem
			out = append(out, t)
		default:
			return out
		}
	}
}

// nestedDefault is the first +default on t or the types it is an alias
// of or points to.
func nestedDefault(t *types.Type) string {
	for {
		if v := defaultTag(t.CommentLines); len(v) == 1 && v[0] != "" {
			return v[0]
		}
		switch t.Kind {
		case types.Alias:
			t = t.Underlying
		case types.Pointer:
			t = t.Elem
		default:
			return ""
		}
	}
}

// zeroValue is what defaulter-gen takes as the zero value of a type by
// name: a +default equal to it writes nothing, and a non-pointer value is
// defaulted when it equals it (written as literal).
func zeroValue(name string) (value any, literal string, ok bool) {
	switch name {
	case "uint", "uint8", "uint16", "uint32", "uint64", "int", "int8", "int16", "int32", "int64",
		"byte", "float64", "float32", "integer", "number":
		return 0., "0", true
	case "bool", "boolean":
		return false, "false", true
	case "time.Time", "string", "[]byte":
		return "", `""`, true
	case "interface{}":
		return nil, "", false
	}
	return nil, "", false
}

var reference = regexp.MustCompile(`^ref\(([^"]+)\)$`)

// withDefault adds to n (a new node when nil) the +default value of a
// value of type t with comments, as defaulter-gen does; nil when there is
// none to write. A reference without a package is to a symbol of pkg.
func withDefault(n *node, t *types.Type, comments []string, pkg string) *node {
	values := defaultTag(comments)
	value := ""
	switch len(values) {
	case 0:
	case 1:
		value = values[0]
	default:
		unsupported("%d +%s tags", len(values), tagDefault)
	}
	base, depth := resolve(t)
	if depth > 0 && value == "" {
		value = nestedDefault(t)
	}
	if value == "" {
		return n
	}
	var ref types.Name
	var v any
	if m := reference.FindStringSubmatch(value); m != nil && m[1] != "" {
		ref = types.ParseFullyQualifiedName(m[1])
		if ref.Package == "" {
			ref.Package = pkg
		}
		identifier(ref.Name)
		value = ""
	} else if err := json.Unmarshal([]byte(value), &v); err != nil {
		unsupported("+default=%s: %v", value, err)
	}
	if v != nil {
		zero, _, _ := zeroValue(t.String())
		if reflect.DeepEqual(v, zero) {
			return n
		}
	}
	if n == nil {
		n = &node{marker: true}
	}
	n.primitive = base.IsPrimitive()
	n.valueType = base
	n.top = t
	n.value = value
	n.ref = ref
	return n
}

func (n *node) hasDefault() bool { return n.value != "" || n.ref.Name != "" }

// resolveReferences names the +default references of the tree as the
// file does, importing their packages, in the order defaulter-gen visits
// the tree before writing a type's defaulter.
func (f *file) resolveReferences(n *node) {
	if n.ref.Name != "" {
		f.tracker.AddSymbol(n.ref)
		local := f.tracker.LocalNameOf(n.ref.Package)
		if local == "" {
			n.resolved = n.ref.Name
		} else {
			n.resolved = identifier(local) + "." + n.ref.Name
		}
	}
	for _, c := range n.children {
		f.resolveReferences(c)
	}
}

// file is one package's zz_generated.defaults.go being written.
type file struct {
	c       *generator.Context
	pkg     string
	tracker *namer.DefaultImportTracker
	raw     namer.Namer
	body    strings.Builder
	depth   int
	opened  []int
}

func (f *file) line(s string) {
	for i := 0; i < f.depth; i++ {
		f.body.WriteByte('\t')
	}
	f.body.WriteString(s)
	f.body.WriteByte('\n')
}

func (f *file) open(s string) {
	f.line(s)
	f.opened = append(f.opened, f.body.Len())
	f.depth++
}

// close ends a block; an empty one gofmt would write otherwise.
func (f *file) close(s string) {
	last := f.opened[len(f.opened)-1]
	f.opened = f.opened[:len(f.opened)-1]
	if last == f.body.Len() {
		unsupported("an empty block")
	}
	f.depth--
	f.line(s)
}

var plainName = regexp.MustCompile(`^[A-Za-z0-9_.\[\]*]+$`)

// name is the raw namer's name for t, tracking its import as
// defaulter-gen's templates do, in the same order.
func (f *file) name(t *types.Type) string {
	n := f.raw.Name(t)
	if !plainName.MatchString(n) {
		unsupported("type name %q", n)
	}
	return n
}

// writeImports writes the import block as goimports leaves it;
// defaulter-gen leaves out an import of the package itself.
func (f *file) writeImports(out *bytes.Buffer) {
	block, _, err := codegen.ImportBlock(f.tracker.ImportLines(), f.pkg)
	if err != nil {
		unsupported("%v", err)
	}
	out.WriteString(block)
}

// writeMethod writes the statements for n and its children, reached as
// varName, depth loops deep.
func (f *file) writeMethod(n *node, varName string, depth int, ancestors []*node) {
	if n.field != "" {
		varName += "." + n.field
	}
	if depth >= 8 {
		unsupported("defaulters %d loops deep", depth)
	}
	index, local := "ijklmnop"[depth:depth+1], "abcdefgh"[depth:depth+1]
	isPointer := n.elem && !n.index
	guard := isPointer && len(ancestors) > 0
	if guard {
		f.open("if " + varName + " != nil {")
	}
	switch {
	case n.index:
		f.open("for " + index + " := range " + varName + " {")
		if !n.marker {
			if n.elem {
				f.line(local + " := " + varName + "[" + index + "]")
			} else {
				f.line(local + " := &" + varName + "[" + index + "]")
			}
		}
		f.writeDefault(n, varName, index, isPointer)
		f.writeCalls(n, local, true)
		for _, child := range n.children {
			f.writeMethod(child, local, depth+1, append(ancestors, n))
		}
		f.close("}")
	case n.key:
		if n.hasDefault() {
			index += "_" + ancestors[len(ancestors)-1].field
			f.open("for " + index + " := range " + varName + " {")
			f.writeDefault(n, varName, index, isPointer)
			f.close("}")
		}
	default:
		f.writeDefault(n, varName, index, isPointer)
		f.writeCalls(n, varName, isPointer)
		for _, child := range n.children {
			f.writeMethod(child, varName, depth, append(ancestors, n))
		}
	}
	if guard {
		f.close("}")
	}
}

func (f *file) writeCalls(n *node, varName string, pointer bool) {
	if !pointer {
		varName = "&" + varName
	}
	for _, fn := range n.call {
		f.line(f.name(fn) + "(" + varName + ")")
	}
}

var (
	goNumber  = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?$`)
	rawString = regexp.MustCompile("^[^`\r]*$")
)

// literal is a +default value written as Go source as it stands: a
// number, a boolean or a string that reads the same in JSON and Go.
func literal(v string) string {
	if goNumber.MatchString(v) || v == "true" || v == "false" {
		return v
	}
	if strings.HasPrefix(v, `"`) {
		if _, err := strconv.Unquote(v); err == nil {
			return v
		}
	}
	unsupported("+default=%s as a Go literal", v)
	return ""
}

// writeDefault writes the assignment of n's +default value.
func (f *file) writeDefault(n *node, varName, index string, isVarPointer bool) {
	if !n.hasDefault() {
		return
	}
	// defaulter-gen asks the universe for json.Unmarshal each time (which
	// adds it when missing); so does this.
	unmarshal := f.c.Universe.Type(types.Name{Package: jsonPkg, Name: "Unmarshal"})
	target := varName
	if n.index || n.key {
		target = varName + "[" + index + "]"
	}
	value := n.value
	if value == "" {
		value = n.resolved
	}
	if !n.primitive {
		if !rawString.MatchString(value) {
			unsupported("+default=%s in a raw string", value)
		}
		f.open("if " + target + " == nil {")
		fn := f.name(unmarshal)
		if n.key {
			v := index + "_default"
			f.line(v + " := " + varName + "[" + index + "]")
			f.open("if err := " + fn + "([]byte(`" + value + "`), &" + v + "); err != nil {")
			f.line("panic(err)")
			f.close("}")
			f.line(varName + "[" + index + "] = " + v)
		} else {
			p := target
			if !isVarPointer {
				p = "&" + p
			}
			f.open("if err := " + fn + "([]byte(`" + value + "`), " + p + "); err != nil {")
			f.line("panic(err)")
			f.close("}")
		}
		f.close("}")
		return
	}
	path := pointerPath(n.top)
	if len(path) == 0 {
		_, zero, ok := zeroValue(n.valueType.String())
		if !ok {
			unsupported("no zero value for %v", n.valueType)
		}
		f.open("if " + target + " == " + zero + " {")
		if n.value != "" {
			f.line(target + " = " + literal(n.value))
		} else {
			f.line(target + " = " + f.name(n.top) + "(" + n.resolved + ")")
		}
		f.close("}")
		return
	}
	k := len(path)
	elem := path[k-1]
	f.open("if " + target + " == nil {")
	if n.value != "" {
		f.line(fmt.Sprintf("var ptrVar%d %s = %s", k, f.name(elem), literal(n.value)))
	} else {
		f.line(fmt.Sprintf("ptrVar%d := %s(%s)", k, f.name(elem), n.resolved))
	}
	for i := k; i >= 1; i-- {
		dest, assign := fmt.Sprintf("ptrVar%d", i-1), ":="
		if i == 1 {
			dest, assign = target, "="
		}
		source := "*" + elem.String()
		if i == k {
			source = elem.String()
		}
		elem = path[i-1]
		if elem.String() == source {
			f.line(fmt.Sprintf("%s %s &ptrVar%d", dest, assign, i))
		} else {
			f.line(fmt.Sprintf("%s %s (*%s)(&ptrVar%d)", dest, assign, f.name(elem), i))
		}
	}
	f.close("}")
}
