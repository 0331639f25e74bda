// Package rendertest holds what the tests of aggen's own renderers share:
// the projects they must render as the upstream generator does (the
// example, a package's own fixture, the corpora of test/corpus), one
// parse of each, and the byte-for-byte comparison with the upstream
// generator's files.
package rendertest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/generators/codegen"
	"github.com/aggen-dev/aggen/test/corpus"
	"github.com/aggen-dev/aggen/test/fixture"
	"github.com/aggen-dev/aggen/test/upstream"
)

// Project is a project parsed once, as runUpstream parses it.
type Project struct {
	Session *codegen.Session
	Tree    codegen.Tree
}

// Load parses the API packages of the project at dir.
func Load(t *testing.T, dir string) Project {
	t.Helper()
	module, err := upstream.ModulePath(dir)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := codegen.NewTree(dir, module, "pkg/apis")
	if err != nil {
		t.Fatal(err)
	}
	header := filepath.Join(dir, "hack", "boilerplate.go.txt")
	s, err := codegen.NewSession(dir, header, []string{module + "/pkg/apis/..."})
	if err != nil {
		t.Fatal(err)
	}
	return Project{Session: s, Tree: tree}
}

// Example copies the example project into a temporary directory, without
// the upstream generators' output.
func Example(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := upstream.CopyTree(filepath.Join(fixture.Root(), "examples", "insects"), dir); err != nil {
		t.Fatal(err)
	}
	if err := upstream.Prune(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Fixture makes a project of the API packages under apis (a directory
// holding pkg/apis) with the example's go.mod, go.sum and boilerplate.
func Fixture(t *testing.T, apis string) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"go.mod", "go.sum", filepath.Join("hack", "boilerplate.go.txt")} {
		b, err := os.ReadFile(filepath.Join(fixture.Root(), "examples", "insects", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := upstream.CopyTree(apis, dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Projects are the example and the corpora of test/corpus (copies of
// k8s.io/api groups, Gateway API, lws, JobSet, Flux), none of them written
// at aggen, each made when its function is called. Prometheus is left
// out, as TestOwnRenderersMatchUpstream leaves it out: its generate takes
// minutes and its shapes are in the others.
func Projects(t *testing.T) map[string]func(t *testing.T) string {
	t.Helper()
	root := fixture.Root()
	out := map[string]func(t *testing.T) string{"example": Example}
	for name, sources := range corpus.Corpora {
		if name == "prometheus" {
			continue
		}
		out[name] = func(t *testing.T) string {
			dir := t.TempDir()
			if err := corpus.Assemble(root, dir, sources); err != nil {
				t.Fatal(err)
			}
			return dir
		}
	}
	if _, ok := out["k8sapi"]; !ok {
		t.Fatal("no multi-group corpus k8sapi")
	}
	return out
}

// Compare fails unless got holds exactly the files of want under
// outputDir, byte for byte; generator names the upstream generator that
// wrote want.
func Compare(t *testing.T, generator, outputDir string, want, got map[string][]byte) {
	t.Helper()
	got = maps(got)
	var paths []string
	for p := range want {
		if strings.HasPrefix(p, outputDir+"/") {
			paths = append(paths, p)
		}
	}
	if len(paths) < 2 {
		t.Fatalf("%s wrote %d files", generator, len(paths))
	}
	sort.Strings(paths)
	for _, p := range paths {
		if g, ok := got[p]; !ok {
			t.Errorf("%s: not rendered", p)
		} else if !bytes.Equal(g, want[p]) {
			t.Errorf("%s differs from %s's:\n%s", p, generator, LineDiff(generator, string(want[p]), string(g)))
		}
		delete(got, p)
	}
	for p := range got {
		t.Errorf("%s: rendered, not written by %s", p, generator)
	}
}

func maps(m map[string][]byte) map[string][]byte {
	out := make(map[string][]byte, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// LineDiff shows the first line where want (written by generator) and got
// differ, with three lines around it.
func LineDiff(generator, want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			from := max(0, i-3)
			return fmt.Sprintf("line %d\n--- %s\n%s\n+++ aggen\n%s", i+1, generator,
				strings.Join(wl[from:min(len(wl), i+4)], "\n"), strings.Join(gl[from:min(len(gl), i+4)], "\n"))
		}
	}
	return "same lines"
}

// MatchUpstream runs, on every project, render (aggen's renderer, which
// must not fall back: an error fails the test) and reference (the upstream
// generator on the same parse), and requires the same files under
// outputDir, byte for byte.
func MatchUpstream(t *testing.T, projects map[string]func(t *testing.T) string, generator, outputDir string,
	render func(Project) (map[string][]byte, error), reference func(Project) error) {
	t.Helper()
	for name, mk := range projects {
		t.Run(name, func(t *testing.T) {
			p := Load(t, mk(t))
			got, err := render(p)
			if err != nil {
				t.Fatalf("the renderer falls back: %v", err)
			}
			if err := reference(p); err != nil {
				t.Fatal(err)
			}
			want, err := p.Session.Files()
			if err != nil {
				t.Fatal(err)
			}
			Compare(t, generator, outputDir, want, got)
		})
	}
}

// ExampleWith is Example with one edit: old replaced by new in the file at
// rel, which must hold old.
func ExampleWith(t *testing.T, rel, old, new string) string {
	t.Helper()
	dir := Example(t)
	file := filepath.Join(dir, filepath.FromSlash(rel))
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	changed := bytes.Replace(b, []byte(old), []byte(new), 1)
	if bytes.Equal(changed, b) {
		t.Fatalf("%s does not hold %q", rel, old)
	}
	if err := os.WriteFile(file, changed, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}
