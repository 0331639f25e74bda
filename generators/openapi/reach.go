package openapi

import (
	"reflect"
	"sort"
	"strings"
	"unicode"

	"k8s.io/gengo/v2/types"
	"k8s.io/kube-openapi/pkg/common"
)

// Reach is what the types of a project's API packages reach outside the
// project: through fields, embedded structs, pointers, elements, map keys
// and named types, transitively. Every package of it must be part of
// openapi-gen's input, or the served OpenAPI lacks a definition the API
// refers to (the server then fails at start), and every constant of it must
// be readable (+default=ref(...) and +enum name constants).
type Reach struct {
	// Packages are the import paths of the reached named types, sorted.
	Packages []string
	types    map[types.Name]bool
}

// Has reports whether the named type is reached.
func (r *Reach) Has(n types.Name) bool { return r != nil && r.types[n] }

// FindReach walks the types of every package of u whose import path starts
// with apisPrefix and returns what they reach outside the module.
func FindReach(u types.Universe, module, apisPrefix string) *Reach {
	r := &Reach{types: map[types.Name]bool{}}
	seen := map[*types.Type]bool{}
	pkgs := map[string]bool{}
	var visit func(t *types.Type)
	visit = func(t *types.Type) {
		if t == nil || seen[t] {
			return
		}
		seen[t] = true
		if typ, _ := common.OpenAPITypeFormat(t.Name.String()); typ != "" {
			// A primitive to openapi-gen (time.Time is a date-time string).
			return
		}
		if pkg := t.Name.Package; pkg != "" && t.Kind != types.Builtin && !inModule(pkg, module) {
			r.types[t.Name] = true
			pkgs[pkg] = true
		}
		if ownDefinition(t) {
			// A leaf to openapi-gen: its definition comes from its methods.
			return
		}
		switch t.Kind {
		case types.Struct:
			for _, m := range t.Members {
				if serialized(m) {
					visit(m.Type)
				}
			}
		case types.Pointer, types.Slice, types.Array:
			visit(t.Elem)
		case types.Map:
			visit(t.Key)
			visit(t.Elem)
		case types.Alias:
			visit(t.Underlying)
		}
	}
	var roots []string
	for path := range u {
		if path == apisPrefix || strings.HasPrefix(path, apisPrefix+"/") {
			roots = append(roots, path)
		}
	}
	sort.Strings(roots)
	for _, path := range roots {
		p := u[path]
		names := make([]string, 0, len(p.Types))
		for n := range p.Types {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			visit(p.Types[n])
		}
	}
	for p := range pkgs {
		r.Packages = append(r.Packages, p)
	}
	sort.Strings(r.Packages)
	return r
}

// ownDefinition reports whether a type defines its OpenAPI schema with
// methods (metav1.Time, intstr.IntOrString, resource.Quantity), as
// openapi-gen sees it.
func ownDefinition(t *types.Type) bool {
	for _, name := range []string{"OpenAPIDefinition", "OpenAPIV3Definition", "OpenAPISchemaType"} {
		if _, ok := t.Methods[name]; ok {
			return true
		}
	}
	return false
}

// serialized reports whether a struct member is part of the JSON form.
func serialized(m types.Member) bool {
	if m.Name == "" || !unicode.IsUpper([]rune(m.Name)[0]) {
		return false
	}
	name, _, _ := strings.Cut(reflect.StructTag(m.Tags).Get("json"), ",")
	return name != "-"
}

func inModule(pkg, module string) bool {
	return pkg == module || strings.HasPrefix(pkg, module+"/")
}
