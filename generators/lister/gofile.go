package lister

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"k8s.io/gengo/v2/generator"
	"k8s.io/gengo/v2/namer"
	"k8s.io/gengo/v2/types"

	"github.com/aggen-dev/aggen/generators/codegen"
	"github.com/aggen-dev/aggen/generators/goformat"
)

// Unsupported is the error of a renderer of aggen's own that met a shape
// it does not render: nothing has been added to the session, and the
// caller runs the upstream generator instead.
type Unsupported struct {
	Generator string
	Reason    string
}

func (e *Unsupported) Error() string {
	return fmt.Sprintf("%s: aggen's renderer does not support %s", e.Generator, e.Reason)
}

func unsupported(format string, args ...any) error {
	return &Unsupported{Generator: Name, Reason: fmt.Sprintf(format, args...)}
}

// Header returns the start of every Go file generator writes, in its
// final form, up to the package clause (codegen.Header); a header gofmt
// would join to the clause is Unsupported.
func Header(headerFile, generator string) (string, error) {
	h, err := codegen.Header(headerFile, "", generator)
	if errors.Is(err, codegen.ErrHeaderShape) {
		return "", &Unsupported{Generator: generator, Reason: err.Error()}
	}
	return h, err
}

// Imports names the packages a Go file refers to as gengo's import
// tracker names them (the upstream generators' local names, group0v1
// and the like), in the order the upstream templates first name them.
type Imports struct {
	tracker *namer.DefaultImportTracker
}

// NewImports tracks the imports of a file of package pkg.
func NewImports(pkg string) *Imports {
	return &Imports{tracker: generator.NewImportTrackerForPackage(pkg)}
}

// Name returns pkg's local name, adding its import on first use; "" for
// the file's own package.
func (i *Imports) Name(pkg string) string {
	i.tracker.AddSymbol(types.Name{Package: pkg})
	return i.tracker.LocalNameOf(pkg)
}

// Ref returns how the file refers to name, as gengo's raw namer does.
func (i *Imports) Ref(pkg, name string) string {
	if l := i.Name(pkg); l != "" {
		return l + "." + name
	}
	return name
}

// Assemble returns the final text of a Go file: header, package clause,
// import block as goimports groups and sorts it, body. The body must
// already be formatted as gofmt -s prints it, declarations separated by
// one blank line (see Decls).
func Assemble(header, pkgName string, imports *Imports, body string) []byte {
	var b strings.Builder
	b.WriteString(header)
	b.WriteString("package " + pkgName + "\n")
	if imports != nil {
		var specs []goformat.Import
		for _, line := range imports.tracker.ImportLines() {
			name, quoted, _ := strings.Cut(line, " ")
			path, _ := strconv.Unquote(quoted)
			specs = append(specs, goformat.Import{Name: name, Path: path})
		}
		if len(specs) > 0 {
			b.WriteString("\nimport (\n" + goformat.ImportSpecs(specs) + ")\n")
		}
	}
	if body != "" {
		b.WriteString("\n" + body)
	}
	return []byte(b.String())
}

// Decls joins declarations, each ending in a newline, as gofmt separates
// them: by one blank line.
func Decls(decls []string) string { return strings.Join(decls, "\n") }
