package scaffold

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// prestager writes the generated files that do not exist yet while
// generation is still going on, on a goroutine of its own, so that Apply
// only renames them into place.
//
// Writing a large project's new files is mostly kernel time (20 MB in
// 2,300 files at 200 kinds, half a second of one core), while the last
// upstream generators leave the other core idle. The files go to a
// temporary directory outside the tree, on the tree's file system (a
// rename must move them): a run that fails, even on an input error found
// late, leaves the tree untouched, directories' modification times
// included. Where a file made there would not end up as one made in the
// tree (another file system, a setgid or default-ACL project directory,
// systems other than Linux; see stagesLikeTree), or anything else goes
// wrong, nothing is staged and Apply writes as usual.
type prestager struct {
	root string
	dir  string // "" when prestaging is off

	mu     sync.Mutex
	queue  []prestaged
	wake   chan struct{}
	closed bool
	done   chan struct{}

	// Owned by the writing goroutine until done is closed.
	staged map[string]prestaged
}

type prestaged struct {
	path string // slash-separated, relative to root
	data []byte
	tmp  string
}

func newPrestager(root string) *prestager {
	s := &prestager{root: root, wake: make(chan struct{}, 1), done: make(chan struct{}), staged: map[string]prestaged{}}
	if dir, err := os.MkdirTemp("", "aggen-prestage-"); err == nil {
		if stagesLikeTree(dir, root) {
			s.dir = dir
		} else {
			os.Remove(dir)
		}
	}
	if s.dir == "" {
		s.closed = true
		close(s.done)
		return s
	}
	go s.run()
	return s
}

// add queues a generated file; it never waits for the writing.
func (s *prestager) add(path string, data []byte) {
	s.mu.Lock()
	if !s.closed {
		s.queue = append(s.queue, prestaged{path: path, data: data})
	}
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *prestager) run() {
	defer close(s.done)
	for {
		s.mu.Lock()
		batch, closed := s.queue, s.closed
		s.queue = nil
		s.mu.Unlock()
		for _, f := range batch {
			s.write(f)
		}
		if closed && len(batch) == 0 {
			return
		}
		if len(batch) == 0 {
			<-s.wake
		}
	}
}

// write stages f when its target does not exist; on any failure f is
// left to Apply, which reports it.
func (s *prestager) write(f prestaged) {
	if _, dup := s.staged[f.path]; dup {
		return
	}
	if _, err := os.Lstat(filepath.Join(s.root, filepath.FromSlash(f.path))); !errors.Is(err, fs.ErrNotExist) {
		return
	}
	tmp, err := writeTemp(s.dir, f.data, fileMode(0))
	if err != nil {
		return
	}
	f.tmp = tmp
	s.staged[f.path] = f
}

// finish stops taking files and waits for the queued ones. It may be
// called more than once.
func (s *prestager) finish() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
	<-s.done
}

// take hands over the file staged for a new file at path with exactly
// data: the caller renames it into place or removes it. Call it after
// finish; a nil prestager has nothing.
func (s *prestager) take(path string, data []byte) (string, bool) {
	if s == nil {
		return "", false
	}
	f, ok := s.staged[path]
	if !ok || !bytes.Equal(f.data, data) {
		return "", false
	}
	delete(s.staged, path)
	return f.tmp, true
}

// discard stops the prestager and removes whatever it staged that was
// not taken, and its directory.
func (s *prestager) discard() {
	s.finish()
	s.staged = map[string]prestaged{}
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}
