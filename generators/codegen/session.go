// Package codegen runs the upstream Kubernetes generators (k8s.io/code-generator,
// kube-openapi) as libraries inside aggen's process, all on one parse.
//
// kube_codegen.sh starts one binary per generator and each loads the whole
// package graph again; here gengo's parser loads the packages once and
// every generator gets its own context on that parser, with the inputs that
// kube_codegen.sh would have given it. Output is captured in memory through
// a gengo FileType instead of being written by the generators.
package codegen

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/spf13/pflag"
	"golang.org/x/tools/go/packages"
	"k8s.io/gengo/v2"
	"k8s.io/gengo/v2/generator"
	"k8s.io/gengo/v2/namer"
	"k8s.io/gengo/v2/parser"
	"k8s.io/gengo/v2/types"

	"github.com/aggen-dev/aggen/generators/goenv"
	"github.com/aggen-dev/aggen/generators/goformat"
)

// Session is one parse of a project's API packages, shared by every
// upstream generator run on it.
type Session struct {
	// Dir is the absolute root of the tree the packages are loaded from.
	Dir string
	// HeaderFile is the boilerplate file passed as --go-header-file.
	HeaderFile string
	// Final, when set, is told of every file added in its final form (see
	// Add) as soon as it is, possibly from several goroutines: the
	// caller may start writing it while the other generators run.
	Final func(rel string, data []byte)

	parser *parser.Parser
	// base holds the one universe of the parse: gengo fills a universe
	// from a parser only once, so every generator's context is a copy of
	// this one with its own name systems, order and inputs.
	base *generator.Context
	out  *captured
	// fork is set on a session made by Fork: it never asks the parser for
	// anything.
	fork bool
	// forks counts the forks of this session still running generators.
	forks sync.WaitGroup
	// released ends a fork's share of its parent's forks.
	released sync.Once
	parent   *Session
}

// captured is the output of a session and of its forks.
type captured struct {
	mu    sync.Mutex
	files map[string]*rawFile
	// Files are formatted as soon as they are assembled, on the other
	// cores while the generators go on (see format).
	formatting sync.WaitGroup
	slots      chan struct{}
}

type rawFile struct {
	generator string
	// formatted is the file formatted, or err why it could not be.
	formatted []byte
	err       error
	// final: rendered by aggen in its final form, gofmt -s included.
	final bool
}

// NewSession loads the packages matching patterns from the module at dir.
// Every package any generator will ask for must be loaded here: gengo's
// parser resolves later requests relative to the process's working
// directory, not dir.
func NewSession(dir, headerFile string, patterns []string) (*Session, error) {
	return NewSessionEnv(dir, headerFile, patterns, nil)
}

// NewSessionEnv is NewSession with the go command's configuration already
// read (in the module the tree at dir copies, or in dir); nil reads it
// when needed.
func NewSessionEnv(dir, headerFile string, patterns []string, goEnv *goenv.Env) (*Session, error) {
	// -mod=mod lets the staged copy complete a go.sum that a fresh project
	// does not have yet; GOWORK=off keeps an enclosing workspace out.
	env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	load := func(env []string) (*parser.Parser, error) {
		p := parser.NewWithOptions(parser.Options{BuildTags: []string{gengo.StdBuildTag}})
		if err := p.LoadPackagesWithConfigForTesting(&packages.Config{Dir: dir, Env: env}, patterns...); err != nil {
			return nil, fmt.Errorf("loading packages: %w", err)
		}
		return p, nil
	}
	// Dependencies reach gengo as declarations only (see declarations).
	// The answer is asked for only by the load below; gengo loads
	// anything later with the go command.
	work, err := os.MkdirTemp("", "aggen-packages-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	var p *parser.Parser
	if abs, err := filepath.Abs(dir); err == nil {
		if d, err := prepareDeclarations(abs, work, env, goEnv, []string{"-tags", gengo.StdBuildTag}, patterns); err == nil {
			p, _ = load(append(env[:len(env):len(env)], "GOPACKAGESDRIVER="+d.script))
		}
	}
	if p == nil {
		// No answer could be prepared, or the load with it failed (a
		// temporary directory where nothing may run, a broken package):
		// gengo loads everything itself, slower, and reports the problem.
		if p, err = load(env); err != nil {
			return nil, err
		}
	}
	return &Session{Dir: dir, HeaderFile: headerFile, parser: p,
		out: &captured{files: map[string]*rawFile{}, slots: make(chan struct{}, runtime.GOMAXPROCS(0))}}, nil
}

// FlagSet is the flag set type the upstream generators register on.
type FlagSet = pflag.FlagSet

func (s *Session) baseContext() (*generator.Context, error) {
	if s.base == nil {
		base, err := generator.NewContext(s.parser, namer.NameSystems{}, "")
		if err != nil {
			return nil, err
		}
		s.base = base
	}
	return s.base, nil
}

// Universe returns the types of the parse, the same universe every
// generator run on this session sees. Callers must not modify it.
func (s *Session) Universe() (types.Universe, error) {
	base, err := s.baseContext()
	if err != nil {
		return nil, err
	}
	return base.Universe, nil
}

// Include makes packages that the parse loaded only as dependencies full
// members of it, as if they had been asked for: gengo reads the doc
// comments, package tags and constants of requested packages only, and
// openapi-gen, defaulter-gen and enums need them for every package whose
// types the API reaches (k8s.io/api/core/v1 under a PodTemplateSpec, for
// example). Call it before any generator runs: each generator's context
// orders the universe when it is made.
func (s *Session) Include(paths ...string) error {
	if len(paths) == 0 {
		return nil
	}
	if s.fork {
		return fmt.Errorf("including %s: a fork of the session cannot load packages", strings.Join(paths, ", "))
	}
	base, err := s.baseContext()
	if err != nil {
		return err
	}
	if !s.processed(paths) {
		// gengo fills in a package it processes now on the *types.Type
		// values the forks' universes share: wait until no fork reads them.
		s.forks.Wait()
	}
	// Every path is already in the parse as a dependency, so gengo only
	// processes it further and never asks the go command (which it would
	// run in the process's working directory, not in s.Dir).
	if _, err := base.LoadPackages(paths...); err != nil {
		return fmt.Errorf("including %s: %w", strings.Join(paths, ", "), err)
	}
	return nil
}

// processed reports whether the parser already processed every one of
// paths into the universe, so that loading them again changes nothing a
// fork reads. A requested package is processed as it is loaded (see
// Include and baseContext).
func (s *Session) processed(paths []string) bool {
	requested := map[string]bool{}
	for _, p := range s.parser.UserRequestedPackages() {
		requested[p] = true
	}
	for _, p := range paths {
		if !requested[p] {
			return false
		}
	}
	return true
}

// Fork returns a session that runs generators beside s's, on another
// goroutine, for generators that never load packages (gengo's
// Context.LoadPackages and FindPackages): a fork has its own copy of the
// universe, whose maps gengo fills on lookups, and shares s's parse,
// types and output. Call Release on the fork when its generators are
// done; until then s's Include waits before it loads a package the parse
// has not processed yet.
func (s *Session) Fork() (*Session, error) {
	if s.fork {
		return nil, errors.New("forking a fork")
	}
	base, err := s.baseContext()
	if err != nil {
		return nil, err
	}
	ctx := *base
	ctx.Universe = copyUniverse(base.Universe)
	s.forks.Add(1)
	return &Session{Dir: s.Dir, HeaderFile: s.HeaderFile, Final: s.Final, base: &ctx, out: s.out, fork: true, parent: s}, nil
}

// Release tells the forked session's parent that the fork's generators
// are done; it is a no-op on a session that is not a fork, and after the
// first call.
func (s *Session) Release() {
	if s.parent == nil {
		return
	}
	s.released.Do(s.parent.forks.Done)
}

// copyUniverse copies u's package maps, and each package's, so that
// lookups that add to them (gengo adds builtin types lazily, and a
// package for any path asked for) stay in the copy; the types themselves
// are shared.
func copyUniverse(u types.Universe) types.Universe {
	out := make(types.Universe, len(u))
	for path, p := range u {
		c := *p
		c.Types = cloneMap(p.Types)
		c.Functions = cloneMap(p.Functions)
		c.Variables = cloneMap(p.Variables)
		c.Constants = cloneMap(p.Constants)
		c.DocComments = slices.Clone(p.DocComments)
		c.Comments = slices.Clone(p.Comments)
		out[path] = &c
	}
	for path, p := range u {
		imports := make(map[string]*types.Package, len(p.Imports))
		for name, imp := range p.Imports {
			if c, ok := out[imp.Path]; ok && u[imp.Path] == imp {
				imports[name] = c
			} else {
				imports[name] = imp
			}
		}
		out[path].Imports = imports
	}
	return out
}

// cloneMap is maps.Clone, but never nil: gengo adds to these maps.
func cloneMap[V any](m map[string]V) map[string]V {
	if m == nil {
		return map[string]V{}
	}
	return maps.Clone(m)
}

func (s *Session) context(systems namer.NameSystems, defaultSystem string) (*generator.Context, error) {
	base, err := s.baseContext()
	if err != nil {
		return nil, err
	}
	ctx := *base
	ctx.Namers = namer.NameSystems{}
	for name, sys := range systems {
		ctx.Namers[name] = sys
		if name == defaultSystem {
			orderer := namer.Orderer{Namer: sys}
			ctx.Order = orderer.OrderUniverse(ctx.Universe)
		}
	}
	return &ctx, nil
}

// Flags parses a generator's command-line flags into its args, exactly as
// its own main would, so defaults stay the upstream ones.
func Flags(name string, addFlags func(*pflag.FlagSet), argv []string) error {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(ioDiscard{})
	addFlags(fs)
	if err := fs.Parse(argv); err != nil {
		return fmt.Errorf("%s arguments: %w", name, err)
	}
	return nil
}

type ioDiscard struct{}

func (ioDiscard) Write(p []byte) (int, error) { return len(p), nil }

// Run executes one generator: a context on the shared parser, limited to
// inputs, with output captured under the generator's name.
func (s *Session) Run(name string, systems namer.NameSystems, defaultSystem string, inputs []string, targets func(*generator.Context) []generator.Target) (err error) {
	defer func() {
		// The upstream generators panic on some malformed inputs; report
		// that as this generator's error instead of crashing aggen.
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: %v", name, r)
		}
	}()
	ctx, err := s.context(systems, defaultSystem)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	ctx.Inputs = append([]string(nil), inputs...)
	sort.Strings(ctx.Inputs)
	ctx.FileTypes = map[string]generator.FileType{generator.GoFileType: &memoryFile{session: s, generator: name}}
	if err := ctx.ExecuteTargets(targets(ctx)); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// memoryFile is a gengo FileType that keeps assembled files in memory.
type memoryFile struct {
	session   *Session
	generator string
}

func (m *memoryFile) AssembleFile(f *generator.File, path string) error {
	// gengo names the generator after os.Args[0]; name it after the
	// upstream generator, as its own binary would.
	f.Header = nameGenerator(f.Header, m.generator)
	var buf bytes.Buffer
	et := generator.NewErrorTracker(&buf)
	generator.NewGoFile().Assemble(et, f)
	if et.Error() != nil {
		return et.Error()
	}
	rel, err := filepath.Rel(m.session.Dir, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		return fmt.Errorf("%s wrote %s outside the project", m.generator, path)
	}
	rel = filepath.ToSlash(rel)
	out := m.session.out
	out.mu.Lock()
	defer out.mu.Unlock()
	if prev, dup := out.files[rel]; dup {
		return fmt.Errorf("%s and %s both generate %s", prev.generator, m.generator, rel)
	}
	raw := &rawFile{generator: m.generator}
	out.files[rel] = raw
	out.format(raw, buf.Bytes())
	return nil
}

// Add records a file that aggen rendered itself in place of an upstream
// generator, already formatted as Files returns files: rel is
// project-relative and slash-separated, generator the upstream generator
// whose output it replaces.
func (s *Session) Add(generator, rel string, data []byte) error {
	out := s.out
	out.mu.Lock()
	if prev, dup := out.files[rel]; dup {
		out.mu.Unlock()
		return fmt.Errorf("%s and %s both generate %s", prev.generator, generator, rel)
	}
	out.files[rel] = &rawFile{generator: generator, formatted: data, final: true}
	out.mu.Unlock()
	if s.Final != nil {
		s.Final(rel, data)
	}
	return nil
}

// AddFiles is Add for every file of a renderer's output, by
// project-relative path, in path order; it returns the first error.
func (s *Session) AddFiles(generator string, files map[string][]byte) error {
	for _, rel := range sortedKeys(files) {
		if err := s.Add(generator, rel, files[rel]); err != nil {
			return err
		}
	}
	return nil
}

// format formats data into f in the background, one file a core at a
// time; Files waits for every one. Formatting a file depends on its bytes
// alone, so the result is the same whenever it runs.
func (c *captured) format(f *rawFile, data []byte) {
	c.formatting.Add(1)
	go func() {
		defer c.formatting.Done()
		c.slots <- struct{}{}
		defer func() { <-c.slots }()
		f.formatted, f.err = goformat.Source(data)
	}()
}

func (m *memoryFile) VerifyFile(f *generator.File, path string) error {
	return errors.New("verify is done by aggen, not by gengo")
}

// Files returns every captured file by project-relative path, formatted
// the way gengo does (goimports' formatting, then gofmt -s): those of s
// and of its forks. Call it once every generator is done.
func (s *Session) Files() (map[string][]byte, error) {
	c := s.out
	c.formatting.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string][]byte, len(c.files))
	final := map[string]bool{}
	var errs []error
	for _, p := range sortedKeys(c.files) {
		f := c.files[p]
		if f.err != nil {
			errs = append(errs, fmt.Errorf("formatting %s from %s: %w", p, f.generator, f.err))
			continue
		}
		out[p] = f.formatted
		if f.final {
			final[p] = true
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if err := s.simplify(out, final); err != nil {
		return nil, err
	}
	return out, nil
}

// simplify runs `gofmt -s` over the files it could change (maySimplify),
// all in one process, as gengo runs it per file; the files are staged
// under the session directory. Files in final are left as they are.
func (s *Session) simplify(files map[string][]byte, final map[string]bool) error {
	gofmt, err := exec.LookPath("gofmt")
	if err != nil {
		goroot := runtime.GOROOT()
		gofmt = filepath.Join(goroot, "bin", "gofmt")
		if _, statErr := os.Stat(gofmt); statErr != nil {
			// gengo skips simplification when gofmt is missing; do the same.
			return nil
		}
	}
	stage, err := os.MkdirTemp(s.Dir, ".gofmt-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(stage)
	args := []string{"-s", "-w"}
	names := map[string]string{}
	i := 0
	for _, p := range sortedKeys(files) {
		b := files[p]
		if final[p] || !maySimplify(b) {
			continue
		}
		name := filepath.Join(stage, fmt.Sprintf("f%d.go", i))
		i++
		if err := os.WriteFile(name, b, 0o644); err != nil {
			return err
		}
		names[name] = p
		args = append(args, name)
	}
	if len(names) == 0 {
		return nil
	}
	cmd := exec.Command(gofmt, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("gofmt -s: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	for name, p := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		files[p] = b
	}
	return nil
}

// PerPackage describes an upstream generator that writes one file into
// each input package (deepcopy-gen, defaulter-gen, conversion-gen,
// register-gen).
type PerPackage struct {
	Name string
	// Skip leaves out these packages (import paths) though they carry Tag.
	Skip map[string]bool
	// Tag selects the input packages, as kube_codegen.sh's grep does.
	Tag        string
	OutputFile string
	AddFlags   func(*pflag.FlagSet)
	Validate   func() error
	Systems    namer.NameSystems
	Default    string
	Targets    func(*generator.Context) []generator.Target
}

// RunPerPackage runs g on every package of t that carries g.Tag.
func (s *Session) RunPerPackage(t Tree, g PerPackage) error {
	tagged, err := t.PackagesWithTag(g.Tag)
	if err != nil {
		return err
	}
	var inputs []string
	for _, p := range tagged {
		if !g.Skip[p] {
			inputs = append(inputs, p)
		}
	}
	if len(inputs) == 0 {
		return nil
	}
	if err := Flags(g.Name, g.AddFlags, []string{"--output-file", g.OutputFile, "--go-header-file", s.HeaderFile}); err != nil {
		return err
	}
	if err := g.Validate(); err != nil {
		return fmt.Errorf("%s arguments: %w", g.Name, err)
	}
	return s.Run(g.Name, g.Systems, g.Default, inputs, g.Targets)
}
