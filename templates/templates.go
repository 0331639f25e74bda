// Package templates embeds the text/template files that aggen renders and
// renders them with sprig's functions plus a few of aggen's own.
package templates

import (
	"bytes"
	"embed"
	"fmt"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"golang.org/x/tools/imports"
)

//go:embed all:files
var files embed.FS

// Renderer renders the embedded templates. Parse once, render many times.
type Renderer struct {
	root *template.Template
}

// New parses every embedded template. Template names are their paths under
// files/, e.g. "project/Makefile.tmpl".
func New() (*Renderer, error) {
	root := template.New("").Funcs(sprig.TxtFuncMap()).Funcs(extraFuncs())
	if err := parseTree(root, "files"); err != nil {
		return nil, err
	}
	return &Renderer{root: root}, nil
}

func parseTree(root *template.Template, dir string) error {
	entries, err := files.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("reading templates: %w", err)
	}
	for _, e := range entries {
		p := dir + "/" + e.Name()
		if e.IsDir() {
			if err := parseTree(root, p); err != nil {
				return err
			}
			continue
		}
		if !strings.HasSuffix(e.Name(), ".tmpl") {
			continue
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return fmt.Errorf("reading template %s: %w", p, err)
		}
		name := strings.TrimPrefix(p, "files/")
		if _, err := root.New(name).Parse(string(b)); err != nil {
			return fmt.Errorf("parsing template %s: %w", name, err)
		}
	}
	return nil
}

// Render executes the named template with data.
func (r *Renderer) Render(name string, data any) ([]byte, error) {
	var buf bytes.Buffer
	if err := r.root.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, fmt.Errorf("rendering %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// RenderGo executes the named template and formats the result as Go
// source, fixing import grouping; a formatting failure is reported with
// the rendered text so a template bug is easy to see.
func (r *Renderer) RenderGo(name string, data any) ([]byte, error) {
	b, err := r.Render(name, data)
	if err != nil {
		return nil, err
	}
	out, err := imports.Process("", b, &imports.Options{Comments: true, TabIndent: true, TabWidth: 8, FormatOnly: true})
	if err != nil {
		return nil, fmt.Errorf("formatting %s: %w\n%s", name, err, numbered(b))
	}
	return out, nil
}

func numbered(b []byte) string {
	var sb strings.Builder
	for i, line := range strings.Split(string(b), "\n") {
		fmt.Fprintf(&sb, "%4d  %s\n", i+1, line)
	}
	return sb.String()
}

func extraFuncs() template.FuncMap {
	return template.FuncMap{
		// goComment turns text into // comment lines.
		"goComment": func(s string) string {
			s = strings.TrimRight(s, "\n")
			if s == "" {
				return ""
			}
			lines := strings.Split(s, "\n")
			for i, l := range lines {
				if l == "" {
					lines[i] = "//"
				} else {
					lines[i] = "// " + l
				}
			}
			return strings.Join(lines, "\n")
		},
		"lowerFirst": func(s string) string {
			if s == "" {
				return s
			}
			return strings.ToLower(s[:1]) + s[1:]
		},
		"goQuote": func(s string) string { return fmt.Sprintf("%q", s) },
	}
}
