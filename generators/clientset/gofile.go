package clientset

import (
	"strconv"
	"strings"

	"k8s.io/gengo/v2/generator"
	"k8s.io/gengo/v2/namer"
	"k8s.io/gengo/v2/types"

	"github.com/aggen-dev/aggen/generators/goformat"
)

// goFile is one Go file rendered in its final, formatted form: the body is
// written as gofmt -s prints it, and the imports are named as gengo's
// import tracker names them, in the order the upstream templates first
// mention each package.
type goFile struct {
	pkgName string
	tracker *namer.DefaultImportTracker
	// extra are import lines the upstream generators add by hand
	// (`alias "path"`), beside the tracker's.
	extra []string
	b     strings.Builder
}

func newGoFile(pkgName, pkgPath string) *goFile {
	return &goFile{pkgName: pkgName, tracker: generator.NewImportTrackerForPackage(pkgPath)}
}

// n is gengo's raw name of pkg.name in this file: the package's local
// name (imported on first use) and the name.
func (f *goFile) n(pkg, name string) string {
	t := &types.Type{Name: types.Name{Package: pkg, Name: name}}
	f.tracker.AddType(t)
	if local := f.tracker.LocalNameOf(pkg); local != "" {
		return local + "." + name
	}
	return name
}

func (f *goFile) w(parts ...string) {
	for _, p := range parts {
		f.b.WriteString(p)
	}
}

// funcLit writes a function literal as gofmt prints it: on one line when
// the header and its single statement fit in 100 columns (go/printer's
// funcBody), else over three lines at indent.
func (f *goFile) funcLit(indent, header, stmt string) {
	if len(header)+len(stmt) <= 100 {
		f.w(indent, header, " { ", stmt, " },\n")
		return
	}
	f.w(indent, header, " {\n", indent, "\t", stmt, "\n", indent, "},\n")
}

// assemble returns the file: header (already formatted, with the
// generated-by line and, for doc.go, the package comment), package clause,
// the imports grouped and sorted as goimports does, and the body. ok is
// false when the imports are a shape goimports would rewrite otherwise
// (one path imported under two names).
func (f *goFile) assemble(header string) (string, bool) {
	lines := map[string]bool{}
	for _, l := range f.tracker.ImportLines() {
		lines[l] = true
	}
	for _, l := range f.extra {
		lines[l] = true
	}
	var imps []goformat.Import
	seen := map[string]bool{}
	for l := range lines {
		var il goformat.Import
		if i := strings.Index(l, "\""); i >= 0 {
			il.Name = strings.TrimSpace(l[:i])
			p, err := strconv.Unquote(l[i:])
			if err != nil {
				return "", false
			}
			il.Path = p
		} else {
			il.Path = l
		}
		if seen[il.Path] {
			return "", false
		}
		seen[il.Path] = true
		imps = append(imps, il)
	}
	var out strings.Builder
	out.WriteString(header)
	out.WriteString("package " + f.pkgName + "\n")
	if len(imps) > 0 {
		out.WriteString("\nimport (\n" + goformat.ImportSpecs(imps) + ")\n")
	}
	out.WriteString(f.b.String())
	return out.String(), true
}
