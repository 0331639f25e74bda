package openapischema

import (
	"github.com/aggen-dev/aggen/generators/codegen"
)

// Generate builds the schema for the apply configurations of a staged
// project: the definitions reachable from the +genclient types of the
// packages applyconfiguration-gen gets as inputs. It returns nil when there
// are no such packages.
func Generate(s *codegen.Session, t codegen.Tree) ([]byte, error) {
	pkgs, _, err := t.ClientInputs()
	if err != nil || len(pkgs) == 0 {
		return nil, err
	}
	u, err := s.Universe()
	if err != nil {
		return nil, err
	}
	roots, err := Roots(u, pkgs)
	if err != nil {
		return nil, err
	}
	return Document(u, roots)
}
