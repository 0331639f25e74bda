package scaffold

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/aggen-dev/aggen/generators/output"
)

// prestagedPlan is, for a tree with old.go, a rendered set with two new files in a new
// directory, a new file beside existing ones and an update, and a
// prestager that staged the new files (one with other bytes than the
// plan's) and tried the update.
func prestagedPlan(t *testing.T, root string) (*Plan, *prestager) {
	t.Helper()
	rendered := set(t,
		&output.File{Path: "pkg/generated/clientset/g/v1/a.go", Data: []byte(gen("// a\n"))},
		&output.File{Path: "pkg/generated/clientset/g/v1/b.go", Data: []byte(gen("// b\n"))},
		&output.File{Path: "pkg/generated/listers/g/v1/new.go", Data: []byte(gen("// new\n"))},
		&output.File{Path: "pkg/generated/listers/g/v1/old.go", Data: []byte(gen("// updated\n"))},
	)
	pre := newPrestager(root)
	if pre.dir == "" {
		t.Skip("the temporary directory is on another file system than the test's")
	}
	pre.add("pkg/generated/clientset/g/v1/a.go", []byte(gen("// a\n")))
	pre.add("pkg/generated/clientset/g/v1/b.go", []byte(gen("// an older b\n")))
	pre.add("pkg/generated/listers/g/v1/new.go", []byte(gen("// new\n")))
	pre.add("pkg/generated/listers/g/v1/old.go", []byte(gen("// updated\n")))
	pre.finish()
	if n := len(pre.staged); n != 3 {
		t.Fatalf("%d files staged, want the 3 new ones", n)
	}
	p, err := NewPlan(root, rendered, false)
	if err != nil {
		t.Fatal(err)
	}
	p.prestaged = pre
	return p, pre
}

// TestPrestagedApply: Apply commits the staged files whose bytes are the
// plan's, writes the others itself, and nothing staged is left behind.
func TestPrestagedApply(t *testing.T) {
	p, pre := prestagedPlan(t, tree(t, map[string]string{
		"pkg/generated/listers/g/v1/old.go": gen("// old\n"),
	}))
	staged := pre.staged["pkg/generated/clientset/g/v1/a.go"].tmp
	if err := p.Apply(nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(staged); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the staged a.go was not renamed into place: %v", err)
	}
	pre.discard()
	if _, err := os.Lstat(pre.dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the prestager's directory is left: %v", err)
	}
	want := map[string]string{
		"pkg/generated/clientset/g/v1/a.go": gen("// a\n"),
		"pkg/generated/clientset/g/v1/b.go": gen("// b\n"),
		"pkg/generated/listers/g/v1/new.go": gen("// new\n"),
		"pkg/generated/listers/g/v1/old.go": gen("// updated\n"),
	}
	got := map[string]string{}
	err := filepath.WalkDir(p.Root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(p.Root, path)
		b, err := os.ReadFile(path)
		got[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for rel, b := range want {
		if got[rel] != b {
			t.Errorf("%s = %q, want %q", rel, got[rel], b)
		}
	}
	for rel := range got {
		if _, ok := want[rel]; !ok {
			t.Errorf("%s is left in the tree", rel)
		}
	}
}

// TestPrestagedFailure: staging touches nothing in the tree, and a run
// that fails before its commit leaves it as it was, with nothing of the
// prestager's left.
func TestPrestagedFailure(t *testing.T) {
	root := tree(t, map[string]string{
		"pkg/generated/listers/g/v1/old.go": gen("// old\n"),
	})
	before := state(t, root)
	p, pre := prestagedPlan(t, root)
	sameState(t, "staging", before, state(t, root))
	injected := errors.New("injected")
	if err := p.Apply(func() error { return injected }); !errors.Is(err, injected) {
		t.Fatalf("Apply = %v, want the injected failure", err)
	}
	pre.discard()
	sameState(t, "a failed prestaged run", before, state(t, p.Root))
	if _, err := os.Lstat(pre.dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the prestager's directory is left: %v", err)
	}
}

// TestPrestagerOffForSetgidTree: a file made outside a setgid directory
// and renamed into it would keep the wrong group, so nothing is staged.
func TestPrestagerOffForSetgidTree(t *testing.T) {
	root := t.TempDir()
	probe := newPrestager(root)
	probe.discard()
	if probe.dir == "" {
		t.Skip("no prestaging here at all")
	}
	if err := os.Chmod(root, 0o755|os.ModeSetgid); err != nil {
		t.Skip(err)
	}
	if info, err := os.Stat(root); err != nil || info.Mode()&os.ModeSetgid == 0 {
		t.Skip("this file system keeps no setgid bit on directories")
	}
	pre := newPrestager(root)
	defer pre.discard()
	if pre.dir != "" {
		t.Error("files are staged outside a setgid project directory")
	}
	pre.add("a.go", []byte("package a\n"))
	pre.finish()
	if len(pre.staged) != 0 {
		t.Errorf("%d files staged", len(pre.staged))
	}
}
