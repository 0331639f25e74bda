package crdschema

import (
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"

	"github.com/aggen-dev/aggen/generators/model"
)

// BuildWatched is Build, calling watch with each type's flattened schema
// as it is made.
func BuildWatched(p *model.Project, watch func(*apiextensionsv1.JSONSchemaProps)) error {
	return build(p, watch)
}
