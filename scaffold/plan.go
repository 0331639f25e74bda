// Package scaffold turns rendered files into changes on disk: it knows
// which files are generated and which are the user's, compares what was
// rendered with what is there, and writes only what changed, atomically.
package scaffold

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/aggen-dev/aggen/generators/output"
)

// Action is what a plan does to one file.
type Action int

const (
	// Unchanged files are current on disk.
	Unchanged Action = iota
	// Create writes a file that is missing.
	Create
	// Update rewrites a stale generated file.
	Update
	// Delete removes a generated file nothing produces any more.
	Delete
	// Keep leaves an existing user-owned file alone.
	Keep
)

func (a Action) String() string {
	return [...]string{"unchanged", "create", "update", "delete", "keep"}[a]
}

// Change is one planned file operation.
type Change struct {
	Path   string
	Action Action
	Owner  output.Ownership
	// Old and New are the bytes on disk and the rendered bytes.
	Old, New []byte
	Mode     uint32
}

// Plan is the set of changes that brings a project in line with a
// rendering.
type Plan struct {
	Root    string
	Changes []*Change
}

// Pending returns the changes that write or delete something.
func (p *Plan) Pending() []*Change {
	var out []*Change
	for _, c := range p.Changes {
		if c.Action == Create || c.Action == Update || c.Action == Delete {
			out = append(out, c)
		}
	}
	return out
}

// Drift returns the changes that make `aggen verify` fail: generated files
// stale, missing or extra, and missing user-owned files.
func (p *Plan) Drift() []*Change { return p.Pending() }

// generatedLine is Go's convention for generated files; YAML and shell
// files carry it after '#'.
var generatedLine = regexp.MustCompile(`^(//|#) Code generated .* DO NOT EDIT\.$`)

// IsGenerated reports whether content carries the generated-code header
// in its first lines (before the package clause for Go).
func IsGenerated(content []byte) bool {
	sc := bufio.NewScanner(bytes.NewReader(content))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 0; sc.Scan() && n < 60; n++ {
		line := sc.Text()
		if generatedLine.MatchString(line) {
			return true
		}
		if strings.HasPrefix(line, "package ") {
			return false
		}
	}
	return false
}

// generatedPlaces are where generated files may live; extra generated
// files elsewhere are never deleted.
func inGeneratedPlace(rel string) bool {
	base := path.Base(rel)
	// The hub package's doc.go is generated (gengo reads tags only there).
	hubDoc := base == "doc.go" && strings.HasPrefix(rel, "pkg/apis/") && strings.Count(rel, "/") == 3
	return hubDoc || strings.HasPrefix(base, "zz_generated.") ||
		strings.HasPrefix(rel, "pkg/generated/") ||
		strings.HasPrefix(rel, "config/") ||
		rel == "hack/e2e-binaries.sh"
}

// skipDirs are never walked for extra generated files.
var skipDirs = map[string]bool{".git": true, "vendor": true, "bin": true, ".aggen": true, "node_modules": true, "testdata": true}

// NewPlan compares files with the tree at root. force rewrites user-owned
// files that exist.
func NewPlan(root string, files *output.Set, force bool) (*Plan, error) {
	p := &Plan{Root: root}
	want := map[string]bool{}
	for _, f := range files.Files() {
		want[f.Path] = true
		c := &Change{Path: f.Path, Owner: f.Owner, New: f.Data, Mode: f.Mode}
		old, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f.Path)))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			c.Action = Create
		case err != nil:
			return nil, fmt.Errorf("reading %s: %w", f.Path, err)
		case f.Owner == output.UserOwned && !force:
			c.Old = old
			c.Action = Keep
		case bytes.Equal(old, f.Data):
			c.Old = old
			c.Action = Unchanged
		default:
			c.Old = old
			c.Action = Update
		}
		p.Changes = append(p.Changes, c)
	}
	err := filepath.WalkDir(root, func(abs string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, abs)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && (skipDirs[d.Name()] || (d.Name() != "." && strings.HasPrefix(d.Name(), "."))) {
				return filepath.SkipDir
			}
			// A nested module is another project; leave it alone.
			if rel != "." {
				if _, err := os.Stat(filepath.Join(abs, "go.mod")); err == nil {
					return filepath.SkipDir
				}
			}
			return nil
		}
		if want[rel] || !inGeneratedPlace(rel) {
			return nil
		}
		old, err := os.ReadFile(abs)
		if err != nil {
			return err
		}
		if IsGenerated(old) {
			p.Changes = append(p.Changes, &Change{Path: rel, Action: Delete, Owner: output.Generated, Old: old})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scanning %s: %w", root, err)
	}
	sort.Slice(p.Changes, func(i, j int) bool { return p.Changes[i].Path < p.Changes[j].Path })
	return p, nil
}
