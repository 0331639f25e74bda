package loader

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"golang.org/x/mod/modfile"
	"golang.org/x/tools/go/gcexportdata"

	"github.com/aggen-dev/aggen/generators/goenv"
	"github.com/aggen-dev/aggen/generators/model"
)

// apiPackage is one version package as the type checker sees it.
type apiPackage struct {
	rel   string // e.g. pkg/apis/insects/v1beta1
	fset  *token.FileSet
	files []*ast.File
	// own marks the hand-written files, whose errors are reported.
	own map[*ast.File]bool
	// info and types are what the type check found.
	info  *types.Info
	types *types.Package
	// decls and local are the loader's view of the declared types.
	decls []*typeDecl
	local map[string]*typeDecl
}

// check type-checks the package and returns the errors in its own files.
func (p *apiPackage) check(imp *exportImporter) Errors {
	own := map[string]bool{}
	for f := range p.own {
		own[p.fset.Position(f.Package).Filename] = true
	}
	var errs Errors
	conf := types.Config{
		Importer:    imp,
		FakeImportC: true,
		Error: func(err error) {
			te, ok := err.(types.Error)
			if !ok {
				return
			}
			pos := te.Fset.Position(te.Pos)
			// Messages that start with a tab continue the previous one
			// ("other declaration of X"); the position of the first says enough.
			if strings.HasPrefix(te.Msg, "\t") || !own[pos.Filename] || imp.expected(te.Msg) || generatedName(te.Msg) {
				return
			}
			errs = append(errs, &InputError{
				Pos: model.Position{File: filepath.ToSlash(pos.Filename), Line: pos.Line, Column: pos.Column},
				Msg: te.Msg,
			})
		},
	}
	p.info = &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}}
	p.types, _ = conf.Check(imp.module+"/"+p.rel, p.fset, p.files, p.info)
	return errs
}

// upstreamNames are identifiers the upstream generators define in an API
// package. Hand-written code may use them before the first generation.
var upstreamNames = []string{
	"autoConvert_", "Convert_", "SetObjectDefaults_", "SetDefaults_", "RegisterDefaults", "RegisterConversions",
	"SchemeGroupVersion", "SchemeBuilder", "localSchemeBuilder", "AddToScheme", "Resource", "Kind", "GroupName", "GroupVersion",
	"DeepCopy", "DeepCopyInto", "DeepCopyObject",
}

// generatedName reports whether a type error is about a name the upstream
// generators have not written yet.
func generatedName(msg string) bool {
	for _, prefix := range []string{"undefined: ", "missing method "} {
		if rest, ok := strings.CutPrefix(msg, prefix); ok {
			for _, n := range upstreamNames {
				if strings.HasPrefix(rest, n) {
					return true
				}
			}
		}
	}
	return strings.Contains(msg, "(missing method DeepCopyObject)")
}

// exportImporter imports packages from export data files.
type exportImporter struct {
	fset    *token.FileSet
	module  string
	exports map[string]exportFile
	mu      sync.Mutex
	pkgs    map[string]*types.Package
}

type exportFile struct {
	file string
	// dir is the package's source directory: the types of packages that
	// the API types reach are read from source for their doc comments
	// and markers, which export data does not keep.
	dir string
	err string
}

// errOwnAPI marks an import of one of the project's API packages, which
// this run regenerates, so its current content is no guide.
var errOwnAPI = errors.New("regenerated in this run")

func (i *exportImporter) Import(p string) (*types.Package, error) {
	if p == "unsafe" {
		return types.Unsafe, nil
	}
	if isOwnAPI(i.module, p) {
		return nil, errOwnAPI
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	if pkg, ok := i.pkgs[p]; ok && pkg.Complete() {
		return pkg, nil
	}
	ef, ok := i.exports[p]
	switch {
	case !ok:
		return nil, fmt.Errorf("package %s not found", p)
	case ef.err != "":
		return nil, errors.New(ef.err)
	case ef.file == "":
		return nil, fmt.Errorf("no export data for %s", p)
	}
	f, err := os.Open(ef.file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := gcexportdata.NewReader(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("reading export data of %s: %w", p, err)
	}
	return gcexportdata.Read(r, i.fset, i.pkgs, p)
}

// expected reports errors that follow from imports of the project's own
// API packages, which resolve to nothing on purpose.
func (i *exportImporter) expected(msg string) bool {
	return strings.HasPrefix(msg, "could not import ") && strings.Contains(msg, errOwnAPI.Error())
}

// isOwnAPI reports whether an import path is one of the project's API
// packages (the hub packages and their versions, install, ...).
func isOwnAPI(module, p string) bool {
	return p == module+"/"+APIsDir || strings.HasPrefix(p, module+"/"+APIsDir+"/")
}

// exportData returns the export data files of the packages: remembered
// from an earlier run when that is safe (see exportCache), else from
// `go list -export`.
func exportData(dir, module string, pkgs []string, env *goenv.Env) (map[string]exportFile, error) {
	if len(pkgs) == 0 {
		return map[string]exportFile{}, nil
	}
	cache := newExportCache(dir, module, pkgs, env)
	if out := cache.load(); out != nil {
		return out, nil
	}
	out, err := listExports(dir, pkgs)
	if err == nil {
		cache.store(out)
	}
	return out, err
}

// listExports runs `go list -export` for the packages and returns their
// export data files. It uses copies of go.mod and go.sum, so the tree is
// never written, even when go.sum lacks entries a fresh project needs.
func listExports(dir string, pkgs []string) (map[string]exportFile, error) {
	out := map[string]exportFile{}
	tmp, err := os.MkdirTemp("", "aggen-typecheck-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	for _, name := range []string{"go.mod", "go.sum"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, os.ErrNotExist) && name == "go.sum" {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(tmp, name), b, 0o644); err != nil {
			return nil, err
		}
	}
	args := append([]string{"list", "-e", "-deps", "-export", "-json=ImportPath,Export,Error,Dir", "-mod=mod", "-modfile=" + filepath.Join(tmp, "go.mod")}, pkgs...)
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("type-checking the API packages: go list -export: %v\n%s", err, strings.TrimSpace(stderr.String()))
	}
	dec := json.NewDecoder(&stdout)
	for {
		var p struct {
			ImportPath string
			Export     string
			Dir        string
			Error      *struct{ Err string }
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("type-checking the API packages: reading go list output: %w", err)
		}
		ef := exportFile{file: p.Export, dir: p.Dir}
		if p.Error != nil {
			ef.err = strings.TrimSpace(p.Error.Err)
		}
		out[p.ImportPath] = ef
	}
	return out, nil
}

// modulePath reads the module path from dir/go.mod.
func modulePath(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return "", fmt.Errorf("reading go.mod: %w", err)
	}
	mp := modfile.ModulePath(b)
	if mp == "" {
		return "", &InputError{Pos: model.Position{File: "go.mod", Line: 1, Column: 1}, Msg: "go.mod has no module line"}
	}
	return mp, nil
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
