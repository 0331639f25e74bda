package loader

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"

	crdmarkers "sigs.k8s.io/controller-tools/pkg/crd/markers"

	"github.com/aggen-dev/aggen/generators/markers"
	"github.com/aggen-dev/aggen/generators/model"
)

// ownFiles returns the package's hand-written files, in name order.
func (p *apiPackage) ownFiles() []*ast.File {
	var out []*ast.File
	for _, f := range p.files {
		if p.own[f] {
			out = append(out, f)
		}
	}
	return out
}

// typeCheck type-checks every parsed version package, keeping the type
// information the model is built from, and returns the type errors of
// the user's files.
//
// gengo's parser, which the upstream generators run on, ignores type
// errors: an undefined field type reaches deepcopy-gen as "invalid type"
// and stops the process. So aggen checks first, with go/types, importing
// what the API packages import from the compiler's export data (`go list
// -export`, served from the build cache once the packages were built,
// and remembered in the user's cache directory, see exportCache). The
// package's generated files take part so that hand-written code may call
// them, but errors in them are not reported: they are about to be
// regenerated. Imports of the project's own API packages resolve to
// nothing, and go/types stays silent about their uses, since they too are
// regenerated in this run.
func (l *load) typeCheck() (Errors, error) {
	if len(l.parsed) == 0 {
		return nil, nil
	}
	module, err := modulePath(l.root)
	if err != nil {
		return nil, err
	}
	var pkgs []*apiPackage
	imports := map[string]bool{}
	for _, p := range l.parsed {
		pkgs = append(pkgs, p)
		for _, f := range p.files {
			for _, spec := range f.Imports {
				ip, err := strconv.Unquote(spec.Path.Value)
				if err == nil && ip != "unsafe" && ip != "C" && !isOwnAPI(module, ip) {
					imports[ip] = true
				}
			}
		}
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].rel < pkgs[j].rel })
	exports, err := exportData(l.root, module, sortedSet(imports), l.goEnv)
	if err != nil {
		return nil, err
	}
	l.imp = &exportImporter{fset: l.fset, exports: exports, module: module, pkgs: map[string]*types.Package{}}
	l.ext = &externals{l: l, exports: exports, sources: map[string]*sourcePackage{}, named: map[*model.Type]*types.Named{}}
	var errs Errors
	for _, p := range pkgs {
		errs = append(errs, p.check(l.imp)...)
	}
	return errs, nil
}

// ref turns a type the type checker resolved into the model's TypeRef,
// declaring the named types of other packages it meets.
func (l *load) ref(t types.Type) *model.TypeRef {
	switch x := t.(type) {
	case nil:
		return &model.TypeRef{Kind: model.InvalidRef}
	case *types.Alias:
		return l.ref(types.Unalias(x))
	case *types.Basic:
		if x.Kind() == types.Invalid || x.Kind() == types.UnsafePointer || x.Info()&types.IsUntyped != 0 {
			return &model.TypeRef{Kind: model.InvalidRef}
		}
		return &model.TypeRef{Kind: model.BasicRef, Basic: types.Typ[x.Kind()].Name()}
	case *types.Named:
		obj := x.Obj()
		if obj.Pkg() == nil { // error
			return &model.TypeRef{Kind: model.InterfaceRef}
		}
		r := &model.TypeRef{Kind: model.NamedRef, Package: obj.Pkg().Path(), Name: obj.Name()}
		if x.TypeArgs().Len() == 0 {
			r.Named = l.named(x)
		}
		return r
	case *types.Pointer:
		return &model.TypeRef{Kind: model.PointerRef, Elem: l.ref(x.Elem())}
	case *types.Slice:
		return &model.TypeRef{Kind: model.SliceRef, Elem: l.ref(x.Elem())}
	case *types.Array:
		return &model.TypeRef{Kind: model.ArrayRef, Elem: l.ref(x.Elem()), Len: x.Len()}
	case *types.Map:
		return &model.TypeRef{Kind: model.MapRef, Key: l.ref(x.Key()), Elem: l.ref(x.Elem())}
	case *types.Struct:
		return &model.TypeRef{Kind: model.StructRef}
	case *types.Interface:
		return &model.TypeRef{Kind: model.InterfaceRef}
	}
	return &model.TypeRef{Kind: model.InvalidRef}
}

// named returns the model type of a named type: the project's own, or one
// of another package, declared now and filled by externals.fillAll.
func (l *load) named(n *types.Named) *model.Type {
	obj := n.Obj()
	id := model.TypeID(obj.Pkg().Path(), obj.Name())
	if t, ok := l.project.Types[id]; ok {
		return t
	}
	if l.ext == nil || isOwnAPI(l.imp.module, obj.Pkg().Path()) {
		return nil
	}
	return l.ext.declare(n)
}

// jsonMarshaler and textMarshaler are encoding/json.Marshaler and
// encoding.TextMarshaler, built by hand so no package has to be loaded.
var (
	byteSlice      = types.NewSlice(types.Universe.Lookup("byte").Type())
	errorType      = types.Universe.Lookup("error").Type()
	marshalResults = types.NewTuple(types.NewVar(token.NoPos, nil, "", byteSlice), types.NewVar(token.NoPos, nil, "", errorType))
	jsonMarshaler  = types.NewInterfaceType([]*types.Func{
		types.NewFunc(token.NoPos, nil, "MarshalJSON", types.NewSignatureType(nil, nil, nil, nil, marshalResults, false)),
	}, nil).Complete()
	textMarshaler = types.NewInterfaceType([]*types.Func{
		types.NewFunc(token.NoPos, nil, "MarshalText", types.NewSignatureType(nil, nil, nil, nil, marshalResults, false)),
	}, nil).Complete()
)

// marshalers reports whether a named type, or its pointer, implements
// json.Marshaler and encoding.TextMarshaler.
func marshalers(n *types.Named) (json, text bool) {
	impl := func(iface *types.Interface) bool {
		return types.Implements(n, iface) || types.Implements(types.NewPointer(n), iface)
	}
	return impl(jsonMarshaler), impl(textMarshaler)
}

// constantsOf returns the constants of type n declared in pkg, in source
// order.
func constantsOf(pkg *types.Package, n *types.Named) []model.Constant {
	if pkg == nil {
		return nil
	}
	var consts []*types.Const
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		if c, ok := scope.Lookup(name).(*types.Const); ok && types.Identical(c.Type(), n) {
			consts = append(consts, c)
		}
	}
	sort.SliceStable(consts, func(i, j int) bool { return consts[i].Pos() < consts[j].Pos() })
	out := make([]model.Constant, 0, len(consts))
	for _, c := range consts {
		out = append(out, model.Constant{Name: c.Name(), Value: constantValue(c.Val())})
	}
	return out
}

func constantValue(v constant.Value) any {
	switch v.Kind() {
	case constant.String:
		return constant.StringVal(v)
	case constant.Bool:
		return constant.BoolVal(v)
	case constant.Int:
		if i, ok := constant.Int64Val(v); ok {
			return i
		}
	case constant.Float:
		f, _ := constant.Float64Val(v)
		return f
	}
	return v.ExactString()
}

// description formats a doc comment as controller-gen formats schema
// descriptions: marker lines dropped, lines joined with newlines, blank
// lines kept as paragraph breaks, TODO lines dropped and everything from a
// "---" line on left out, except inside fenced code blocks.
func description(cg *ast.CommentGroup) string {
	if cg == nil {
		return ""
	}
	var kept ast.CommentGroup
	asterisk := false
	for _, c := range cg.List {
		if strings.HasPrefix(c.Text, "//") && strings.HasPrefix(strings.TrimSpace(c.Text[2:]), "+") {
			continue
		}
		if strings.HasPrefix(c.Text, "/*") {
			asterisk = true
		}
		kept.List = append(kept.List, c)
	}
	if len(kept.List) == 0 {
		return ""
	}
	lines := strings.Split(kept.Text(), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	var out []string
	inCode := false
	for _, line := range lines {
		if asterisk {
			line = strings.TrimSpace(line)
		}
		if strings.HasPrefix(line, "```") || strings.HasPrefix(line, "~~~") {
			inCode = !inCode
		}
		if !inCode {
			if strings.HasPrefix(line, "TODO") {
				continue
			}
			if strings.HasPrefix(line, "---") {
				break
			}
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// legacyValidation gathers the validation markers into model.Validation,
// which the registry and server generators still read.
func legacyValidation(ms []*markers.Marker) model.Validation {
	var v model.Validation
	f64 := func(f float64) *float64 { return &f }
	i64 := func(i int) *int64 { x := int64(i); return &x }
	for _, m := range ms {
		switch x := m.Value.(type) {
		case crdmarkers.Minimum:
			v.Minimum = f64(float64(x))
		case crdmarkers.Maximum:
			v.Maximum = f64(float64(x))
		case crdmarkers.ExclusiveMinimum:
			v.ExclusiveMinimum = bool(x)
		case crdmarkers.ExclusiveMaximum:
			v.ExclusiveMaximum = bool(x)
		case crdmarkers.MultipleOf:
			v.MultipleOf = f64(float64(x))
		case crdmarkers.MinLength:
			v.MinLength = i64(int(x))
		case crdmarkers.MaxLength:
			v.MaxLength = i64(int(x))
		case crdmarkers.Pattern:
			v.Pattern = string(x)
		case crdmarkers.Enum:
			for _, e := range x {
				v.Enum = append(v.Enum, fmt.Sprint(e))
			}
		case crdmarkers.MinItems:
			v.MinItems = i64(int(x))
		case crdmarkers.MaxItems:
			v.MaxItems = i64(int(x))
		case crdmarkers.UniqueItems:
			v.UniqueItems = bool(x)
		case crdmarkers.Format:
			v.Format = string(x)
		case crdmarkers.MinProperties:
			v.MinProperties = i64(int(x))
		case crdmarkers.MaxProperties:
			v.MaxProperties = i64(int(x))
		}
	}
	return v
}

// legacyDefault is the JSON of a default marker's value, or nil.
func legacyDefault(m *markers.Marker) *string {
	var val any
	switch x := m.Value.(type) {
	case crdmarkers.Default:
		val = x.Value
	case crdmarkers.KubernetesDefault:
		if x.Value == nil {
			return nil
		}
		val = x.Value
	default:
		return nil
	}
	b, err := json.Marshal(val)
	if err != nil {
		return nil
	}
	s := string(b)
	return &s
}
