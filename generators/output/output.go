// Package output holds rendered files in memory until the scaffold layer
// compares them with the disk and writes them.
package output

import (
	"bufio"
	"bytes"
	"fmt"
	"path"
	"regexp"
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

// Set is a collection of files keyed by path, with the places its
// generators claim.
type Set struct {
	files  map[string]*File
	places []Place
}

// A Place is where a generator's generated files live. A generated file
// there that no generator produces any more is deleted; generated files
// elsewhere (another tool's, or one a generator no longer claims) are
// never touched. "dir/" holds every file under dir; a pattern with a
// slash matches the whole slash-separated path (path.Match); one without
// matches the base name, in any directory.
type Place string

// Holds reports whether the file at rel is in the place.
func (pl Place) Holds(rel string) bool {
	s := string(pl)
	switch {
	case strings.HasSuffix(s, "/"):
		return strings.HasPrefix(rel, s)
	case strings.Contains(s, "/"):
		ok, _ := path.Match(s, rel)
		return ok
	default:
		ok, _ := path.Match(s, path.Base(rel))
		return ok
	}
}

// Claim adds the places of a generator whose files the set holds.
func (s *Set) Claim(places ...Place) { s.places = append(s.places, places...) }

// Holds reports whether a place claimed in the set holds the file at rel.
func (s *Set) Holds(rel string) bool {
	for _, pl := range s.places {
		if pl.Holds(rel) {
			return true
		}
	}
	return false
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

// IsGenerated reports whether content carries the generated-code header
// in its first lines (before the package clause for Go).
func IsGenerated(content []byte) bool { return HeaderMatches(content, generatedLine) }

// generatedLine is Go's convention for generated files; YAML and shell
// files carry it after '#', Markdown in an HTML comment.
var generatedLine = regexp.MustCompile(`^(// |# |<!-- )Code generated .* DO NOT EDIT\.( -->)?$`)

// HeaderMatches reports whether a line matching header stands before the
// package clause, within the first lines of content.
func HeaderMatches(content []byte, header *regexp.Regexp) bool {
	sc := bufio.NewScanner(bytes.NewReader(content))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 0; sc.Scan() && n < 60; n++ {
		line := sc.Text()
		if header.MatchString(line) {
			return true
		}
		if strings.HasPrefix(line, "package ") {
			return false
		}
	}
	return false
}

// Len is the number of files.
func (s *Set) Len() int { return len(s.files) }
