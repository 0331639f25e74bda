package registry

import (
	"encoding/json"
	"strings"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
)

// schemaLiteral returns a kind's schema as Go source of a string constant
// holding its JSON, without descriptions: the server validates, defaults
// and completes openapi-gen's definitions with it, and openapi-gen already
// has the descriptions.
func schemaLiteral(s *apiextensionsv1.JSONSchemaProps) (string, error) {
	c := s.DeepCopy()
	dropDescriptions(c)
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return "", err
	}
	// A raw string literal cannot hold a backquote: splice those in.
	return "`" + strings.ReplaceAll(string(b), "`", "` + \"`\" + `") + "`", nil
}

func dropDescriptions(s *apiextensionsv1.JSONSchemaProps) {
	if s == nil {
		return
	}
	s.Description = ""
	for _, m := range []map[string]apiextensionsv1.JSONSchemaProps{s.Properties, s.PatternProperties, s.Definitions} {
		for k, v := range m {
			dropDescriptions(&v)
			m[k] = v
		}
	}
	for _, l := range [][]apiextensionsv1.JSONSchemaProps{s.AllOf, s.OneOf, s.AnyOf} {
		for i := range l {
			dropDescriptions(&l[i])
		}
	}
	dropDescriptions(s.Not)
	if s.Items != nil {
		dropDescriptions(s.Items.Schema)
		for i := range s.Items.JSONSchemas {
			dropDescriptions(&s.Items.JSONSchemas[i])
		}
	}
	for _, b := range []*apiextensionsv1.JSONSchemaPropsOrBool{s.AdditionalProperties, s.AdditionalItems} {
		if b != nil {
			dropDescriptions(b.Schema)
		}
	}
	for k, d := range s.Dependencies {
		dropDescriptions(d.Schema)
		s.Dependencies[k] = d
	}
}
