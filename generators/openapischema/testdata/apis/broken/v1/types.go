// Package v1 has types aggen cannot describe without running code.
package v1

import (
	"strings"

	"k8s.io/kube-openapi/pkg/common"
)

// Definer gives its own schema at run time.
type Definer struct{}

func (Definer) OpenAPIDefinition() common.OpenAPIDefinition { return common.OpenAPIDefinition{} }

// Computed computes its type.
type Computed struct{}

func (Computed) OpenAPISchemaType() []string { return []string{strings.ToLower("STRING")} }

func (Computed) OpenAPISchemaFormat() string { return "" }

// FromVariable defaults to a variable.
type FromVariable struct {
	// +default=ref(defaultName)
	// +optional
	Name string `json:"name,omitempty"`
}

var defaultName = "x"

// Root refers to all of them.
//
// +genclient
type Root struct {
	A Definer      `json:"a"`
	B Computed     `json:"b"`
	C FromVariable `json:"c"`
}
