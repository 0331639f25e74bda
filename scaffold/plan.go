// Package scaffold turns rendered files into changes on disk: it knows
// which files are generated and which are the user's, compares what was
// rendered with what is there, and writes only what changed, atomically.
package scaffold

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/aggen-dev/aggen/generators"
	"github.com/aggen-dev/aggen/generators/apidocs"
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
	// Scaffold marks a user-owned file as aggen rendered it from a
	// template: its New bytes go to the scaffold record when written.
	Scaffold bool
}

// Plan is the set of changes that brings a project in line with a
// rendering.
type Plan struct {
	Root    string
	Changes []*Change
	// DirMode is the mode of the directories Apply creates; 0 means 0o755.
	DirMode fs.FileMode
	// prestaged holds new files already written, outside the tree, while
	// generation ran (see prestager); Apply uses those whose bytes are
	// the plan's.
	prestaged *prestager
}

// Put plans to write data at path whatever owns it: a file the command
// itself produced (go.mod and go.sum after `go mod tidy`, certificates),
// not one rendered by a generator. It replaces an earlier change of path.
// Mode 0 keeps the mode of a file that exists.
func (p *Plan) Put(path string, data []byte, mode uint32) error {
	c := &Change{Path: path, Owner: output.UserOwned, New: data, Mode: mode}
	abs := filepath.Join(p.Root, filepath.FromSlash(path))
	old, err := os.ReadFile(abs)
	if info, statErr := os.Stat(abs); err == nil && statErr == nil && mode == 0 {
		c.Mode = uint32(info.Mode().Perm())
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		c.Action = Create
	case err != nil:
		return fmt.Errorf("reading %s: %w", path, err)
	case bytes.Equal(old, data):
		c.Old, c.Action = old, Unchanged
	default:
		c.Old, c.Action = old, Update
	}
	for i, prev := range p.Changes {
		if prev.Path == path {
			p.Changes[i] = c
			return nil
		}
	}
	p.Changes = append(p.Changes, c)
	sort.Slice(p.Changes, func(i, j int) bool { return p.Changes[i].Path < p.Changes[j].Path })
	return nil
}

// change returns the change of path, or nil.
func (p *Plan) change(path string) *Change {
	for _, c := range p.Changes {
		if c.Path == path {
			return c
		}
	}
	return nil
}

// Remove plans to delete path, a file the command itself made once, if
// it exists.
func (p *Plan) Remove(path string) error {
	old, err := os.ReadFile(filepath.Join(p.Root, filepath.FromSlash(path)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	p.Changes = append(p.Changes, &Change{Path: path, Action: Delete, Owner: output.UserOwned, Old: old})
	sort.Slice(p.Changes, func(i, j int) bool { return p.Changes[i].Path < p.Changes[j].Path })
	return nil
}

// Within narrows the plan to the changes of the paths in, for a command
// that writes one part of the project only.
func (p *Plan) Within(in func(path string) bool) {
	kept := p.Changes[:0]
	for _, c := range p.Changes {
		if in(c.Path) {
			kept = append(kept, c)
		}
	}
	p.Changes = kept
}

// Counts tallies the changes by action.
func (p *Plan) Counts() map[Action]int {
	out := map[Action]int{}
	for _, c := range p.Changes {
		out[c.Action]++
	}
	return out
}

// Report writes one line per file the plan writes or deletes, then a
// summary that counts what really changed.
func (p *Plan) Report(w io.Writer, what string) {
	for _, c := range p.Pending() {
		fmt.Fprintf(w, "%-7s %s\n", c.Action, c.Path)
	}
	n := p.Counts()
	fmt.Fprintf(w, "%s: %d created, %d updated, %d deleted, %d unchanged\n", what, n[Create], n[Update], n[Delete], n[Unchanged])
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
// files carry it after '#', Markdown in an HTML comment.
var generatedLine = regexp.MustCompile(`^(// |# |<!-- )Code generated .* DO NOT EDIT\.( -->)?$`)

// IsGenerated reports whether content carries the generated-code header
// in its first lines (before the package clause for Go).
func IsGenerated(content []byte) bool { return headerMatches(content, generatedLine) }

// headerMatches reports whether a line matching header stands before the
// package clause, within the first lines of content.
func headerMatches(content []byte, header *regexp.Regexp) bool {
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

// ourGenerators are the generators whose files aggen owns: aggen's own
// and the upstream ones it runs. A generated file of another tool (mockgen,
// controller-gen, ...) is never deleted, wherever it is.
var ourGenerators = regexp.MustCompile(`^(// |# |<!-- )Code generated by (` +
	strings.Join(append([]string{"aggen"}, generators.UpstreamGenerators()...), "|") + `)\. DO NOT EDIT\.( -->)?$`)

// generatedByUs reports whether content carries the header of one of
// aggen's generators, in the same place IsGenerated looks.
func generatedByUs(content []byte) bool { return headerMatches(content, ourGenerators) }

// ConflictError is returned when aggen would overwrite a file at a
// generated path that does not carry a generated header: someone wrote
// it by hand, and aggen does not overwrite that without --force.
type ConflictError struct {
	Paths []string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s: aggen generates %s, but the file there is not marked generated (no \"Code generated ... DO NOT EDIT.\" header); move it away, or run with --force to overwrite it",
		e.Paths[0], plural(len(e.Paths), "this file", "these files: "+strings.Join(e.Paths, ", ")))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
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
		strings.HasPrefix(rel, apidocs.Dir+"/") ||
		rel == "hack/e2e-binaries.sh"
}

// skipDirs are never walked for extra generated files.
var skipDirs = map[string]bool{".git": true, "vendor": true, "bin": true, ".aggen": true, "node_modules": true, "testdata": true}

// NewPlan compares files with the tree at root. force rewrites user-owned
// files that exist.
func NewPlan(root string, files *output.Set, force bool) (*Plan, error) {
	p := &Plan{Root: root}
	var conflicts []string
	want := map[string]bool{}
	for _, f := range files.Files() {
		want[f.Path] = true
		c := &Change{Path: f.Path, Owner: f.Owner, New: f.Data, Mode: f.Mode, Scaffold: f.Owner == output.UserOwned}
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
		case f.Owner == output.Generated && !force && !IsGenerated(old):
			conflicts = append(conflicts, f.Path)
			continue
		default:
			c.Old = old
			c.Action = Update
		}
		p.Changes = append(p.Changes, c)
	}
	err := filepath.WalkDir(root, func(abs string, d fs.DirEntry, err error) error {
		if err != nil {
			if abs == root && errors.Is(err, fs.ErrNotExist) {
				// A new project: nothing to delete.
				return filepath.SkipDir
			}
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
		if generatedByUs(old) {
			p.Changes = append(p.Changes, &Change{Path: rel, Action: Delete, Owner: output.Generated, Old: old})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scanning %s: %w", root, err)
	}
	if len(conflicts) > 0 {
		return nil, &ConflictError{Paths: conflicts}
	}
	sort.Slice(p.Changes, func(i, j int) bool { return p.Changes[i].Path < p.Changes[j].Path })
	return p, nil
}
