package codegen

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/tools/go/packages"

	"github.com/aggen-dev/aggen/generators/goenv"
)

// declarations prepares the package graph gengo's parser loads.
//
// gengo fixes its go/packages mode at NeedDeps|NeedSyntax|NeedTypes, so
// every dependency (the standard library included) is parsed and
// type-checked from source, function bodies and all: two thirds of a
// generate went there. The upstream generators read declarations only
// (types, signatures, constants, doc comments and tags), so gengo gets
// the graph through a go/packages driver (GOPACKAGESDRIVER, the one hook
// gengo leaves open) whose answer aggen computed beforehand:
//
//   - the packages of the project's own module as they are;
//   - every other package's files as declaration-only copies: function
//     bodies removed (their lines kept, so every declaration and comment
//     keeps its position) and the imports only bodies used dropped;
//   - only the packages still reachable through the imports that remain.
//
// The copies are cached by file (path, size, modification time), since
// module and toolchain sources do not change under the same path.
type declarations struct {
	dir      string // where the answer and the driver script live
	response string // the driver's answer, JSON
	script   string // GOPACKAGESDRIVER
}

// strippedVersion changes whenever the copies' form does.
const strippedVersion = "aggen-declarations-2"

// prepareDeclarations writes under work the declaration-only answer for
// patterns in the module at dir, and its driver script.
func prepareDeclarations(dir, work string, env []string, goEnv *goenv.Env, buildFlags, patterns []string) (*declarations, error) {
	cache, err := strippedCacheDir()
	if err != nil {
		return nil, err
	}
	answer, roots, err := cachedGraph(dir, cache, env, goEnv, buildFlags, patterns)
	if err != nil {
		// Anything the shortcut does not understand: list it all.
		answer, roots, err = listedGraph(dir, cache, env, buildFlags, patterns)
	}
	if err != nil {
		return nil, err
	}
	resp := &packages.DriverResponse{Compiler: "gc", Arch: goarch(env), Packages: answer}
	var paths []string
	for _, r := range roots {
		resp.Roots = append(resp.Roots, r.ID)
		paths = append(paths, r.PkgPath)
	}
	var minor int
	if _, err := fmt.Sscanf(runtime.Version(), "go1.%d", &minor); err == nil {
		resp.GoVersion = minor
	}
	b, err := json.Marshal(resp)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, err
	}
	d := &declarations{dir: work, response: filepath.Join(work, "packages.json"), script: filepath.Join(work, "gopackagesdriver")}
	if err := os.WriteFile(d.response, b, 0o644); err != nil {
		return nil, err
	}
	// gengo's parser asks twice: with the patterns, then with the import
	// paths they expand to. Anything else goes to the go command.
	script := fmt.Sprintf("#!/bin/sh\ncase \"$*\" in\n%s|%s) exec cat %s ;;\nesac\necho '{\"NotHandled\":true}'\n",
		shellQuote(strings.Join(patterns, " ")), shellQuote(strings.Join(paths, " ")), shellQuote(d.response))
	if err := os.WriteFile(d.script, []byte(script), 0o755); err != nil {
		return nil, err
	}
	return d, nil
}

// listedGraph lists the whole graph of patterns with the go command and
// strips it.
func listedGraph(dir, cache string, env, buildFlags, patterns []string) (answer, roots []*packages.Package, err error) {
	roots, err = listPackages(dir, env, buildFlags, patterns)
	if err != nil {
		return nil, nil, err
	}
	answer, err = strippedGraph(cache, roots)
	return answer, roots, err
}

func listPackages(dir string, env, buildFlags, patterns []string) ([]*packages.Package, error) {
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
			packages.NeedImports | packages.NeedDeps | packages.NeedModule,
		Dir:        dir,
		Env:        append(append([]string(nil), env...), "GOPACKAGESDRIVER=off"),
		BuildFlags: buildFlags,
	}
	return packages.Load(cfg, patterns...)
}

// strippedGraph returns the packages reachable from roots through the
// imports that declarations keep, each outside the main module with its
// declaration-only files.
func strippedGraph(cache string, roots []*packages.Package) ([]*packages.Package, error) {
	// Every package of the graph, once.
	var all []*packages.Package
	seen := map[string]bool{}
	var visit func(*packages.Package)
	visit = func(p *packages.Package) {
		if seen[p.ID] {
			return
		}
		seen[p.ID] = true
		all = append(all, p)
		for _, path := range sortedImports(p) {
			visit(p.Imports[path])
		}
	}
	for _, r := range roots {
		visit(r)
	}
	// Strip the files of every package outside the main module, in
	// parallel; a file's copy is reused from the cache when present.
	type job struct {
		pkg  *packages.Package
		file int
	}
	stripped := map[*packages.Package][]string{}
	kept := map[*packages.Package]map[string]bool{}
	var jobs []job
	for _, p := range all {
		if p.Module != nil && p.Module.Main {
			continue
		}
		stripped[p] = make([]string, len(p.CompiledGoFiles))
		kept[p] = map[string]bool{}
		for i := range p.CompiledGoFiles {
			jobs = append(jobs, job{p, i})
		}
	}
	var mu sync.Mutex
	var errs []error
	queue := make(chan job)
	var wg sync.WaitGroup
	for i := 0; i < runtime.GOMAXPROCS(0); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range queue {
				names := map[string]string{}
				for path, imp := range j.pkg.Imports {
					names[path] = imp.Name
				}
				// The standard library carries no tags for the generators:
				// its comments go too (three quarters of package runtime).
				std := j.pkg.Module == nil
				copyPath, imports, err := stripCached(cache, j.pkg.CompiledGoFiles[j.file], names, std)
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				} else {
					stripped[j.pkg][j.file] = copyPath
					for _, imp := range imports {
						kept[j.pkg][imp] = true
					}
				}
				mu.Unlock()
			}
		}()
	}
	for _, j := range jobs {
		queue <- j
	}
	close(queue)
	wg.Wait()
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	out := map[string]*packages.Package{}
	var answer []*packages.Package
	var add func(*packages.Package)
	add = func(p *packages.Package) {
		if out[p.ID] != nil {
			return
		}
		q := *p
		q.Imports = map[string]*packages.Package{}
		out[p.ID] = &q
		answer = append(answer, &q)
		if files, ok := stripped[p]; ok {
			q.CompiledGoFiles = files
		}
		for _, path := range sortedImports(p) {
			if k, ok := kept[p]; ok && !k[path] {
				continue
			}
			q.Imports[path] = &packages.Package{ID: p.Imports[path].ID}
			add(p.Imports[path])
		}
	}
	for _, r := range roots {
		add(r)
	}
	return answer, nil
}

func sortedImports(p *packages.Package) []string {
	out := make([]string, 0, len(p.Imports))
	for path := range p.Imports {
		out = append(out, path)
	}
	sort.Strings(out)
	return out
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func goarch(env []string) string {
	arch := runtime.GOARCH
	for _, e := range env {
		if v, ok := strings.CutPrefix(e, "GOARCH="); ok && v != "" {
			arch = v
		}
	}
	return arch
}

func strippedCacheDir() (string, error) {
	base := os.Getenv("AGGEN_CACHE")
	if base == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return "", err
		}
		base = filepath.Join(dir, "aggen")
	}
	return filepath.Join(base, "declarations"), nil
}

// stripCached returns the declaration-only copy of file and the import
// paths it keeps, from the cache or made now. names gives the package
// name of each import path the file's package imports.
func stripCached(cache, file string, names map[string]string, dropComments bool) (string, []string, error) {
	st, err := os.Stat(file)
	if err != nil {
		return "", nil, err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%d\x00%d\x00%v\x00", strippedVersion, file, st.Size(), st.ModTime().UnixNano(), dropComments)
	for _, path := range sortedKeys(names) {
		fmt.Fprintf(h, "%s=%s\x00", path, names[path])
	}
	key := hex.EncodeToString(h.Sum(nil))[:32]
	copyPath := filepath.Join(cache, key[:2], key, filepath.Base(file))
	if b, err := os.ReadFile(copyPath); err == nil {
		imports, err := fileImports(copyPath, b)
		if err == nil {
			return copyPath, imports, nil
		}
	}
	src, err := os.ReadFile(file)
	if err != nil {
		return "", nil, err
	}
	out, imports, err := strip(file, src, names, dropComments)
	if err != nil {
		return "", nil, err
	}
	if err := os.MkdirAll(filepath.Dir(copyPath), 0o755); err != nil {
		return "", nil, err
	}
	// Write then rename: a concurrent run never reads half a file.
	tmp, err := os.CreateTemp(filepath.Dir(copyPath), ".tmp-")
	if err != nil {
		return "", nil, err
	}
	_, werr := tmp.Write(out)
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return "", nil, errors.Join(werr, cerr)
	}
	if err := os.Rename(tmp.Name(), copyPath); err != nil {
		os.Remove(tmp.Name())
		return "", nil, err
	}
	return copyPath, imports, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// fileImports lists the import paths of a Go file.
func fileImports(name string, src []byte) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ImportsOnly|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, s := range f.Imports {
		p, err := strconv.Unquote(s.Path.Value)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// strip removes the bodies of a file's function declarations and the
// imports nothing else uses, and with dropComments every comment,
// keeping every line break so positions stay.
func strip(name string, src []byte, names map[string]string, dropComments bool) ([]byte, []string, error) {
	fset := token.NewFileSet()
	mode := parser.SkipObjectResolution
	if dropComments {
		mode |= parser.ParseComments
	}
	f, err := parser.ParseFile(fset, name, src, mode)
	if err != nil {
		return nil, nil, err
	}
	tf := fset.File(f.Pos())
	off := func(p token.Pos) int { return tf.Offset(p) }
	type cut struct{ from, to int }
	var cuts []cut
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			if n.Body != nil {
				cuts = append(cuts, cut{off(n.Body.Lbrace), off(n.Body.Rbrace) + 1})
			}
			// Walk the declaration without its body.
			if n.Recv != nil {
				ast.Inspect(n.Recv, func(m ast.Node) bool { markUsed(m, used); return true })
			}
			if n.Type != nil {
				ast.Inspect(n.Type, func(m ast.Node) bool { markUsed(m, used); return true })
			}
			return false
		case *ast.ImportSpec:
			return false
		}
		markUsed(n, used)
		return true
	})
	var imports []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.IMPORT {
			continue
		}
		var drop []ast.Spec
		for _, s := range g.Specs {
			is := s.(*ast.ImportSpec)
			path, err := strconv.Unquote(is.Path.Value)
			if err != nil {
				return nil, nil, err
			}
			local := names[path]
			if is.Name != nil {
				local = is.Name.Name
			}
			if local == "." || (local != "_" && local != "" && used[local]) || (local == "" && path == "C") {
				imports = append(imports, path)
				continue
			}
			drop = append(drop, s)
		}
		switch {
		case len(drop) == 0:
		case !g.Lparen.IsValid():
			cuts = append(cuts, cut{off(g.Pos()), off(g.End())})
		default:
			for _, s := range drop {
				cuts = append(cuts, cut{off(s.Pos()), off(s.End())})
			}
		}
	}
	for _, c := range f.Comments {
		cuts = append(cuts, cut{off(c.Pos()), off(c.End())})
	}
	sort.Slice(cuts, func(i, j int) bool { return cuts[i].from < cuts[j].from })
	var out bytes.Buffer
	out.Grow(len(src))
	last := 0
	for _, c := range cuts {
		if c.from < last {
			continue
		}
		out.Write(src[last:c.from])
		if n := bytes.Count(src[c.from:c.to], []byte{'\n'}); n > 0 {
			out.Write(bytes.Repeat([]byte{'\n'}, n))
		} else {
			out.WriteByte(' ') // a/*c*/b is not ab
		}
		last = c.to
	}
	out.Write(src[last:])
	return out.Bytes(), imports, nil
}

// markUsed records the identifier a selector expression starts with: a
// package name, when it names an import.
func markUsed(n ast.Node, used map[string]bool) {
	if s, ok := n.(*ast.SelectorExpr); ok {
		if id, ok := s.X.(*ast.Ident); ok {
			used[id.Name] = true
		}
	}
}
