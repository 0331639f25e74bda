// Package templates embeds the text/template files that aggen renders and
// renders them with sprig's functions plus a few of aggen's own.
package templates

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"

	"github.com/aggen-dev/aggen/generators/goformat"
)

//go:embed all:files
var files embed.FS

// Renderer renders the embedded templates. Parse once, render many times.
type Renderer struct {
	root *template.Template
	// format formats RenderGo's output: goformat.Source, or a memo of it.
	format func([]byte) ([]byte, error)
}

// Revision numbers the embedded template set as far as the files it
// scaffolds for the user go: a project records the revision it was
// scaffolded from (aggen.yaml's templates), and `aggen upgrade` renders the
// base of its three-way merges from that revision when the project has no
// scaffold record (aggen.scaffold.txtar). Projects made since the record
// exists never need an old set; revision 1 is the set of every project
// made before.
const Revision = 1

// Files is the running template set; names are paths such as
// "project/Makefile.tmpl".
func Files() fs.FS {
	sub, err := fs.Sub(files, "files")
	if err != nil {
		panic(err) // the embedded directory exists
	}
	return sub
}

// ForRevision returns the template set of a revision, if aggen still
// embeds it.
func ForRevision(rev int) (fs.FS, bool) {
	if rev == Revision {
		return Files(), true
	}
	return nil, false
}

// New parses every embedded template. Template names are their paths under
// files/, e.g. "project/Makefile.tmpl".
func New() (*Renderer, error) { return NewFS(Files()) }

// NewFS parses every template of a template set laid out as the embedded
// one: tests render projects from an older or modified set with it.
func NewFS(fsys fs.FS) (*Renderer, error) {
	root := template.New("").Funcs(sprig.TxtFuncMap()).Funcs(extraFuncs())
	if err := parseTree(fsys, root, "."); err != nil {
		return nil, err
	}
	return &Renderer{root: root, format: goformat.Source}, nil
}

// FormatWith makes RenderGo format through memo (see goformat.Memo); it
// must be called before any rendering.
func (r *Renderer) FormatWith(memo *goformat.Memo) { r.format = memo.Source }

func parseTree(fsys fs.FS, root *template.Template, dir string) error {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return fmt.Errorf("reading templates: %w", err)
	}
	for _, e := range entries {
		p := e.Name()
		if dir != "." {
			p = dir + "/" + p
		}
		if e.IsDir() {
			if err := parseTree(fsys, root, p); err != nil {
				return err
			}
			continue
		}
		if !strings.HasSuffix(e.Name(), ".tmpl") {
			continue
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return fmt.Errorf("reading template %s: %w", p, err)
		}
		name := p
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
	out, err := r.format(b)
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
