// Package output holds rendered files in memory until the scaffold layer
// compares them with the disk and writes them.
package output

import (
	"fmt"
	"path"
	"sort"
	"strings"
)

// Ownership tells who owns a file after it is first written.
type Ownership int

const (
	// Generated files are rewritten by every `aggen generate`, removed when
	// what they were made from is gone, and checked by `aggen verify`.
	Generated Ownership = iota
	// UserOwned files are written once and never overwritten without --force.
	UserOwned
)

func (o Ownership) String() string {
	if o == UserOwned {
		return "user-owned"
	}
	return "generated"
}

// File is one rendered file.
type File struct {
	// Path is slash-separated and relative to the project root.
	Path  string
	Data  []byte
	Owner Ownership
	// Mode is the permission bits to write with; 0 means 0o644.
	Mode uint32
}

// Set is a collection of files keyed by path.
type Set struct {
	files map[string]*File
}

// NewSet returns an empty set.
func NewSet() *Set { return &Set{files: map[string]*File{}} }

// Add puts files in the set; a second file at the same path is an error,
// since two generators must never fight over one file.
func (s *Set) Add(files ...*File) error {
	for _, f := range files {
		p := path.Clean(f.Path)
		if strings.HasPrefix(p, "../") || path.IsAbs(p) {
			return fmt.Errorf("file %q is outside the project", f.Path)
		}
		if _, dup := s.files[p]; dup {
			return fmt.Errorf("two generators produced %s", p)
		}
		f.Path = p
		s.files[p] = f
	}
	return nil
}

// Get returns the file at p or nil.
func (s *Set) Get(p string) *File { return s.files[path.Clean(p)] }

// Files returns the files sorted by path.
func (s *Set) Files() []*File {
	out := make([]*File, 0, len(s.files))
	for _, f := range s.files {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// Len is the number of files.
func (s *Set) Len() int { return len(s.files) }
