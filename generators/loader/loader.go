// Package loader reads an aggen project — aggen.yaml and the Go types under
// pkg/apis with their markers — into the plain model the generators use.
//
// It parses the API packages' own files with go/parser (syntax and
// comments only); the typed parse that the upstream generators need is done
// once, later, by the gengo runner.
package loader

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/kube-openapi/pkg/util"

	"github.com/aggen-dev/aggen/generators/crdschema"
	"github.com/aggen-dev/aggen/generators/goenv"
	"github.com/aggen-dev/aggen/generators/markers"
	"github.com/aggen-dev/aggen/generators/model"
)

// APIsDir is where API groups live, relative to the project root.
const APIsDir = "pkg/apis"

// Errors collects every problem found in one load, so they are reported
// together, once.
type Errors []error

func (e Errors) Error() string {
	if len(e) == 1 {
		return e[0].Error()
	}
	msgs := make([]string, 0, len(e)+1)
	msgs = append(msgs, fmt.Sprintf("%d errors:", len(e)))
	for _, err := range e {
		msgs = append(msgs, err.Error())
	}
	return strings.Join(msgs, "\n")
}

// Merge joins the errors of several checks of one run into one sorted
// list without repeats. An error at a position that an earlier argument
// already reported is dropped, so callers pass the most specific checks
// first (the loader's own before the type checker's); so is an error
// about a field's type when another error lies inside that type.
func Merge(errs ...error) error {
	var out Errors
	claimed := map[model.Position]bool{}
	seen := map[string]bool{}
	var positions []model.Position
	for _, err := range errs {
		var list Errors
		if errors.As(err, &list) {
			for _, e := range list {
				positions = append(positions, errPos(e))
			}
		}
	}
	followUp := func(e error) bool {
		var ie *InputError
		if !errors.As(e, &ie) || ie.about == nil {
			return false
		}
		for _, p := range positions {
			if ie.about.contains(p) {
				return true
			}
		}
		return false
	}
	for _, err := range errs {
		var list Errors
		switch {
		case err == nil:
			continue
		case errors.As(err, &list):
		default:
			list = Errors{err}
		}
		mine := map[model.Position]bool{}
		for _, e := range list {
			p := errPos(e)
			if seen[e.Error()] || (p.Line > 0 && claimed[p]) || followUp(e) {
				continue
			}
			seen[e.Error()] = true
			mine[p] = true
			out = append(out, e)
		}
		for p := range mine {
			claimed[p] = true
		}
	}
	if len(out) == 0 {
		return nil
	}
	sortErrors(out)
	return out
}

// Unwrap lets errors.As find typed errors inside.
func (e Errors) Unwrap() []error { return e }

// InputError is an error in the user's input (types, markers, names),
// carrying its position.
type InputError struct {
	Pos model.Position
	Msg string
	// about is the source of the field type the error depends on, when it
	// depends on one: a type error inside it makes this error a follow-up.
	about *span
}

// span is a range of source text, [From, To).
type span struct {
	From, To model.Position
}

func (s *span) contains(p model.Position) bool {
	after := func(a, b model.Position) bool { return a.Line > b.Line || (a.Line == b.Line && a.Column >= b.Column) }
	return s != nil && p.File == s.From.File && after(p, s.From) && !after(p, s.To)
}

// Position is where the problem is.
func (e *InputError) Position() model.Position { return e.Pos }

func (e *InputError) Error() string { return fmt.Sprintf("%s: %s", e.Pos, e.Msg) }

// IsInputError reports whether err (or any error it joins) is a problem in
// the user's input rather than in aggen or the environment.
func IsInputError(err error) bool {
	var ie model.InputError
	return errors.As(err, &ie)
}

// Load reads the project rooted at dir.
//
// It parses the API version packages, type-checks them (their imports come
// from the compiler's export data, see typeCheck) and builds the model
// from the resolved types: every field knows its Go type and what it is
// underneath, so a marker applies by the kind of value it constrains, as
// controller-gen decides it. Types of other packages that the kinds reach
// (k8s.io/api/core/v1.PodTemplateSpec and everything under it) enter the
// model too, with the doc comments and markers of their source.
func Load(dir string) (*model.Project, error) {
	return LoadEnv(dir, nil)
}

// LoadEnv is Load with the go command's configuration already read, for a
// caller that needs it too; nil reads it when needed.
func LoadEnv(dir string, env *goenv.Env) (*model.Project, error) {
	p, schemas, err := LoadWithoutSchemas(dir, env, nil)
	if err != nil {
		return nil, err
	}
	if err := schemas(); err != nil {
		return nil, err
	}
	return p, nil
}

// LoadWithoutSchemas is LoadEnv that leaves the kinds' and types' schemas
// (model.Kind.Schema, model.Type.Schema: crdschema's Build and Validate,
// a third of a large project's load) to the function it returns, for a
// caller that has other work to do meanwhile which does not read them.
// The function returns the input errors the schemas find. When the rest
// of the load found errors, the schemas are built before returning, so
// that every input error is reported at once, as Load does. memo, when
// not nil, remembers the schemas that passed kube-apiserver's CRD
// validation across runs (see crdschema.ValidateMemo).
func LoadWithoutSchemas(dir string, env *goenv.Env, memo crdschema.Memo) (*model.Project, func() error, error) {
	cfg, err := ReadConfig(dir)
	if err != nil {
		return nil, nil, err
	}
	boilerplate, err := os.ReadFile(filepath.Join(dir, "hack", "boilerplate.go.txt"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, nil, fmt.Errorf("reading boilerplate: %w", err)
	}
	reg, err := markers.Known()
	if err != nil {
		return nil, nil, err
	}
	p := &model.Project{
		Module:            cfg.Repo,
		Domain:            cfg.Domain,
		Name:              cfg.Name,
		Namespace:         cfg.Namespace,
		Image:             cfg.Image,
		Owner:             cfg.Owner,
		KubernetesVersion: cfg.KubernetesVersion,
		Storage:           model.StorageBackend(cfg.Storage),
		Boilerplate:       string(boilerplate),
		Types:             map[string]*model.Type{},
		PackageMarkers:    map[string][]*model.Marker{},
	}
	l := &load{root: dir, goEnv: env, memo: memo, project: p, reg: reg, fset: token.NewFileSet(),
		used: map[*ast.Comment]bool{}, groupPos: map[*model.Group]model.Position{},
		storagePos: map[*model.Kind]model.Position{}, typeSpan: map[*model.Field]*span{},
		modelPackages: map[string]model.Position{}, parsed: map[*model.Version]*apiPackage{}}
	groups := l.parseGroups()
	typeErrs, err := l.typeCheck()
	if err != nil {
		return nil, nil, err
	}
	l.buildGroups(groups)
	if len(l.errs) > 0 || len(typeErrs) > 0 {
		if len(typeErrs) == 0 {
			l.schemas()
		}
		if err := Merge(l.errs, typeErrs); err != nil {
			return nil, nil, err
		}
		return p, func() error { return nil }, nil
	}
	return p, func() error {
		l.schemas()
		return Merge(l.errs)
	}, nil
}

type load struct {
	root    string
	goEnv   *goenv.Env // nil until needed, when the caller has none
	memo    crdschema.Memo
	project *model.Project
	reg     *markers.Registry
	fset    *token.FileSet
	errs    Errors
	// used holds the marker comments that were read as the markers of a
	// package, type or field; any other marker of a policed namespace is
	// misplaced and reported.
	used map[*ast.Comment]bool
	// groupPos is where each group's +groupName value is.
	groupPos map[*model.Group]model.Position
	// storagePos is where a kind carries +kubebuilder:storageversion.
	storagePos map[*model.Kind]model.Position
	// typeSpan is where each field's type is written.
	typeSpan map[*model.Field]*span
	// modelPackages are the +k8s:openapi-model-package values seen.
	modelPackages map[string]model.Position
	// parsed holds each version's files and, after the type check, its
	// type information.
	parsed map[*model.Version]*apiPackage
	// imp imports the API packages' dependencies from export data; ext
	// reads the source of the dependencies whose types the kinds reach.
	imp *exportImporter
	ext *externals
}

// schemas builds every kind's schema (see crdschema), reporting what
// stops it at the marker or field responsible.
func (l *load) schemas() {
	var list crdschema.Errors
	for _, err := range []error{crdschema.Build(l.project), crdschema.ValidateMemo(l.project, l.memo)} {
		var errs crdschema.Errors
		switch {
		case errors.As(err, &errs):
			list = append(list, errs...)
		case err != nil:
			l.errs = append(l.errs, err)
		}
	}
	l.errs = append(l.errs, list...)
}

func (l *load) errorf(pos model.Position, format string, args ...any) {
	l.errs = append(l.errs, &InputError{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// followUpf reports an error that holds only if the field's type is what
// it says; it is dropped when the type checker finds an error in that type.
func (l *load) followUpf(f *model.Field, pos model.Position, format string, args ...any) {
	l.errs = append(l.errs, &InputError{Pos: pos, Msg: fmt.Sprintf(format, args...), about: l.typeSpan[f]})
}

// parseGroups parses every group's version packages. Groups with a
// version that does not parse are left out: they would only add
// follow-up errors (kinds missing from the storage version, ...).
func (l *load) parseGroups() []*model.Group {
	entries, err := os.ReadDir(filepath.Join(l.root, APIsDir))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		l.errs = append(l.errs, fmt.Errorf("reading %s: %w", APIsDir, err))
		return nil
	}
	var out []*model.Group
	for _, e := range entries {
		if !e.IsDir() || ignoredDir(e.Name()) {
			continue
		}
		g := &model.Group{
			Name:    e.Name(),
			Dir:     path.Join(APIsDir, e.Name()),
			Package: path.Join(l.project.Module, APIsDir, e.Name()),
		}
		broken := l.versions(g)
		if len(g.Versions) == 0 || broken {
			continue
		}
		l.ownHub(g)
		out = append(out, g)
	}
	return out
}

// impliedPackageTags lists the upstream generators' package tags that a
// version package needs and lacks, as `aggen create api` writes them.
func (l *load) impliedPackageTags(g *model.Group, v *model.Version) {
	have := l.project.PackageMarkers[v.Package]
	for _, t := range []struct{ name, value string }{
		{markers.DeepcopyGen, "package"},
		{markers.ConversionGen, g.Package},
		{markers.DefaulterGen, "TypeMeta"},
		{markers.OpenAPIGen, "true"},
		{markers.OpenAPIModelPackage, util.ToRESTFriendlyName(v.Package)},
	} {
		if model.Find(have, t.name) == nil {
			v.ImpliedTags = append(v.ImpliedTags, "+"+t.name+"="+t.value)
		}
	}
}

// schemeBuilder notes the type of a version package's own SchemeBuilder.
func (l *load) schemeBuilder(v *model.Version) {
	pkg := l.parsed[v]
	if pkg == nil || pkg.types == nil || !v.Declared["SchemeBuilder"] {
		return
	}
	if obj, ok := pkg.types.Scope().Lookup("SchemeBuilder").(*types.Var); ok {
		v.SchemeBuilder = types.TypeString(obj.Type(), nil)
	}
}

// ownHub reads the group's hand-written internal package, if it has one,
// and notes a hand-written install package.
func (l *load) ownHub(g *model.Group) {
	pkg, ok := l.parsePackage(g.Dir, g.Name)
	if ok && pkg != nil && declaresTypes(pkg.ownFiles()) {
		hub := &model.Version{Dir: g.Dir, Package: g.Package, Declared: map[string]bool{}}
		for _, f := range pkg.ownFiles() {
			for n := range declared(f) {
				hub.Declared[n] = true
			}
			hub.OwnFiles = append(hub.OwnFiles, path.Base(l.fset.Position(f.Package).Filename))
		}
		l.parsed[hub] = pkg
		g.Hub = hub
	}
	install := path.Join(g.Dir, "install")
	if ipkg, ok := l.parsePackage(install, "install"); ok && ipkg != nil {
		for _, f := range ipkg.ownFiles() {
			if declared(f)["Install"] {
				g.OwnInstall = true
			}
		}
	}
}

// declaresTypes reports whether the files declare any type.
func declaresTypes(files []*ast.File) bool {
	for _, f := range files {
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
				return true
			}
		}
	}
	return false
}

// declared returns the package-level names a file declares.
func declared(f *ast.File) map[string]bool {
	out := map[string]bool{}
	for _, d := range f.Decls {
		switch x := d.(type) {
		case *ast.FuncDecl:
			if x.Recv == nil {
				out[x.Name.Name] = true
			}
		case *ast.GenDecl:
			for _, sp := range x.Specs {
				switch s := sp.(type) {
				case *ast.TypeSpec:
					out[s.Name.Name] = true
				case *ast.ValueSpec:
					for _, n := range s.Names {
						out[n.Name] = true
					}
				}
			}
		}
	}
	return out
}

// buildGroups builds the types and kinds of every version from the type
// checker's view, then settles each group's storage version and hub.
func (l *load) buildGroups(groups []*model.Group) {
	for _, g := range groups {
		for _, v := range g.Versions {
			l.declareTypes(v)
		}
		if g.Hub != nil {
			l.declareTypes(g.Hub)
		}
	}
	for _, g := range groups {
		for _, v := range g.Versions {
			l.types(g, v, false)
			l.unattached(l.parsed[v].ownFiles())
			l.schemeBuilder(v)
			l.impliedPackageTags(g, v)
		}
		if g.Hub != nil {
			l.types(g, g.Hub, true)
		}
	}
	l.ext.fillAll()
	for _, g := range groups {
		l.checkGroupName(g)
		l.hub(g)
		l.project.Groups = append(l.project.Groups, g)
	}
	l.checkDuplicates()
}

// versions loads the group's version packages and reports whether any of
// them has syntax errors.
func (l *load) versions(g *model.Group) bool {
	entries, err := os.ReadDir(filepath.Join(l.root, g.Dir))
	if err != nil {
		l.errs = append(l.errs, fmt.Errorf("reading %s: %w", g.Dir, err))
		return true
	}
	broken := false
	for _, e := range entries {
		if !e.IsDir() || ignoredDir(e.Name()) {
			continue
		}
		if !model.ValidVersion(e.Name()) {
			l.notAVersion(g, e.Name())
			continue
		}
		v, ok := l.version(g, e.Name())
		broken = broken || !ok
		if v != nil {
			g.Versions = append(g.Versions, v)
		}
	}
	sort.SliceStable(g.Versions, func(i, j int) bool {
		return model.CompareVersions(g.Versions[i].Name, g.Versions[j].Name) > 0
	})
	return broken
}

// notAVersion checks a directory of a group whose name is not an API
// version. Helper packages (install, validation, fuzzer, ...) are fine;
// a package that declares +groupName is meant to be a version, and its
// name would silently keep it from being served.
func (l *load) notAVersion(g *model.Group, name string) {
	rel := path.Join(g.Dir, name)
	names, err := sourceFiles(filepath.Join(l.root, filepath.FromSlash(rel)))
	if err != nil {
		return
	}
	for _, n := range names {
		f, err := parser.ParseFile(l.fset, path.Join(rel, n), nil, parser.ParseComments|parser.PackageClauseOnly)
		if err != nil || f.Doc == nil {
			continue
		}
		for _, c := range f.Doc.List {
			text := strings.TrimPrefix(c.Text, "//")
			if !markers.IsMarker(text) || !strings.HasPrefix(strings.TrimSpace(text), "+"+markers.GroupName) {
				continue
			}
			plus := strings.IndexByte(c.Text, '+')
			l.errorf(l.pos(c.Slash+token.Pos(plus)), "directory %s declares +groupName but %q is not a Kubernetes API version (v1, v1beta1, v2alpha3, ...), so it would not be served: rename the directory", rel, name)
			return
		}
	}
}

// ignoredDir reports whether the Go tool ignores a directory of this name.
func ignoredDir(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata"
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
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") || strings.HasPrefix(n, "zz_generated") ||
			strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") {
			continue
		}
		out = append(out, n)
	}
	sort.Strings(out)
	return out, nil
}

// version parses one version package and reads its package markers. ok
// is false when a file does not parse; v is nil when the package has no
// usable files.
func (l *load) version(g *model.Group, name string) (v *model.Version, ok bool) {
	rel := path.Join(g.Dir, name)
	v = &model.Version{Name: name, Dir: rel, Package: path.Join(l.project.Module, rel)}
	pkg, ok := l.parsePackage(rel, name)
	if !ok || pkg == nil {
		return nil, ok
	}
	files := pkg.ownFiles()
	l.parsed[v] = pkg
	v.Declared = map[string]bool{}
	for _, f := range files {
		for n := range declared(f) {
			v.Declared[n] = true
		}
	}
	// Package markers: in the package comment, and free-standing at file
	// level before the first declaration, as controller-gen reads them.
	groupName := ""
	var groupPos model.Position
	for _, f := range files {
		for _, cg := range packageMarkerGroups(f) {
			for _, m := range l.markersOf(cg, markers.OnPackage) {
				l.project.PackageMarkers[v.Package] = append(l.project.PackageMarkers[v.Package], m)
				switch m.Name {
				case markers.GroupName:
					groupName = m.Text()
					v.DocPos = m.Pos
					groupPos = m.ValuePos
				case markers.OpenAPIModelPackage:
					// Two packages with one model package would give
					// their kinds the same OpenAPI definitions.
					if first, dup := l.modelPackages[m.Text()]; dup {
						l.errorf(m.ValuePos, "+%s=%s is also the model package of %s (at %s): each version needs its own", markers.OpenAPIModelPackage, m.Text(), path.Dir(first.File), first)
					} else {
						l.modelPackages[m.Text()] = m.ValuePos
					}
				}
			}
		}
	}
	if groupName == "" {
		l.errorf(l.pos(packageFile(files).Package), "package %s has no +groupName marker in its package comment (doc.go): add // +groupName=%s.%s above the package clause", rel, g.Name, l.project.Domain)
		delete(l.parsed, v)
		return nil, true
	}
	if g.GroupName == "" {
		g.GroupName = groupName
		l.groupPos[g] = groupPos
	} else if g.GroupName != groupName {
		l.errorf(groupPos, "+groupName=%s differs from %s used by the other versions of group %s", groupName, g.GroupName, g.Name)
		return v, true
	}
	if errs := validation.IsDNS1123Subdomain(groupName); len(errs) > 0 {
		hint := ""
		if lower := strings.ToLower(groupName); len(validation.IsDNS1123Subdomain(lower)) == 0 {
			hint = ", here " + lower
		}
		l.errorf(groupPos, "+groupName=%s is not a valid API group name: it must be a lower-case DNS subdomain%s", groupName, hint)
	}
	return v, true
}

// parsePackage parses the Go files of the package in directory rel,
// which must be named name: its own files, then its generated ones
// (those take part in the type check only). ok is false when an own file
// does not parse; pkg is nil when the package has no own files.
func (l *load) parsePackage(rel, name string) (pkg *apiPackage, ok bool) {
	entries, err := os.ReadDir(filepath.Join(l.root, filepath.FromSlash(rel)))
	if errors.Is(err, os.ErrNotExist) {
		return nil, true
	}
	if err != nil {
		l.errs = append(l.errs, fmt.Errorf("reading %s: %w", rel, err))
		return nil, false
	}
	ok = true
	pkg = &apiPackage{rel: rel, fset: l.fset, own: map[*ast.File]bool{}}
	var generated []*ast.File
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") {
			continue
		}
		fileRel := path.Join(rel, n)
		src, err := os.ReadFile(filepath.Join(l.root, filepath.FromSlash(fileRel)))
		if err != nil {
			l.errs = append(l.errs, fmt.Errorf("reading %s: %w", fileRel, err))
			ok = false
			continue
		}
		gen := strings.HasPrefix(n, "zz_generated")
		f, err := parser.ParseFile(l.fset, fileRel, src, parser.ParseComments|parser.SkipObjectResolution)
		if f != nil && ast.IsGenerated(f) {
			gen = true
		}
		switch {
		case err != nil && gen:
			// A broken generated file is about to be replaced.
			continue
		case err != nil:
			l.syntaxErrors(err)
			ok = false
			continue
		case !buildable(n, src):
			continue
		case gen:
			generated = append(generated, f)
			continue
		}
		if f.Name.Name != name {
			l.errorf(l.pos(f.Name.Pos()), "package %s in directory %s: the package name must be %q", f.Name.Name, rel, name)
		}
		pkg.own[f] = true
		pkg.files = append(pkg.files, f)
	}
	if !ok || len(pkg.files) == 0 {
		return nil, ok
	}
	pkg.files = append(pkg.files, generated...)
	return pkg, true
}

// packageMarkerGroups returns the comment groups of a file whose markers
// are the package's: those above the package clause, and those at file
// level before the first declaration that are not its doc comment or the
// comment group right above it (controller-gen reads both as package
// markers).
func packageMarkerGroups(f *ast.File) []*ast.CommentGroup {
	var out []*ast.CommentGroup
	firstDecl := token.NoPos
	var firstDoc *ast.CommentGroup
	if len(f.Decls) > 0 {
		firstDecl = f.Decls[0].Pos()
		if gd, ok := f.Decls[0].(*ast.GenDecl); ok {
			firstDoc = gd.Doc
		}
		if fd, ok := f.Decls[0].(*ast.FuncDecl); ok {
			firstDoc = fd.Doc
		}
	}
	var before []*ast.CommentGroup
	for _, cg := range f.Comments {
		if cg.Pos() < f.Package {
			out = append(out, cg)
			continue
		}
		if firstDecl != token.NoPos && cg.Pos() >= firstDecl {
			break
		}
		if cg == firstDoc {
			continue
		}
		before = append(before, cg)
	}
	if firstDecl != token.NoPos && len(before) > 0 {
		// The last group before the first declaration belongs to it.
		before = before[:len(before)-1]
	}
	return append(out, before...)
}

// packageFile returns doc.go when the package has one, else its first file.
func packageFile(files []*ast.File) *ast.File {
	for _, f := range files {
		if f.Doc != nil && f.Decls == nil {
			return f
		}
	}
	return files[0]
}

// buildable reports whether a file is compiled for the default build
// context, as the Go tool and gengo see it (files with //go:build ignore
// and friends are not part of the package).
func buildable(name string, src []byte) bool {
	ctx := build.Default
	ctx.ReadDir = func(string) ([]fs.FileInfo, error) { return nil, nil }
	ctx.OpenFile = func(string) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(src)), nil }
	ok, err := ctx.MatchFile(".", name)
	return err != nil || ok
}

// groupDir is what a group directory may be called: it names the Go
// package of the hub types and the first label of the API group, so it
// must be both a Go identifier and a DNS label.
var groupDir = regexp.MustCompile(`^[a-z][a-z0-9]{0,62}$`)

// checkGroupName rejects group directories that cannot be a Go package
// and an API group name at the same time.
func (l *load) checkGroupName(g *model.Group) {
	if !groupDir.MatchString(g.Name) || token.IsKeyword(g.Name) {
		l.errorf(l.groupPos[g], "group directory %s: %q names both the Go package and the API group, so it must be lower-case letters and digits, starting with a letter, and not a Go keyword", g.Dir, g.Name)
	}
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
		l.used[c] = true
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
	return l.once(out)
}

// repeatableCRD are the CRD markers that may appear more than once on
// one declaration; a second value of any other one would silently win.
var repeatableCRD = map[string]bool{
	markers.PrintColumn: true, markers.SelectableField: true, "listMapKey": true,
	"kubebuilder:validation:XValidation": true, "kubebuilder:validation:items:XValidation": true,
	"kubebuilder:validation:ExactlyOneOf": true, "kubebuilder:validation:AtMostOneOf": true,
	"kubebuilder:validation:AtLeastOneOf": true,
}

// once rejects a marker that may appear only once on its target but is
// given twice with different values.
func (l *load) once(ms []*markers.Marker) []*markers.Marker {
	first := map[string]*markers.Marker{}
	out := ms[:0]
	for _, m := range ms {
		repeatable := m.Vocabulary == model.DeclarativeVocabulary || repeatableCRD[m.Name]
		if d := l.reg.Lookup(m.Name); d != nil && m.Vocabulary == model.AggenVocabulary {
			repeatable = d.Repeatable
		}
		prev, dup := first[m.Name]
		if repeatable || !dup {
			first[m.Name] = m
			out = append(out, m)
			continue
		}
		if prev.Raw != m.Raw {
			l.errorf(m.Pos, "marker %q is given twice on one declaration, differently (first at %s)", "+"+m.Name, prev.Pos)
		}
	}
	return out
}

// unattached reports markers of the policed namespaces that were not read
// as the markers of a package, type or field: a blank line between a
// marker and its declaration, a marker at the end of a line, or one in a
// function, would otherwise be silently ignored.
func (l *load) unattached(files []*ast.File) {
	for _, f := range files {
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				text := strings.TrimPrefix(c.Text, "//")
				if l.used[c] || !strings.HasPrefix(c.Text, "//") || !markers.IsMarker(text) {
					continue
				}
				body := strings.TrimPrefix(strings.TrimSpace(text), "+")
				name, _, _ := strings.Cut(body, "=")
				if !markers.Policed(name) {
					continue
				}
				plus := strings.IndexByte(c.Text, '+')
				l.errorf(l.pos(c.Slash+token.Pos(plus)), "marker %q is not attached to a package, type or field: put it in the comment directly above the declaration, with no blank line in between", "+"+name)
			}
		}
	}
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
	var ie model.InputError
	if errors.As(err, &ie) {
		return ie.Position()
	}
	return model.Position{}
}
