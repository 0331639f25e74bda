// Package loader reads an aggen project — aggen.yaml and the Go types under
// pkg/apis with their markers — into the plain model the generators use.
//
// It parses the API packages' own files with go/parser (syntax and
// comments only); the typed parse that the upstream generators need is done
// once, later, by the gengo runner.
package loader

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/aggen-dev/aggen/generators/markers"
	"github.com/aggen-dev/aggen/generators/model"
)

// APIsDir is where API groups live, relative to the project root.
const APIsDir = "pkg/apis"

// Errors collects every problem found in one load, so they are reported
// together, once.
type Errors []error

func (e Errors) Error() string {
	msgs := make([]string, len(e))
	for i, err := range e {
		msgs[i] = err.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap lets errors.As find typed errors inside.
func (e Errors) Unwrap() []error { return e }

// InputError is an error in the user's input (types, markers, names),
// carrying its position.
type InputError struct {
	Pos model.Position
	Msg string
}

func (e *InputError) Error() string { return fmt.Sprintf("%s: %s", e.Pos, e.Msg) }

// IsInputError reports whether err (or any error it joins) is a problem in
// the user's input rather than in aggen or the environment.
func IsInputError(err error) bool {
	var ie *InputError
	var me *markers.Error
	return errors.As(err, &ie) || errors.As(err, &me)
}

// Load reads the project rooted at dir.
func Load(dir string) (*model.Project, error) {
	cfg, err := ReadConfig(dir)
	if err != nil {
		return nil, err
	}
	boilerplate, err := os.ReadFile(filepath.Join(dir, "hack", "boilerplate.go.txt"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("reading boilerplate: %w", err)
	}
	p := &model.Project{
		Module:            cfg.Repo,
		Domain:            cfg.Domain,
		Name:              cfg.Name,
		Namespace:         cfg.Namespace,
		Image:             cfg.Image,
		Owner:             cfg.Owner,
		KubernetesVersion: cfg.KubernetesVersion,
		Boilerplate:       string(boilerplate),
	}
	l := &load{root: dir, project: p, reg: markers.Known(), fset: token.NewFileSet()}
	l.groups()
	if len(l.errs) > 0 {
		sortErrors(l.errs)
		return nil, l.errs
	}
	return p, nil
}

type load struct {
	root    string
	project *model.Project
	reg     *markers.Registry
	fset    *token.FileSet
	errs    Errors
}

func (l *load) errorf(pos model.Position, format string, args ...any) {
	l.errs = append(l.errs, &InputError{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

func (l *load) groups() {
	entries, err := os.ReadDir(filepath.Join(l.root, APIsDir))
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	if err != nil {
		l.errs = append(l.errs, fmt.Errorf("reading %s: %w", APIsDir, err))
		return
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		g := &model.Group{
			Name:    e.Name(),
			Dir:     path.Join(APIsDir, e.Name()),
			Package: path.Join(l.project.Module, APIsDir, e.Name()),
		}
		l.versions(g)
		if len(g.Versions) == 0 {
			continue
		}
		l.hub(g)
		l.project.Groups = append(l.project.Groups, g)
	}
	l.checkDuplicates()
}

func (l *load) versions(g *model.Group) {
	entries, err := os.ReadDir(filepath.Join(l.root, g.Dir))
	if err != nil {
		l.errs = append(l.errs, fmt.Errorf("reading %s: %w", g.Dir, err))
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !model.ValidVersion(e.Name()) {
			continue
		}
		v := l.version(g, e.Name())
		if v != nil {
			g.Versions = append(g.Versions, v)
		}
	}
	sort.SliceStable(g.Versions, func(i, j int) bool {
		return model.CompareVersions(g.Versions[i].Name, g.Versions[j].Name) > 0
	})
}

// sourceFiles lists the package's own Go files: not generated, not tests.
func sourceFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") || strings.HasPrefix(n, "zz_generated") {
			continue
		}
		out = append(out, n)
	}
	sort.Strings(out)
	return out, nil
}

func (l *load) version(g *model.Group, name string) *model.Version {
	rel := path.Join(g.Dir, name)
	v := &model.Version{Name: name, Dir: rel, Package: path.Join(l.project.Module, rel)}
	names, err := sourceFiles(filepath.Join(l.root, filepath.FromSlash(rel)))
	if err != nil {
		l.errs = append(l.errs, fmt.Errorf("reading %s: %w", rel, err))
		return nil
	}
	var files []*ast.File
	for _, n := range names {
		fileRel := path.Join(rel, n)
		src, err := os.ReadFile(filepath.Join(l.root, filepath.FromSlash(fileRel)))
		if err != nil {
			l.errs = append(l.errs, fmt.Errorf("reading %s: %w", fileRel, err))
			continue
		}
		f, err := parser.ParseFile(l.fset, fileRel, src, parser.ParseComments)
		if err != nil {
			l.syntaxErrors(err)
			continue
		}
		if f.Name.Name != name {
			l.errorf(l.pos(f.Name.Pos()), "package %s in directory %s: the package name must be the version name %q", f.Name.Name, rel, name)
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		return nil
	}
	// Package markers.
	groupName := ""
	for _, f := range files {
		if f.Doc == nil {
			continue
		}
		for _, m := range l.markersOf(f.Doc, markers.OnPackage) {
			if m.Name == markers.GroupName {
				groupName = m.Value
				v.DocPos = m.Pos
			}
		}
	}
	if groupName == "" {
		l.errorf(model.Position{File: rel}, "package %s has no +groupName marker in its package comment (doc.go)", rel)
		return nil
	}
	if g.GroupName == "" {
		g.GroupName = groupName
	} else if g.GroupName != groupName {
		l.errorf(v.DocPos, "+groupName=%s differs from %s used by the other versions of group %s", groupName, g.GroupName, g.Name)
	}
	want := g.Name + "." + l.project.Domain
	if groupName != want && groupName != g.Name {
		l.errorf(v.DocPos, "+groupName=%s: group directory %s with domain %s means %s", groupName, g.Name, l.project.Domain, want)
	}
	l.types(g, v, files)
	return v
}

func (l *load) syntaxErrors(err error) {
	var list scanner.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			pos := model.Position{File: filepath.ToSlash(e.Pos.Filename), Line: e.Pos.Line, Column: e.Pos.Column}
			l.errorf(pos, "syntax error: %s", e.Msg)
		}
		return
	}
	l.errs = append(l.errs, err)
}

func (l *load) pos(p token.Pos) model.Position {
	pp := l.fset.Position(p)
	return model.Position{File: filepath.ToSlash(pp.Filename), Line: pp.Line, Column: pp.Column}
}

// markersOf parses the marker lines of a comment group.
func (l *load) markersOf(cg *ast.CommentGroup, target markers.Target) []*markers.Marker {
	if cg == nil {
		return nil
	}
	var out []*markers.Marker
	for _, c := range cg.List {
		text := strings.TrimPrefix(c.Text, "//")
		if !strings.HasPrefix(c.Text, "//") || !markers.IsMarker(text) {
			continue
		}
		plus := strings.IndexByte(c.Text, '+')
		pos := l.pos(c.Slash + token.Pos(plus))
		m, err := l.reg.Parse(text, pos, target)
		if err != nil {
			l.errs = append(l.errs, err)
			continue
		}
		if m != nil {
			out = append(out, m)
		}
	}
	return out
}

// docLines returns the non-marker lines of a comment group.
func docLines(cg *ast.CommentGroup) []string {
	if cg == nil {
		return nil
	}
	var out []string
	for _, c := range cg.List {
		if !strings.HasPrefix(c.Text, "//") {
			continue
		}
		text := strings.TrimPrefix(c.Text, "//")
		if markers.IsMarker(text) {
			continue
		}
		out = append(out, strings.TrimPrefix(text, " "))
	}
	return out
}

func sortErrors(errs Errors) {
	sort.SliceStable(errs, func(i, j int) bool {
		pi, pj := errPos(errs[i]), errPos(errs[j])
		if pi.File != pj.File {
			return pi.File < pj.File
		}
		if pi.Line != pj.Line {
			return pi.Line < pj.Line
		}
		return pi.Column < pj.Column
	})
}

func errPos(err error) model.Position {
	var ie *InputError
	if errors.As(err, &ie) {
		return ie.Pos
	}
	var me *markers.Error
	if errors.As(err, &me) {
		return me.Pos
	}
	return model.Position{}
}
