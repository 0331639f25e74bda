package applyconfig

import (
	"bytes"
	"fmt"
	"go/doc/comment"
	"go/token"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"k8s.io/code-generator/cmd/client-gen/generators/util"
	"k8s.io/gengo/v2/generator"
	"k8s.io/gengo/v2/namer"
	"k8s.io/gengo/v2/types"

	"github.com/aggen-dev/aggen/generators/goformat"
)

// UnsupportedError says that aggen's renderer met a shape it does not
// render; applyconfiguration-gen then writes the files instead.
type UnsupportedError struct {
	Type   types.Name
	Reason string
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("apply configuration of %s: %s", e.Type, e.Reason)
}

var (
	typeMetaName   = types.Name{Package: "k8s.io/apimachinery/pkg/apis/meta/v1", Name: "TypeMeta"}
	objectMetaName = types.Name{Package: "k8s.io/apimachinery/pkg/apis/meta/v1", Name: "ObjectMeta"}
	extractInto    = types.Ref("k8s.io/apimachinery/pkg/util/managedfields", "ExtractInto")
)

// namers are the name systems applyconfiguration-gen's templates use
// besides each file's own raw namer; shared by the files of one run.
type namers struct {
	public, private namer.Namer
}

func newNamers() *namers {
	return &namers{public: namer.NewPublicNamer(0), private: namer.NewPrivateNamer(0)}
}

// renderer writes one apply configuration file as applyconfiguration-gen
// v0.37.2 writes it once formatted (goimports, then gofmt -s).
type renderer struct {
	p       perType
	n       *namers
	tracker *namer.DefaultImportTracker
	raw     namer.Namer
	tags    util.Tags
	acName  string
	decls   []string
	err     error
}

type memberParams struct {
	member     types.Member
	memberType *types.Type
	tags       jsonTags
	embeddedIn *memberParams
}

func (r *renderer) fail(format string, args ...any) {
	if r.err == nil {
		r.err = &UnsupportedError{Type: r.p.typ.Name, Reason: fmt.Sprintf(format, args...)}
	}
}

// rawName names t as gengo's raw namer does in the file, adding its
// import; types that gofmt would print otherwise are not supported.
func (r *renderer) rawName(t *types.Type) string {
	s := r.raw.Name(t)
	rest := strings.NewReplacer("struct{}", "", "interface{}", "").Replace(s)
	// Anonymous structs and interfaces, functions, channels: gofmt
	// spaces them otherwise, or they span lines.
	if strings.ContainsAny(rest, "{}()\n\t ") || s == "" {
		r.fail("type %q", s)
	}
	return s
}

func (r *renderer) pub(t *types.Type) string { return r.n.public.Name(t) }

// render renders the file's body and its imports.
func (r *renderer) render() (imports []string, decls []string, err error) {
	t := r.p.typ
	r.tags = util.MustParseClientGenTags(append(append([]string(nil), t.SecondClosestCommentLines...), t.CommentLines...))
	r.acName = r.pub(r.p.applyConfiguration)
	r.structDecl()
	typeName := r.pub(t)
	kind := r.pub(t)
	apiVersion := r.p.gv.ToAPIVersion()
	if r.tags.GenerateClient {
		sig, body := "name string", "\tb.WithName(name)\n"
		if !r.tags.NonNamespaced {
			sig, body = "name, namespace string", "\tb.WithName(name)\n\tb.WithNamespace(namespace)\n"
		}
		r.decls = append(r.decls, "// "+typeName+" constructs a declarative configuration of the "+typeName+" type for use with\n// apply.\n"+
			"func "+typeName+"("+sig+") *"+r.acName+" {\n\tb := &"+r.acName+"{}\n"+body+
			"\tb.WithKind(\""+kind+"\")\n\tb.WithAPIVersion(\""+apiVersion+"\")\n\treturn b\n}\n")
		if r.p.openAPIType != nil {
			r.extract(typeName, kind, apiVersion)
		}
	} else if hasEmbedded(t, typeMetaName) {
		r.decls = append(r.decls, "// "+r.acName+" constructs a declarative configuration of the "+typeName+" type for use with\n// apply.\n"+
			"func "+typeName+"() *"+r.acName+" {\n\tb := &"+r.acName+"{}\n"+
			"\tb.WithKind(\""+kind+"\")\n\tb.WithAPIVersion(\""+apiVersion+"\")\n\treturn b\n}\n")
	} else {
		r.decls = append(r.decls, "// "+r.acName+" constructs a declarative configuration of the "+typeName+" type for use with\n// apply.\n"+
			"func "+typeName+"() *"+r.acName+" {\n\treturn &"+r.acName+"{}\n}\n")
	}
	if r.tags.GenerateClient || hasEmbedded(t, typeMetaName) {
		r.decls = append(r.decls, "func (b "+r.acName+") IsApplyConfiguration() {}\n")
	}
	generated := []string{}
	r.withFuncs(t, nil, &generated)
	r.getters(t, nil)
	if r.err != nil {
		return nil, nil, r.err
	}
	return r.tracker.ImportLines(), r.decls, nil
}

func hasEmbedded(t *types.Type, name types.Name) bool {
	for _, m := range t.Members {
		if m.Type.Name == name && m.Embedded {
			return true
		}
	}
	return false
}

func blocklisted(t *types.Type, m types.Member) bool {
	if t.Name == objectMetaName && (m.Name == "ManagedFields" || m.Name == "SelfLink") {
		return true
	}
	return strings.HasPrefix(m.Name, "ZZZ_")
}

func needsGetter(t *types.Type, m types.Member) bool {
	return (t.Name == objectMetaName && (m.Name == "Name" || m.Name == "Namespace")) ||
		(t.Name == typeMetaName && (m.Name == "Kind" || m.Name == "APIVersion"))
}

func isNillable(t *types.Type) bool { return t.Kind == types.Slice || t.Kind == types.Map }

// applyConfigFor and isApplyConfig follow the reference graph as
// applyconfiguration-gen does.
func (r *renderer) applyConfigFor(f *types.Type) *types.Type {
	switch f.Kind {
	case types.Struct:
		if pkg, ok := r.p.refs[f.Name]; ok {
			return types.Ref(pkg, f.Name.Name+"ApplyConfiguration")
		}
	case types.Map:
		if _, ok := r.p.refs[f.Elem.Name]; ok {
			return &types.Type{Kind: types.Map, Elem: r.applyConfigFor(f.Elem), Key: r.applyConfigFor(f.Key)}
		}
	case types.Slice:
		if _, ok := r.p.refs[f.Elem.Name]; ok {
			return &types.Type{Kind: types.Slice, Elem: r.applyConfigFor(f.Elem)}
		}
	case types.Pointer:
		return r.applyConfigFor(f.Elem)
	}
	return f
}

func (r *renderer) isApplyConfig(f *types.Type) bool {
	switch f.Kind {
	case types.Struct:
		_, ok := r.p.refs[f.Name]
		return ok
	case types.Pointer:
		return r.isApplyConfig(f.Elem)
	}
	return false
}

// markerless is commentsWithoutMarkers: comment lines trimmed, the ones
// that are markers left out.
func markerless(lines []string) []string {
	var out []string
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "+") {
			continue
		}
		out = append(out, l)
	}
	return out
}

// docComment returns the comment lines gofmt prints for a comment made of
// "// "+line for each of lines (trimmed lines) standing at the start of a
// line before a declaration or field: go/printer reformats it as a doc
// comment (go/doc/comment).
func docComment(lines []string) []string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l)
		b.WriteString("\n")
	}
	var p comment.Parser
	var pr comment.Printer
	text := string(pr.Comment(p.Parse(b.String())))
	var out []string
	for text != "" {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		switch {
		case line == "":
			out = append(out, "//")
		case strings.HasPrefix(line, "\t"):
			out = append(out, "//"+line)
		default:
			out = append(out, "// "+line)
		}
	}
	return out
}

type structField struct {
	doc   []string
	cells []string
}

func (r *renderer) structDecl() {
	t := r.p.typ
	doc := []string{r.acName + " represents a declarative configuration of the " + r.pub(t) + " type for use", "with apply."}
	if c := markerless(append(append([]string(nil), t.SecondClosestCommentLines...), t.CommentLines...)); len(c) > 0 {
		doc = append(append(doc, ""), c...)
	}
	var b strings.Builder
	for _, l := range docComment(doc) {
		b.WriteString(l + "\n")
	}
	b.WriteString("type " + r.acName + " struct {\n")
	var fields []structField
	for _, m := range t.Members {
		if blocklisted(t, m) {
			continue
		}
		tags, ok := lookupJSONTags(m)
		if !ok {
			continue
		}
		if !tags.inline {
			tags.omitempty = true
		}
		var f structField
		if c := markerless(m.CommentLines); len(c) > 0 {
			f.doc = docComment(c)
			if len(f.doc) == 0 {
				r.fail("member %s: a comment gofmt removes", m.Name)
			}
		}
		mt := r.applyConfigFor(m.Type)
		tag := "`json:\"" + tags.String() + "\"`"
		switch {
		case m.Embedded && tags.inline:
			f.cells = []string{r.rawName(mt), tag}
		case m.Embedded:
			f.cells = []string{"*" + r.rawName(mt), tag}
		case isNillable(m.Type):
			f.cells = []string{m.Name, r.rawName(mt), tag}
		default:
			f.cells = []string{m.Name, "*" + r.rawName(mt), tag}
		}
		fields = append(fields, f)
	}
	writeFields(&b, fields)
	b.WriteString("}\n")
	r.decls = append(r.decls, b.String())
}

// writeFields lays out struct fields as gofmt does: one field alone
// takes single blanks; otherwise the names (or embedded types), then the
// types of named fields, align in columns (text/tabwriter, padding 1)
// over runs of lines that a comment line ends.
func writeFields(b *strings.Builder, fields []structField) {
	if len(fields) == 1 {
		for _, l := range fields[0].doc {
			b.WriteString("\t" + l + "\n")
		}
		b.WriteString("\t" + strings.Join(fields[0].cells, " ") + "\n")
		return
	}
	width := func(s string) int { return utf8.RuneCountInString(s) }
	pad := func(s string, w int) {
		b.WriteString(s)
		b.WriteString(strings.Repeat(" ", w-width(s)+1))
	}
	for start := 0; start < len(fields); {
		end := start + 1
		for end < len(fields) && len(fields[end].doc) == 0 {
			end++
		}
		w0 := 0
		for _, f := range fields[start:end] {
			w0 = max(w0, width(f.cells[0]))
		}
		w1 := make([]int, end-start)
		for i := start; i < end; {
			if len(fields[i].cells) != 3 {
				i++
				continue
			}
			j, w := i, 0
			for ; j < end && len(fields[j].cells) == 3; j++ {
				w = max(w, width(fields[j].cells[1]))
			}
			for k := i; k < j; k++ {
				w1[k-start] = w
			}
			i = j
		}
		for i, f := range fields[start:end] {
			for _, l := range f.doc {
				b.WriteString("\t" + l + "\n")
			}
			b.WriteString("\t")
			pad(f.cells[0], w0)
			if len(f.cells) == 3 {
				pad(f.cells[1], w1[i])
			}
			b.WriteString(f.cells[len(f.cells)-1] + "\n")
		}
		start = end
	}
}

func (p *memberParams) path() string {
	s := "b"
	if e := p.embeddedIn; e != nil {
		if e.memberType.Name.Name != "" {
			s += "." + e.memberType.Name.Name
		} else if e.memberType.Elem != nil {
			s += "." + e.memberType.Elem.Name.Name
		}
	}
	return s + "." + p.member.Name
}

func (r *renderer) ensureEmbed(p *memberParams) string {
	if e := p.embeddedIn; e != nil && !e.tags.inline {
		if e.memberType.Elem == nil {
			r.fail("embedded %s without apply configuration", e.member.Name)
			return ""
		}
		return "\tb.ensure" + r.pub(e.memberType.Elem) + "Exists()\n"
	}
	return ""
}

func (r *renderer) params(t *types.Type, m types.Member, embed *memberParams) (*memberParams, bool) {
	if blocklisted(t, m) {
		return nil, false
	}
	tags, ok := lookupJSONTags(m)
	if !ok {
		return nil, false
	}
	mt := r.applyConfigFor(m.Type)
	if r.isApplyConfig(m.Type) {
		mt = &types.Type{Kind: types.Pointer, Elem: mt}
	}
	return &memberParams{member: m, memberType: mt, tags: tags, embeddedIn: embed}, true
}

func (r *renderer) withFuncs(t *types.Type, embed *memberParams, generated *[]string) {
	for _, m := range t.Members {
		p, ok := r.params(t, m, embed)
		if !ok {
			continue
		}
		if slices.Contains(*generated, m.Name) {
			continue
		}
		*generated = append(*generated, m.Name)
		if m.Embedded {
			r.withFuncs(m.Type, p, generated)
			if !p.tags.inline {
				if p.memberType.Elem == nil {
					r.fail("embedded %s without apply configuration", m.Name)
					continue
				}
				e := r.pub(p.memberType.Elem)
				r.decls = append(r.decls, "func (b *"+r.acName+") ensure"+e+"Exists() {\n\tif b."+e+" == nil {\n\t\tb."+e+" = &"+r.rawName(p.memberType.Elem)+"{}\n\t}\n}\n")
			}
			continue
		}
		if d := deref(m.Type); d.Kind == types.Slice && r.isApplyConfig(d.Elem) {
			r.withSlice(p, &types.Type{Kind: types.Pointer, Elem: p.memberType.Elem})
			continue
		}
		switch m.Type.Kind {
		case types.Slice:
			r.withSlice(p, p.memberType.Elem)
		case types.Map:
			r.withMap(p)
		default:
			r.with(p)
		}
	}
}

func deref(t *types.Type) *types.Type {
	for t.Kind == types.Pointer {
		t = t.Elem
	}
	return t
}

func (r *renderer) with(p *memberParams) {
	n := p.member.Name
	s := "// With" + n + " sets the " + n + " field in the declarative configuration to the given value\n" +
		"// and returns the receiver, so that objects can be built by chaining \"With\" function invocations.\n" +
		"// If called multiple times, the " + n + " field is set to the value of the last call.\n" +
		"func (b *" + r.acName + ") With" + n + "(value " + r.rawName(p.memberType) + ") *" + r.acName + " {\n" +
		r.ensureEmbed(p)
	if r.isApplyConfig(p.member.Type) || isNillable(p.member.Type) {
		s += "\t" + p.path() + " = value\n"
	} else {
		s += "\t" + p.path() + " = &value\n"
	}
	r.decls = append(r.decls, s+"\treturn b\n}\n")
}

func (r *renderer) withSlice(p *memberParams, arg *types.Type) {
	n := p.member.Name
	ptrToSlice := p.member.Type.Kind == types.Pointer
	if ptrToSlice {
		if p.memberType.Elem == nil {
			r.fail("member %s", n)
			return
		}
		e := r.pub(p.memberType.Elem)
		r.decls = append(r.decls, "func (b *"+r.acName+") ensure"+e+"Exists() {\n\tif b."+n+" == nil {\n\t\tb."+n+" = &[]"+r.rawName(p.memberType.Elem)+"{}\n\t}\n}\n")
	}
	if arg == nil {
		r.fail("member %s", n)
		return
	}
	s := "// With" + n + " adds the given value to the " + n + " field in the declarative configuration\n" +
		"// and returns the receiver, so that objects can be build by chaining \"With\" function invocations.\n" +
		"// If called multiple times, values provided by each call will be appended to the " + n + " field.\n" +
		"func (b *" + r.acName + ") With" + n + "(values ..." + r.rawName(arg) + ") *" + r.acName + " {\n" +
		r.ensureEmbed(p)
	star := ""
	if ptrToSlice {
		s += "\tb.ensure" + r.pub(p.memberType.Elem) + "Exists()\n"
		star = "*"
	}
	s += "\tfor i := range values {\n"
	value := "values[i]"
	if arg.Kind == types.Pointer {
		s += "\t\tif values[i] == nil {\n\t\t\tpanic(\"nil value passed to With" + n + "\")\n\t\t}\n"
		value = "*values[i]"
	}
	s += "\t\t" + star + p.path() + " = append(" + star + p.path() + ", " + value + ")\n\t}\n\treturn b\n}\n"
	r.decls = append(r.decls, s)
}

func (r *renderer) withMap(p *memberParams) {
	n := p.member.Name
	mt := r.rawName(p.memberType)
	path := p.path()
	r.decls = append(r.decls, "// With"+n+" puts the entries into the "+n+" field in the declarative configuration\n"+
		"// and returns the receiver, so that objects can be build by chaining \"With\" function invocations.\n"+
		"// If called multiple times, the entries provided by each call will be put on the "+n+" field,\n"+
		"// overwriting an existing map entries in "+n+" field with the same key.\n"+
		"func (b *"+r.acName+") With"+n+"(entries "+mt+") *"+r.acName+" {\n"+
		r.ensureEmbed(p)+
		"\tif "+path+" == nil && len(entries) > 0 {\n\t\t"+path+" = make("+mt+", len(entries))\n\t}\n"+
		"\tfor k, v := range entries {\n\t\t"+path+"[k] = v\n\t}\n\treturn b\n}\n")
}

func (r *renderer) getters(t *types.Type, embed *memberParams) {
	for _, m := range t.Members {
		p, ok := r.params(t, m, embed)
		if !ok {
			continue
		}
		if m.Embedded {
			r.getters(m.Type, p)
			continue
		}
		if !needsGetter(t, m) {
			continue
		}
		n := m.Name
		ret := r.rawName(p.memberType)
		if !r.isApplyConfig(m.Type) && !isNillable(m.Type) {
			ret = "*" + ret
		}
		r.decls = append(r.decls, "// Get"+n+" retrieves the value of the "+n+" field in the declarative configuration.\n"+
			"func (b *"+r.acName+") Get"+n+"() "+ret+" {\n"+r.ensureEmbed(p)+"\treturn "+p.path()+"\n}\n")
	}
}

func (r *renderer) extract(typeName, kind, apiVersion string) {
	t := r.p.typ
	priv := r.n.private.Name(t)
	if token.IsKeyword(priv) || !token.IsIdentifier(priv) {
		r.fail("parameter name %q", priv)
	}
	raw := r.rawName(t)
	ns := ""
	if !r.tags.NonNamespaced {
		ns = "\tb.WithNamespace(" + priv + ".Namespace)\n"
	}
	r.decls = append(r.decls, "// Extract"+typeName+"From extracts the applied configuration owned by fieldManager from\n"+
		"// "+priv+" for the specified subresource. Pass an empty string for subresource to extract\n"+
		"// the main resource. Common subresources include \"status\", \"scale\", etc.\n"+
		"// "+priv+" must be a unmodified "+typeName+" API object that was retrieved from the Kubernetes API.\n"+
		"// Extract"+typeName+"From provides a way to perform a extract/modify-in-place/apply workflow.\n"+
		"// Note that an extracted apply configuration will contain fewer fields than what the fieldManager previously\n"+
		"// applied if another fieldManager has updated or force applied any of the previously applied fields.\n"+
		"func Extract"+typeName+"From("+priv+" *"+raw+", fieldManager string, subresource string) (*"+r.acName+", error) {\n"+
		"\tb := &"+r.acName+"{}\n"+
		"\terr := "+r.rawName(extractInto)+"("+priv+", "+r.rawName(types.Ref(r.p.outPkgBase+"/internal", "Parser"))+"().Type("+strconv.Quote(*r.p.openAPIType)+"), fieldManager, b, subresource)\n"+
		"\tif err != nil {\n\t\treturn nil, err\n\t}\n"+
		"\tb.WithName("+priv+".Name)\n"+ns+"\n"+
		"\tb.WithKind(\""+kind+"\")\n\tb.WithAPIVersion(\""+apiVersion+"\")\n\treturn b, nil\n}\n")
	if q := strconv.Quote(*r.p.openAPIType); q != "\""+*r.p.openAPIType+"\"" {
		r.fail("OpenAPI name %s", q)
	}
	r.decls = append(r.decls, "// Extract"+typeName+" extracts the applied configuration owned by fieldManager from\n"+
		"// "+priv+". If no managedFields are found in "+priv+" for fieldManager, a\n"+
		"// "+r.acName+" is returned with only the Name, Namespace (if applicable),\n"+
		"// APIVersion and Kind populated. It is possible that no managed fields were found for because other\n"+
		"// field managers have taken ownership of all the fields previously owned by fieldManager, or because\n"+
		"// the fieldManager never owned fields any fields.\n"+
		"// "+priv+" must be a unmodified "+typeName+" API object that was retrieved from the Kubernetes API.\n"+
		"// Extract"+typeName+" provides a way to perform a extract/modify-in-place/apply workflow.\n"+
		"// Note that an extracted apply configuration will contain fewer fields than what the fieldManager previously\n"+
		"// applied if another fieldManager has updated or force applied any of the previously applied fields.\n"+
		"func Extract"+typeName+"("+priv+" *"+raw+", fieldManager string) (*"+r.acName+", error) {\n"+
		"\treturn Extract"+typeName+"From("+priv+", fieldManager, \"\")\n}\n")
	for _, sub := range r.subresources() {
		// Upstream titles the name with golang.org/x/text/cases: for
		// lower-case letters alone, the first one in upper case.
		if strings.Trim(sub, "abcdefghijklmnopqrstuvwxyz") != "" {
			r.fail("subresource %q", sub)
			continue
		}
		title := strings.ToUpper(sub[:1]) + sub[1:]
		r.decls = append(r.decls, "// Extract"+typeName+title+" extracts the applied configuration owned by fieldManager from\n"+
			"// "+priv+" for the "+sub+" subresource.\n"+
			"func Extract"+typeName+title+"("+priv+" *"+raw+", fieldManager string) (*"+r.acName+", error) {\n"+
			"\treturn Extract"+typeName+"From("+priv+", fieldManager, \""+sub+"\")\n}\n")
	}
}

func (r *renderer) subresources() []string {
	set := map[string]bool{}
	if !r.tags.NoStatus {
		for _, m := range r.p.typ.Members {
			if m.Name == "Status" {
				set["status"] = true
				break
			}
		}
	}
	for _, e := range r.tags.Extensions {
		if e.SubResourcePath != "" {
			set[e.SubResourcePath] = true
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// jsonTags is a member's json tag as applyconfiguration-gen reads it.
type jsonTags struct {
	name              string
	inline, omitempty bool
}

func (t jsonTags) String() string {
	s := ""
	if !t.inline {
		s = t.name
	}
	if t.omitempty {
		s += ",omitempty"
	}
	return s
}

func lookupJSONTags(m types.Member) (jsonTags, bool) {
	tag, ok := reflect.StructTag(m.Tags).Lookup("json")
	if !ok || tag == "-" {
		return jsonTags{}, false
	}
	name, opts, _ := strings.Cut(tag, ",")
	t := jsonTags{name: name, inline: m.Embedded && name == ""}
	if name == "" {
		t.name = m.Name
	}
	for _, o := range strings.Split(opts, ",") {
		if o == "omitempty" {
			t.omitempty = true
		}
	}
	return t, true
}

// assemble writes the file: the formatted header (ending with the package
// clause), the imports grouped as goimports groups them, the
// declarations one blank line apart.
func assemble(header string, imports, decls []string) []byte {
	var b bytes.Buffer
	size := len(header) + 16
	for _, l := range imports {
		size += len(l) + 3
	}
	for _, d := range decls {
		size += len(d) + 1
	}
	b.Grow(size)
	b.WriteString(header)
	if len(imports) > 0 {
		specs := make([]goformat.Import, 0, len(imports))
		for _, l := range imports {
			name, q, ok := strings.Cut(l, " ")
			if !ok {
				name, q = "", l
			}
			path, _ := strconv.Unquote(q)
			specs = append(specs, goformat.Import{Name: name, Path: path})
		}
		b.WriteString("\nimport (\n" + goformat.ImportSpecs(specs) + ")\n")
	}
	for _, d := range decls {
		b.WriteString("\n")
		b.WriteString(d)
	}
	return b.Bytes()
}

// renderFile renders the file of one of upstream's per-type generators.
func renderFile(g generator.Generator, n *namers) (p perType, imports, decls []string, err error) {
	p, ok := readPerType(g)
	if !ok {
		return p, nil, nil, &UnsupportedError{Reason: fmt.Sprintf("generator %T not known", g)}
	}
	if p.typ.Kind != types.Struct {
		return p, nil, nil, &UnsupportedError{Type: p.typ.Name, Reason: "not a struct"}
	}
	tracker := generator.NewImportTrackerForPackage(p.localPkg)
	r := &renderer{p: p, n: n, tracker: tracker, raw: namer.NewRawNamer(p.localPkg, tracker)}
	imports, decls, err = r.render()
	return p, imports, decls, err
}
