package registry

import (
	"sort"

	"github.com/aggen-dev/aggen/generators/model"
)

// importSet collects the imports a rendered file needs, path to alias.
type importSet map[string]string

func (s importSet) add(path, alias string) { s[path] = alias }

// Import is one import line of a rendered file.
type Import struct {
	Alias string
	Path  string
}

func (s importSet) sorted() []Import {
	out := make([]Import, 0, len(s))
	for p, a := range s {
		out = append(out, Import{Alias: a, Path: p})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// typeExpr is the Go type of ft as seen from a file that qualifies the
// types of the API package with qual ("insects." for the hub).
func typeExpr(ft model.FieldType, qual string) string {
	switch {
	case ft.Pointer && ft.Elem != nil:
		return "*" + typeExpr(*ft.Elem, qual)
	case ft.Slice && ft.Elem != nil:
		return "[]" + typeExpr(*ft.Elem, qual)
	case ft.Local != "":
		return qual + ft.Local
	case ft.Basic != "" && ft.Package == "":
		return ft.Basic
	}
	return ft.Expr
}
