package scaffold

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/modfile"

	"github.com/aggen-dev/aggen/generators"
	"github.com/aggen-dev/aggen/generators/goenv"
	"github.com/aggen-dev/aggen/generators/goformat"
	"github.com/aggen-dev/aggen/generators/output"
)

// A stamp remembers that a project tree is exactly what `aggen generate`
// makes of it, so that the next generate or verify of the same tree only
// reads the tree, hashes it and compares, instead of loading and
// rendering everything again.
//
// The key is a hash of everything the output depends on:
//   - every file of the project (path and content) but those under .git,
//     bin and node_modules: the inputs (types, go.mod, go.sum, aggen.yaml,
//     the boilerplate, user-owned files whose existence or content
//     generation reads) and the outputs, so an edited generated file is
//     noticed too;
//   - the aggen binary (path, size and modification time, and its build
//     information): a rebuilt aggen, with other templates or generators,
//     is another tool;
//   - the Go toolchain and build configuration (go env) and AGGEN_*
//     variables;
//   - the options of the run; runs with --force, with controllers to
//     scaffold or with a commit hook are never stamped.
//
// Modules are immutable in the module cache, so go.mod and go.sum stand
// for the dependencies; a go.mod that replaces a module with a directory
// reaches files outside the tree, and such projects are never stamped.
type stamp struct {
	file string // where the stamp is kept
	tool string // everything but the tree
}

type stampRecord struct {
	Key string
	// Shape is the hash of the tree's paths and sizes (see shape).
	Shape    string
	Changes  []stampChange
	Warnings []string
}

type stampChange struct {
	Path   string
	Action Action
}

// stampVersion changes whenever the key's recipe or the record's form do.
const stampVersion = "aggen-stamp-3"

// newStamp returns the stamp of the run o describes, or nil when the run
// cannot be stamped.
func newStamp(o *GenerateOptions) *stamp {
	if o.Force || len(o.Controllers) > 0 || o.BeforeCommit != nil {
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	if o.goEnv == nil {
		return nil
	}
	tool, err := toolIdentity(exe, o.goEnv)
	if err != nil {
		return nil
	}
	return newStampWith(o.Dir, tool)
}

func newStampWith(dir, tool string) *stamp {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil
	}
	gomod, err := os.ReadFile(filepath.Join(abs, "go.mod"))
	if err != nil {
		return nil
	}
	f, err := modfile.Parse("go.mod", gomod, nil)
	if err != nil {
		return nil
	}
	for _, r := range f.Replace {
		if r.New.Version == "" {
			return nil
		}
	}
	cache := os.Getenv("AGGEN_CACHE")
	if cache == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return nil
		}
		cache = filepath.Join(base, "aggen")
	}
	sum := sha256.Sum256([]byte(abs))
	return &stamp{
		file: filepath.Join(cache, "stamps", hex.EncodeToString(sum[:16])+".json"),
		tool: tool,
	}
}

// toolIdentity names the aggen binary exe, the Go toolchain and the
// environment that configure generation.
func toolIdentity(exe string, goEnv *goenv.Env) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", stampVersion)
	st, err := os.Stat(exe)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(h, "%s\x00%d\x00%d\x00", exe, st.Size(), st.ModTime().UnixNano())
	if info, ok := debug.ReadBuildInfo(); ok {
		fmt.Fprintf(h, "%s\x00", info.String())
	}
	h.Write(goEnv.Key())
	fmt.Fprintf(h, "%q\x00", goEnv.Flags())
	var env []string
	for _, e := range os.Environ() {
		if strings.HasPrefix(e, "AGGEN_") {
			env = append(env, e)
		}
	}
	sort.Strings(env)
	fmt.Fprintf(h, "%q\x00", env)
	return hex.EncodeToString(h.Sum(nil)), nil
}

// skipInStamp names directories whose content generation never reads.
var skipInStamp = map[string]bool{".git": true, "bin": true, "node_modules": true}

// treeEntry is one file of a stamped tree.
type treeEntry struct {
	rel  string // slash-separated, relative to the tree
	path string
	typ  fs.FileMode // the type bits; 0 for a regular file
	size int64
}

// walkTree lists the files of the tree at dir, in lexical order, with
// their sizes; it reads no content.
func walkTree(dir string) ([]treeEntry, error) {
	var out []treeEntry
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && skipInStamp[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		e := treeEntry{rel: filepath.ToSlash(rel), path: p, typ: d.Type()}
		if e.typ.IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			e.size = info.Size()
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

// shape hashes the paths, types and sizes of a tree's files: a tree of
// another shape is not the stamped one, and telling so reads no file.
func shape(entries []treeEntry) string {
	h := sha256.New()
	for _, e := range entries {
		fmt.Fprintf(h, "%s\x00%v\x00%d\x00", e.rel, e.typ, e.size)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// key hashes the content of the tree's files with the tool identity.
// known holds contents this run has in memory, by relative path, which
// are hashed instead of read back.
func (s *stamp) key(entries []treeEntry, known map[string][]byte) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", s.tool)
	for _, e := range entries {
		if !e.typ.IsRegular() {
			// A symbolic link or anything else: hash what it is, not
			// where it leads.
			fmt.Fprintf(h, "%s\x00%v\x00", e.rel, e.typ)
			continue
		}
		fmt.Fprintf(h, "%s\x00", e.rel)
		if b, ok := known[e.rel]; ok && int64(len(b)) == e.size {
			h.Write(b)
			fmt.Fprintf(h, "\x00%d\x00", len(b))
			continue
		}
		if err := hashFile(h, e.path); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func hashFile(h hash.Hash, p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	n, err := io.Copy(h, f)
	fmt.Fprintf(h, "\x00%d\x00", n)
	return err
}

// current returns the record when the tree at dir is the one stamped.
func (s *stamp) current(dir string) (*stampRecord, bool) {
	if s == nil {
		return nil, false
	}
	b, err := os.ReadFile(s.file)
	if err != nil {
		return nil, false
	}
	var r stampRecord
	if err := json.Unmarshal(b, &r); err != nil || r.Key == "" {
		return nil, false
	}
	entries, err := walkTree(dir)
	if err != nil || shape(entries) != r.Shape {
		return nil, false
	}
	key, err := s.key(entries, nil)
	if err != nil || key != r.Key {
		return nil, false
	}
	return &r, true
}

// record stamps the tree at dir as current after plan was applied (or
// found nothing to do), with the warnings of the run. A stamp that
// cannot be written only costs the next run its shortcut.
func (s *stamp) record(dir string, plan *Plan, res *generators.Result) {
	if s == nil {
		return
	}
	entries, err := walkTree(dir)
	if err != nil {
		return
	}
	// The files of the plan are on disk as the plan has them (written, or
	// found equal); only the others are read.
	known := map[string][]byte{}
	for _, c := range plan.Changes {
		switch c.Action {
		case Create, Update:
			known[c.Path] = c.New
		case Unchanged:
			known[c.Path] = c.Old
		}
	}
	key, err := s.key(entries, known)
	if err != nil {
		return
	}
	r := stampRecord{Key: key, Shape: shape(entries), Warnings: res.Warnings}
	rendered := map[string]bool{}
	for _, f := range res.Files.Files() {
		rendered[f.Path] = true
	}
	for _, c := range plan.Changes {
		// What the next run would find: what was written is current;
		// rendered user-owned files that exist are kept; what the command
		// puts itself (the scaffold record) is compared like the rest.
		switch {
		case c.Action == Delete:
			continue
		case c.Owner == output.UserOwned && rendered[c.Path] && (c.Action == Create || c.Action == Keep):
			r.Changes = append(r.Changes, stampChange{c.Path, Keep})
		default:
			r.Changes = append(r.Changes, stampChange{c.Path, Unchanged})
		}
	}
	b, err := json.Marshal(r)
	if err != nil {
		return
	}
	writeCacheFile(s.file, b)
}

// writeCacheFile replaces file with data atomically, so that a run that
// reads it at the same time sees the old or the new whole. Only a cache
// is at stake: a failure leaves the old file, or none.
func writeCacheFile(file string, data []byte) {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".cache-")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		os.Remove(tmp.Name())
	}
}

// formatMemo is the memo of formatted Go files (goformat.Memo) kept beside
// the stamp, for the same tool; nil for a run without a stamp.
func (s *stamp) formatMemo() *goformat.Memo {
	if s == nil {
		return nil
	}
	saved, _ := os.ReadFile(s.memoFile())
	return goformat.NewMemo(saved, s.tool)
}

// saveMemo keeps what memo formatted this run for the next one.
func (s *stamp) saveMemo(memo *goformat.Memo) {
	if s == nil {
		return
	}
	if b, changed := memo.Marshal(); changed {
		writeCacheFile(s.memoFile(), b)
	}
}

// Stamps and format memos are kept per project directory, and the
// directories of tests and benchmarks are made anew each run: files of
// projects no run has used for keepUnused go, as the go command trims
// its build cache, at most once per trimEvery.
const (
	keepUnused = 5 * 24 * time.Hour
	trimEvery  = 24 * time.Hour
	// A used file's time is brought forward at most this often, to save
	// a write per run.
	touchEvery = time.Hour
)

// keep marks this project's stamp and memo as used at now, and trims the
// others that are not. Only a cache is at stake: errors are ignored.
func (s *stamp) keep(now time.Time) {
	if s == nil {
		return
	}
	dir := filepath.Dir(s.file)
	for _, f := range []string{s.file, s.memoFile()} {
		if info, err := os.Stat(f); err == nil && now.Sub(info.ModTime()) > touchEvery {
			os.Chtimes(f, now, now)
		}
	}
	mark := filepath.Join(dir, "trim.txt")
	if info, err := os.Stat(mark); err == nil && now.Sub(info.ModTime()) < trimEvery {
		return
	}
	if err := os.WriteFile(mark, nil, 0o644); err != nil {
		return
	}
	os.Chtimes(mark, now, now)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".json") && !strings.HasSuffix(name, ".format") {
			continue
		}
		if info, err := e.Info(); err == nil && now.Sub(info.ModTime()) > keepUnused {
			os.Remove(filepath.Join(dir, name))
		}
	}
}

func (s *stamp) memoFile() string { return strings.TrimSuffix(s.file, ".json") + ".format" }

// forget removes the stamp: the tree is about to change in ways the
// stamp does not know.
func (s *stamp) forget() {
	if s != nil {
		os.Remove(s.file)
	}
}

// plan is the plan a full run would have made of a stamped tree: nothing
// to write.
func (r *stampRecord) plan(dir string) *Plan {
	p := &Plan{Root: dir}
	for _, c := range r.Changes {
		p.Changes = append(p.Changes, &Change{Path: c.Path, Action: c.Action})
	}
	return p
}
