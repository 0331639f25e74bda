package scaffold

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Apply carries out the plan: every new content is first written to a
// temporary file beside its target, and only when all of them are written
// are they renamed into place, so a failure leaves the tree as it was.
// beforeCommit, when not nil, runs between the two phases (tests use it
// to inject a failure).
func (p *Plan) Apply(beforeCommit func() error) error {
	type staged struct {
		tmp, dst string
	}
	var temps []staged
	cleanup := func() {
		for _, s := range temps {
			os.Remove(s.tmp)
		}
	}
	var createdDirs []string
	for _, c := range p.Pending() {
		if c.Action == Delete {
			continue
		}
		dst := filepath.Join(p.Root, filepath.FromSlash(c.Path))
		dir := filepath.Dir(dst)
		if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
			created, err := mkdirAll(dir)
			createdDirs = append(createdDirs, created...)
			if err != nil {
				cleanup()
				removeDirs(createdDirs)
				return fmt.Errorf("creating %s: %w", filepath.Dir(c.Path), err)
			}
		}
		f, err := os.CreateTemp(dir, ".aggen-*.tmp")
		if err != nil {
			cleanup()
			removeDirs(createdDirs)
			return fmt.Errorf("writing %s: %w", c.Path, err)
		}
		temps = append(temps, staged{tmp: f.Name(), dst: dst})
		mode := os.FileMode(0o644)
		if c.Mode != 0 {
			mode = os.FileMode(c.Mode)
		}
		_, werr := f.Write(c.New)
		cerr := f.Close()
		if werr == nil {
			werr = cerr
		}
		if werr == nil {
			werr = os.Chmod(f.Name(), mode)
		}
		if werr != nil {
			cleanup()
			removeDirs(createdDirs)
			return fmt.Errorf("writing %s: %w", c.Path, werr)
		}
	}
	if beforeCommit != nil {
		if err := beforeCommit(); err != nil {
			cleanup()
			removeDirs(createdDirs)
			return err
		}
	}
	for _, s := range temps {
		if err := os.Rename(s.tmp, s.dst); err != nil {
			cleanup()
			return fmt.Errorf("renaming into %s: %w", s.dst, err)
		}
	}
	for _, c := range p.Pending() {
		if c.Action != Delete {
			continue
		}
		dst := filepath.Join(p.Root, filepath.FromSlash(c.Path))
		if err := os.Remove(dst); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("removing %s: %w", c.Path, err)
		}
		removeEmptyParents(p.Root, filepath.Dir(dst))
	}
	return nil
}

// mkdirAll creates dir and returns the directories it created, deepest last.
func mkdirAll(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	sort.Slice(missing, func(i, j int) bool { return len(missing[i]) < len(missing[j]) })
	var created []string
	for _, d := range missing {
		if err := os.Mkdir(d, 0o755); err != nil && !os.IsExist(err) {
			return created, err
		}
		created = append(created, d)
	}
	return created, nil
}

func removeDirs(dirs []string) {
	for i := len(dirs) - 1; i >= 0; i-- {
		os.Remove(dirs[i])
	}
}

// removeEmptyParents removes directories left empty by deletions, up to root.
func removeEmptyParents(root, dir string) {
	for dir != root && len(dir) > len(root) {
		entries, err := os.ReadDir(dir)
		if err != nil || len(entries) > 0 {
			return
		}
		if os.Remove(dir) != nil {
			return
		}
		dir = filepath.Dir(dir)
	}
}
