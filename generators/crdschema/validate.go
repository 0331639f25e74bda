package crdschema

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	crdvalidation "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation"
	metaapi "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/aggen-dev/aggen/generators/model"
)

// Validate checks every kind's schema as kube-apiserver checks a CRD that
// carries it: a structural schema, defaults that are valid against their
// own field (a default above the field's Maximum, "five" for an integer),
// enum values of the field's type, regular expressions that compile, list
// map keys that exist and are required or defaulted, CEL rules that
// compile within the cost budget, /scale paths that point at integers.
// Whatever kube-apiserver would refuse is an error at the marker that
// causes it, so aggen never serves what a CRD could not be.
func Validate(p *model.Project) error {
	return ValidateMemo(p, nil)
}

// Memo remembers results across runs, keyed by their whole input, for
// one build of aggen (see goformat.Memo).
type Memo interface {
	Recall(space string, key []byte) ([]byte, bool)
	Keep(space string, key, data []byte)
}

// validatedSpace holds the CRDs kube-apiserver's validation accepted.
const validatedSpace = "crdschema: valid CRD"

// ValidateMemo is Validate that skips kube-apiserver's validation (about
// a millisecond of CPU per kind) for a CRD that passed it, byte for byte,
// in an earlier run of the same aggen, and remembers those that pass in
// memo (nil remembers nothing). Only successes are remembered, so every
// error is found again in each run.
func ValidateMemo(p *model.Project, memo Memo) error {
	var errs Errors
	for _, g := range p.Groups {
		for _, v := range g.Versions {
			for _, k := range v.Kinds {
				if k.Schema == nil {
					continue
				}
				var key []byte
				recalled := false
				if memo != nil {
					// The CRD's whole input (see crdFor): names, scope,
					// subresources and schema.
					b, err := json.Marshal([]any{g.GroupName, v.Name, k.Name, k.Plural, k.Singular, k.ListName, k.Namespaced, k.Status, k.Scale, k.Schema})
					if err == nil {
						key = b
						_, recalled = memo.Recall(validatedSpace, key)
					}
				}
				var found field.ErrorList
				if !recalled {
					var err error
					if found, err = validateCRD(g, v, k); err != nil {
						return err
					}
					if len(found) == 0 && key != nil {
						memo.Keep(validatedSpace, key, nil)
					}
				}
				for _, fe := range found {
					// Names and scope are the loader's to check, with
					// positions of their own.
					if _, ok := cutAny(fe.Field, append(schemaRoots, scaleRoots...)); ok {
						errs = append(errs, locate(p, k, fe))
					}
				}
				for _, fe := range enumTypes(k.Schema, field.NewPath("spec", "validation", "openAPIV3Schema")) {
					errs = append(errs, locate(p, k, fe))
				}
			}
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// validateCRD is what kube-apiserver finds wrong with the CRD of k in v.
func validateCRD(g *model.Group, v *model.Version, k *model.Kind) (field.ErrorList, error) {
	crd, err := crdFor(g, v, k, k.Schema)
	if err != nil {
		return nil, err
	}
	found := crdvalidation.ValidateCustomResourceDefinition(context.Background(), crd)
	if len(found) > 0 {
		// kube-apiserver compiles CEL rules only once the
		// defaults are valid; check them without the defaults
		// too, so every mistake is reported in one run.
		noDefaults := k.Schema.DeepCopy()
		dropDefaults(noDefaults)
		crd, err := crdFor(g, v, k, noDefaults)
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		for _, fe := range found {
			seen[fe.Error()] = true
		}
		for _, fe := range crdvalidation.ValidateCustomResourceDefinition(context.Background(), crd) {
			// Only what the defaults hid: the rules. Without
			// defaults, list map keys may look unset.
			if !seen[fe.Error()] && strings.Contains(fe.Field, "x-kubernetes-validations") {
				found = append(found, fe)
			}
		}
	}
	return found, nil
}

// crdFor is the CRD of one kind in one version, in kube-apiserver's
// internal form, defaulted as the API would default it.
func crdFor(g *model.Group, v *model.Version, k *model.Kind, schema *apiextensionsv1.JSONSchemaProps) (*apiextensions.CustomResourceDefinition, error) {
	scope := apiextensionsv1.NamespaceScoped
	if !k.Namespaced {
		scope = apiextensionsv1.ClusterScoped
	}
	ver := apiextensionsv1.CustomResourceDefinitionVersion{
		Name: v.Name, Served: true, Storage: true,
		// Defaulting the CRD, converting it and validating it only read
		// the schema.
		Schema: &apiextensionsv1.CustomResourceValidation{OpenAPIV3Schema: schema},
	}
	if k.Status || k.Scale != nil {
		ver.Subresources = &apiextensionsv1.CustomResourceSubresources{}
		if k.Status {
			ver.Subresources.Status = &apiextensionsv1.CustomResourceSubresourceStatus{}
		}
		if k.Scale != nil {
			sc := &apiextensionsv1.CustomResourceSubresourceScale{SpecReplicasPath: k.Scale.SpecReplicasPath, StatusReplicasPath: k.Scale.StatusReplicasPath}
			if k.Scale.LabelSelectorPath != "" {
				sel := k.Scale.LabelSelectorPath
				sc.LabelSelectorPath = &sel
			}
			ver.Subresources.Scale = sc
		}
	}
	crd := &apiextensionsv1.CustomResourceDefinition{
		ObjectMeta: metaapi.ObjectMeta{
			Name: k.Plural + "." + g.GroupName,
			// Groups under k8s.io need an approval annotation; what is
			// checked here is the schema, not the group.
			Annotations: map[string]string{apiextensionsv1.KubeAPIApprovedAnnotation: "unapproved, checked by aggen"},
		},
		Spec: apiextensionsv1.CustomResourceDefinitionSpec{
			Group: g.GroupName,
			Names: apiextensionsv1.CustomResourceDefinitionNames{Plural: k.Plural, Singular: k.Singular, Kind: k.Name, ListKind: k.ListName},
			Scope: scope, Versions: []apiextensionsv1.CustomResourceDefinitionVersion{ver},
		},
	}
	apiextensionsv1.SetObjectDefaults_CustomResourceDefinition(crd)
	out := &apiextensions.CustomResourceDefinition{}
	if err := apiextensionsv1.Convert_v1_CustomResourceDefinition_To_apiextensions_CustomResourceDefinition(crd, out, nil); err != nil {
		return nil, fmt.Errorf("checking the schema of %s: %w", k.Name, err)
	}
	return out, nil
}

// dropDefaults removes every default of a schema.
func dropDefaults(s *apiextensionsv1.JSONSchemaProps) {
	s.Default = nil
	eachChild(s, dropDefaults)
}

// schemaRoot is where kube-apiserver's errors about a version's schema
// start, and scaleRoot where those about its /scale subresource do.
var (
	schemaRoots = []string{"spec.validation.openAPIV3Schema", "spec.versions[0].schema.openAPIV3Schema"}
	scaleRoots  = []string{"spec.subresources.scale", "spec.versions[0].subresources.scale"}
)

// cutAny cuts the first of the prefixes s has.
func cutAny(s string, prefixes []string) (string, bool) {
	for _, p := range prefixes {
		if rest, ok := strings.CutPrefix(s, p); ok {
			return rest, true
		}
	}
	return s, false
}

// enumTypes reports enum values that are not of their schema's type:
// kube-apiserver accepts them, but no value of the field could ever
// match one, so it is a mistake in the marker.
func enumTypes(s *apiextensionsv1.JSONSchemaProps, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, e := range s.Enum {
		var v any
		if err := json.Unmarshal(e.Raw, &v); err != nil {
			continue
		}
		ok := true
		switch s.Type {
		case "integer":
			f, isNum := v.(float64)
			ok = isNum && f == float64(int64(f))
		case "number":
			_, ok = v.(float64)
		case "string":
			_, ok = v.(string)
		case "boolean":
			_, ok = v.(bool)
		}
		if !ok {
			errs = append(errs, field.Invalid(path.Child("enum").Index(i), v, "must be of type "+s.Type))
		}
	}
	for name, p := range s.Properties {
		errs = append(errs, enumTypes(&p, path.Child("properties").Key(name))...)
	}
	if s.Items != nil && s.Items.Schema != nil {
		errs = append(errs, enumTypes(s.Items.Schema, path.Child("items"))...)
	}
	if s.AdditionalProperties != nil && s.AdditionalProperties.Schema != nil {
		errs = append(errs, enumTypes(s.AdditionalProperties.Schema, path.Child("additionalProperties"))...)
	}
	return errs
}

var step = regexp.MustCompile(`^\.(properties|patternProperties|allOf|anyOf|oneOf|x-kubernetes-validations|enum)\[([^\]]*)\]|^\.([A-Za-z-]+)`)

// keywordMarkers names the markers that set a schema keyword.
var keywordMarkers = map[string][]string{
	"default":                        {"kubebuilder:default", "default"},
	"enum":                           {"kubebuilder:validation:Enum", "k8s:enum"},
	"pattern":                        {"kubebuilder:validation:Pattern"},
	"format":                         {"kubebuilder:validation:Format"},
	"minimum":                        {"kubebuilder:validation:Minimum", "k8s:minimum"},
	"maximum":                        {"kubebuilder:validation:Maximum", "k8s:maximum"},
	"multipleOf":                     {"kubebuilder:validation:MultipleOf"},
	"minLength":                      {"kubebuilder:validation:MinLength"},
	"maxLength":                      {"kubebuilder:validation:MaxLength"},
	"minItems":                       {"kubebuilder:validation:MinItems"},
	"maxItems":                       {"kubebuilder:validation:MaxItems", "k8s:maxItems"},
	"uniqueItems":                    {"kubebuilder:validation:UniqueItems"},
	"minProperties":                  {"kubebuilder:validation:MinProperties"},
	"maxProperties":                  {"kubebuilder:validation:MaxProperties"},
	"type":                           {"kubebuilder:validation:Type"},
	"nullable":                       {"nullable"},
	"x-kubernetes-list-type":         {"listType", "k8s:listType"},
	"x-kubernetes-list-map-keys":     {"listMapKey", "k8s:listMapKey"},
	"x-kubernetes-map-type":          {"mapType", "structType"},
	"x-kubernetes-validations":       {"kubebuilder:validation:XValidation", "k8s:immutable"},
	"x-kubernetes-int-or-string":     {"kubebuilder:validation:XIntOrString"},
	"x-kubernetes-embedded-resource": {"kubebuilder:validation:EmbeddedResource"},
}

// locate turns an error about a kind's CRD into an error at the marker,
// field or kind of the user's source that causes it.
func locate(p *model.Project, k *model.Kind, fe *field.Error) error {
	path := fe.Field
	// Errors inside a default name the default's own path, here empty.
	body := strings.ReplaceAll(fe.ErrorBody(), ":  in body ", ": ")
	if rule, ok := fe.BadValue.(apiextensions.ValidationRule); ok {
		// CEL errors show the rule with a caret under the mistake on
		// further lines; one line says enough with the rule quoted.
		detail, _, _ := strings.Cut(fe.Detail, "\n")
		body = fmt.Sprintf("rule %q: %s", rule.Rule, detail)
	}
	if rest, ok := cutAny(path, scaleRoots); ok {
		m := model.Find(k.Type.Parsed, "kubebuilder:subresource:scale")
		where := k.Pos
		if m != nil {
			where = m.Pos
		}
		return &model.Problem{Pos: where, Msg: fmt.Sprintf("+kubebuilder:subresource:scale%s: %s", rest, body)}
	}
	rest, ok := cutAny(path, schemaRoots)
	if !ok {
		return &model.Problem{Pos: k.Pos, Msg: fmt.Sprintf("kind %s: %s: %s", k.Name, path, body)}
	}
	// Walk the schema path through the Go types, remembering the last
	// field and named type passed, whose markers may have set the keyword.
	typ := k.Type
	var fld, own *model.Field
	var ref *model.TypeRef
	jsonPath := ""
	keyword, index := "", -1
	for rest != "" {
		m := step.FindStringSubmatch(rest)
		if m == nil {
			break
		}
		rest = rest[len(m[0]):]
		name, arg := m[1], m[2]
		if name == "" {
			name = m[3]
		}
		switch name {
		case "properties":
			var f *model.Field
			if typ != nil {
				f = findField(typ, arg)
			}
			jsonPath += "." + arg
			keyword, index = "", -1
			if f == nil {
				typ, ref = nil, nil
				continue
			}
			fld, ref = f, f.Ref
			if typ != nil && !typ.External {
				own = f
			}
			typ = namedStruct(ref)
		case "items", "additionalProperties":
			jsonPath += "[*]"
			if ref != nil {
				if u := ref.Deref().Underlying(); u != nil && u.Elem != nil {
					ref = u.Elem
					typ = namedStruct(ref)
				}
			}
		case "allOf", "anyOf", "oneOf":
		case "rule", "message", "messageExpression", "reason", "fieldPath", "optionalOldSelf":
			// A part of the CEL rule the keyword already names.
		default:
			keyword = name
			index, _ = strconv.Atoi(arg)
			if arg == "" {
				index = -1
			}
		}
	}
	if jsonPath == "" {
		jsonPath = "the kind's root"
	}
	holders := [][]*model.Marker{}
	where := k.Pos
	if fld != nil {
		holders = append(holders, fld.Parsed)
		where = fld.Pos
	}
	if r := ref.Deref(); r != nil && r.Kind == model.NamedRef && r.Named != nil {
		holders = append(holders, r.Named.Parsed)
	}
	if fld == nil {
		holders = append(holders, k.Type.Parsed)
	}
	if m := markerFor(holders, keyword, index); m != nil && (own == fld || fld == nil) {
		return &model.Problem{Pos: m.Pos, Msg: fmt.Sprintf("marker %q (at %s): %s", "+"+m.Name, jsonPath, body)}
	}
	if own != nil && own != fld {
		// The problem shows inside a type of another package; the user's
		// field that brings it in is where it can be fixed.
		return &model.Problem{Pos: own.Pos, Msg: fmt.Sprintf("%s: %s", jsonPath, body)}
	}
	return &model.Problem{Pos: where, Msg: fmt.Sprintf("%s: %s", jsonPath, body)}
}

// markerFor finds the marker that set a keyword, in the first holder
// that has one; for CEL rules, the index-th rule.
func markerFor(holders [][]*model.Marker, keyword string, index int) *model.Marker {
	names := keywordMarkers[keyword]
	for _, ms := range holders {
		var found []*model.Marker
		for _, m := range ms {
			for _, n := range names {
				if m.Name == n {
					found = append(found, m)
				}
			}
		}
		switch {
		case len(found) == 0:
			continue
		case keyword == "x-kubernetes-validations" && index >= 0 && index < len(found):
			return found[index]
		default:
			return found[len(found)-1]
		}
	}
	return nil
}

// findField finds the field serialized under name, through inlined and
// embedded structs.
func findField(t *model.Type, name string) *model.Field {
	for _, f := range t.Fields {
		if f.JSONName == name {
			return f
		}
		if f.JSONName == "" && f.HasJSON {
			if inner := namedStruct(f.Ref); inner != nil {
				if got := findField(inner, name); got != nil {
					return got
				}
			}
		}
	}
	return nil
}

// namedStruct is the struct type a reference names, through pointers.
func namedStruct(r *model.TypeRef) *model.Type {
	r = r.Deref()
	if r == nil || r.Kind != model.NamedRef || r.Named == nil || r.Named.Kind != model.StructType {
		return nil
	}
	return r.Named
}
