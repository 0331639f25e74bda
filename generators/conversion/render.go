package conversion

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"k8s.io/code-generator/cmd/conversion-gen/args"
	"k8s.io/code-generator/cmd/conversion-gen/generators"
	"k8s.io/code-generator/pkg/apidefinitions"
	"k8s.io/gengo/v2"
	"k8s.io/gengo/v2/generator"
	"k8s.io/gengo/v2/namer"
	"k8s.io/gengo/v2/types"

	"github.com/aggen-dev/aggen/generators/codegen"
)

// The tags conversion-gen reads, with the meaning conversion-gen gives them.
const (
	tagName         = "k8s:conversion-gen"
	tagExplicitFrom = "k8s:conversion-gen:explicit-from"
	tagFn           = "k8s:conversion-fn"
	runtimePkg      = "k8s.io/apimachinery/pkg/runtime"
	conversionPkg   = "k8s.io/apimachinery/pkg/conversion"
)

// Result is what Render made of the tagged packages.
type Result struct {
	// Files are the rendered files, by project-relative slash path, in
	// their final form (gofmt -s formatted).
	Files map[string][]byte
	// Rendered are the import paths of the packages the renderer decided,
	// file or no file; upstream need not run on them.
	Rendered []string
	// Fallback lists the packages left to the upstream generator, why.
	Fallback []*UnsupportedError
}

// UnsupportedError says why the renderer left a package to the upstream
// generator: a shape it does not reproduce with certainty, or an input
// upstream rejects (which upstream then reports itself).
type UnsupportedError struct {
	Package string
	Reason  string
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("conversion renderer: package %s: %s", e.Package, e.Reason)
}

func unsupported(format string, a ...any) {
	panic(&UnsupportedError{Reason: fmt.Sprintf(format, a...)})
}

// pair is a conversion from in to out.
type pair struct{ in, out *types.Type }

// tree is what conversion-gen decides for the whole run before it writes
// any package: the peers of each package, the hand-written conversion
// functions it found, and which types are the same in memory.
type tree struct {
	u      types.Universe
	public namer.Namer
	manual map[pair]*types.Type
	equal  memoryEqual
}

// Render decides and renders conversion-gen's output for every package of
// t tagged +k8s:conversion-gen=, as conversion-gen v0.37.2 would write it
// after goimports and gofmt -s. It adds no file to s: a package with a
// shape it does not reproduce with certainty goes to Fallback. It loads
// the peer packages into the parse as conversion-gen does.
func Render(s *codegen.Session, t codegen.Tree) (*Result, error) {
	tagged, err := t.PackagesWithTag(Tag)
	if err != nil {
		return nil, err
	}
	sort.Strings(tagged)
	res := &Result{Files: map[string][]byte{}}
	if len(tagged) == 0 {
		return res, nil
	}
	all := func(reason string) (*Result, error) {
		for _, p := range tagged {
			res.Fallback = append(res.Fallback, &UnsupportedError{Package: p, Reason: reason})
		}
		return res, nil
	}
	u, err := s.Universe()
	if err != nil {
		return nil, err
	}
	h, err := codegen.Header(s.HeaderFile, gengo.StdBuildTag, Name)
	if err != nil {
		// Upstream reports a header it cannot read or format itself.
		return all(err.Error())
	}

	// The targets, as conversion-gen's GetTargets lists them.
	var inputs, others []string
	peersOf := map[string][]string{}
	for _, p := range tagged {
		pkg := u[p]
		if pkg == nil {
			return all("package " + p + " not in the parse")
		}
		info, err := apidefinitions.Identify(pkg, apidefinitions.Conversion)
		if err != nil {
			return all(err.Error())
		}
		if !info.ShouldGenerate() {
			continue
		}
		if info.IsExplicitOnly() {
			return all(p + ": +k8s:conversion-gen=false (explicit conversions only)")
		}
		if info.ExternalTypes() != p {
			return all(p + ": types in " + info.ExternalTypes())
		}
		inputs = append(inputs, p)
		peersOf[p] = info.PeerPackages()
		others = append(others, info.PeerPackages()...)
	}
	base := args.New().BasePeerDirs
	others = append(others, base...)
	for p := range peersOf {
		peersOf[p] = append(peersOf[p], base...)
	}
	// conversion-gen loads the peers into the parse; so does aggen, on
	// the same parser and universe.
	if len(others) > 0 {
		if err := s.Include(others...); err != nil {
			return all(err.Error())
		}
	}
	tr := &tree{u: u, public: generators.NameSystems()[generators.DefaultNameSystem()], manual: map[pair]*types.Type{}, equal: memoryEqual{}}
	if err := tr.findManual(append(append([]string(nil), others...), inputs...)); err != nil {
		return all(err.Error())
	}
	for k, fn := range tr.manual {
		copyOnly, err := fnTag(fn, "copy-only")
		if err != nil {
			return all(err.Error())
		}
		if !copyOnly {
			tr.equal.skip(k.in, k.out)
		}
	}
	header := []byte(h)
	byPackage, decls := typesByPackage(u)
	for _, p := range inputs {
		rel, data, err := tr.renderPackage(s, byPackage, decls, header, p, peersOf[p])
		if err != nil {
			var ue *UnsupportedError
			if errors.As(err, &ue) {
				res.Fallback = append(res.Fallback, ue)
				continue
			}
			return nil, err
		}
		res.Rendered = append(res.Rendered, p)
		res.Files[rel] = data
	}
	// Tagged packages conversion-gen writes nothing for are decided too.
	for _, p := range tagged {
		if _, ok := peersOf[p]; !ok {
			res.Rendered = append(res.Rendered, p)
		}
	}
	sort.Strings(res.Rendered)
	return res, nil
}

// findManual collects the hand-written conversion functions of pkgs, as
// conversion-gen recognises them: func Convert_<in>_To_<out>(*in, *out,
// conversion.Scope) error, named by its conversion namer.
func (tr *tree) findManual(pkgs []string) error {
	scope := types.Name{Package: conversionPkg, Name: "Scope"}
	for _, p := range pkgs {
		pkg := tr.u[p]
		if pkg == nil {
			return fmt.Errorf("peer package %s not in the parse", p)
		}
		for _, f := range pkg.Functions {
			if f.Underlying == nil || f.Underlying.Kind != types.Func || f.Underlying.Signature == nil {
				if strings.HasPrefix(f.Name.Name, "Convert_") {
					return fmt.Errorf("function %v without signature", f.Name)
				}
				continue
			}
			sig := f.Underlying.Signature
			if sig.Receiver != nil || len(sig.Parameters) != 3 || sig.Parameters[2].Type.Name != scope ||
				len(sig.Results) != 1 || sig.Results[0].Type.Name != (types.Name{Name: "error"}) {
				continue
			}
			in, out := sig.Parameters[0].Type, sig.Parameters[1].Type
			if in.Kind != types.Pointer || out.Kind != types.Pointer {
				continue
			}
			if f.Name.Name != "Convert_"+tr.public.Name(in.Elem)+"_To_"+tr.public.Name(out.Elem) {
				continue
			}
			k := pair{in.Elem, out.Elem}
			if prev, ok := tr.manual[k]; ok && prev != nil && prev.Name.Package != p {
				// conversion-gen panics on it.
				return fmt.Errorf("duplicate conversion %v and %v", prev.Name, f.Name)
			}
			tr.manual[k] = f
		}
	}
	return nil
}

// typesByPackage lists, per package path, the named types the universe
// holds under any package, and the functions, variables and constants:
// the members of gengo's ordered universe a target filters by package.
func typesByPackage(u types.Universe) (named, other map[string][]*types.Type) {
	named, other = map[string][]*types.Type{}, map[string][]*types.Type{}
	for _, p := range u {
		for _, t := range p.Types {
			named[t.Name.Package] = append(named[t.Name.Package], t)
		}
		for _, decls := range []map[string]*types.Type{p.Functions, p.Variables, p.Constants} {
			for _, t := range decls {
				other[t.Name.Package] = append(other[t.Name.Package], t)
			}
		}
	}
	return named, other
}

// tagValues reads a function-style comment tag as conversion-gen does.
func tagValues(name string, comments []string) []string {
	tags, err := gengo.ExtractFunctionStyleCommentTags("+", []string{name}, comments)
	if err != nil {
		unsupported("%s tags: %v", name, err)
	}
	list, ok := tags[name]
	if !ok {
		return nil
	}
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = v.Value
	}
	return out
}

// fnTag tells whether fn is tagged +k8s:conversion-fn=value.
func fnTag(fn *types.Type, value string) (ok bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			ue, isUE := r.(*UnsupportedError)
			if !isUE {
				panic(r)
			}
			err = ue
		}
	}()
	v := tagValues(tagFn, fn.CommentLines)
	return len(v) == 1 && v[0] == value, nil
}

func mustFnTag(fn *types.Type, value string) bool {
	ok, err := fnTag(fn, value)
	if err != nil {
		unsupported("%v", err)
	}
	return ok
}

// pkg is one package's zz_generated.conversion.go being written.
type pkg struct {
	*tree
	path    string
	peers   []string
	tracker *namer.DefaultImportTracker
	raw     namer.Namer
	types   []*types.Type
	// explicit are the conversions from net/url.Values asked for.
	explicit []pair
	skipped  map[*types.Type][]string
	body     strings.Builder
	depth    int
}

func (tr *tree) renderPackage(s *codegen.Session, byPackage, decls map[string][]*types.Type, header []byte, pkgPath string, peers []string) (rel string, data []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			ue, ok := r.(*UnsupportedError)
			if !ok {
				panic(r)
			}
			ue.Package = pkgPath
			rel, data, err = "", nil, ue
		}
	}()
	gp := tr.u[pkgPath]
	for _, p := range peers {
		if tr.u[p] == nil {
			unsupported("peer package %s not in the parse", p)
		}
	}
	// conversion-gen orders the universe by a public namer that prefixes
	// one package name; the target keeps the types of this package.
	list := append([]*types.Type(nil), byPackage[pkgPath]...)
	order := namer.NewPublicNamer(1)
	keys := make(map[*types.Type]string, len(list))
	for _, t := range list {
		keys[t] = order.Name(t)
	}
	p := &pkg{tree: tr, path: pkgPath, peers: peers, tracker: generator.NewImportTrackerForPackage(pkgPath), skipped: map[*types.Type][]string{}}
	for _, t := range decls[pkgPath] {
		// Functions, variables and constants are offered to the
		// generator's filter too; it writes nothing for them unless one
		// asks for a conversion from url.Values. One named like a type
		// of a peer (kubebuilder's GroupVersion variable and metav1's
		// GroupVersion type) is no struct, so not convertible.
		if peer := getPeer(tr.u, t, peers); peer != nil && (t.Kind == types.Struct || p.convertibleWithin(t, peer)) {
			unsupported("declaration %v taken for a type", t)
		}
		if len(tagValues(tagExplicitFrom, append(append([]string(nil), t.SecondClosestCommentLines...), t.CommentLines...))) > 0 {
			unsupported("declaration %v asks for a conversion", t)
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return keys[list[i]] < keys[list[j]] })
	for i := 1; i < len(list); i++ {
		if list[i] == list[i-1] {
			unsupported("type %v listed twice (a Go alias)", list[i])
		}
		if keys[list[i]] == keys[list[i-1]] {
			unsupported("types %v and %v order alike", list[i-1], list[i])
		}
	}

	p.raw = namer.NewRawNamer(pkgPath, p.tracker)
	// The generator's filter, in order: it decides what RegisterConversions
	// registers.
	var generate []*types.Type
	for _, t := range list {
		withPeer := false
		if peer := getPeer(tr.u, t, peers); peer != nil && p.convertibleWithin(t, peer) {
			p.types = append(p.types, t)
			withPeer = true
		}
		explicit := p.explicitFrom(t)
		for _, n := range explicit {
			p.explicit = append(p.explicit, pair{&types.Type{Name: n}, t})
		}
		if withPeer || len(explicit) > 0 {
			generate = append(generate, t)
		}
	}

	p.writeInit()
	for _, t := range generate {
		p.generateType(t)
	}

	var out bytes.Buffer
	out.Write(header)
	fmt.Fprintf(&out, "package %s\n\n", path.Base(gp.Path))
	p.writeImports(&out)
	out.WriteString(strings.TrimRight(p.body.String(), "\n"))
	out.WriteByte('\n')
	if gp.Dir == "" {
		unsupported("no directory")
	}
	r, err := filepath.Rel(s.Dir, filepath.Join(gp.Dir, OutputFile))
	if err != nil || strings.HasPrefix(r, "..") {
		unsupported("outside the project")
	}
	return filepath.ToSlash(r), out.Bytes(), nil
}

// getPeer is the type of t's name in the first peer package that has one.
func getPeer(u types.Universe, t *types.Type, peers []string) *types.Type {
	for _, pp := range peers {
		p := u[pp]
		if p == nil {
			continue
		}
		if pt, ok := p.Types[t.Name.Name]; ok {
			return pt
		}
	}
	return nil
}

// convertibleWithin is conversion-gen's test of a pair it writes
// conversion functions for: a struct of this package, not opted out,
// whose peer is exported.
func (p *pkg) convertibleWithin(in, out *types.Type) bool {
	t, other := in, out
	if in.Name.Package != p.path {
		t, other = out, in
	}
	if t.Name.Package != p.path {
		return false
	}
	if v := tagValues(tagName, t.CommentLines); v != nil {
		if v[0] != "false" {
			unsupported("type %v: %s=%s", t, tagName, v[0])
		}
		return false
	}
	if t.Kind != types.Struct {
		return false
	}
	return !namer.IsPrivateGoName(other.Name.Name)
}

// explicitFrom reads +k8s:conversion-gen:explicit-from, which
// conversion-gen supports for net/url.Values alone.
func (p *pkg) explicitFrom(t *types.Type) []types.Name {
	var out []types.Name
	for _, v := range tagValues(tagExplicitFrom, append(append([]string(nil), t.SecondClosestCommentLines...), t.CommentLines...)) {
		items := strings.Split(v, ".")
		if len(items) != 2 || items[0] != "net/url" || items[1] != "Values" {
			unsupported("type %v: %s=%s", t, tagExplicitFrom, v)
		}
		out = append(out, types.Name{Package: items[0], Name: items[1]})
	}
	return out
}

func (p *pkg) preexists(in, out *types.Type) (*types.Type, bool) {
	fn, ok := p.manual[pair{in, out}]
	return fn, ok
}

func (p *pkg) preexistsPointers(in, out *types.Type) (*types.Type, bool) {
	if in.Kind != types.Pointer || out.Kind != types.Pointer {
		return nil, false
	}
	return p.preexists(in.Elem, out.Elem)
}

// line writes one line at the current indentation.
func (p *pkg) line(s string) {
	if s == "" {
		p.body.WriteByte('\n')
		return
	}
	for i := 0; i < p.depth; i++ {
		p.body.WriteByte('\t')
	}
	p.body.WriteString(s)
	p.body.WriteByte('\n')
}

func (p *pkg) open(s string) {
	p.line(s)
	p.depth++
}

func (p *pkg) close(s string) {
	p.depth--
	p.line(s)
}

var plainName = regexp.MustCompile(`^[A-Za-z0-9_.\[\]*]+$`)

// name is the raw namer's name for t, tracking its import in the order
// conversion-gen's templates ask for names (which decides the aliases).
// Names gofmt would rewrite are unsupported.
func (p *pkg) name(t *types.Type) string {
	n := p.raw.Name(t)
	if !plainName.MatchString(n) {
		unsupported("type name %q", n)
	}
	return n
}

var ident = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func identifier(s string) string {
	if !ident.MatchString(s) {
		unsupported("%q is not an identifier", s)
	}
	return s
}

// convName is Convert_<in>_To_<out> by the conversion namer, which also
// tracks both types' imports.
func (p *pkg) convName(in, out *types.Type) string {
	p.tracker.AddType(in)
	a := p.public.Name(in)
	p.tracker.AddType(out)
	return identifier("Convert_" + a + "_To_" + p.public.Name(out))
}

// register writes one registration of RegisterConversions; fn nil is the
// generated function.
func (p *pkg) register(method string, in, out, fn *types.Type) {
	inName, outName := p.name(in), p.name(out)
	scope := p.name(types.Ref(conversionPkg, "Scope"))
	var call string
	if fn == nil {
		call = p.convName(in, out)
	} else {
		call = p.name(fn)
	}
	p.name(in)
	p.name(out)
	p.open("if err := s." + method + "((*" + inName + ")(nil), (*" + outName + ")(nil), func(a, b interface{}, scope " + scope + ") error {")
	p.line("return " + call + "(a.(*" + inName + "), b.(*" + outName + "), scope)")
	p.close("}); err != nil {")
	p.depth++
	p.line("return err")
	p.close("}")
}

func (p *pkg) writeInit() {
	p.line("func init() {")
	p.line("\tlocalSchemeBuilder.Register(RegisterConversions)")
	p.line("}")
	p.line("")
	scheme := p.u.Type(types.Name{Package: runtimePkg, Name: "Scheme"})
	p.line("// RegisterConversions adds conversion functions to the given scheme.")
	p.line("// Public to allow building arbitrary schemes.")
	p.open("func RegisterConversions(s " + p.name(&types.Type{Kind: types.Pointer, Elem: scheme}) + ") error {")
	for _, t := range p.types {
		peer := getPeer(p.u, t, p.peers)
		if _, found := p.preexists(t, peer); !found {
			p.register("AddGeneratedConversionFunc", t, peer, nil)
		}
		if _, found := p.preexists(peer, t); !found {
			p.register("AddGeneratedConversionFunc", peer, t, nil)
		}
	}
	for _, e := range p.explicit {
		p.register("AddGeneratedConversionFunc", e.in, e.out, nil)
	}
	var own []pair
	for k, fn := range p.manual {
		if fn.Name.Package == p.path {
			own = append(own, k)
		}
	}
	sort.Slice(own, func(i, j int) bool { return p.manual[own[i]].Name.Name < p.manual[own[j]].Name.Name })
	for i := 1; i < len(own); i++ {
		if p.manual[own[i]].Name.Name == p.manual[own[i-1]].Name.Name {
			unsupported("two conversion functions named %s", p.manual[own[i]].Name.Name)
		}
	}
	for _, k := range own {
		p.register("AddConversionFunc", k.in, k.out, p.manual[k])
	}
	p.line("return nil")
	p.close("}")
	p.line("")
}

func (p *pkg) generateType(t *types.Type) {
	if peer := getPeer(p.u, t, p.peers); peer != nil {
		p.generateConversion(t, peer)
		p.generateConversion(peer, t)
	}
	for _, n := range p.explicitFrom(t) {
		inPkg, ok := p.u[n.Package]
		if !ok {
			unsupported("package %s not in the parse", n.Package)
		}
		in, ok := inPkg.Types[n.Name]
		if !ok {
			unsupported("type %v not in the parse", n)
		}
		p.generateFromURLValues(in, t)
	}
}

// signature opens func <name>(in *<in>, out *<out>, s conversion.Scope) error {.
func (p *pkg) signature(name string, in, out *types.Type) {
	inName, outName := p.name(in), p.name(out)
	p.open("func " + name + "(in *" + inName + ", out *" + outName + ", s " + p.name(types.Ref(conversionPkg, "Scope")) + ") error {")
}

func (p *pkg) writePublic(in, out *types.Type, name string) {
	p.line("// " + name + " is an autogenerated conversion function.")
	p.signature(name, in, out)
	p.line("return auto" + name + "(in, out, s)")
	p.close("}")
	p.line("")
}

func (p *pkg) generateConversion(in, out *types.Type) {
	name := p.convName(in, out)
	p.signature("auto"+name, in, out)
	switch in.Kind {
	case types.Builtin:
		if in == out {
			p.line("*out = *in")
		} else {
			p.line("*out = " + p.name(out) + "(*in)")
		}
	case types.Map:
		p.doMap(in, out)
	case types.Slice:
		p.doSlice(in, out)
	case types.Struct:
		p.doStruct(in, out)
	case types.Pointer:
		p.doPointer(in, out)
	default:
		unsupported("conversion of %v (%s)", in, in.Kind)
	}
	p.line("return nil")
	p.close("}")
	p.line("")
	if _, found := p.preexists(in, out); found {
		return
	}
	if len(p.skipped[in]) != 0 {
		return
	}
	p.writePublic(in, out, p.convName(in, out))
}

// missing is conversion-gen's FIXME for a conversion it cannot write: code
// that does not compile. aggen leaves it to upstream.
func missing(in, out *types.Type) {
	unsupported("no conversion from %v to %v", in, out)
}

func (p *pkg) doMap(in, out *types.Type) {
	p.line("*out = make(" + p.name(out) + ", len(*in))")
	if !isDirectlyAssignable(in.Key, out.Key) {
		unsupported("map keys %v to %v", in.Key, out.Key)
	}
	p.open("for key, val := range *in {")
	key := "key"
	if in.Key != out.Key {
		key = p.name(out.Key) + "(key)"
	}
	if isDirectlyAssignable(in.Elem, out.Elem) {
		if in.Elem == out.Elem {
			p.line("(*out)[" + key + "] = val")
		} else {
			p.line("(*out)[" + key + "] = " + p.name(out.Elem) + "(val)")
		}
		p.close("}")
		return
	}
	blocks := 1
	if fn, ok := p.preexists(in.Elem, out.Elem); ok {
		p.line("newVal := new(" + p.name(out.Elem) + ")")
		p.open("if err := " + p.name(fn) + "(&val, newVal, s); err != nil {")
	} else if fn, ok := p.preexistsPointers(in.Elem, out.Elem); ok {
		p.line("newVal := new(" + p.name(out.Elem) + ")")
		p.open("if val != nil {")
		p.line("*newVal = new(" + p.name(out.Elem.Elem) + ")")
		p.open("if err := " + p.name(fn) + "(val, *newVal, s); err != nil {")
		blocks = 2
	} else if p.convertibleWithin(in.Elem, out.Elem) {
		p.line("newVal := new(" + p.name(out.Elem) + ")")
		p.open("if err := " + p.convName(in.Elem, out.Elem) + "(&val, newVal, s); err != nil {")
	} else {
		missing(in.Elem, out.Elem)
	}
	p.line("return err")
	for ; blocks > 0; blocks-- {
		p.close("}")
	}
	if in.Key == out.Key {
		p.line("(*out)[key] = *newVal")
	} else {
		p.line("(*out)[" + p.name(out.Key) + "(key)] = *newVal")
	}
	p.close("}")
}

func (p *pkg) doSlice(in, out *types.Type) {
	p.line("*out = make(" + p.name(out) + ", len(*in))")
	if in.Elem == out.Elem && in.Elem.Kind == types.Builtin {
		p.line("copy(*out, *in)")
		return
	}
	p.open("for i := range *in {")
	if isDirectlyAssignable(in.Elem, out.Elem) {
		if in.Elem == out.Elem {
			p.line("(*out)[i] = (*in)[i]")
		} else {
			p.line("(*out)[i] = " + p.name(out.Elem) + "((*in)[i])")
		}
		p.close("}")
		return
	}
	blocks := 1
	if fn, ok := p.preexists(in.Elem, out.Elem); ok {
		p.open("if err := " + p.name(fn) + "(&(*in)[i], &(*out)[i], s); err != nil {")
	} else if fn, ok := p.preexistsPointers(in.Elem, out.Elem); ok {
		p.open("if (*in)[i] != nil {")
		p.line("(*out)[i] = new(" + p.name(out.Elem.Elem) + ")")
		p.open("if err := " + p.name(fn) + "((*in)[i], (*out)[i], s); err != nil {")
		blocks = 2
	} else if p.convertibleWithin(in.Elem, out.Elem) {
		p.open("if err := " + p.convName(in.Elem, out.Elem) + "(&(*in)[i], &(*out)[i], s); err != nil {")
	} else {
		missing(in.Elem, out.Elem)
	}
	p.line("return err")
	for ; blocks > 0; blocks-- {
		p.close("}")
	}
	p.close("}")
}

func (p *pkg) doPointer(in, out *types.Type) {
	p.line("*out = new(" + p.name(out.Elem) + ")")
	if isDirectlyAssignable(in.Elem, out.Elem) {
		if in.Elem == out.Elem {
			p.line("**out = **in")
		} else {
			p.line("**out = " + p.name(out.Elem) + "(**in)")
		}
		return
	}
	if fn, ok := p.preexists(in.Elem, out.Elem); ok {
		p.open("if err := " + p.name(fn) + "(*in, *out, s); err != nil {")
	} else if p.convertibleWithin(in.Elem, out.Elem) {
		p.open("if err := " + p.convName(in.Elem, out.Elem) + "(*in, *out, s); err != nil {")
	} else {
		missing(in.Elem, out.Elem)
	}
	p.line("return err")
	p.close("}")
}

func findMember(t *types.Type, name string) (types.Member, bool) {
	if t.Kind != types.Struct {
		return types.Member{}, false
	}
	for _, m := range t.Members {
		if m.Name == name {
			return m, true
		}
	}
	return types.Member{}, false
}

func unwrapAlias(t *types.Type) *types.Type {
	for t.Kind == types.Alias {
		t = t.Underlying
	}
	return t
}

// isDirectlyAssignable is conversion-gen's package-level test.
func isDirectlyAssignable(in, out *types.Type) bool {
	return in.IsAssignable() && (in.IsPrimitive() || in.Name.Package == out.Name.Package)
}

// sameUnderlying is conversion-gen's generator-level test of the same name.
func sameUnderlying(in, out *types.Type) bool {
	return unwrapAlias(in) == unwrapAlias(out)
}

func (p *pkg) optedOut(m types.Member) bool {
	v := tagValues(tagName, m.CommentLines)
	return v != nil && v[0] == "false"
}

// memoryCopy is conversion-gen's canUseMemoryCopyConversion.
func (p *pkg) memoryCopy(in, out *types.Type) bool {
	if !p.equal.Equal(in, out) {
		return false
	}
	for _, m := range in.Members {
		v := tagValues(tagName, m.CommentLines)
		if len(v) > 0 && v[0] == "false" {
			return false
		}
		om, found := findMember(out, m.Name)
		if !found {
			return false
		}
		if namer.IsPrivateGoName(m.Name) && p.path != in.Name.Package {
			return false
		}
		if namer.IsPrivateGoName(om.Name) && p.path != out.Name.Package {
			return false
		}
		if fn, ok := p.preexists(m.Type, om.Type); ok && !mustFnTag(fn, "copy-only") {
			return false
		}
	}
	return true
}

func (p *pkg) doStruct(in, out *types.Type) {
	if p.memoryCopy(in, out) {
		outName := p.name(out)
		p.line("*out = *(*" + outName + ")(" + p.name(types.Ref("unsafe", "Pointer")) + "(in))")
		return
	}
	for _, m := range in.Members {
		name := identifier(m.Name)
		if p.optedOut(m) {
			p.line("// INFO: in." + name + " opted out of conversion generation")
			continue
		}
		om, found := findMember(out, m.Name)
		if !found {
			p.line("// WARNING: in." + name + " requires manual conversion: does not exist in peer-type")
			p.skipped[in] = append(p.skipped[in], name)
			continue
		}
		if namer.IsPrivateGoName(m.Name) && p.path != in.Name.Package {
			p.line("// WARNING: in." + name + " is not exported and cannot be read")
			p.skipped[in] = append(p.skipped[in], name)
			continue
		}
		if namer.IsPrivateGoName(om.Name) && p.path != out.Name.Package {
			p.line("// WARNING: out." + name + " is not exported and cannot be set")
			p.skipped[in] = append(p.skipped[in], name)
			continue
		}
		inT, outT := m.Type, om.Type
		// Aliases become copies of their underlying type under the
		// alias's name, as conversion-gen makes them.
		if u := unwrapAlias(inT); u != inT {
			c := *u
			c.Name = inT.Name
			inT = &c
		}
		if u := unwrapAlias(outT); u != outT {
			c := *u
			c.Name = outT.Name
			outT = &c
		}
		if p.equal.Equal(inT, outT) {
			switch inT.Kind {
			case types.Pointer:
				outName := p.name(outT)
				p.line("out." + name + " = (" + outName + ")(" + p.name(types.Ref("unsafe", "Pointer")) + "(in." + name + "))")
				continue
			case types.Map, types.Slice:
				outName := p.name(outT)
				p.line("out." + name + " = *(*" + outName + ")(" + p.name(types.Ref("unsafe", "Pointer")) + "(&in." + name + "))")
				continue
			}
		}
		if fn, ok := p.preexists(m.Type, om.Type); ok {
			if mustFnTag(fn, "drop") {
				continue
			}
			if !mustFnTag(fn, "copy-only") || !p.isFast(inT, outT) {
				p.open("if err := " + p.name(fn) + "(&in." + name + ", &out." + name + ", s); err != nil {")
				p.line("return err")
				p.close("}")
				continue
			}
		}
		if inT.Kind != outT.Kind {
			p.line("// WARNING: in." + name + " requires manual conversion: inconvertible types (" + inT.String() + " vs " + outT.String() + ")")
			p.skipped[in] = append(p.skipped[in], name)
			continue
		}
		switch inT.Kind {
		case types.Builtin:
			if inT == outT {
				p.line("out." + name + " = in." + name)
			} else {
				p.line("out." + name + " = " + p.name(outT) + "(in." + name + ")")
			}
		case types.Map, types.Slice, types.Pointer:
			if sameUnderlying(inT, outT) {
				p.line("out." + name + " = in." + name)
				continue
			}
			p.open("if in." + name + " != nil {")
			p.line("in, out := &in." + name + ", &out." + name)
			switch inT.Kind {
			case types.Map:
				p.doMap(inT, outT)
			case types.Slice:
				p.doSlice(inT, outT)
			default:
				p.doPointer(inT, outT)
			}
			p.depth--
			p.open("} else {")
			p.line("out." + name + " = nil")
			p.close("}")
		case types.Struct:
			if sameUnderlying(inT, outT) {
				p.line("out." + name + " = in." + name)
				continue
			}
			p.convertMember(inT, outT, name)
		default:
			unsupported("field %s of %v (%s)", name, in, inT.Kind)
		}
	}
}

func (p *pkg) convertMember(in, out *types.Type, name string) {
	if !p.convertibleWithin(in, out) {
		missing(in, out)
	}
	p.open("if err := " + p.convName(in, out) + "(&in." + name + ", &out." + name + ", s); err != nil {")
	p.line("return err")
	p.close("}")
}

func (p *pkg) isFast(in, out *types.Type) bool {
	switch in.Kind {
	case types.Builtin:
		return true
	case types.Map, types.Slice, types.Pointer, types.Struct, types.Alias:
		return sameUnderlying(in, out)
	}
	return false
}

func (p *pkg) generateFromURLValues(in, out *types.Type) {
	name := p.convName(in, out)
	p.signature("auto"+name, in, out)
	for _, m := range out.Members {
		field := identifier(m.Name)
		if p.optedOut(m) {
			p.line("// INFO: in." + field + " opted out of conversion generation")
			continue
		}
		jsonTag := reflect.StructTag(m.Tags).Get("json")
		i := strings.Index(jsonTag, ",")
		if i == -1 {
			i = len(jsonTag)
		}
		if i == 0 {
			p.line("// WARNING: Field " + field + " does not have json tag, skipping.")
			p.line("")
			continue
		}
		p.open("if values, ok := map[string][]string(*in)[" + strconv.Quote(jsonTag[:i]) + "]; ok && len(values) > 0 {")
		if q := strconv.Quote(jsonTag[:i]); q != `"`+jsonTag[:i]+`"` {
			unsupported("json name %q", jsonTag[:i])
		}
		p.fromValues(in.Underlying.Elem, m)
		p.depth--
		p.open("} else {")
		p.zeroValue(m)
		p.close("}")
	}
	p.line("return nil")
	p.close("}")
	p.line("")
	if _, found := p.preexists(in, out); found {
		return
	}
	p.writePublic(in, out, p.convName(in, out))
}

func (p *pkg) fromValues(in *types.Type, m types.Member) {
	field := m.Name
	if fn, ok := p.preexists(in, m.Type); ok {
		p.open("if err := " + p.name(fn) + "(&values, &out." + field + ", s); err != nil {")
		p.line("return err")
		p.close("}")
		return
	}
	switch {
	case m.Type == types.String:
		p.line("out." + field + " = values[0]")
	case p.equal.Equal(in, m.Type):
		switch in.Kind {
		case types.Pointer:
			t := p.name(m.Type)
			p.line("out." + field + " = (" + t + ")(" + p.name(types.Ref("unsafe", "Pointer")) + "(&values))")
		case types.Map, types.Slice:
			t := p.name(m.Type)
			p.line("out." + field + " = *(*" + t + ")(" + p.name(types.Ref("unsafe", "Pointer")) + "(&values))")
		default:
			unsupported("field %s from url.Values", field)
		}
	default:
		unsupported("field %s from url.Values", field)
	}
}

func (p *pkg) zeroValue(m types.Member) {
	field := m.Name
	t := unwrapAlias(m.Type)
	switch t.Kind {
	case types.Builtin:
		switch t {
		case types.String:
			p.line("out." + field + " = \"\"")
		case types.Int64, types.Int32, types.Int16, types.Int, types.Uint64, types.Uint32, types.Uint16, types.Uint,
			types.Uintptr, types.Byte, types.Float64, types.Float32, types.Float:
			p.line("out." + field + " = 0")
		case types.Bool:
			p.line("out." + field + " = false")
		default:
			unsupported("zero value of field %s", field)
		}
	case types.Struct:
		if t == m.Type {
			p.line("out." + field + " = " + p.name(t) + "{}")
		} else {
			alias := p.name(m.Type)
			p.line("out." + field + " = " + alias + "(" + p.name(t) + "{})")
		}
	case types.Map, types.Slice, types.Pointer, types.Interface, types.Array:
		p.line("out." + field + " = nil")
	default:
		unsupported("zero value of field %s", field)
	}
}

// writeImports writes the import block as goimports leaves it;
// conversion-gen leaves out an import of the package itself.
func (p *pkg) writeImports(out *bytes.Buffer) {
	block, _, err := codegen.ImportBlock(p.tracker.ImportLines(), p.path)
	if err != nil {
		unsupported("%v", err)
	}
	out.WriteString(block)
}

// memoryEqual is conversion-gen's test of types with the same memory
// layout, with its cache: pairs with a hand-written conversion that is
// not copy-only are never equal.
type memoryEqual map[pair]bool

func (e memoryEqual) skip(a, b *types.Type) {
	e[pair{a, b}] = false
	e[pair{b, a}] = false
}

func (e memoryEqual) Equal(a, b *types.Type) bool {
	eq, _ := e.cached(a, b, nil)
	return eq
}

func (e memoryEqual) cached(a, b *types.Type, visiting []*types.Type) (equal, cacheable bool) {
	if a == b {
		return true, true
	}
	if eq, ok := e[pair{a, b}]; ok {
		return eq, true
	}
	if eq, ok := e[pair{b, a}]; ok {
		return eq, true
	}
	equal, cacheable = e.compare(a, b, visiting)
	if cacheable {
		e[pair{a, b}] = equal
		e[pair{b, a}] = equal
	}
	return equal, cacheable
}

func (e memoryEqual) compare(a, b *types.Type, visiting []*types.Type) (equal, cacheable bool) {
	in, out := unwrapAlias(a), unwrapAlias(b)
	if in == out {
		return true, true
	}
	if in.Kind != out.Kind {
		return false, true
	}
	for _, v := range visiting {
		if v == in {
			// A cycle: assumed equal for now, not cached.
			return true, false
		}
	}
	visiting = append(visiting, in)
	switch in.Kind {
	case types.Struct:
		if len(in.Members) != len(out.Members) {
			return false, true
		}
		cacheable = true
		for i, m := range in.Members {
			eq, c := e.cached(m.Type, out.Members[i].Type, visiting)
			if !eq {
				return false, true
			}
			cacheable = cacheable && c
		}
		return true, cacheable
	case types.Pointer, types.Slice:
		return e.cached(in.Elem, out.Elem, visiting)
	case types.Map:
		ke, kc := e.cached(in.Key, out.Key, visiting)
		ve, vc := e.cached(in.Elem, out.Elem, visiting)
		return ke && ve, kc && vc
	case types.Interface:
		return false, true
	case types.Builtin:
		return in.Name.Name == out.Name.Name, true
	}
	return false, true
}
