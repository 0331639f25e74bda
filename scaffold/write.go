package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync/atomic"
	"time"
)

// fileSystem is every operation Apply makes on the tree. Tests replace it
// to fail each operation in turn and to take the path of file systems
// without hard links.
type fileSystem interface {
	Mkdir(name string, perm fs.FileMode) error
	CreateTemp(dir, pattern string) (*os.File, error)
	Write(f *os.File, data []byte) error
	Chmod(name string, mode fs.FileMode) error
	Rename(from, to string) error
	Link(from, to string) error
	Chtimes(name string, atime, mtime time.Time) error
	Remove(name string) error
}

// osFS is the real file system.
type osFS struct{}

func (osFS) Mkdir(name string, perm fs.FileMode) error        { return os.Mkdir(name, perm) }
func (osFS) CreateTemp(dir, pattern string) (*os.File, error) { return os.CreateTemp(dir, pattern) }
func (osFS) Chmod(name string, mode fs.FileMode) error        { return os.Chmod(name, mode) }
func (osFS) Rename(from, to string) error                     { return os.Rename(from, to) }
func (osFS) Link(from, to string) error                       { return os.Link(from, to) }
func (osFS) Remove(name string) error                         { return os.Remove(name) }
func (osFS) Chtimes(name string, atime, mtime time.Time) error {
	return os.Chtimes(name, atime, mtime)
}
func (osFS) Write(f *os.File, data []byte) error {
	_, err := f.Write(data)
	return err
}

// fsys is what Apply writes through; only tests change it.
var fsys fileSystem = osFS{}

// Apply carries out the plan in two phases, so that a failure leaves the
// tree exactly as it was: no file changed, no temporary file or new
// directory left behind.
//
// Staging writes every new content to a temporary file beside its target,
// creating missing directories; nothing a reader of the tree relies on
// changes. beforeCommit, when not nil, runs next (tests use it to inject a
// late failure). Committing then renames each staged file over its target
// (atomic per file) after linking the old content aside, and moves deleted
// files aside the same way. If any step of the commit fails, the steps
// already taken are undone in reverse order. Only when all succeeded are
// the old contents dropped and directories emptied by deletions removed.
func (p *Plan) Apply(beforeCommit func() error) (err error) {
	pending := p.Pending()
	var ops []*op
	var createdDirs []string
	// abandon removes what staging made, on any failure before the commit
	// is complete.
	abandon := func() {
		for _, o := range ops {
			if o.tmp != "" {
				fsys.Remove(o.tmp)
			}
		}
		removeDirs(createdDirs)
	}
	dirMode := p.DirMode
	if dirMode == 0 {
		dirMode = 0o755
	}
	for _, c := range pending {
		o := &op{change: c, dst: filepath.Join(p.Root, filepath.FromSlash(c.Path))}
		ops = append(ops, o)
		if c.Action == Delete {
			continue
		}
		dir := filepath.Dir(o.dst)
		created, err := mkdirAll(dir, dirMode)
		createdDirs = append(createdDirs, created...)
		if err != nil {
			abandon()
			return fmt.Errorf("creating %s: %w", filepath.Dir(c.Path), err)
		}
		if c.Action == Create && c.Mode == 0 {
			if tmp, ok := p.prestaged.take(c.Path, c.New); ok {
				o.tmp = tmp
				continue
			}
		}
		if o.tmp, err = writeTemp(dir, c.New, fileMode(c.Mode)); err != nil {
			abandon()
			return fmt.Errorf("writing %s: %w", c.Path, err)
		}
	}
	if beforeCommit != nil {
		if err := beforeCommit(); err != nil {
			abandon()
			return err
		}
	}
	// Writes first, deletions last: a generated file that moves keeps the
	// tree consistent at every step.
	sort.SliceStable(ops, func(i, j int) bool {
		return ops[i].change.Action != Delete && ops[j].change.Action == Delete
	})
	for i, o := range ops {
		if err := o.commit(); err != nil {
			undoErr := undo(ops[:i])
			abandon()
			if undoErr != nil {
				return fmt.Errorf("%w; undoing the changes already made also failed, the tree may be inconsistent: %v", err, undoErr)
			}
			return err
		}
	}
	// The commit is complete: what follows only tidies up. The old
	// contents go, and so do directories that deletions left empty.
	for _, o := range ops {
		if o.backup != "" {
			fsys.Remove(o.backup)
		}
	}
	for _, o := range ops {
		if o.change.Action == Delete {
			removeEmptyParents(p.Root, filepath.Dir(o.dst))
		}
	}
	return nil
}

// op is one file operation of a commit.
type op struct {
	change *Change
	dst    string
	// tmp holds the staged new content until it is renamed into place.
	tmp string
	// backup holds the old content of a replaced or deleted file until the
	// commit is complete; oldMode its permissions when it had to be kept
	// in memory instead (no hard links on this file system).
	backup  string
	inMem   bool
	oldMode fs.FileMode
	oldTime time.Time
	done    bool
}

func (o *op) commit() error {
	c := o.change
	switch c.Action {
	case Delete:
		bak := backupName(o.dst)
		if err := fsys.Rename(o.dst, bak); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return fmt.Errorf("removing %s: %w", c.Path, err)
		}
		o.backup, o.done = bak, true
		return nil
	case Update:
		info, err := os.Lstat(o.dst)
		if err != nil {
			return fmt.Errorf("replacing %s: %w", c.Path, err)
		}
		bak := backupName(o.dst)
		if err := fsys.Link(o.dst, bak); err == nil {
			o.backup = bak
		} else {
			o.inMem, o.oldMode, o.oldTime = true, info.Mode().Perm(), info.ModTime()
		}
	}
	if err := fsys.Rename(o.tmp, o.dst); err != nil {
		if o.backup != "" {
			fsys.Remove(o.backup)
			o.backup = ""
		}
		return fmt.Errorf("writing %s: %w", c.Path, err)
	}
	o.tmp, o.done = "", true
	return nil
}

// undo reverts committed operations, last first.
func undo(ops []*op) error {
	var errs []error
	for i := len(ops) - 1; i >= 0; i-- {
		o := ops[i]
		if !o.done {
			continue
		}
		var err error
		switch {
		case o.change.Action == Create:
			err = fsys.Remove(o.dst)
		case o.backup != "":
			err = fsys.Rename(o.backup, o.dst)
		case o.inMem:
			var tmp string
			tmp, err = writeTemp(filepath.Dir(o.dst), o.change.Old, o.oldMode)
			if err == nil {
				err = fsys.Chtimes(tmp, o.oldTime, o.oldTime)
			}
			if err == nil {
				err = fsys.Rename(tmp, o.dst)
			}
			if err != nil && tmp != "" {
				fsys.Remove(tmp)
			}
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("restoring %s: %w", o.change.Path, err))
		}
	}
	return errors.Join(errs...)
}

func fileMode(m uint32) fs.FileMode {
	if m == 0 {
		return 0o644
	}
	return fs.FileMode(m)
}

// writeTemp writes data to a new temporary file in dir.
func writeTemp(dir string, data []byte, mode fs.FileMode) (string, error) {
	f, err := fsys.CreateTemp(dir, ".aggen-*.tmp")
	if err != nil {
		return "", err
	}
	werr := fsys.Write(f, data)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = fsys.Chmod(f.Name(), mode)
	}
	if werr != nil {
		fsys.Remove(f.Name())
		return "", werr
	}
	return f.Name(), nil
}

var backupSeq atomic.Int64

// backupName returns an unused name beside path for its old content.
func backupName(path string) string {
	dir := filepath.Dir(path)
	for {
		name := filepath.Join(dir, ".aggen-"+strconv.Itoa(os.Getpid())+"-"+strconv.FormatInt(backupSeq.Add(1), 10)+".bak")
		if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
			return name
		}
	}
}

// mkdirAll creates dir with mode and returns the directories it created,
// outermost first.
func mkdirAll(dir string, mode fs.FileMode) ([]string, error) {
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
		err := fsys.Mkdir(d, mode)
		switch {
		case err == nil:
			created = append(created, d)
		case !os.IsExist(err):
			return created, err
		}
	}
	return created, nil
}

// removeDirs removes directories this run created, innermost first; ones
// that are not empty stay.
func removeDirs(dirs []string) {
	for i := len(dirs) - 1; i >= 0; i-- {
		fsys.Remove(dirs[i])
	}
}

// removeEmptyParents removes directories left empty by deletions, up to root.
func removeEmptyParents(root, dir string) {
	for dir != root && len(dir) > len(root) {
		entries, err := os.ReadDir(dir)
		if err != nil || len(entries) > 0 {
			return
		}
		if fsys.Remove(dir) != nil {
			return
		}
		dir = filepath.Dir(dir)
	}
}
