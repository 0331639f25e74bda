// Package determinism_test requires aggen's output to depend on nothing
// but the project: not on the run, GOMAXPROCS, the working directory, the
// temporary directory or where the project is checked out.
package determinism_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/generators/output"
	"github.com/aggen-dev/aggen/test/aggentest"
	"github.com/aggen-dev/aggen/test/upstream"
)

var aggenBin string

func TestMain(m *testing.M) { os.Exit(aggentest.Main(m, &aggenBin)) }

// run runs aggen with extra environment in cwd.
func run(t *testing.T, cwd string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(aggenBin, args...)
	cmd.Dir = cwd
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("aggen %s in %s: %v\n%s", strings.Join(args, " "), cwd, err, out.String())
	}
	return out.String()
}

// checkout copies the example to dir and removes every generated file, so
// that a run must produce all of them.
func checkout(t *testing.T, dir string) {
	t.Helper()
	if err := upstream.CopyTree("../../examples/insects", dir); err != nil {
		t.Fatal(err)
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if output.IsGenerated(b) {
			return os.Remove(p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

type file struct {
	data  []byte
	mode  fs.FileMode
	mtime int64
}

func files(t *testing.T, dir string) map[string]file {
	t.Helper()
	out := map[string]file{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = file{data: b, mode: info.Mode(), mtime: info.ModTime().UnixNano()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func compare(t *testing.T, what string, a, b map[string]file) {
	t.Helper()
	for p, fa := range a {
		fb, ok := b[p]
		switch {
		case !ok:
			t.Errorf("%s: %s is only in the first tree", what, p)
		case !bytes.Equal(fa.data, fb.data):
			t.Errorf("%s: %s differs", what, p)
		case fa.mode != fb.mode:
			t.Errorf("%s: %s has mode %v and %v", what, p, fa.mode, fb.mode)
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			t.Errorf("%s: %s is only in the second tree", what, p)
		}
	}
}

func TestOutputIsDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generators three times")
	}
	// Two checkouts at paths of different names and depths, each with its
	// own temporary directory for aggen's staging copy.
	a := filepath.Join(t.TempDir(), "insects")
	b := filepath.Join(t.TempDir(), "deeper", "path", "to", "a-checkout")
	tmpA, tmpB := t.TempDir(), t.TempDir()
	checkout(t, a)
	checkout(t, b)

	// In a: from the project directory, default GOMAXPROCS.
	run(t, a, []string{"TMPDIR=" + tmpA}, "generate")
	// In b: from elsewhere with --dir, one processor.
	elsewhere := t.TempDir()
	run(t, elsewhere, []string{"TMPDIR=" + tmpB, "GOMAXPROCS=1"}, "generate", "--dir", b)
	if runtime.NumCPU() < 2 {
		t.Log("one CPU: GOMAXPROCS=1 and the default are the same here")
	}
	first := files(t, a)
	compare(t, "checkout a (default GOMAXPROCS) vs checkout b (GOMAXPROCS=1, other path and working directory)", first, files(t, b))

	// Nothing of a machine path may end up in the output.
	for p, f := range first {
		for _, dir := range []string{a, b, tmpA, tmpB} {
			if bytes.Contains(f.data, []byte(dir)) {
				t.Errorf("%s mentions the local path %s", p, dir)
			}
		}
	}

	// A second run in a writes nothing, not even the same bytes again.
	out := run(t, a, []string{"GOMAXPROCS=1"}, "generate")
	if !strings.Contains(out, " 0 created, 0 updated, 0 deleted,") {
		t.Errorf("a second generate reported changes:\n%s", out)
	}
	second := files(t, a)
	compare(t, "first vs second run", first, second)
	for p, f := range first {
		if second[p].mtime != f.mtime {
			t.Errorf("the second run rewrote %s", p)
		}
	}
	// verify, from a third working directory, agrees.
	run(t, elsewhere, nil, "verify", "--dir", a)

	// No temporary file of aggen's outlives a run.
	for _, tmp := range []string{tmpA, tmpB} {
		entries, err := os.ReadDir(tmp)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
		for _, e := range entries {
			t.Errorf("%s left in the temporary directory", e.Name())
		}
	}
}
