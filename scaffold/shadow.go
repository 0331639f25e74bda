package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// shadow is a private copy of a project, outside it, in which a command
// runs every step that needs the project on disk before anything in the
// project itself changes: the generators read the API packages from
// disk (a new kind's types file must be there for them to see it), and
// `go mod tidy` and `go mod download` rewrite go.mod and go.sum in place.
// What those steps leave in the shadow becomes one plan for the real
// tree, applied at once; a failure anywhere before leaves the real tree
// untouched, because nothing was ever written to it.
type shadow struct {
	// root is the real project, dir its copy.
	root, dir string
}

// shadowSkips are directories never copied: version control, build
// output and local state, which no step reads.
var shadowSkips = map[string]bool{".git": true, "bin": true, ".aggen": true, "node_modules": true}

// newShadow copies the project at root (which need not exist yet) to a
// new temporary directory: regular files with their modes, and symbolic
// links as links. Hidden directories, shadowSkips and nested modules
// stay behind.
func newShadow(root string) (*shadow, error) {
	dir, err := os.MkdirTemp("", "aggen-shadow-")
	if err != nil {
		return nil, err
	}
	s := &shadow{root: root, dir: dir}
	err = filepath.WalkDir(root, func(src string, d fs.DirEntry, err error) error {
		if err != nil {
			if src == root && errors.Is(err, fs.ErrNotExist) {
				return filepath.SkipDir
			}
			return err
		}
		rel, err := filepath.Rel(root, src)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, rel)
		switch {
		case d.IsDir() && rel != ".":
			if shadowSkips[d.Name()] || strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(src, "go.mod")); err == nil {
				return filepath.SkipDir
			}
			return os.Mkdir(dst, 0o755)
		case d.IsDir():
			return nil
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(src)
			if err != nil {
				return err
			}
			return os.Symlink(target, dst)
		case d.Type().IsRegular():
			info, err := d.Info()
			if err != nil {
				return err
			}
			b, err := os.ReadFile(src)
			if err != nil {
				return err
			}
			return os.WriteFile(dst, b, info.Mode().Perm())
		}
		return nil
	})
	if err != nil {
		s.remove()
		return nil, fmt.Errorf("copying the project to a private directory: %w", err)
	}
	return s, nil
}

// remove deletes the shadow.
func (s *shadow) remove() { os.RemoveAll(s.dir) }

// apply carries out the pending changes of a plan for the real tree in
// the shadow, so later steps see the project as it will be.
func (s *shadow) apply(p *Plan) error {
	for _, c := range p.Pending() {
		dst := filepath.Join(s.dir, filepath.FromSlash(c.Path))
		if c.Action == Delete {
			if err := os.Remove(dst); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, c.New, fileMode(c.Mode)); err != nil {
			return err
		}
	}
	return nil
}

// carry plans, for the real tree, the content the shadow holds at each
// of paths (files a step in the shadow rewrote), and leaves alone the
// ones the shadow does not have.
func (s *shadow) carry(p *Plan, paths ...string) error {
	for _, rel := range paths {
		b, err := os.ReadFile(filepath.Join(s.dir, filepath.FromSlash(rel)))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if err := p.Put(rel, b, 0); err != nil {
			return err
		}
	}
	return nil
}

// shadowError is an error of a step that ran in the shadow, told with
// the real project's paths so the user can follow it. Positions of input
// errors are already relative to the project; this covers the rest (the
// go command's messages, say).
type shadowError struct {
	err    error
	shadow string
	real   string
}

func (e *shadowError) Error() string {
	return strings.ReplaceAll(e.err.Error(), e.shadow, e.real)
}

func (e *shadowError) Unwrap() error { return e.err }

// relocate wraps err, when it is not nil, so that it names the real
// project instead of the shadow.
func (s *shadow) relocate(err error) error {
	if err == nil {
		return nil
	}
	return &shadowError{err: err, shadow: s.dir, real: s.root}
}
