package openapi

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"k8s.io/gengo/v2"
	"k8s.io/gengo/v2/generator"
	"k8s.io/gengo/v2/namer"
	"k8s.io/gengo/v2/types"
	"k8s.io/kube-openapi/pkg/common"
	"k8s.io/kube-openapi/pkg/generators"

	"github.com/aggen-dev/aggen/generators/codegen"
	"github.com/aggen-dev/aggen/generators/openapischema"
)

// The comment tags openapi-gen reads for the definitions, with its meaning.
const (
	tagOpenAPI      = "k8s:openapi-gen"
	tagModelPackage = "k8s:openapi-model-package"
	tagOptional     = "optional"
	tagRequired     = "required"
	tagDefault      = "default"
	tagEnum         = "enum"
	validationMark  = "+k8s:validation:"
	extensionPrefix = "x-kubernetes-"

	commonPkg = "k8s.io/kube-openapi/pkg/common"
	specPkg   = "k8s.io/kube-openapi/pkg/validation/spec"
	ptrPkg    = "k8s.io/utils/ptr"
)

// idlExtensions are the comment tags openapi-gen turns into OpenAPI
// extensions on a field or type, by tag; arrays are those always written
// as a list.
var idlExtensions = map[string]struct {
	name  string
	array bool
}{
	"patchMergeKey": {name: "x-kubernetes-patch-merge-key"},
	"patchStrategy": {name: "x-kubernetes-patch-strategy"},
	"listMapKey":    {name: "x-kubernetes-list-map-keys", array: true},
	"listType":      {name: "x-kubernetes-list-type"},
	"mapType":       {name: "x-kubernetes-map-type"},
	"structType":    {name: "x-kubernetes-map-type"},
	"validations":   {name: "x-kubernetes-validations"},
}

// patchTags must say the same in the struct tag and the comment tags.
var patchTags = []string{"patchMergeKey", "patchStrategy"}

// UnsupportedError says why the renderer left the definitions to the
// upstream openapi-gen: a shape it does not reproduce with certainty, or
// an input upstream rejects (which upstream then reports itself).
type UnsupportedError struct {
	// Type is the type being rendered, "" for the file as a whole.
	Type   string
	Reason string
}

func (e *UnsupportedError) Error() string {
	if e.Type == "" {
		return "openapi renderer: " + e.Reason
	}
	return fmt.Sprintf("openapi renderer: type %s: %s", e.Type, e.Reason)
}

func unsupported(format string, a ...any) {
	panic(&UnsupportedError{Reason: fmt.Sprintf(format, a...)})
}

// renderDefinitions writes the definitions file openapi-gen writes for
// the types of order (its target's context, filtered and ordered), into
// the package outputPkg, after header (the formatted boilerplate). The
// result is final: goimports' and gofmt -s's formatting included.
func renderDefinitions(u types.Universe, order []*types.Type, header, outputPkg, pkgName string) (data []byte, err error) {
	var current *types.Type
	defer func() {
		if r := recover(); r != nil {
			ue, ok := r.(*UnsupportedError)
			if !ok {
				// A shape the renderer did not expect: upstream decides.
				ue = &UnsupportedError{Reason: fmt.Sprintf("renderer panic: %v", r)}
			}
			if current != nil {
				ue.Type = current.String()
			}
			data, err = nil, ue
		}
	}()
	tracker := generator.NewImportTrackerForPackage(outputPkg)
	w := &writer{
		u:       u,
		raw:     namer.NewRawNamer(outputPkg, tracker),
		private: &namer.NameStrategy{Join: func(_ string, in []string, _ string) string { return strings.Join(in, "_") }, PrependPackageNames: 4},
		enums:   findEnums(u),

		modelPackages: map[string]bool{},
	}
	// The names are asked for in openapi-gen's order, which decides the
	// import aliases.
	ref := w.rawRef(commonPkg, "ReferenceCallback")
	def := w.rawRef(commonPkg, "OpenAPIDefinition")
	var entries []*node
	for _, t := range order {
		current = t
		if e := w.call(t); e != nil {
			entries = append(entries, e)
		}
	}
	current = nil
	if len(entries) == 0 {
		unsupported("no definitions")
	}
	var body strings.Builder
	body.WriteString("func GetOpenAPIDefinitions(ref " + ref + ") map[string]" + def + " {\n")
	body.WriteString("\treturn map[string]" + def + "{\n")
	writeList(&body, 2, entries)
	body.WriteString("\t}\n}\n")
	for _, t := range order {
		current = t
		w.generate(&body, t)
	}
	current = nil

	var out strings.Builder
	out.Grow(len(header) + body.Len() + 1024)
	out.WriteString(header)
	out.WriteString("package " + pkgName + "\n\n")
	imports, self, err := codegen.ImportBlock(tracker.ImportLines(), outputPkg)
	if err != nil || self {
		unsupported("imports %v: %v", tracker.ImportLines(), err)
	}
	out.WriteString(imports)
	out.WriteString(body.String())
	return []byte(out.String()), nil
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// writer holds what rendering one file needs: the raw namer tracking the
// file's imports in the order openapi-gen asks for names (which decides
// the aliases), the namer of the schema functions, and the enum types.
type writer struct {
	u       types.Universe
	raw     namer.Namer
	private namer.Namer
	enums   map[types.Name]*enumType
	// modelPackages: whether a package is tagged +k8s:openapi-model-package.
	modelPackages map[string]bool
}

var plainName = regexp.MustCompile(`^[A-Za-z0-9_.]+$`)

// rawName is the raw namer's name for t, its import tracked.
func (w *writer) rawName(t *types.Type) string {
	n := w.raw.Name(t)
	if !plainName.MatchString(n) {
		unsupported("type name %q", n)
	}
	return n
}

func (w *writer) rawRef(pkg, name string) string {
	return w.rawName(types.Ref(pkg, name))
}

// methods reports which of openapi-gen's definition methods t has.
type methods struct {
	v2, typeFormat, v3, oneOf bool
}

func returns(mt *types.Type, pkg, name string) bool {
	if mt.Signature == nil || len(mt.Signature.Parameters) != 0 || len(mt.Signature.Results) != 1 {
		return false
	}
	r := mt.Signature.Results[0].Type
	return r.Name.Name == name && r.Name.Package == pkg
}

func methodsOf(t *types.Type) methods {
	var m methods
	var schemaType, schemaFormat bool
	if mt, ok := t.Methods["OpenAPIDefinition"]; ok {
		m.v2 = returns(mt, commonPkg, "OpenAPIDefinition")
	}
	if mt, ok := t.Methods["OpenAPIV3Definition"]; ok {
		m.v3 = returns(mt, commonPkg, "OpenAPIDefinition")
	}
	if mt, ok := t.Methods["OpenAPIV3OneOfTypes"]; ok {
		m.oneOf = returns(mt, "", "[]string")
	}
	if mt, ok := t.Methods["OpenAPISchemaType"]; ok {
		schemaType = returns(mt, "", "[]string")
	}
	if mt, ok := t.Methods["OpenAPISchemaFormat"]; ok {
		schemaFormat = returns(mt, "", "string")
	}
	m.typeFormat = schemaType && schemaFormat
	return m
}

// modelPackage is the value of a +k8s:openapi-model-package tag in comments.
func modelPackage(comments []string) string {
	tags, err := gengo.ExtractFunctionStyleCommentTags("+", []string{tagModelPackage}, comments)
	if err != nil {
		unsupported("%s: %v", tagModelPackage, err)
	}
	if len(tags) > 1 {
		unsupported("multiple %s tags", tagModelPackage)
	}
	if vs := tags[tagModelPackage]; len(vs) > 0 {
		return vs[0].Value
	}
	return ""
}

// modelNamed reports whether openapi-gen names t's definition by its
// OpenAPIModelName method.
func (w *writer) modelNamed(t *types.Type) bool {
	if mt, ok := t.Methods["OpenAPIModelName"]; ok && returns(mt, "", "string") {
		return true
	}
	if modelPackage(t.CommentLines) != "" {
		return true
	}
	named, ok := w.modelPackages[t.Name.Package]
	if !ok {
		named = modelPackage(w.u.Package(t.Name.Package).Comments) != ""
		w.modelPackages[t.Name.Package] = named
	}
	return named
}

// call is t's entry in GetOpenAPIDefinitions, nil for none.
func (w *writer) call(t *types.Type) *node {
	if t.Kind != types.Struct || namer.IsPrivateGoName(t.Name.Name) {
		return nil
	}
	var key string
	if w.modelNamed(t) {
		key = w.rawName(t) + "{}.OpenAPIModelName()"
	} else {
		key = `"` + t.Name.String() + `"`
		checkLiteral(t.Name.String())
	}
	m := methodsOf(t)
	var value string
	switch {
	case m.typeFormat:
		value = "schema_" + w.private.Name(t) + "(ref)"
	case m.v2 && m.v3:
		n := w.rawName(t)
		value = "common.EmbedOpenAPIDefinitionIntoV2Extension(" + n + "{}.OpenAPIV3Definition(), " + n + "{}.OpenAPIDefinition())"
	case m.v2:
		value = w.rawName(t) + "{}.OpenAPIDefinition()"
	case m.v3:
		value = w.rawName(t) + "{}.OpenAPIV3Definition()"
	default:
		value = "schema_" + w.private.Name(t) + "(ref)"
	}
	if fn, ok := strings.CutSuffix(value, "(ref)"); ok && !identifier.MatchString(fn) {
		unsupported("schema function name %q", fn)
	}
	return &node{key: key, value: value}
}

// checkLiteral fails on text openapi-gen writes between quotes unescaped
// that would not be the same Go string.
func checkLiteral(s string) {
	for _, r := range s {
		if r == '"' || r == '\\' || r < ' ' || r == 0x7f || r == utf8.RuneError {
			unsupported("%q written into a string literal", s)
		}
	}
}

// generate writes t's schema function, if openapi-gen writes one.
func (w *writer) generate(b *strings.Builder, t *types.Type) {
	if t.Kind != types.Struct {
		return
	}
	validation := validationSchema(t, t.CommentLines)
	m := methodsOf(t)
	if m.v2 || (m.v3 && !m.typeFormat) {
		return
	}
	fn := "schema_" + w.private.Name(t)
	if !identifier.MatchString(fn) {
		unsupported("schema function name %q", fn)
	}
	ref := w.rawRef(commonPkg, "ReferenceCallback")
	def := w.rawRef(commonPkg, "OpenAPIDefinition")
	b.WriteString("\nfunc " + fn + "(ref " + ref + ") " + def + " {\n")
	// typeFormat is the schema of a type that gives its type and format
	// (or its v3 oneOf) by methods.
	typeFormat := func(typeKey, typeValue string) []*node {
		props := w.description(t.CommentLines)
		n := w.rawName(t)
		props = append(props, &node{key: typeKey, value: strings.ReplaceAll(typeValue, "$T", n)}, &node{key: "Format", value: n + "{}.OpenAPISchemaFormat()"})
		props = append(props, w.validations(validation)...)
		schema := []*node{{key: "SchemaProps", open: "spec.SchemaProps{", kids: props, close: "}"}}
		schema = append(schema, w.typeExtensions(t)...)
		return []*node{{key: "Schema", open: "spec.Schema{", kids: schema, close: "}"}}
	}
	const typeMethod = "$T{}.OpenAPISchemaType()"
	switch {
	case m.typeFormat && m.v3:
		n := w.rawName(t)
		def = w.rawRef(commonPkg, "OpenAPIDefinition")
		b.WriteString("\treturn common.EmbedOpenAPIDefinitionIntoV2Extension(" + n + "{}.OpenAPIV3Definition(), " + def + "{\n")
		writeList(b, 2, typeFormat("Type", typeMethod))
		b.WriteString("\t})\n}\n")
		return
	case m.typeFormat && m.oneOf:
		def = w.rawRef(commonPkg, "OpenAPIDefinition")
		b.WriteString("\treturn common.EmbedOpenAPIDefinitionIntoV2Extension(" + def + "{\n")
		writeList(b, 2, typeFormat("OneOf", "common.GenerateOpenAPIV3OneOfSchema($T{}.OpenAPIV3OneOfTypes())"))
		def = w.rawRef(commonPkg, "OpenAPIDefinition")
		b.WriteString("\t}, " + def + "{\n")
		writeList(b, 2, typeFormat("Type", typeMethod))
		b.WriteString("\t})\n}\n")
		return
	case m.typeFormat:
		def = w.rawRef(commonPkg, "OpenAPIDefinition")
		b.WriteString("\treturn " + def + "{\n")
		writeList(b, 2, typeFormat("Type", typeMethod))
		b.WriteString("\t}\n}\n")
		return
	case m.oneOf:
		unsupported("v3 oneOf types without a v2 type and format")
	}

	def = w.rawRef(commonPkg, "OpenAPIDefinition")
	props := w.description(t.CommentLines)
	props = append(props, &node{key: "Type", value: `[]string{"object"}`})
	props = append(props, w.validations(validation)...)
	d := &definition{refs: map[string]*types.Type{}}
	d.members(w, t)
	if len(d.properties) > 0 {
		schemaType := w.rawRef(specPkg, "Schema")
		props = append(props, &node{key: "Properties", open: "map[string]" + schemaType + "{", kids: d.properties, close: "}"})
	}
	if len(d.required) > 0 {
		for _, r := range d.required {
			checkLiteral(r)
		}
		props = append(props, &node{key: "Required", value: `[]string{"` + strings.Join(d.required, `", "`) + `"}`})
	}
	schema := []*node{{key: "SchemaProps", open: "spec.SchemaProps{", kids: props, close: "}"}}
	schema = append(schema, w.typeExtensions(t)...)
	top := []*node{{key: "Schema", open: "spec.Schema{", kids: schema, close: "}"}}

	keys := make([]string, 0, len(d.refs))
	for k := range d.refs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var deps []string
	for _, k := range keys {
		v := d.refs[k]
		if typ, _ := common.OpenAPITypeFormat(v.String()); typ != "" {
			continue
		}
		if w.modelNamed(v) {
			deps = append(deps, w.rawName(v)+"{}.OpenAPIModelName()")
		} else {
			checkLiteral(k)
			deps = append(deps, `"`+k+`"`)
		}
	}
	if len(deps) > 0 {
		top = append(top, &node{key: "Dependencies", open: "[]string{", tail: strings.Join(deps, ", ") + "}"})
	}
	b.WriteString("\treturn " + def + "{\n")
	writeList(b, 2, top)
	b.WriteString("\t}\n}\n")
}

// definition collects a struct's properties, required names and the
// types its properties refer to.
type definition struct {
	properties []*node
	required   []string
	refs       map[string]*types.Type
}

func (d *definition) members(w *writer, t *types.Type) {
	for t.Kind == types.Pointer {
		t = t.Elem
	}
	for i := range t.Members {
		m := &t.Members[i]
		tags := gengo.ExtractCommentTags("+", m.CommentLines)
		if slices.Contains(tags[tagOpenAPI], "false") {
			continue
		}
		if inlined(m) {
			d.members(w, m.Type)
			continue
		}
		name := referableName(m)
		if name == "" {
			continue
		}
		optional, hasRequired := tags[tagOptional] != nil, tags[tagRequired] != nil
		switch {
		case optional && hasRequired:
			unsupported("member %s both optional and required", m.Name)
		case hasRequired:
			d.required = append(d.required, name)
		case optional:
		case !omitEmpty(m):
			d.required = append(d.required, name)
		}
		d.properties = append(d.properties, d.property(w, m, t, tags, name))
	}
}

func jsonTags(m *types.Member) []string {
	tag := reflect.StructTag(m.Tags).Get("json")
	if tag == "" {
		return nil
	}
	return strings.Split(tag, ",")
}

// referableName is openapi-gen's name of a member's property, "" for none.
func referableName(m *types.Member) string {
	tags := jsonTags(m)
	if len(tags) == 0 {
		return m.Name
	}
	if tags[0] == "-" {
		return ""
	}
	return tags[0]
}

func omitEmpty(m *types.Member) bool {
	tag, _ := reflect.StructTag(m.Tags).Lookup("json")
	return strings.HasSuffix(tag, ",omitempty") || strings.Contains(tag, ",omitempty,")
}

func (d *definition) property(w *writer, m *types.Member, parent *types.Type, tags map[string][]string, name string) *node {
	validation := validationSchema(m.Type, m.CommentLines)
	for _, key := range patchTags {
		comment := ""
		if vs := tags[key]; len(vs) > 1 {
			unsupported("member %s: multiple %s tags", m.Name, key)
		} else if len(vs) == 1 {
			comment = vs[0]
		}
		if reflect.StructTag(m.Tags).Get(key) != comment {
			unsupported("member %s: %s differs between struct tag and comment", m.Name, key)
		}
	}
	checkLiteral(name)
	var kids []*node
	if ext := w.extensions(tags, nil); ext != nil {
		kids = append(kids, ext)
	}
	comments := m.CommentLines
	enum := w.enumOf(m.Type)
	if enum != nil {
		comments = append(append([]string(nil), comments...), enum.descriptionLines()...)
	}
	props := w.description(comments)
	if jt := jsonTags(m); len(jt) > 1 && jt[1] == "string" {
		props = append(props, simple("string", "")...)
	} else {
		props = append(props, w.defaultValue(m, parent)...)
		props = append(props, w.validations(validation)...)
		t := resolveAliasAndPointer(m.Type)
		if typ, format := common.OpenAPITypeFormat(t.String()); typ != "" {
			props = append(props, simple(typ, format)...)
			if enum != nil {
				props = append(props, enum.values())
			}
		} else {
			switch t.Kind {
			case types.Map:
				props = append(props, d.mapProperty(w, t)...)
			case types.Slice, types.Array:
				props = append(props, d.sliceProperty(w, t)...)
			case types.Struct:
				props = append(props, d.reference(w, t))
			case types.Interface:
			default:
				unsupported("member %s of kind %s", m.Name, t.Kind)
			}
		}
	}
	if len(props) == 0 {
		unsupported("member %s: empty schema properties", m.Name)
	}
	kids = append(kids, &node{key: "SchemaProps", open: "spec.SchemaProps{", kids: props, close: "}"})
	return &node{key: `"` + name + `"`, open: "{", kids: kids, close: "}"}
}

func simple(typ, format string) []*node {
	return []*node{{key: "Type", value: `[]string{"` + typ + `"}`}, {key: "Format", value: `"` + format + `"`}}
}

func resolveAliasAndPointer(t *types.Type) *types.Type {
	for {
		switch t.Kind {
		case types.Alias:
			t = t.Underlying
		case types.Pointer:
			t = t.Elem
		default:
			return t
		}
	}
}

func (d *definition) reference(w *writer, t *types.Type) *node {
	d.refs[t.Name.String()] = t
	if w.modelNamed(t) {
		return &node{key: "Ref", value: "ref(" + w.rawName(t) + "{}.OpenAPIModelName())"}
	}
	checkLiteral(t.Name.String())
	return &node{key: "Ref", value: `ref("` + t.Name.String() + `")`}
}

// element is the schema of a map's or slice's elements.
func (d *definition) element(w *writer, elem *types.Type) []*node {
	t := resolveAliasAndPointer(elem)
	var props []*node
	if typ, format := common.OpenAPITypeFormat(t.String()); typ != "" {
		props = simple(typ, format)
		if enum := w.enumOf(elem); enum != nil {
			props = append(props, enum.values())
		}
	} else {
		switch t.Kind {
		case types.Struct:
			props = []*node{d.reference(w, t)}
		case types.Slice, types.Array:
			props = d.sliceProperty(w, t)
		case types.Map:
			props = d.mapProperty(w, t)
		default:
			unsupported("element kind %s", t.Kind)
		}
	}
	return []*node{{key: "SchemaProps", open: "spec.SchemaProps{", kids: props, close: "}"}}
}

func (d *definition) mapProperty(w *writer, t *types.Type) []*node {
	if resolveAliasAndPointer(t.Key).Name.Name != "string" {
		unsupported("map with non-string keys")
	}
	schema := &node{key: "Schema", open: "&spec.Schema{", kids: d.element(w, t.Elem), close: "}"}
	return []*node{
		{key: "Type", value: `[]string{"object"}`},
		{key: "AdditionalProperties", open: "&spec.SchemaOrBool{", kids: []*node{{key: "Allows", value: "true"}, schema}, close: "}"},
	}
}

func (d *definition) sliceProperty(w *writer, t *types.Type) []*node {
	schema := &node{key: "Schema", open: "&spec.Schema{", kids: d.element(w, t.Elem), close: "}"}
	return []*node{
		{key: "Type", value: `[]string{"array"}`},
		{key: "Items", open: "&spec.SchemaOrArray{", kids: []*node{schema}, close: "}"},
	}
}

// description is openapi-gen's description of a type or field: its doc
// comment up to a "---" line, without TODO lines and tags, lines joined
// by spaces, paragraphs kept, indented lines on their own.
func (w *writer) description(lines []string) []*node {
	var b strings.Builder
	dropLast := func() {
		if b.Len() > 0 {
			s := b.String()
			b.Reset()
			b.WriteString(s[:len(s)-1])
		}
	}
	for _, line := range lines {
		if line == "---" {
			break
		}
		line = strings.TrimRight(line, " ")
		leading := strings.TrimLeft(line, " ")
		switch {
		case line == "":
			dropLast()
			b.WriteString("\n\n")
		case strings.HasPrefix(leading, "TODO"), strings.HasPrefix(leading, "+"):
		case strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t"):
			dropLast()
			b.WriteString("\n" + line + "\n")
		default:
			b.WriteString(line + " ")
		}
	}
	doc := strings.TrimSpace(b.String())
	if doc == "" {
		return nil
	}
	return []*node{{key: "Description", value: fmt.Sprintf("%#v", doc)}}
}

// validationSchema is openapi-gen's reading of the +k8s:validation tags
// in comments (of a field or type of type t): the value validations it
// writes, in its order; none when there are no such tags.
func validationSchema(t *types.Type, comments []string) []validation {
	has := false
	for _, line := range comments {
		if strings.HasPrefix(strings.Trim(line, " "), validationMark) {
			has = true
			break
		}
	}
	if !has {
		return nil
	}
	s, err := generators.ParseCommentTags(t, comments, validationMark)
	if err != nil {
		unsupported("%v", err)
	}
	if len(s.AllOf) > 0 {
		unsupported("+k8s:validation tags of items, properties or additionalProperties")
	}
	if len(s.Extensions) > 0 {
		unsupported("+k8s:validation tags making extensions")
	}
	var out []validation
	p := &s.SchemaProps
	float := func(key string, x *float64) {
		if x != nil {
			out = append(out, validation{key: key, ptrTo: "float64", value: fmt.Sprint(*x)})
		}
	}
	integer := func(key string, x *int64) {
		if x != nil {
			out = append(out, validation{key: key, ptrTo: "int64", value: fmt.Sprint(*x)})
		}
	}
	flag := func(key string, x bool) {
		if x {
			out = append(out, validation{key: key, value: "true"})
		}
	}
	float("Minimum", p.Minimum)
	float("Maximum", p.Maximum)
	flag("ExclusiveMinimum", p.ExclusiveMinimum)
	flag("ExclusiveMaximum", p.ExclusiveMaximum)
	integer("MinLength", p.MinLength)
	integer("MaxLength", p.MaxLength)
	integer("MinProperties", p.MinProperties)
	integer("MaxProperties", p.MaxProperties)
	if p.Pattern != "" {
		b, err := json.Marshal(p.Pattern)
		if err != nil {
			unsupported("pattern: %v", err)
		}
		out = append(out, validation{key: "Pattern", value: string(b)})
	}
	float("MultipleOf", p.MultipleOf)
	integer("MinItems", p.MinItems)
	integer("MaxItems", p.MaxItems)
	flag("UniqueItems", p.UniqueItems)
	return out
}

// validation is one value validation: the SchemaProps field, its value,
// and for a pointer the type argument of the ptr.To making it.
type validation struct {
	key, ptrTo, value string
}

func (w *writer) validations(vs []validation) []*node {
	var out []*node
	for _, v := range vs {
		value := v.value
		if v.ptrTo != "" {
			value = w.rawRef(ptrPkg, "To") + "[" + v.ptrTo + "](" + value + ")"
		}
		out = append(out, &node{key: v.key, value: value})
	}
	return out
}

// defaultValue is the Default of a property: its +default tag (or its
// type's), or the zero value openapi-gen enforces.
func (w *writer) defaultValue(m *types.Member, parent *types.Type) []*node {
	value, ref, err := openapischema.DefaultMarker(m.CommentLines, parent.Name.Package, m.Type)
	if err != nil {
		unsupported("member %s: %v", m.Name, err)
	}
	enforced, err := openapischema.EnforcedDefault(m.Type, omitEmpty(m))
	if err != nil {
		unsupported("member %s: %v", m.Name, err)
	}
	if enforced != nil {
		if value == nil {
			value = enforced
		} else if !reflect.DeepEqual(value, enforced) {
			unsupported("member %s: default %#v differs from the enforced zero value", m.Name, value)
		}
	}
	switch {
	case value != nil:
		return []*node{{key: "Default", value: goValue(value)}}
	case ref != nil:
		return []*node{{key: "Default", value: w.rawName(&types.Type{Name: *ref})}}
	}
	return nil
}

// goValue is a default as openapi-gen writes it (%#v), formatted by gofmt;
// values whose formatting this does not know are unsupported.
func goValue(v any) string {
	switch x := v.(type) {
	case string, bool, float64, float32, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return fmt.Sprintf("%#v", x)
	case map[string]any:
		if len(x) == 0 {
			return "map[string]interface{}{}"
		}
	case []any:
		if len(x) == 0 {
			return "[]interface{}{}"
		}
	}
	unsupported("default value %#v", v)
	return ""
}

// typeExtensions is the VendorExtensible of a type's schema, if any.
func (w *writer) typeExtensions(t *types.Type) []*node {
	if ext := w.extensions(gengo.ExtractCommentTags("+", t.CommentLines), unionsOf(t)); ext != nil {
		return []*node{ext}
	}
	return nil
}

// union is a union openapi-gen describes in x-kubernetes-unions.
type union struct {
	discriminator string
	fields        map[string]string
}

func (u *union) add(jsonName, field string) {
	if _, dup := u.fields[jsonName]; dup {
		// openapi-gen panics.
		unsupported("union field %s found twice", jsonName)
	}
	u.fields[jsonName] = field
}

func (u *union) node() *node {
	var kids []*node
	if u.discriminator != "" {
		checkLiteral(u.discriminator)
		kids = append(kids, &node{key: `"discriminator"`, value: `"` + u.discriminator + `"`})
	}
	names := make([]string, 0, len(u.fields))
	for n := range u.fields {
		names = append(names, n)
	}
	sort.Strings(names)
	var fields []*node
	for _, n := range names {
		checkLiteral(n)
		checkLiteral(u.fields[n])
		fields = append(fields, &node{key: `"` + n + `"`, value: `"` + u.fields[n] + `"`})
	}
	kids = append(kids, &node{key: `"fields-to-discriminateBy"`, open: "map[string]interface{}{", kids: fields, close: "}"})
	return &node{open: "map[string]interface{}{", kids: kids, close: "}"}
}

// unionsOf finds t's unions as openapi-gen does: t itself tagged +union,
// the unions of its inlined members, and members tagged
// +unionDeprecated (with a +unionDiscriminator). Its complaints about
// them it only logs, and so does this.
func unionsOf(t *types.Type) []*union {
	var out []*union
	tags := gengo.ExtractCommentTags("+", t.CommentLines)
	if tags["union"] != nil {
		u := &union{fields: map[string]string{}}
		for i := range t.Members {
			m := &t.Members[i]
			name := referableName(m)
			if name == "" || inlined(m) {
				continue
			}
			mt := gengo.ExtractCommentTags("+", m.CommentLines)
			if mt["unionDeprecated"] != nil {
				continue
			}
			if mt["unionDiscriminator"] != nil {
				u.discriminator = name
			} else {
				u.add(name, m.Name)
			}
		}
		out = append(out, u)
	}
	for i := range t.Members {
		m := &t.Members[i]
		if slices.Contains(gengo.ExtractCommentTags("+", m.CommentLines)[tagOpenAPI], "false") || !inlined(m) {
			continue
		}
		out = append(out, unionsOf(m.Type)...)
	}
	u := &union{fields: map[string]string{}}
	for i := range t.Members {
		m := &t.Members[i]
		name := referableName(m)
		if name == "" || inlined(m) {
			continue
		}
		mt := gengo.ExtractCommentTags("+", m.CommentLines)
		if mt["unionDiscriminator"] != nil {
			u.discriminator = name
		}
		if mt["union"] != nil {
			continue
		}
		if mt["unionDeprecated"] != nil {
			u.add(name, m.Name)
		}
	}
	if len(u.fields) > 0 {
		out = append(out, u)
	}
	return out
}

// extensions is the VendorExtensible of the comments' tags, if any.
func (w *writer) extensions(tags map[string][]string, unions []*union) *node {
	var list []*node
	for _, val := range tags[tagOpenAPI] {
		if !strings.HasPrefix(val, extensionPrefix) {
			continue
		}
		name, value, ok := strings.Cut(val, ":")
		if !ok {
			continue
		}
		list = append(list, extension(name, []string{value}, false))
	}
	keys := make([]string, 0, len(tags))
	for k := range tags {
		if _, ok := idlExtensions[k]; ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		x := idlExtensions[k]
		list = append(list, extension(x.name, tags[k], x.array))
	}
	if len(unions) > 0 {
		var us []*node
		for _, u := range unions {
			us = append(us, u.node())
		}
		list = append(list, &node{key: `"x-kubernetes-unions"`, open: "[]interface{}{", kids: us, close: "}"})
	}
	if len(list) == 0 {
		return nil
	}
	inner := &node{key: "Extensions", open: "spec.Extensions{", kids: list, close: "}"}
	return &node{key: "VendorExtensible", open: "spec.VendorExtensible{", kids: []*node{inner}, close: "}"}
}

func extension(name string, values []string, array bool) *node {
	checkLiteral(name)
	for _, v := range values {
		checkLiteral(v)
	}
	if len(values) == 0 {
		unsupported("extension %s without a value", name)
	}
	if len(values) > 1 || array {
		var kids []*node
		for _, v := range values {
			kids = append(kids, &node{value: `"` + v + `"`})
		}
		return &node{key: `"` + name + `"`, open: "[]interface{}{", kids: kids, close: "}"}
	}
	return &node{key: `"` + name + `"`, value: `"` + values[0] + `"`}
}

// enumType is a string type tagged +enum, with its constants' values.
type enumType struct {
	vals []enumValue
}

type enumValue struct {
	name, value, comment string
}

// findEnums finds the enum types of the universe and their values, as
// openapi-gen does: a constant of the type adds its value once, the
// longest comment (then the greatest) winning.
func findEnums(u types.Universe) map[types.Name]*enumType {
	str := u.Type(types.Name{Name: "string"})
	enums := map[types.Name]*enumType{}
	for _, p := range u {
		for _, t := range p.Types {
			if t.Kind == types.Alias && t.Underlying == str && gengo.ExtractCommentTags("+", t.CommentLines)[tagEnum] != nil {
				if enums[t.Name] == nil {
					enums[t.Name] = &enumType{}
				}
			}
		}
	}
	if len(enums) == 0 {
		return enums
	}
	for _, p := range u {
		for _, c := range p.Constants {
			if c.Underlying == nil {
				// openapi-gen fails on it.
				unsupported("constant %v without a type", c.Name)
			}
			e := enums[c.Underlying.Name]
			if e == nil {
				continue
			}
			if c.ConstValue == nil {
				unsupported("enum constant %v without a value", c.Name)
			}
			v := enumValue{name: c.Name.Name, value: *c.ConstValue, comment: strings.Join(c.CommentLines, " ")}
			found := false
			for i, old := range e.vals {
				if old.value == v.value {
					if len(old.comment) < len(v.comment) || (len(old.comment) == len(v.comment) && old.comment > v.comment) {
						e.vals[i] = v
					}
					found = true
					break
				}
			}
			if !found {
				e.vals = append(e.vals, v)
			}
		}
	}
	return enums
}

func (w *writer) enumOf(t *types.Type) *enumType {
	if t.Kind == types.Pointer {
		t = t.Elem
	}
	return w.enums[t.Name]
}

var spaces = regexp.MustCompile(`\s+`)

func (e *enumType) descriptionLines() []string {
	if len(e.vals) == 0 {
		return nil
	}
	var lines []string
	for _, v := range e.vals {
		c := strings.TrimSpace(v.comment)
		c = strings.TrimSpace(strings.TrimPrefix(c, v.name))
		c = spaces.ReplaceAllString(c, " ")
		lines = append(lines, fmt.Sprintf(" - `%q` %s", v.value, c))
	}
	sort.Strings(lines)
	return append([]string{"", "Possible enum values:"}, lines...)
}

func (e *enumType) values() *node {
	var vs []string
	for _, v := range e.vals {
		vs = append(vs, fmt.Sprintf("%q", v.value))
	}
	sort.Strings(vs)
	return &node{key: "Enum", value: "[]interface{}{" + strings.Join(vs, ", ") + "}"}
}

// node is one element of a composite literal: key (empty for none) and
// either a single-line value, or a multi-line one: open (up to the
// brace), the elements, close; or open and all elements on one line
// ending the literal (tail).
type node struct {
	key, value  string
	open, close string
	kids        []*node
	tail        string
}

func (n *node) single() bool { return n.value != "" }

// writeList writes the elements of a composite literal, one a line, at
// depth tabs, as gofmt lays them out: the values of consecutive
// single-line key-value elements aligned in a column, a section ending
// at a multi-line element or where a key's length departs too far from
// the ones before (go/printer's exprList).
func writeList(b *strings.Builder, depth int, list []*node) {
	if len(list) == 0 {
		unsupported("empty composite literal")
	}
	indent := strings.Repeat("\t", depth)
	// sizes: the key's length for a single-line pair, the element's for
	// another single-line element, 0 for a multi-line one.
	sizes := make([]int, len(list))
	for i, n := range list {
		switch {
		case !n.single():
		case n.key != "":
			sizes[i] = utf8.RuneCountInString(n.key)
		default:
			sizes[i] = utf8.RuneCountInString(n.value)
		}
	}
	// Section starts: where the line break before an element is a
	// formfeed.
	start := make([]bool, len(list))
	lnsum, count := 0.0, 0
	for i := range list {
		size := sizes[i]
		if i == 0 {
			start[i] = true
		} else {
			prev := sizes[i-1]
			ff := true
			if prev > 0 && size > 0 {
				if count == 0 || prev <= 40 && size <= 40 {
					ff = false
				} else {
					ratio := float64(size) / math.Exp(lnsum/float64(count))
					ff = 2.5*ratio <= 1 || 2.5 <= ratio
				}
			}
			start[i] = ff
		}
		if size > 0 {
			lnsum += math.Log(float64(size))
			count++
		}
	}
	for i := 0; i < len(list); {
		j := i + 1
		for j < len(list) && !start[j] {
			j++
		}
		width := 0
		for _, n := range list[i:j] {
			if n.single() && n.key != "" {
				width = max(width, utf8.RuneCountInString(n.key)+1)
			}
		}
		for _, n := range list[i:j] {
			b.WriteString(indent)
			switch {
			case n.single() && n.key != "":
				b.WriteString(n.key)
				b.WriteString(":")
				b.WriteString(strings.Repeat(" ", width-utf8.RuneCountInString(n.key)))
				b.WriteString(n.value)
				b.WriteString(",\n")
			case n.single():
				b.WriteString(n.value + ",\n")
			default:
				if n.key != "" {
					b.WriteString(n.key + ": ")
				}
				b.WriteString(n.open + "\n")
				if n.tail != "" {
					b.WriteString(indent + "\t" + n.tail + ",\n")
					continue
				}
				writeList(b, depth+1, n.kids)
				b.WriteString(indent + n.close + ",\n")
			}
		}
		i = j
	}
}
