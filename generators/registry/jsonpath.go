package registry

import (
	"fmt"
	"strings"

	"github.com/aggen-dev/aggen/generators/model"
)

// Step is one field on a resolved path, with the type it is declared in.
type Step struct {
	Field *model.Field
}

// ResolveJSONPath follows a simple JSONPath such as ".spec.replicas" from
// the root type through the JSON names of the fields of v, entering inline
// (embedded) structs of the same package. It returns the fields passed,
// outermost first.
func ResolveJSONPath(v *model.Version, root *model.Type, jsonPath string) ([]*model.Field, error) {
	p := strings.TrimPrefix(strings.TrimSpace(jsonPath), ".")
	if p == "" {
		return nil, fmt.Errorf("empty JSONPath")
	}
	var out []*model.Field
	t := root
	segs := strings.Split(p, ".")
	for i, seg := range segs {
		if t == nil {
			return nil, fmt.Errorf("%q: %s is not a struct of package %s", jsonPath, strings.Join(segs[:i], "."), v.Name)
		}
		f := findJSONField(v, t, seg, 0)
		if f == nil {
			return nil, fmt.Errorf("%q: type %s has no field with JSON name %q", jsonPath, t.Name, seg)
		}
		out = append(out, f...)
		last := f[len(f)-1]
		t = localStruct(v, last.Type)
	}
	return out, nil
}

// findJSONField finds the field named name in t, looking through inline
// local structs; the result is the path of fields to it.
func findJSONField(v *model.Version, t *model.Type, name string, depth int) []*model.Field {
	if depth > 8 {
		return nil
	}
	for _, f := range t.Fields {
		if f.JSONName == name && !f.Inline {
			return []*model.Field{f}
		}
	}
	for _, f := range t.Fields {
		if f.Inline || (f.Embedded && f.JSONName == "") {
			if it := localStruct(v, f.Type); it != nil {
				if sub := findJSONField(v, it, name, depth+1); sub != nil {
					return append([]*model.Field{f}, sub...)
				}
			}
		}
	}
	return nil
}

// localStruct returns the struct type of the package that ft names, directly
// or through one pointer.
func localStruct(v *model.Version, ft model.FieldType) *model.Type {
	name := ft.Local
	if ft.Pointer && ft.Elem != nil {
		name = ft.Elem.Local
	}
	if name == "" {
		return nil
	}
	t := v.Type(name)
	if t == nil || t.Kind != model.StructType {
		return nil
	}
	return t
}

// jsonSegments splits ".spec.replicas" into ["spec", "replicas"].
func jsonSegments(jsonPath string) []string {
	return strings.Split(strings.TrimPrefix(strings.TrimSpace(jsonPath), "."), ".")
}
