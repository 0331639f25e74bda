package crdschema

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	crdmarkers "sigs.k8s.io/controller-tools/pkg/crd/markers"

	"github.com/aggen-dev/aggen/generators/model"
)

// Errors are all the problems of one build, in the order found.
type Errors []error

func (e Errors) Error() string {
	msgs := make([]string, len(e))
	for i, err := range e {
		msgs[i] = err.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap lets errors.As find the errors inside.
func (e Errors) Unwrap() []error { return e }

const (
	metav1       = "k8s.io/apimachinery/pkg/apis/meta/v1"
	itemsPrefix  = "kubebuilder:validation:items:"
	schemaless   = "kubebuilder:validation:Schemaless"
	packageOpt   = "kubebuilder:validation:Optional"
	arrayType    = "array"
	objectType   = "object"
	stringType   = "string"
	refPrefix    = "#/definitions/"
	quantityExpr = "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$"
)

// knownSchemas are the types whose JSON form is not what their Go
// structure says (custom marshalling) or that controller-gen deliberately
// keeps opaque; they get these schemas, as controller-gen gives them.
func knownSchema(id string) (apiextensionsv1.JSONSchemaProps, bool) {
	yes := true
	intOrString := []apiextensionsv1.JSONSchemaProps{{Type: "integer"}, {Type: stringType}}
	switch id {
	case metav1 + ".ObjectMeta":
		return apiextensionsv1.JSONSchemaProps{Type: objectType}, true
	case metav1 + ".Time", metav1 + ".MicroTime":
		return apiextensionsv1.JSONSchemaProps{Type: stringType, Format: "date-time"}, true
	case metav1 + ".Duration":
		return apiextensionsv1.JSONSchemaProps{Type: stringType}, true
	case metav1 + ".Fields":
		return apiextensionsv1.JSONSchemaProps{Type: objectType, AdditionalProperties: &apiextensionsv1.JSONSchemaPropsOrBool{Allows: true}}, true
	case "k8s.io/apimachinery/pkg/api/resource.Quantity":
		return apiextensionsv1.JSONSchemaProps{XIntOrString: true, AnyOf: intOrString, Pattern: quantityExpr}, true
	case "k8s.io/apimachinery/pkg/runtime.RawExtension":
		return apiextensionsv1.JSONSchemaProps{Type: objectType, XPreserveUnknownFields: &yes}, true
	case "k8s.io/apimachinery/pkg/apis/meta/v1/unstructured.Unstructured":
		return apiextensionsv1.JSONSchemaProps{Type: objectType}, true
	case "k8s.io/apimachinery/pkg/util/intstr.IntOrString":
		return apiextensionsv1.JSONSchemaProps{XIntOrString: true, AnyOf: intOrString}, true
	case "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1.JSON",
		"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1beta1.JSON":
		return apiextensionsv1.JSONSchemaProps{XPreserveUnknownFields: &yes}, true
	}
	return apiextensionsv1.JSONSchemaProps{}, false
}

// Build gives every kind of every version its schema (model.Kind.Schema),
// built from the model as controller-gen builds a CRD's schema: the same
// structure, the same required fields, and every CRD marker applied by
// controller-tools' own definition of it.
//
// Where aggen differs, it accepts more: markers on a field whose type is a
// named string or number of another package (corev1.ConditionStatus)
// apply by that type's underlying kind, where controller-gen v0.23
// refuses the ones that check the type ("must apply pattern to a textual
// value, found type \"\"").
func Build(p *model.Project) error {
	return build(p, nil)
}

// build is Build, calling flattenedHook (when set) with each type's
// flattened schema as it is made.
func build(p *model.Project, flattenedHook func(*apiextensionsv1.JSONSchemaProps)) error {
	b := &builder{p: p, schemata: map[string]*apiextensionsv1.JSONSchemaProps{}, flat: map[string]*apiextensionsv1.JSONSchemaProps{}, flattenedHook: flattenedHook}
	for _, g := range p.Groups {
		for _, v := range g.Versions {
			for _, k := range v.Kinds {
				s := b.flattened(k.Type)
				if s == nil {
					continue
				}
				// The kind's type gets the whole flattened schema for the
				// API reference (see typeSchemas); the kind's own is a copy
				// of it without ObjectMeta's.
				full := final(s)
				if k.Type.Schema == nil && k.Type.Ref != nil {
					k.Type.Schema = full
				}
				out := withoutMetadata(full).DeepCopy()
				if _, ok := out.Properties["metadata"]; ok {
					out.Properties["metadata"] = apiextensionsv1.JSONSchemaProps{Type: objectType}
				}
				k.Schema = out
			}
		}
	}
	b.typeSchemas()
	if len(b.errs) > 0 {
		return b.errs
	}
	return nil
}

// withoutMetadata returns s, or a shallow copy of it whose metadata
// property is already the plain object a kind's schema ends up with, so
// that ObjectMeta's whole schema is not deep-copied for every kind only to
// be dropped. With allOf branches (constraints in conflict), s is
// returned as it is.
func withoutMetadata(s *apiextensionsv1.JSONSchemaProps) *apiextensionsv1.JSONSchemaProps {
	if len(s.AllOf) > 0 {
		return s
	}
	if _, ok := s.Properties["metadata"]; !ok {
		return s
	}
	out := *s
	out.Properties = make(map[string]apiextensionsv1.JSONSchemaProps, len(s.Properties))
	for name, p := range s.Properties {
		out.Properties[name] = p
	}
	out.Properties["metadata"] = apiextensionsv1.JSONSchemaProps{Type: objectType}
	return &out
}

// final returns a type's flattened schema with its allOf branches merged
// (as flattenEmbedded does), for reading only: every sub-schema without
// allOf is shared with s, which stays as it was and which nothing changes
// any more (it is only copied from).
func final(s *apiextensionsv1.JSONSchemaProps) *apiextensionsv1.JSONSchemaProps {
	if !hasAllOf(s) {
		return s
	}
	n := withFinalChildren(s)
	if len(s.AllOf) == 0 {
		return n
	}
	// The node's own branches merge into a copy of it whose properties
	// map and required list are its own. Merging changes children only
	// where a branch has a property the node has too, or both have
	// additional properties, or a branch has branches: then the node is
	// flattened whole, a copy, as flattenEmbedded does everything.
	for _, br := range s.AllOf {
		if len(br.AllOf) > 0 || (br.AdditionalProperties != nil && s.AdditionalProperties != nil) {
			return flattenEmbedded(s.DeepCopy())
		}
		for name := range br.Properties {
			if _, ok := s.Properties[name]; ok {
				return flattenEmbedded(s.DeepCopy())
			}
		}
	}
	n.Properties = maps.Clone(n.Properties)
	n.Required = slices.Clone(s.Required)
	n.AllOf = make([]apiextensionsv1.JSONSchemaProps, len(s.AllOf))
	for i := range s.AllOf {
		s.AllOf[i].DeepCopyInto(&n.AllOf[i])
	}
	return flattenEmbedded(n)
}

// withFinalChildren returns a shallow copy of s, without its allOf
// branches, whose sub-schemas are final: those without allOf shared with
// s, the others new (containers holding them are copied too).
func withFinalChildren(s *apiextensionsv1.JSONSchemaProps) *apiextensionsv1.JSONSchemaProps {
	n := *s
	n.AllOf = nil
	one := func(c *apiextensionsv1.JSONSchemaProps) *apiextensionsv1.JSONSchemaProps {
		if c == nil {
			return nil
		}
		return final(c)
	}
	list := func(l []apiextensionsv1.JSONSchemaProps) []apiextensionsv1.JSONSchemaProps {
		if l == nil {
			return nil
		}
		out := make([]apiextensionsv1.JSONSchemaProps, len(l))
		for i := range l {
			out[i] = *final(&l[i])
		}
		return out
	}
	byName := func(m map[string]apiextensionsv1.JSONSchemaProps) map[string]apiextensionsv1.JSONSchemaProps {
		if m == nil {
			return nil
		}
		out := make(map[string]apiextensionsv1.JSONSchemaProps, len(m))
		for k, v := range m {
			out[k] = *final(&v)
		}
		return out
	}
	if s.Items != nil {
		items := *s.Items
		items.Schema = one(items.Schema)
		items.JSONSchemas = list(items.JSONSchemas)
		n.Items = &items
	}
	n.OneOf, n.AnyOf = list(s.OneOf), list(s.AnyOf)
	n.Not = one(s.Not)
	n.Properties, n.PatternProperties, n.Definitions = byName(s.Properties), byName(s.PatternProperties), byName(s.Definitions)
	if s.AdditionalProperties != nil {
		ap := *s.AdditionalProperties
		ap.Schema = one(ap.Schema)
		n.AdditionalProperties = &ap
	}
	if s.AdditionalItems != nil {
		ai := *s.AdditionalItems
		ai.Schema = one(ai.Schema)
		n.AdditionalItems = &ai
	}
	if s.Dependencies != nil {
		n.Dependencies = make(apiextensionsv1.JSONSchemaDependencies, len(s.Dependencies))
		for k, d := range s.Dependencies {
			d.Schema = one(d.Schema)
			n.Dependencies[k] = d
		}
	}
	return &n
}

// hasAllOf reports whether s or any schema in it has allOf branches.
func hasAllOf(s *apiextensionsv1.JSONSchemaProps) bool {
	found := len(s.AllOf) > 0
	var walk func(*apiextensionsv1.JSONSchemaProps)
	walk = func(n *apiextensionsv1.JSONSchemaProps) {
		if found || len(n.AllOf) > 0 {
			found = true
			return
		}
		eachChild(n, walk)
	}
	if !found {
		eachChild(s, walk)
	}
	return found
}

// typeSchemas gives every type of the version packages, and every
// external type their fields refer to, its own schema (model.Type.Schema)
// for the API reference. A type that no kind reaches is never served, so
// what would be wrong in its schema stops nothing, as before.
func (b *builder) typeSchemas() {
	n := len(b.errs)
	defer func() { b.errs = b.errs[:n] }()
	set := func(t *model.Type) {
		if t.Schema != nil || t.Ref == nil {
			return
		}
		t.Schema = final(b.flattened(t))
	}
	for _, g := range b.p.Groups {
		for _, v := range g.Versions {
			for _, t := range v.Types {
				set(t)
				refs := []*model.TypeRef{t.Ref}
				for _, f := range t.Fields {
					refs = append(refs, f.Ref)
				}
				for _, r := range refs {
					if e := referredType(r); e != nil && e.External {
						set(e)
					}
				}
			}
		}
	}
}

// referredType is the named type a type expression is made of, through
// pointers, lists and map values, or nil.
func referredType(r *model.TypeRef) *model.Type {
	for range 64 {
		switch {
		case r == nil:
			return nil
		case r.Kind == model.NamedRef:
			return r.Named
		case r.Kind == model.PointerRef, r.Kind == model.SliceRef, r.Kind == model.ArrayRef, r.Kind == model.MapRef:
			r = r.Elem
		default:
			return nil
		}
	}
	return nil
}

type builder struct {
	p *model.Project
	// schemata are the types' schemas before flattening, with references
	// to other types; flat are the flattened ones.
	schemata map[string]*apiextensionsv1.JSONSchemaProps
	flat     map[string]*apiextensionsv1.JSONSchemaProps
	errs     Errors
	// flattenedHook lets tests watch the flattened schemas, which are
	// shared wherever their type is used and must never change.
	flattenedHook func(*apiextensionsv1.JSONSchemaProps)
}

func (b *builder) errorf(pos model.Position, format string, args ...any) {
	b.errs = append(b.errs, &model.Problem{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// info is what a schema is made for: a type declaration (typ is set), a
// field, or neither (the element of a list, the target of a pointer).
type info struct {
	typ     *model.Type
	doc     string
	markers []*model.Marker
	pos     model.Position
}

// schemaOf returns the unflattened schema of a named type.
func (b *builder) schemaOf(t *model.Type) *apiextensionsv1.JSONSchemaProps {
	id := model.TypeID(t.Package, t.Name)
	if s, ok := b.schemata[id]; ok {
		return s
	}
	if s, ok := knownSchema(id); ok {
		b.schemata[id] = &s
		return &s
	}
	// A recursive type sees itself as empty, as in controller-gen.
	b.schemata[id] = &apiextensionsv1.JSONSchemaProps{}
	s := b.declSchema(t)
	b.schemata[id] = s
	return s
}

// declSchema makes the schema of a type declaration.
func (b *builder) declSchema(t *model.Type) *apiextensionsv1.JSONSchemaProps {
	in := info{typ: t, doc: t.Description, markers: t.Parsed, pos: t.Pos}
	switch {
	case t.MarshalsJSON:
		// The marshaller could be doing anything: only markers can say
		// what the JSON is.
		s := &apiextensionsv1.JSONSchemaProps{}
		b.applyMarkers(in, s)
		if s.Type != "" {
			return s
		}
	case t.MarshalsText:
		s := &apiextensionsv1.JSONSchemaProps{Type: stringType}
		b.applyMarkers(in, s)
		if s.Type != stringType {
			b.errorf(t.Pos, "%q implements encoding.TextMarshaler but schema type is not string: %q", t.Name, s.Type)
		}
		return s
	}
	return b.typeSchema(t.Ref, in)
}

// typeSchema makes the schema of a type expression; in carries the doc
// and markers of the declaration or field it belongs to.
func (b *builder) typeSchema(r *model.TypeRef, in info) *apiextensionsv1.JSONSchemaProps {
	var s *apiextensionsv1.JSONSchemaProps
	switch r.Kind {
	case model.BasicRef:
		typ, format := basicType(r.Basic)
		if typ == "" {
			b.errorf(in.pos, "unsupported type %q", r.Basic)
		}
		s = &apiextensionsv1.JSONSchemaProps{Type: typ, Format: format}
	case model.NamedRef:
		s = b.namedSchema(r, in)
	case model.PointerRef:
		s = b.typeSchema(r.Elem, info{pos: in.pos})
	case model.SliceRef, model.ArrayRef:
		if r.Kind == model.SliceRef && r.Elem.Kind == model.BasicRef && r.Elem.Basic == "uint8" {
			// Byte slices are base64 strings in JSON.
			s = &apiextensionsv1.JSONSchemaProps{Type: stringType, Format: "byte"}
			break
		}
		items := b.typeSchema(r.Elem, info{pos: in.pos})
		s = &apiextensionsv1.JSONSchemaProps{Type: arrayType, Items: &apiextensionsv1.JSONSchemaPropsOrArray{Schema: items}}
	case model.MapRef:
		s = b.mapSchema(r, in)
	case model.StructRef:
		if in.typ == nil || in.typ.Ref != r {
			b.errorf(in.pos, "inline struct types are not supported, use a named type instead")
			s = &apiextensionsv1.JSONSchemaProps{}
			break
		}
		s = b.structSchema(in.typ)
	case model.InterfaceRef:
		b.errorf(in.pos, "interface type is not supported in CRD schemas; consider using an explicit type or apiextensionsv1.JSON instead")
		return &apiextensionsv1.JSONSchemaProps{}
	default:
		// A type error, reported by the type checker.
		return &apiextensionsv1.JSONSchemaProps{}
	}
	s.Description = in.doc
	b.applyMarkers(in, s)
	return s
}

// namedSchema refers to a named type. Lists and maps keep their type on
// the reference, so field markers such as +listType apply; so do named
// strings, numbers and booleans, so their field markers apply by kind.
func (b *builder) namedSchema(r *model.TypeRef, in info) *apiextensionsv1.JSONSchemaProps {
	if r.Named == nil {
		b.errorf(in.pos, "unknown type %s", r)
		return &apiextensionsv1.JSONSchemaProps{}
	}
	named := b.schemaOf(r.Named)
	link := refPrefix + strings.ReplaceAll(r.Package, "/", "~1") + "~0" + r.Name
	s := &apiextensionsv1.JSONSchemaProps{Ref: &link}
	switch u := r.Named.Ref.Underlying(); {
	case u == nil:
	case u.Kind == model.SliceRef:
		s.Type = arrayType
	case u.Kind == model.MapRef:
		s.Type = objectType
	case u.Kind == model.BasicRef:
		s.Type, s.Format = named.Type, named.Format
	}
	return s
}

func (b *builder) mapSchema(r *model.TypeRef, in info) *apiextensionsv1.JSONSchemaProps {
	key := r.Key
	keyText := key.Kind == model.NamedRef && key.Named != nil && key.Named.MarshalsText
	if u := key.Underlying(); !keyText && (u == nil || u.Kind != model.BasicRef || u.Basic != "string") {
		b.errorf(in.pos, "map keys must be strings or implement encoding.TextMarshaler, not %s", key)
		return &apiextensionsv1.JSONSchemaProps{}
	}
	switch r.Elem.Kind {
	case model.InterfaceRef:
		b.errorf(in.pos, "interface type is not supported as map value in CRD schemas; consider using an explicit type or apiextensionsv1.JSON instead")
		return &apiextensionsv1.JSONSchemaProps{}
	case model.StructRef:
		b.errorf(in.pos, "not a supported map value type: an inline struct")
		return &apiextensionsv1.JSONSchemaProps{}
	}
	val := b.typeSchema(r.Elem, info{pos: in.pos})
	return &apiextensionsv1.JSONSchemaProps{Type: objectType, AdditionalProperties: &apiextensionsv1.JSONSchemaPropsOrBool{Schema: val, Allows: true}}
}

// structSchema makes the schema of a struct type: its fields as
// properties, embedded and inline ones in allOf to be flattened later.
func (b *builder) structSchema(t *model.Type) *apiextensionsv1.JSONSchemaProps {
	s := &apiextensionsv1.JSONSchemaProps{Type: objectType, Properties: map[string]apiextensionsv1.JSONSchemaProps{}}
	oneOf := map[string]bool{}
	for _, m := range t.Parsed {
		var fields []string
		switch v := m.Value.(type) {
		case crdmarkers.ExactlyOneOf:
			fields = v
		case crdmarkers.AtMostOneOf:
			fields = v
		case crdmarkers.AtLeastOneOf:
			fields = v
		default:
			continue
		}
		for _, f := range fields {
			if strings.Contains(f, ".") {
				b.errorf(m.Pos, "marker %q cannot reference nested fields: %s", "+"+m.Name, f)
			}
			oneOf[f] = true
		}
	}
	optionalByDefault := model.Find(b.p.PackageMarkers[t.Package], packageOpt) != nil
	var immutable []string
	for _, f := range t.Fields {
		if f.Ref == nil || f.Ref.Kind == model.InvalidRef {
			// A type error, reported where it is.
			continue
		}
		if !f.HasJSON {
			b.errorf(f.Pos, "encountered struct field %q without JSON tag in type %q", f.GoName, t.Name)
			continue
		}
		opts := strings.Split(f.JSONTag, ",")
		if len(opts) == 1 && opts[0] == "-" {
			continue
		}
		inline, omitEmpty := false, false
		for _, o := range opts[1:] {
			switch o {
			case "inline":
				inline = true
			case "omitempty", "omitzero":
				omitEmpty = true
			}
		}
		name := opts[0]
		inline = inline || name == ""
		has := func(names ...string) bool {
			for _, n := range names {
				if model.Find(f.Parsed, n) != nil {
					return true
				}
			}
			return false
		}
		required := func(why string) bool {
			if oneOf[name] {
				b.errorf(f.Pos, "field %s is part of OneOf constraint and %s", name, why)
				return false
			}
			return true
		}
		switch {
		case has("kubebuilder:validation:Optional"):
		case has("kubebuilder:validation:Required"):
			if required("cannot be marked as required") {
				s.Required = append(s.Required, name)
			}
		case has("optional", "k8s:optional"):
		case has("required", "k8s:required"):
			if required("cannot be marked as required") {
				s.Required = append(s.Required, name)
			}
		case !optionalByDefault:
			if !inline && !omitEmpty && required("must have omitempty or omitzero tag") {
				s.Required = append(s.Required, name)
			}
		}
		var prop *apiextensionsv1.JSONSchemaProps
		if has(schemaless) {
			prop = &apiextensionsv1.JSONSchemaProps{}
		} else {
			prop = b.typeSchema(f.Ref, info{pos: f.Pos})
		}
		prop.Description = f.Description
		b.applyMarkers(info{doc: f.Description, markers: f.Parsed, pos: f.Pos}, prop)
		if inline {
			s.AllOf = append(s.AllOf, *prop)
			continue
		}
		if has("k8s:immutable") {
			immutable = append(immutable, name)
		}
		s.Properties[name] = *prop
	}
	sort.Strings(s.Required)
	for _, name := range immutable {
		if slices.Contains(s.Required, name) {
			continue
		}
		s.XValidations = append(s.XValidations, apiextensionsv1.ValidationRule{
			Rule:    fmt.Sprintf("!has(oldSelf.%s) || has(self.%s)", name, name),
			Message: fmt.Sprintf("field %s is immutable once set", name),
		})
	}
	return s
}

// schemaMarker is a CRD marker that edits the schema it is applied to.
type schemaMarker interface {
	ApplyToSchema(*crdmarkers.SchemaContext, *apiextensionsv1.JSONSchemaProps) error
}

// applyMarkers applies the CRD markers of a declaration or field in
// controller-gen's order: by priority (+kubebuilder:validation:Type and
// +listType first, defaults and CEL rules last), then as written; the
// item markers after all others, to the items' schema.
func (b *builder) applyMarkers(in info, s *apiextensionsv1.JSONSchemaProps) {
	var own, items []*model.Marker
	for _, m := range in.markers {
		if _, ok := m.Value.(schemaMarker); !ok {
			if _, enum := m.Value.(crdmarkers.K8sEnum); !enum {
				continue
			}
		}
		if strings.HasPrefix(m.Name, itemsPrefix) {
			items = append(items, m)
		} else {
			own = append(own, m)
		}
	}
	byPriority := func(ms []*model.Marker) {
		slices.SortStableFunc(ms, func(a, b *model.Marker) int { return int(priority(a) - priority(b)) })
	}
	byPriority(own)
	byPriority(items)
	for _, m := range own {
		if err := b.apply(in, m, s); err != nil {
			b.errorf(m.Pos, "marker %q: %v", "+"+m.Name, err)
		}
	}
	for _, m := range items {
		if s.Type != arrayType || s.Items == nil || s.Items.Schema == nil {
			b.errorf(m.Pos, "marker %q: must apply %s to an array value, found %s", "+"+m.Name, m.Name, describeType(s.Type))
			continue
		}
		if err := b.apply(in, m, s.Items.Schema); err != nil {
			b.errorf(m.Pos, "marker %q: %v", "+"+m.Name, err)
		}
	}
}

func (b *builder) apply(in info, m *model.Marker, s *apiextensionsv1.JSONSchemaProps) error {
	if _, ok := m.Value.(crdmarkers.K8sEnum); ok {
		return enumFromConstants(in.typ, s)
	}
	return m.Value.(schemaMarker).ApplyToSchema(&crdmarkers.SchemaContext{}, s)
}

// enumFromConstants is +k8s:enum: the schema's enum is the string
// constants of the type declared in its package.
func enumFromConstants(t *model.Type, s *apiextensionsv1.JSONSchemaProps) error {
	if t == nil {
		return fmt.Errorf("k8s:enum must be set on a type, not a field")
	}
	if u := t.Ref.Underlying(); u == nil || u.Kind != model.BasicRef || u.Basic != "string" {
		return fmt.Errorf("enum type must be a string, not %s", t.Ref)
	}
	var vals []apiextensionsv1.JSON
	for _, c := range t.Constants {
		str, ok := c.Value.(string)
		if !ok {
			continue
		}
		raw, err := json.Marshal(str)
		if err != nil {
			return err
		}
		vals = append(vals, apiextensionsv1.JSON{Raw: raw})
	}
	if len(vals) == 0 {
		return fmt.Errorf("no enum values found for type %s", t.Name)
	}
	slices.SortFunc(vals, func(a, b apiextensionsv1.JSON) int { return strings.Compare(string(a.Raw), string(b.Raw)) })
	s.Type = stringType
	s.Enum = vals
	return nil
}

func priority(m *model.Marker) crdmarkers.ApplyPriority {
	if p, ok := m.Value.(crdmarkers.ApplyPriorityMarker); ok {
		return p.ApplyPriority()
	}
	if _, ok := m.Value.(interface{ ApplyFirst() }); ok {
		return crdmarkers.ApplyPriorityFirst
	}
	return crdmarkers.ApplyPriorityDefault
}

func describeType(t string) string {
	if t == "" {
		return "no type"
	}
	return t
}

// basicType is the schema type and format of a Go basic type. Floats are
// numbers: aggen allows them, as controller-gen does with
// crd:allowDangerousTypes=true.
func basicType(basic string) (typ, format string) {
	switch basic {
	case "bool":
		return "boolean", ""
	case "string":
		return stringType, ""
	case "int32", "uint32":
		return "integer", "int32"
	case "int64", "uint64":
		return "integer", "int64"
	case "int", "int8", "int16", "uint", "uint8", "uint16", "uintptr":
		return "integer", ""
	case "float32", "float64":
		return "number", ""
	}
	return "", ""
}
