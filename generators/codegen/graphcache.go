package codegen

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"go/build"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/tools/go/packages"

	"github.com/aggen-dev/aggen/generators/goenv"
)

// cachedGraph is listedGraph without the go command, for the usual case.
//
// Listing the graph costs about half a second of CPU whatever the
// project's size (the go command hashes every dependency). Outside the
// main module the answer depends only on the packages the project
// imports from it, the module graph (go.mod and go.sum; modules are
// immutable) and the toolchain and build configuration: that part is
// cached under exactly those. The main module's packages are read here
// with go/build, as the go command would.
//
// It gives up (an error; the caller lists everything) on what it does not
// model: cgo in the project, a project package outside the patterns,
// directory replacements, a development toolchain, patterns other than
// "<module>/<dir>/..." and plain import paths.
func cachedGraph(dir, cache string, env []string, goEnv *goenv.Env, buildFlags, patterns []string) (answer, roots []*packages.Package, err error) {
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return nil, nil, err
	}
	mf, err := modfile.Parse("go.mod", gomod, nil)
	if err != nil || mf.Module == nil {
		return nil, nil, errors.New("no module")
	}
	for _, r := range mf.Replace {
		if r.New.Version == "" {
			return nil, nil, errors.New("directory replacement")
		}
	}
	gosum, _ := os.ReadFile(filepath.Join(dir, "go.sum"))
	module := mf.Module.Mod.Path
	ctx, envKey, err := buildContext(dir, goEnv, buildFlags)
	if err != nil {
		return nil, nil, err
	}
	// The main module's packages.
	mains := map[string]*packages.Package{}
	var mainRoots []*packages.Package
	var external []string
	for _, pat := range patterns {
		rel, ok := strings.CutPrefix(pat, module+"/")
		if !ok || pat == module {
			if strings.Contains(pat, "...") || strings.HasPrefix(pat, ".") || pat == module {
				return nil, nil, fmt.Errorf("pattern %s", pat)
			}
			external = append(external, pat)
			continue
		}
		rel, ok = strings.CutSuffix(rel, "/...")
		if !ok || strings.Contains(rel, "...") {
			return nil, nil, fmt.Errorf("pattern %s", pat)
		}
		found, err := mainPackages(ctx, dir, module, rel)
		if err != nil {
			return nil, nil, err
		}
		for _, p := range found {
			if mains[p.PkgPath] == nil {
				mains[p.PkgPath] = p
				mainRoots = append(mainRoots, p)
			}
		}
	}
	for _, p := range mains {
		for path := range p.Imports {
			switch {
			case mains[path] != nil:
			case path == module || strings.HasPrefix(path, module+"/"):
				return nil, nil, fmt.Errorf("%s imports %s, outside the patterns", p.PkgPath, path)
			case path == "C":
				return nil, nil, errors.New("cgo")
			default:
				external = append(external, path)
			}
		}
	}
	sort.Strings(external)
	external = compact(external)
	h := sha256.New()
	for _, part := range [][]byte{[]byte(strippedVersion), gomod, gosum, envKey,
		[]byte(strings.Join(buildFlags, "\x00")), []byte(strings.Join(external, "\n"))} {
		h.Write(part)
		h.Write([]byte{0})
	}
	file := filepath.Join(cache, "graphs", hex.EncodeToString(h.Sum(nil))[:32]+".json")
	ext, ids := loadGraph(file)
	if ext == nil {
		listed, err := listPackages(dir, env, buildFlags, external)
		if err != nil {
			return nil, nil, err
		}
		for _, p := range listed {
			if len(p.Errors) > 0 {
				return nil, nil, fmt.Errorf("%s: %v", p.PkgPath, p.Errors[0])
			}
		}
		ext, err = strippedGraph(cache, listed)
		if err != nil {
			return nil, nil, err
		}
		ids = map[string]string{}
		for _, p := range listed {
			ids[p.PkgPath] = p.ID
		}
		storeGraph(file, ext, ids)
	}
	// The answer: the project's packages, then the rest.
	byID := map[string]*packages.Package{}
	for _, p := range ext {
		byID[p.ID] = p
	}
	sort.Slice(mainRoots, func(i, j int) bool { return mainRoots[i].PkgPath < mainRoots[j].PkgPath })
	for _, p := range mainRoots {
		for path := range p.Imports {
			if mains[path] != nil {
				p.Imports[path] = &packages.Package{ID: path}
				continue
			}
			id, ok := ids[path]
			if !ok {
				return nil, nil, fmt.Errorf("%s not in the cached graph", path)
			}
			p.Imports[path] = &packages.Package{ID: id}
		}
		answer = append(answer, p)
	}
	answer = append(answer, ext...)
	// The roots in the order of the patterns.
	roots = mainRoots
	for _, pat := range patterns {
		if id, ok := ids[pat]; ok && mains[pat] == nil {
			roots = append(roots, byID[id])
		}
	}
	if len(roots) == 0 {
		return nil, nil, errors.New("no packages")
	}
	for _, r := range roots {
		if r == nil {
			return nil, nil, errors.New("a root is not in the cached graph")
		}
	}
	return answer, roots, nil
}

func compact(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// buildContext is go/build's view of the go command's configuration, and
// that configuration as a cache key.
func buildContext(dir string, env *goenv.Env, buildFlags []string) (build.Context, []byte, error) {
	if env == nil {
		var err error
		if env, err = goenv.Read(dir); err != nil {
			return build.Context{}, nil, err
		}
	}
	if env.Development() {
		return build.Context{}, nil, goenv.ErrDevelopment
	}
	ge := env.Get
	ctx := build.Default
	ctx.GOROOT = ge("GOROOT")
	ctx.GOOS = ge("GOOS")
	ctx.GOARCH = ge("GOARCH")
	ctx.CgoEnabled = ge("CGO_ENABLED") == "1"
	ctx.Dir = dir
	for i, f := range buildFlags {
		switch {
		case f == "-tags" && i+1 < len(buildFlags):
			ctx.BuildTags = strings.Split(buildFlags[i+1], ",")
		case strings.HasPrefix(f, "-tags="):
			ctx.BuildTags = strings.Split(strings.TrimPrefix(f, "-tags="), ",")
		}
	}
	// The declarations are listed with GOFLAGS=-mod=mod, whatever the
	// environment says.
	return ctx, env.Key("GOFLAGS"), nil
}

// mainPackages reads the packages under dir/rel as `go list` would
// expand "<module>/<rel>/...".
func mainPackages(ctx build.Context, dir, module, rel string) ([]*packages.Package, error) {
	root := filepath.Join(dir, filepath.FromSlash(rel))
	var out []*packages.Package
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if p != root {
			name := d.Name()
			if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir
			}
		}
		bp, err := ctx.ImportDir(p, 0)
		var noGo *build.NoGoError
		if errors.As(err, &noGo) {
			return nil
		}
		if err != nil {
			return err
		}
		if len(bp.CgoFiles) > 0 || len(bp.InvalidGoFiles) > 0 {
			return errors.New("cgo or invalid files")
		}
		r, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		importPath := path.Join(module, filepath.ToSlash(r))
		pkg := &packages.Package{ID: importPath, PkgPath: importPath, Name: bp.Name, Imports: map[string]*packages.Package{}}
		for _, f := range bp.GoFiles {
			pkg.GoFiles = append(pkg.GoFiles, filepath.Join(p, f))
		}
		pkg.CompiledGoFiles = pkg.GoFiles
		for _, f := range bp.IgnoredGoFiles {
			pkg.IgnoredFiles = append(pkg.IgnoredFiles, filepath.Join(p, f))
		}
		for _, imp := range bp.Imports {
			pkg.Imports[imp] = nil // resolved by the caller
		}
		out = append(out, pkg)
		return nil
	})
	return out, err
}

type cachedGraphFile struct {
	IDs      map[string]string
	Packages []*packages.Package
}

// loadGraph reads a cached graph whose stripped files all still exist.
func loadGraph(file string) ([]*packages.Package, map[string]string) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, nil
	}
	var g cachedGraphFile
	if err := json.NewDecoder(bytes.NewReader(b)).Decode(&g); err != nil || len(g.Packages) == 0 {
		return nil, nil
	}
	for _, p := range g.Packages {
		for _, f := range p.CompiledGoFiles {
			if _, err := os.Stat(f); err != nil {
				return nil, nil
			}
		}
	}
	return g.Packages, g.IDs
}

// storeGraph remembers a graph; best effort.
func storeGraph(file string, pkgs []*packages.Package, ids map[string]string) {
	b, err := json.Marshal(cachedGraphFile{IDs: ids, Packages: pkgs})
	if err != nil {
		return
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".tmp-")
	if err != nil {
		return
	}
	_, werr := tmp.Write(b)
	if cerr := tmp.Close(); werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		os.Remove(tmp.Name())
	}
}
