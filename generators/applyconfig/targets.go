package applyconfig

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"k8s.io/gengo/v2/generator"

	"github.com/aggen-dev/aggen/generators/codegen"
)

type renderedFile struct {
	rel  string
	data []byte
}

// renderTargets renders the per-type files of upstream's targets. It
// returns them with the targets left to upstream (utils.go,
// internal/internal.go), or an *UnsupportedError, before anything is
// written, when one file has a shape it does not render.
func renderTargets(c *generator.Context, dir string, targets []generator.Target) ([]renderedFile, []generator.Target, error) {
	n := newNamers()
	headers := map[string]string{}
	var files []renderedFile
	seen := map[string]bool{}
	var rest []generator.Target
	for _, t := range targets {
		gens := t.Generators(c)
		own := 0
		for _, g := range gens {
			if isPerType(g) {
				own++
			}
		}
		if own == 0 {
			rest = append(rest, t)
			continue
		}
		if own != len(gens) {
			return nil, nil, &UnsupportedError{Reason: fmt.Sprintf("package %s mixes generators", t.Path())}
		}
		for _, g := range gens {
			_, imports, decls, err := renderFile(g, n)
			if err != nil {
				return nil, nil, err
			}
			header, ok := headers[t.Name()]
			if !ok {
				var err error
				if header, err = formatHeader(t.Header(g.Filename()), t.Name()); err != nil {
					return nil, nil, err
				}
				headers[t.Name()] = header
			}
			rel, err := filepath.Rel(dir, filepath.Join(t.Dir(), g.Filename()))
			if err != nil || strings.HasPrefix(rel, "..") {
				return nil, nil, fmt.Errorf("%s writes %s outside the project", Name, filepath.Join(t.Dir(), g.Filename()))
			}
			rel = filepath.ToSlash(rel)
			if seen[rel] {
				// Types whose names differ in case only: gengo writes
				// both into one file.
				return nil, nil, &UnsupportedError{Reason: "two types for " + rel}
			}
			seen[rel] = true
			files = append(files, renderedFile{rel: rel, data: assemble(header, imports, decls)})
		}
	}
	return files, rest, nil
}

// formatHeader is the start of every file of package pkg, up to and with
// its package clause, as gengo assembles it and goimports formats it.
func formatHeader(header []byte, pkg string) (string, error) {
	h, err := codegen.FormatHeader(header, Name)
	if err != nil {
		return "", errors.Join(&UnsupportedError{Reason: "the header does not format"}, err)
	}
	return h + "package " + pkg + "\n", nil
}
