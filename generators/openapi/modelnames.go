package openapi

import (
	"go/token"
	"path/filepath"
	"strings"

	"k8s.io/gengo/v2"
	"k8s.io/gengo/v2/generator"
	"k8s.io/gengo/v2/namer"
	"k8s.io/gengo/v2/types"

	"github.com/aggen-dev/aggen/generators/codegen"
)

// modelNames renders the model name file of one of openapi-gen's model
// name targets (GetModelNameTargets) as openapi-gen writes it: for every
// exported struct (or alias of one) of the package, in the context's
// order, an OpenAPIModelName method returning the package's
// +k8s:openapi-model-package name and the type's.
//
// A type with its own +k8s:openapi-model-package tag, and any name
// openapi-gen would write into code that does not compile or that gofmt
// would change, is an *UnsupportedError: the target is left to
// openapi-gen.
func modelNames(s *codegen.Session, c *generator.Context, tg generator.Target, file string, boilerplate []byte) (rel string, data []byte, err error) {
	st, ok := tg.(*generator.SimpleTarget)
	if !ok || st.FilterFunc == nil {
		return "", nil, &UnsupportedError{Reason: "model names: an unknown kind of target"}
	}
	if !token.IsIdentifier(st.PkgName) {
		return "", nil, &UnsupportedError{Reason: "model names: package name " + st.PkgName}
	}
	pkg := c.Universe[st.PkgPath]
	if pkg == nil {
		return "", nil, &UnsupportedError{Reason: "model names: package " + st.PkgPath + " not in the parse"}
	}
	modelPackage, ok := modelPackageTag(pkg.Comments)
	if !ok {
		return "", nil, &UnsupportedError{Reason: "model names: package " + st.PkgPath + ": several or empty " + tagModelPackage + " tags"}
	}
	rel, err = filepath.Rel(s.Dir, filepath.Join(st.PkgDir, file))
	if err != nil || strings.HasPrefix(rel, "..") {
		return "", nil, &UnsupportedError{Reason: "model names: " + st.PkgDir + " is outside the project"}
	}
	header, err := codegen.FormatHeader(boilerplate, Name)
	if err != nil {
		return "", nil, &UnsupportedError{Reason: "model names: " + err.Error()}
	}
	local := namer.NewPublicNamer(0)
	var body strings.Builder
	for _, t := range c.Order {
		if !st.FilterFunc(c, t) || !modelNameType(t) {
			continue
		}
		if hasModelPackageTag(t.CommentLines) {
			return "", nil, &UnsupportedError{Type: t.Name.String(), Reason: "model names: a type's own " + tagModelPackage + " tag"}
		}
		if modelPackage == "" {
			continue
		}
		name := local.Name(t)
		model := modelPackage + "." + t.Name.Name
		if !token.IsIdentifier(name) || strings.ContainsAny(model, "\"\\\n`") || !plainText(model) {
			return "", nil, &UnsupportedError{Type: t.Name.String(), Reason: "model names: a name written as it is into code"}
		}
		if body.Len() > 0 {
			body.WriteString("\n")
		}
		body.WriteString("// OpenAPIModelName returns the OpenAPI model name for this type.\n")
		body.WriteString("func (in " + name + ") OpenAPIModelName() string {\n")
		body.WriteString("\treturn \"" + model + "\"\n")
		body.WriteString("}\n")
	}
	out := header + "package " + st.PkgName + "\n"
	if body.Len() > 0 {
		out += "\n" + body.String()
	}
	return filepath.ToSlash(rel), []byte(out), nil
}

// modelNameType is openapi-gen's choice of the types that get a model
// name: exported, and a struct or an alias of one.
func modelNameType(t *types.Type) bool {
	if namer.IsPrivateGoName(t.Name.Name) {
		return false
	}
	for t.Kind == types.Alias {
		t = t.Underlying
	}
	return t.Kind == types.Struct
}

// modelPackageTag is the value of a package's +k8s:openapi-model-package
// tag, "" without one; ok is false where openapi-gen would read more than
// one value or the value would need quoting.
func modelPackageTag(comments []string) (value string, ok bool) {
	tags, err := gengo.ExtractFunctionStyleCommentTags("+", []string{tagModelPackage}, comments)
	if err != nil {
		return "", false
	}
	values := tags[tagModelPackage]
	switch {
	case len(values) == 0:
		return "", true
	case len(values) > 1 || len(values[0].Args) > 0:
		return "", false
	}
	return values[0].Value, true
}

// hasModelPackageTag reports whether comments hold a
// +k8s:openapi-model-package tag, of any value.
func hasModelPackageTag(comments []string) bool {
	tags, err := gengo.ExtractFunctionStyleCommentTags("+", []string{tagModelPackage}, comments)
	return err != nil || len(tags[tagModelPackage]) > 0
}

// plainText reports whether s is printable ASCII, which a Go string
// literal holds as it is.
func plainText(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
