// Package importer reads an existing API project (a tree in the shape of
// k8s.io/sample-apiserver, or a kubebuilder project) and works out what
// an aggen project serving the same API through aggregation takes from
// it: the API packages with their import paths moved to the new module,
// the markers aggen needs added, the domain, the etcd prefix and storage
// versions the original server used, its hand-written validation calls
// and admission plugin, and a report of everything it could not carry
// over, with positions. It reads only; scaffold writes.
package importer

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/aggen-dev/aggen/generators/model"
)

// APIsDir is where the API packages of an aggen project live.
const APIsDir = "pkg/apis"

// Source is the project being imported.
type Source struct {
	// Dir is where its files are on this machine.
	Dir string
	// Label names it in the report: module@version, or the directory
	// as the user gave it.
	Label string
}

// File is one file of the new project.
type File struct {
	Path string
	Data []byte
}

// Hook is hand-written validation of a kind that the original strategy
// called, to be called from the kind's hooks.go.
type Hook struct {
	// Group is the group's directory (its first label), Kind the kind.
	Group, Kind string
	// Create and Update are the functions, as import path and name;
	// Update is empty when the strategy validated creates only.
	Create, Update Func
	// UpdateTakesOld is true when Update takes (new, old).
	UpdateTakesOld bool
	Pos            string
}

// Func is a function of a package.
type Func struct{ Package, Name string }

// Plugin is an admission plugin of the original server.
type Plugin struct {
	// Name is what it registers as; Pos where.
	Name, Pos string
	// File is the plugin's source file.
	File string
	// Dir is its package directory, relative to the source.
	Dir string
}

// Result is what the project takes from the source.
type Result struct {
	// Module is the source's Go module path.
	Module string
	// Domain is the domain of its API groups, GroupNames their names.
	Domain     string
	GroupNames []string
	// Name is the project name the original etcd prefix implies
	// (/registry/<name>.<domain>), or "".
	Name string
	// Boilerplate is the source's hack/boilerplate.go.txt, or nil.
	Boilerplate []byte
	// Files are the API packages, at their place in the new project.
	Files []*File
	Hooks []*Hook
	// Plugins are the admission plugins found, sorted by name.
	Plugins []*Plugin
	// Initializers are the packages of plugin initializers, relative.
	Initializers []string
	Report       *Report
	// rewrite maps the source's package paths to the new project's.
	rewrite []mapping
	src     Source
	newMod  string
}

type mapping struct{ from, to string }

// Analyze reads the source and plans the API packages of a project with
// module path newModule ("" keeps the source's).
func Analyze(src Source, newModule string) (*Result, error) {
	mod, err := modulePath(src.Dir)
	if err != nil {
		return nil, err
	}
	if newModule == "" {
		newModule = mod
	}
	r := &Result{Module: mod, Report: &Report{Source: src.Label}, src: src, newMod: newModule}
	files, err := listFiles(src.Dir)
	if err != nil {
		return nil, err
	}
	versions, err := findVersions(src.Dir, files)
	if err != nil {
		return nil, err
	}
	versions = r.servedVersions(files, versions)
	if len(versions) == 0 {
		return nil, &NoAPIError{Source: src.Label}
	}
	if err := r.planGroups(versions); err != nil {
		return nil, err
	}
	copied, err := r.copyAPIs(files, versions)
	if err != nil {
		return nil, err
	}
	if b, err := os.ReadFile(filepath.Join(src.Dir, "hack", "boilerplate.go.txt")); err == nil {
		r.Boilerplate = b
	}
	r.scanRest(files, copied, versions)
	if err := r.addMarkers(versions); err != nil {
		return nil, err
	}
	sort.Slice(r.Files, func(i, j int) bool { return r.Files[i].Path < r.Files[j].Path })
	r.Report.sort()
	return r, nil
}

// NoAPIError is returned for a source without API version packages.
type NoAPIError struct{ Source string }

func (e *NoAPIError) Error() string {
	return fmt.Sprintf("%s has no API version packages (a directory named like v1 or v1alpha1 whose package comment has +groupName=...): nothing to import", e.Source)
}

func modulePath(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return "", fmt.Errorf("reading the source's go.mod: %w", err)
	}
	p := modfile.ModulePath(b)
	if p == "" {
		return "", fmt.Errorf("the source's go.mod has no module line")
	}
	return p, nil
}

// listFiles lists the source's files, slash-separated, sorted, without
// version control, vendor and nested modules.
func listFiles(root string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == "." {
				return nil
			}
			if d.Name() == ".git" || d.Name() == "vendor" || d.Name() == "bin" {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			out = append(out, rel)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// version is an API version package of the source.
type version struct {
	dir       string // relative to the source
	name      string // v1alpha1
	groupName string
	label     string // the group's directory in the project
	pos       string
	dst       string // its directory in the project
	// storage is set when the original server stores the group's
	// kinds in this version.
	storage bool
}

var groupNameMarker = regexp.MustCompile(`^//\s*\+groupName=(\S+)`)

// findVersions finds the directories named like a version whose package
// comment declares +groupName.
func findVersions(root string, files []string) ([]*version, error) {
	fset := token.NewFileSet()
	seen := map[string]bool{}
	var out []*version
	for _, f := range files {
		dir := path.Dir(f)
		if seen[dir] || !isOwnGo(f) || !model.ValidVersion(path.Base(dir)) || generatedDir(dir) {
			continue
		}
		af, err := parser.ParseFile(fset, f, readFile(root, f), parser.ParseComments|parser.PackageClauseOnly)
		if err != nil {
			continue
		}
		for _, cg := range af.Comments {
			if cg.Pos() > af.Package {
				break
			}
			for _, c := range cg.List {
				if m := groupNameMarker.FindStringSubmatch(c.Text); m != nil && !seen[dir] {
					seen[dir] = true
					p := fset.Position(c.Pos())
					out = append(out, &version{dir: dir, name: path.Base(dir), groupName: m[1], pos: posString(p)})
				}
			}
		}
	}
	return out, nil
}

func readFile(root, rel string) []byte {
	b, _ := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	return b
}

func posString(p token.Position) string {
	return fmt.Sprintf("%s:%d:%d", filepath.ToSlash(p.Filename), p.Line, p.Column)
}

// isOwnGo is a Go file someone wrote (not generated by a zz_ generator).
func isOwnGo(f string) bool {
	return strings.HasSuffix(f, ".go") && !strings.HasPrefix(path.Base(f), "zz_generated")
}

// generatedDir is a tree of generated clients.
func generatedDir(dir string) bool {
	return dir == "pkg/generated" || strings.HasPrefix(dir, "pkg/generated/") || strings.Contains(dir, "/generated/clientset") ||
		strings.HasPrefix(dir, "pkg/client/")
}

var groupLabel = regexp.MustCompile(`^[a-z][a-z0-9]{0,62}$`)

// planGroups settles each version's place in the project and the domain.
func (r *Result) planGroups(versions []*version) error {
	labels := map[string]string{}
	for _, v := range versions {
		label, domain, _ := strings.Cut(v.groupName, ".")
		if !groupLabel.MatchString(label) || token.IsKeyword(label) {
			return fmt.Errorf("%s: +groupName=%s: its first label %q cannot name a Go package (lower-case letters and digits, not a Go keyword)", v.pos, v.groupName, label)
		}
		if other, ok := labels[label]; ok && other != v.groupName {
			return fmt.Errorf("%s: groups %s and %s would share the directory %s/%s", v.pos, other, v.groupName, APIsDir, label)
		}
		labels[label] = v.groupName
		v.label = label
		v.dst = path.Join(APIsDir, label, v.name)
		if r.Domain == "" && domain != "" {
			r.Domain = domain
		}
		if !contains(r.GroupNames, v.groupName) {
			r.GroupNames = append(r.GroupNames, v.groupName)
		}
	}
	sort.Strings(r.GroupNames)
	if r.Domain == "" {
		return fmt.Errorf("%s: +groupName=%s has no domain; pass --domain", versions[0].pos, versions[0].groupName)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// copyAPIs plans the API packages: a version's parent directory named
// after the group (sample-apiserver's pkg/apis/wardle, kubebuilder's
// multi-group api/<group>) is copied whole, hub types, install,
// validation and all; otherwise (kubebuilder's api/v1) the version
// directories alone. It returns the source files copied or replaced.
func (r *Result) copyAPIs(files []string, versions []*version) (map[string]bool, error) {
	roots := map[string]string{} // source dir -> project dir
	for _, v := range versions {
		parent := path.Dir(v.dir)
		if path.Base(parent) == v.label && parent != "." {
			roots[parent] = path.Join(APIsDir, v.label)
		} else {
			roots[v.dir] = v.dst
		}
	}
	var dirs []string
	for d := range roots {
		dirs = append(dirs, d)
	}
	// Longest first, so a nested root wins; then by name, for a stable order.
	sort.Slice(dirs, func(i, j int) bool {
		if len(dirs[i]) != len(dirs[j]) {
			return len(dirs[i]) > len(dirs[j])
		}
		return dirs[i] < dirs[j]
	})
	for _, d := range dirs {
		if from, to := r.Module+"/"+d, r.newMod+"/"+roots[d]; from != to {
			r.rewrite = append(r.rewrite, mapping{from, to})
		}
	}
	copied := map[string]bool{}
	schemeCopies := r.schemeCopies(files, dirs)
	for _, f := range files {
		if why, ok := schemeCopies[path.Dir(f)]; ok && isOwnGo(f) {
			copied[f] = true
			r.Report.replaced(f, why)
			continue
		}
		root := ""
		for _, d := range dirs {
			if strings.HasPrefix(f, d+"/") {
				root = d
				break
			}
		}
		if root == "" {
			continue
		}
		copied[f] = true
		dst := path.Join(roots[root], strings.TrimPrefix(f, root+"/"))
		switch {
		case !strings.HasSuffix(f, ".go"):
			r.Report.notCarried(f, "not a Go file of the API packages")
			continue
		case !isOwnGo(f):
			r.Report.replaced(f, "generated; aggen generates it again")
			continue
		case isWebhook(f):
			r.Report.notCarried(f, "a controller-runtime webhook; aggen serves defaults and validation from the markers and from pkg/registry/<group>/<kind>/hooks.go")
			r.noteDecls(f)
			continue
		}
		b := r.rewriteImports(readFile(r.src.Dir, f))
		if strings.HasSuffix(f, "_test.go") && bytes.Contains(b, []byte(`"sigs.k8s.io/controller-runtime/pkg/envtest"`)) {
			r.Report.notCarried(f, "a test on envtest (a kube-apiserver serving CRDs)")
			continue
		}
		r.Files = append(r.Files, &File{Path: dst, Data: b})
		r.Report.carried(f, dst)
	}
	return copied, nil
}

// isWebhook is a kubebuilder webhook file.
func isWebhook(f string) bool {
	b := path.Base(f)
	return strings.HasSuffix(b, "_webhook.go") || strings.HasSuffix(b, "_webhook_test.go") || b == "webhook_suite_test.go"
}

// rewriteImports moves the source's API package paths to the project's,
// in imports and in markers (+k8s:conversion-gen=<hub package>).
func (r *Result) rewriteImports(b []byte) []byte {
	s := string(b)
	for _, m := range r.rewrite {
		re := regexp.MustCompile(regexp.QuoteMeta(m.from) + `(["/\s,]|$)`)
		s = re.ReplaceAllString(s, m.to+"$1")
	}
	return []byte(s)
}

// noteDecls lists, in the report, the functions and methods of a file
// that is not carried over, and its kubebuilder markers.
func (r *Result) noteDecls(f string) {
	fset := token.NewFileSet()
	af, err := parser.ParseFile(fset, f, readFile(r.src.Dir, f), parser.ParseComments)
	if err != nil {
		return
	}
	for _, d := range af.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		name := fd.Name.Name
		if fd.Recv != nil && len(fd.Recv.List) == 1 {
			name = recvName(fd.Recv.List[0].Type) + "." + name
		}
		r.Report.detail(f, posString(fset.Position(fd.Pos())), "func "+name)
	}
	for _, cg := range af.Comments {
		for _, c := range cg.List {
			t := strings.TrimSpace(strings.TrimPrefix(c.Text, "//"))
			if strings.HasPrefix(t, "+kubebuilder:rbac") || strings.HasPrefix(t, "+kubebuilder:webhook") {
				r.Report.detail(f, posString(fset.Position(c.Pos())), "marker "+t)
			}
		}
	}
}

func recvName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return "*" + recvName(t.X)
	case *ast.Ident:
		return t.Name
	case *ast.IndexExpr:
		return recvName(t.X)
	}
	return "?"
}

// importsOf maps a file's import names to paths.
func importsOf(af *ast.File) map[string]string {
	out := map[string]string{}
	for _, is := range af.Imports {
		p, _ := strconv.Unquote(is.Path.Value)
		name := path.Base(p)
		if is.Name != nil {
			name = is.Name.Name
		}
		out[name] = p
	}
	return out
}

var registryPrefix = regexp.MustCompile(`^/registry/([a-z]([-a-z0-9]*[a-z0-9])?)\.(.+)$`)

// scanRest reads the source's other Go files for what the new project
// keeps (storage versions, etcd prefix, validation calls, admission
// plugins), and reports each as carried or not.
func (r *Result) scanRest(files []string, copied map[string]bool, versions []*version) {
	byPkg := map[string]*version{}
	for _, v := range versions {
		byPkg[r.Module+"/"+v.dir] = v
	}
	fset := token.NewFileSet()
	initDirs := map[string]bool{}
	for _, f := range files {
		if copied[f] || !isOwnGo(f) || strings.HasSuffix(f, "_test.go") {
			continue
		}
		if af, err := parser.ParseFile(fset, f, readFile(r.src.Dir, f), 0); err == nil && isInitializer(af) {
			initDirs[path.Dir(f)] = true
		}
	}
	for d := range initDirs {
		r.Initializers = append(r.Initializers, d)
	}
	sort.Strings(r.Initializers)
	for _, f := range files {
		if copied[f] {
			continue
		}
		dir := path.Dir(f)
		switch {
		case strings.HasSuffix(f, ".go") && (generatedDir(dir) || !isOwnGo(f)):
			r.Report.replaced(f, "generated; aggen generates its own (pkg/generated, zz_generated.*.go)")
			continue
		case !strings.HasSuffix(f, ".go"):
			r.Report.notCarried(f, otherFileReason(f))
			continue
		}
		af, err := parser.ParseFile(fset, f, readFile(r.src.Dir, f), parser.ParseComments)
		if err != nil {
			r.Report.notCarried(f, "does not parse: "+err.Error())
			continue
		}
		imports := importsOf(af)
		reason := ""
		ast.Inspect(af, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "NewMultiGroupVersioner" && len(x.Args) > 0 {
					if arg, ok := x.Args[0].(*ast.SelectorExpr); ok && arg.Sel.Name == "SchemeGroupVersion" {
						if id, ok := arg.X.(*ast.Ident); ok {
							if v := byPkg[imports[id.Name]]; v != nil {
								r.storage(v, posString(fset.Position(x.Pos())))
							}
						}
					}
				}
			case *ast.BasicLit:
				if x.Kind != token.STRING {
					return true
				}
				s, _ := strconv.Unquote(x.Value)
				if m := registryPrefix.FindStringSubmatch(s); m != nil && r.Name == "" && m[3] == r.Domain {
					r.Name = m[1]
					r.Report.changed(posString(fset.Position(x.Pos())), fmt.Sprintf("etcd prefix %s: the project is named %s, so its prefix /registry/<name>.<domain> is the same", s, m[1]))
				}
			}
			return true
		})
		for _, d := range af.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			switch {
			case fd.Recv == nil && fd.Name.Name == "Register" && isAdmissionRegister(fd, imports):
				name := registeredName(fd)
				r.Plugins = append(r.Plugins, &Plugin{Name: name, Pos: posString(fset.Position(fd.Pos())), File: f, Dir: dir})
				reason = "admission plugin " + name
			case fd.Recv != nil && (fd.Name.Name == "Validate" || fd.Name.Name == "ValidateUpdate"):
				if r.validationCall(fset, fd, imports) {
					reason = "a registry strategy; aggen generates the strategies, and its validation calls moved to hooks.go"
				}
			case fd.Recv != nil && fd.Name.Name == "Reconcile":
				reason = "a controller-runtime reconciler of CRDs; aggen scaffolds controllers in pkg/controller for the aggregated kinds (`aggen create api --controller`): port its logic there"
			}
		}
		if reason == "" {
			reason = goFileReason(f, af)
		}
		if strings.HasPrefix(reason, "admission plugin") {
			continue // reported by the plugin's own mapping
		}
		if initDirs[dir] && !strings.HasSuffix(f, "_test.go") {
			r.Report.replaced(f, "an admission plugin initializer; aggen generates pkg/admission/initializer, which hands plugins the generated informers")
			continue
		}
		r.Report.notCarried(f, reason)
		r.noteDecls(f)
	}
	sort.Slice(r.Plugins, func(i, j int) bool { return r.Plugins[i].Name < r.Plugins[j].Name })
}

func otherFileReason(f string) string {
	switch {
	case strings.HasPrefix(f, "config/"):
		return "a manifest of the original deployment; aggen generates config/ for an aggregated API server (APIService, Service, Deployment, RBAC, etcd)"
	case strings.HasPrefix(f, "artifacts/"):
		return "a manifest of the original deployment; aggen generates config/"
	case path.Base(f) == "go.mod" || path.Base(f) == "go.sum":
		return "the project has its own go.mod, pinned to aggen's Kubernetes release; `go mod tidy` added the API packages' imports"
	case strings.HasPrefix(f, "hack/") || path.Base(f) == "Makefile" || path.Base(f) == "Dockerfile" || path.Base(f) == "PROJECT":
		return "a build or code generation script; aggen has its own (Makefile, Dockerfile, aggen generate)"
	}
	return "not part of the API packages"
}

func goFileReason(f string, af *ast.File) string {
	switch {
	case strings.HasPrefix(f, "hack/"):
		return "a build or code generation script; aggen has its own (Makefile, Dockerfile, aggen generate)"
	case af.Name.Name == "main":
		return "a main package; aggen generates cmd/apiserver and cmd/controller-manager"
	case strings.HasSuffix(f, "_test.go"):
		return "a test of code that is not carried over"
	case strings.Contains(f, "registry/"):
		return "registry code; aggen generates the storage and strategies (pkg/registry)"
	case strings.Contains(f, "apiserver") || strings.Contains(f, "cmd/"):
		return "server wiring; aggen generates the server (pkg/apiserver, pkg/cmd/server)"
	}
	return "not part of the API packages"
}

// isAdmissionRegister is func Register(plugins *admission.Plugins).
func isAdmissionRegister(fd *ast.FuncDecl, imports map[string]string) bool {
	if fd.Type.Params == nil || len(fd.Type.Params.List) != 1 {
		return false
	}
	star, ok := fd.Type.Params.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	sel, ok := star.X.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Plugins" {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && imports[id.Name] == "k8s.io/apiserver/pkg/admission"
}

// registeredName is the string the plugin registers under.
func registeredName(fd *ast.FuncDecl) string {
	name := ""
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || name != "" {
			return name == ""
		}
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Register" && len(call.Args) == 2 {
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				name, _ = strconv.Unquote(lit.Value)
			}
		}
		return true
	})
	return name
}

// isInitializer declares an interface Wants<Something> with one Set method.
func isInitializer(af *ast.File) bool {
	for _, d := range af.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, sp := range gd.Specs {
			ts := sp.(*ast.TypeSpec)
			if _, ok := ts.Type.(*ast.InterfaceType); ok && strings.HasPrefix(ts.Name.Name, "Wants") {
				return true
			}
		}
	}
	return false
}

// validationCall notes the hand-written validation a strategy's Validate
// or ValidateUpdate calls: a function of a package the project carries,
// on the kind the method asserts.
func (r *Result) validationCall(fset *token.FileSet, fd *ast.FuncDecl, imports map[string]string) bool {
	kind, group := "", ""
	var call *Func
	takesOld := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.TypeAssertExpr:
			if star, ok := x.Type.(*ast.StarExpr); ok {
				if sel, ok := star.X.(*ast.SelectorExpr); ok {
					if id, ok := sel.X.(*ast.Ident); ok && kind == "" {
						if g := r.groupOfHub(imports[id.Name]); g != "" {
							kind, group = sel.Sel.Name, g
						}
					}
				}
			}
		case *ast.CallExpr:
			sel, ok := x.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			id, ok := sel.X.(*ast.Ident)
			if !ok || call != nil {
				return true
			}
			if to := r.mapPackage(imports[id.Name]); to != "" && strings.HasPrefix(sel.Sel.Name, "Validate") {
				call = &Func{Package: to, Name: sel.Sel.Name}
				takesOld = len(x.Args) == 2
			}
		}
		return true
	})
	if kind == "" || call == nil {
		return false
	}
	var h *Hook
	for _, x := range r.Hooks {
		if x.Group == group && x.Kind == kind {
			h = x
		}
	}
	if h == nil {
		h = &Hook{Group: group, Kind: kind}
		r.Hooks = append(r.Hooks, h)
	}
	pos := posString(fset.Position(fd.Pos()))
	if fd.Name.Name == "Validate" {
		h.Create, h.Pos = *call, pos
	} else {
		h.Update, h.UpdateTakesOld = *call, takesOld
	}
	r.Report.changed(pos, fmt.Sprintf("%s calls %s.%s: pkg/registry/%s/%s/hooks.go calls it too", fd.Name.Name, path.Base(call.Package), call.Name, group, strings.ToLower(kind)))
	return true
}

// mapPackage is the project's path of a source package it carries, or "".
func (r *Result) mapPackage(p string) string {
	for _, m := range r.rewrite {
		if p == m.from || strings.HasPrefix(p, m.from+"/") {
			return m.to + strings.TrimPrefix(p, m.from)
		}
	}
	if r.Module == r.newMod {
		for _, f := range r.Files {
			if r.newMod+"/"+path.Dir(f.Path) == p {
				return p
			}
		}
	}
	return ""
}

// groupOfHub is the group whose hub (internal) package is p, or "".
func (r *Result) groupOfHub(p string) string {
	to := r.mapPackage(p)
	rest, ok := strings.CutPrefix(to, r.newMod+"/"+APIsDir+"/")
	if !ok || strings.Contains(rest, "/") {
		return ""
	}
	return rest
}

// storage notes that the original server stored every kind of v's group
// in version v.
func (r *Result) storage(v *version, pos string) {
	r.Report.changed(pos, fmt.Sprintf("the original server stores %s in %s: its kinds there get +kubebuilder:storageversion", v.groupName, v.name))
	v.storage = true
}

// servedVersions keeps the versions that declare a kind (a struct with
// TypeMeta and ObjectMeta): a package of configuration types (a
// controller manager's component config, say) has a +groupName but
// nothing a server could store. The others are reported.
func (r *Result) servedVersions(files []string, versions []*version) []*version {
	var out []*version
	for _, v := range versions {
		kinds := false
		fset := token.NewFileSet()
		for _, f := range files {
			if path.Dir(f) != v.dir || !isOwnGo(f) || strings.HasSuffix(f, "_test.go") {
				continue
			}
			af, err := parser.ParseFile(fset, f, readFile(r.src.Dir, f), 0)
			if err != nil {
				kinds = true // let the loader report it
				continue
			}
			ast.Inspect(af, func(n ast.Node) bool {
				if st, ok := n.(*ast.StructType); ok && isKind(st) {
					kinds = true
				}
				return !kinds
			})
		}
		if kinds {
			out = append(out, v)
			continue
		}
		r.Report.changed(v.pos, fmt.Sprintf("%s declares +groupName=%s but no kind with metadata (configuration types, not resources): not imported", v.dir, v.groupName))
	}
	return out
}

// crScheme is controller-runtime's scheme package, whose Builder
// kubebuilder's groupversion_info.go uses.
const crScheme = "sigs.k8s.io/controller-runtime/pkg/scheme"

// schemeCopies finds packages, among those copied, that are copies of
// controller-runtime's scheme package (a Builder embedding
// runtime.SchemeBuilder next to its GroupVersion), made to keep
// controller-runtime out of an API module. The API packages import
// controller-runtime's own instead, which aggen knows how to add its
// registrations to; the copies stay behind.
func (r *Result) schemeCopies(files, roots []string) map[string]string {
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, f := range files {
		dir := path.Dir(f)
		if !isOwnGo(f) || strings.HasSuffix(f, "_test.go") || model.ValidVersion(path.Base(dir)) {
			continue
		}
		inRoot := false
		for _, d := range roots {
			inRoot = inRoot || strings.HasPrefix(f, d+"/")
		}
		if !inRoot {
			continue
		}
		af, err := parser.ParseFile(fset, f, readFile(r.src.Dir, f), 0)
		if err != nil {
			continue
		}
		for _, d := range af.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, sp := range gd.Specs {
				ts := sp.(*ast.TypeSpec)
				st, ok := ts.Type.(*ast.StructType)
				if !ok || ts.Name.Name != "Builder" || !hasField(st, "GroupVersion") || !embeds(st, "SchemeBuilder") {
					continue
				}
				out[dir] = "a copy of controller-runtime's scheme package: the API packages import " + crScheme + " instead"
				r.rewrite = append([]mapping{{r.Module + "/" + dir, crScheme}}, r.rewrite...)
				r.Report.changed(posString(fset.Position(ts.Pos())), "Builder copies controller-runtime's scheme.Builder: imports of "+r.Module+"/"+dir+" now name "+crScheme)
			}
		}
	}
	return out
}

func embeds(st *ast.StructType, name string) bool {
	for _, f := range st.Fields.List {
		if len(f.Names) > 0 {
			continue
		}
		if sel, ok := f.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == name {
			return true
		}
	}
	return false
}
