package registry

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apiextensionsvalidation "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation"

	"github.com/aggen-dev/aggen/generators/model"
)

// SchemaProblem is something in a kind's schema that kube-apiserver would
// refuse in a CRD: a default that does not match its field, a CEL rule that
// does not compile or costs more than a CRD may, a schema that is not
// structural, and so on. The generated server would fail on it at run
// time, so generation stops.
type SchemaProblem struct {
	// Pos is the field the problem is about, as far as the schema path can
	// be followed through the version's own types, else the kind.
	Pos model.Position
	Msg string
}

func (p SchemaProblem) Error() string { return fmt.Sprintf("%s: %s", p.Pos, p.Msg) }

// CheckSchemas validates the schema of every kind, in every version, as
// kube-apiserver validates a CRD that is created with it.
func CheckSchemas(p *model.Project) []SchemaProblem {
	var out []SchemaProblem
	for _, g := range p.Groups {
		for _, k := range g.Kinds {
			out = append(out, checkKind(g, k)...)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Pos, out[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return out
}

func checkKind(g *model.Group, k *model.Kind) []SchemaProblem {
	crd := &apiextensions.CustomResourceDefinition{}
	crd.Name = k.Plural + "." + g.GroupName
	crd.Spec = apiextensions.CustomResourceDefinitionSpec{
		Group: g.GroupName,
		Names: apiextensions.CustomResourceDefinitionNames{
			Plural: k.Plural, Singular: k.Singular, Kind: k.Name, ListKind: k.ListName,
		},
		Scope:      apiextensions.ClusterScoped,
		Conversion: &apiextensions.CustomResourceConversion{Strategy: apiextensions.NoneConverter},
	}
	if k.Namespaced {
		crd.Spec.Scope = apiextensions.NamespaceScoped
	}
	crd.Status.StoredVersions = []string{k.Version}
	var versions []*model.Version
	for _, v := range g.Versions {
		vk := v.Kind(k.Name)
		if vk == nil || vk.Schema == nil {
			continue
		}
		validation := &apiextensions.CustomResourceValidation{}
		if err := apiextensionsv1.Convert_v1_CustomResourceValidation_To_apiextensions_CustomResourceValidation(
			&apiextensionsv1.CustomResourceValidation{OpenAPIV3Schema: vk.Schema}, validation, nil); err != nil {
			return []SchemaProblem{{Pos: vk.Pos, Msg: fmt.Sprintf("schema of %s in %s: %v", k.Name, v.Name, err)}}
		}
		cv := apiextensions.CustomResourceDefinitionVersion{Name: v.Name, Served: true, Storage: v.Name == k.Version, Schema: validation}
		if vk.Status {
			cv.Subresources = &apiextensions.CustomResourceSubresources{Status: &apiextensions.CustomResourceSubresourceStatus{}}
		}
		crd.Spec.Versions = append(crd.Spec.Versions, cv)
		versions = append(versions, v)
	}
	if len(versions) == 0 {
		return nil
	}
	var out []SchemaProblem
	for _, e := range apiextensionsvalidation.ValidateCustomResourceDefinition(context.Background(), crd) {
		// Only the schemas are aggen's business here; names, scope and
		// versions are checked where they are read.
		i, rest, ok := schemaPath(e.Field)
		if !ok || i >= len(versions) {
			continue
		}
		v := versions[i]
		vk := v.Kind(k.Name)
		pos, where := fieldAt(v, vk, rest)
		msg := e.ErrorBody()
		if rule, ok := e.BadValue.(apiextensions.ValidationRule); ok {
			msg = fmt.Sprintf("rule %q: %s", rule.Rule, e.Detail)
		}
		if where != "" {
			msg = where + ": " + msg
		}
		out = append(out, SchemaProblem{Pos: pos, Msg: fmt.Sprintf("%s %s: %s", k.Name, v.Name, msg)})
	}
	return out
}

// schemaPath splits "spec.versions[1].schema.openAPIV3Schema.properties[spec]..."
// into the version index and the path inside the schema.
func schemaPath(path string) (int, string, bool) {
	const prefix = "spec.versions["
	if !strings.HasPrefix(path, prefix) {
		return 0, "", false
	}
	var i int
	if _, err := fmt.Sscanf(path[len(prefix):], "%d", &i); err != nil {
		return 0, "", false
	}
	_, rest, ok := strings.Cut(path, "].schema.openAPIV3Schema")
	if !ok {
		return 0, "", false
	}
	return i, strings.TrimPrefix(rest, "."), true
}

// fieldAt follows a schema path (properties[spec].properties[replicas].default)
// through the version's types and returns the position of the last field it
// reaches, with the JSON path of that field; the kind when it reaches none.
func fieldAt(v *model.Version, k *model.Kind, path string) (model.Position, string) {
	pos, where := k.Pos, ""
	t := k.Type
	var jsonPath []string
	for _, seg := range splitSchemaPath(path) {
		name, ok := strings.CutPrefix(seg, "properties[")
		if !ok {
			if seg == "items" || seg == "additionalProperties" {
				continue
			}
			break
		}
		name = strings.TrimSuffix(name, "]")
		if t == nil {
			break
		}
		f := jsonField(v, t, name, 0)
		if f == nil {
			break
		}
		jsonPath = append(jsonPath, name)
		pos, where = f.Pos, strings.Join(jsonPath, ".")
		t = elemStruct(v, f.Type)
	}
	if pos.File == "" {
		pos = k.Pos
	}
	return pos, where
}

// splitSchemaPath splits at the dots that are not inside brackets.
func splitSchemaPath(path string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range path {
		switch r {
		case '[':
			depth++
		case ']':
			depth--
		case '.':
			if depth == 0 {
				out = append(out, path[start:i])
				start = i + 1
			}
		}
	}
	if start < len(path) {
		out = append(out, path[start:])
	}
	return out
}

// jsonField finds the field of t with a JSON name, through inlined structs.
func jsonField(v *model.Version, t *model.Type, name string, depth int) *model.Field {
	if depth > 8 {
		return nil
	}
	for _, f := range t.Fields {
		if f.JSONName == name && !f.Inline {
			return f
		}
	}
	for _, f := range t.Fields {
		if f.Inline || (f.Embedded && f.JSONName == "") {
			if it := elemStruct(v, f.Type); it != nil {
				if found := jsonField(v, it, name, depth+1); found != nil {
					return found
				}
			}
		}
	}
	return nil
}

// elemStruct is the struct of the version that a field's type holds, through
// pointers, slices and map values, or nil.
func elemStruct(v *model.Version, ft model.FieldType) *model.Type {
	for ft.Local == "" && ft.Elem != nil {
		ft = *ft.Elem
	}
	if ft.Local == "" {
		return nil
	}
	if t := v.Type(ft.Local); t != nil && t.Kind == model.StructType {
		return t
	}
	return nil
}
