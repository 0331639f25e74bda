package crdschema

import (
	"reflect"
	"slices"
	"strings"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"

	"github.com/aggen-dev/aggen/generators/model"
)

// Flattening turns the per-type schemas, which refer to each other, into
// one self-contained schema per kind, as a CRD needs it. It follows
// controller-gen's rules exactly, since they decide how a field's markers
// and its type's markers combine: a reference is replaced by the type's
// flattened schema joined (allOf) with what the field adds, and allOf
// branches are then merged into their parent, keeping both values of a
// constraint set on both sides in allOf, where both are enforced.

// flattened returns the flattened schema of a named type; references
// inside it are resolved, allOf branches are not merged yet.
func (b *builder) flattened(t *model.Type) *apiextensionsv1.JSONSchemaProps {
	id := model.TypeID(t.Package, t.Name)
	if s, ok := b.flat[id]; ok {
		return s
	}
	// A type that reaches itself sees itself as empty there.
	b.flat[id] = &apiextensionsv1.JSONSchemaProps{}
	s := b.schemaOf(t).DeepCopy()
	b.resolveRefs(s)
	b.flat[id] = s
	if b.flattenedHook != nil {
		b.flattenedHook(s)
	}
	return s
}

// resolveRefs replaces every reference in s by the flattened schema of
// the type it names.
func (b *builder) resolveRefs(s *apiextensionsv1.JSONSchemaProps) {
	if s.Ref != nil && *s.Ref != "" {
		t := b.refType(*s.Ref)
		if t == nil {
			return
		}
		field := *s
		// The type's flattened schema is shared, not copied: nothing
		// changes a flattened schema once it is made (final and
		// flattenEmbedded work on copies of what they change), and
		// preserveFields changes only this node's own fields.
		*s = *b.flattened(t)
		preserveFields(s, field)
		return
	}
	eachChild(s, b.resolveRefs)
}

// refType is the type a "#/definitions/<pkg>~0<Name>" reference names.
func (b *builder) refType(ref string) *model.Type {
	name := strings.TrimPrefix(ref, refPrefix)
	name = strings.ReplaceAll(name, "~1", "/")
	pkg, typ, ok := strings.Cut(name, "~0")
	if !ok {
		return nil
	}
	return b.p.LookupType(pkg, typ)
}

// preserveFields joins a type's flattened schema dst with what a field
// that refers to it adds (src): the field's constraints go in allOf beside
// the type's, and the field's documentation wins over the type's.
func preserveFields(dst *apiextensionsv1.JSONSchemaProps, src apiextensionsv1.JSONSchemaProps) {
	desc, title, docs, example := src.Description, src.Title, src.ExternalDocs, src.Example
	src.Description, src.Title, src.ExternalDocs, src.Example = "", "", nil, nil
	src.Ref = nil
	if len(dst.AllOf) == 0 && reflect.ValueOf(src).IsZero() {
		// The field adds nothing but documentation, the common case.
		// Flattening would merge the type's schema into a node that holds
		// only documentation, which leaves the schema as it is but for its
		// required list, sorted and compacted (mergeInto): done here, and
		// there is no allOf to merge.
		if len(dst.Required) > 0 {
			// A new list: dst's is the type's, shared.
			dst.Required = slices.Compact(slices.Sorted(slices.Values(dst.Required)))
		}
	} else {
		*dst = apiextensionsv1.JSONSchemaProps{
			AllOf:        []apiextensionsv1.JSONSchemaProps{*dst, src},
			Description:  dst.Description,
			Title:        dst.Title,
			ExternalDocs: dst.ExternalDocs,
			Example:      dst.Example,
		}
	}
	if desc != "" {
		dst.Description = desc
	}
	if title != "" {
		dst.Title = title
	}
	if docs != nil {
		dst.ExternalDocs = docs
	}
	if example != nil {
		dst.Example = example
	}
}

// eachChild calls fn on every sub-schema of s, in place. fn must not keep
// its argument: a property's is a copy that eachChild stores back.
func eachChild(s *apiextensionsv1.JSONSchemaProps, fn func(*apiextensionsv1.JSONSchemaProps)) {
	if s.Items != nil {
		if s.Items.Schema != nil {
			fn(s.Items.Schema)
		}
		for i := range s.Items.JSONSchemas {
			fn(&s.Items.JSONSchemas[i])
		}
	}
	for _, list := range [][]apiextensionsv1.JSONSchemaProps{s.AllOf, s.OneOf, s.AnyOf} {
		for i := range list {
			fn(&list[i])
		}
	}
	if s.Not != nil {
		fn(s.Not)
	}
	// One copy serves every entry of the maps: a loop variable whose
	// address fn is given would be a new allocation per property.
	var child *apiextensionsv1.JSONSchemaProps
	for _, m := range []map[string]apiextensionsv1.JSONSchemaProps{s.Properties, s.PatternProperties, s.Definitions} {
		for k := range m {
			if child == nil {
				child = new(apiextensionsv1.JSONSchemaProps)
			}
			*child = m[k]
			fn(child)
			m[k] = *child
		}
	}
	if s.AdditionalProperties != nil && s.AdditionalProperties.Schema != nil {
		fn(s.AdditionalProperties.Schema)
	}
	if s.AdditionalItems != nil && s.AdditionalItems.Schema != nil {
		fn(s.AdditionalItems.Schema)
	}
	for k, dep := range s.Dependencies {
		if dep.Schema != nil {
			fn(dep.Schema)
		}
		s.Dependencies[k] = dep
	}
}

// flattenEmbedded merges every allOf branch into its parent, throughout.
func flattenEmbedded(s *apiextensionsv1.JSONSchemaProps) *apiextensionsv1.JSONSchemaProps {
	var walk func(*apiextensionsv1.JSONSchemaProps)
	walk = func(n *apiextensionsv1.JSONSchemaProps) {
		branches := n.AllOf
		n.AllOf = nil
		for _, br := range branches {
			mergeInto(n, br)
		}
		eachChild(n, walk)
	}
	walk(s)
	return s
}

// mergeInto merges src (and its own allOf branches, first) into dst. A
// keyword set on one side is taken; one set on both with equal values is
// kept once; properties merge recursively, required lists and CEL rules
// add up, list and map types are taken from src; any other keyword set on
// both sides differently moves into dst's allOf, both values, where both
// constraints hold.
func mergeInto(dst *apiextensionsv1.JSONSchemaProps, src apiextensionsv1.JSONSchemaProps) {
	for _, br := range src.AllOf {
		mergeInto(dst, br)
	}
	dv := reflect.ValueOf(dst).Elem()
	sv := reflect.ValueOf(src)
	// rest holds, once a keyword conflicts, both sides' values of the
	// conflicting keywords; most merges have none and allocate nothing.
	var rest *[2]apiextensionsv1.JSONSchemaProps
	var drv, srv reflect.Value
	hoist := func() {
		if rest == nil {
			rest = new([2]apiextensionsv1.JSONSchemaProps)
			drv, srv = reflect.ValueOf(&rest[0]).Elem(), reflect.ValueOf(&rest[1]).Elem()
		}
	}
	for i := 0; i < sv.NumField(); i++ {
		name := sv.Type().Field(i).Name
		switch name {
		case "AllOf":
			continue
		case "Title", "Description", "Example", "ExternalDocs":
			// Documentation was settled when references were resolved.
			continue
		case "Enum":
			// A field's enum survives a type that has none (IntOrString
			// fields with an enum of strings).
			if len(src.Enum) > 0 && len(dst.Enum) == 0 {
				dst.Enum = slices.Clone(src.Enum)
			}
			continue
		}
		sf, df := sv.Field(i), dv.Field(i)
		if isZero(sf) {
			continue
		}
		if isZero(df) {
			df.Set(sf)
			continue
		}
		if sf.Type().Comparable() && sf.Interface() == df.Interface() {
			continue
		}
		switch name {
		case "Properties":
			dm := df.Interface().(map[string]apiextensionsv1.JSONSchemaProps)
			for k, v := range src.Properties {
				existing, ok := dm[k]
				if !ok {
					dm[k] = v
					continue
				}
				mergeInto(&existing, v)
				dm[k] = existing
			}
		case "Required":
			df.Set(reflect.AppendSlice(df, sf))
		case "MinProperties", "MaxProperties":
			if *sf.Interface().(*int64) == *df.Interface().(*int64) {
				continue
			}
			hoist()
			srv.Field(i).Set(sf)
			drv.Field(i).Set(df)
			df.Set(reflect.Zero(df.Type()))
		case "Type":
			// Conflicting types cannot both hold; the destination's stays,
			// as controller-gen keeps it.
		case "AdditionalProperties":
			if src.AdditionalProperties.Schema == nil {
				continue
			}
			if dst.AdditionalProperties.Schema == nil {
				dst.AdditionalProperties.Schema = &apiextensionsv1.JSONSchemaProps{}
			}
			mergeInto(dst.AdditionalProperties.Schema, *src.AdditionalProperties.Schema)
		case "XPreserveUnknownFields", "XMapType", "XListType", "XListMapKeys":
			df.Set(sf)
		case "XValidations":
			df.Set(reflect.AppendSlice(sf, df))
		default:
			hoist()
			srv.Field(i).Set(sf)
			drv.Field(i).Set(df)
			df.Set(reflect.Zero(df.Type()))
		}
	}
	if rest != nil {
		dst.AllOf = append(dst.AllOf, rest[0], rest[1])
	}
	if len(dst.Required) > 0 {
		slices.Sort(dst.Required)
		dst.Required = slices.Compact(dst.Required)
	}
}

func isZero(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Chan, reflect.Func, reflect.Interface, reflect.Map, reflect.Pointer, reflect.Slice:
		return v.IsNil()
	}
	return v.IsZero()
}
