package loader

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/aggen-dev/aggen/generators/goenv"
)

// exportCache remembers which export data files `go list -export` named
// for a set of imports.
//
// That answer costs about 80 ms even with a warm build cache (the go
// command hashes every dependency's sources to find it), a tenth of a
// whole `aggen generate`. It depends only on the module graph (go.mod and
// go.sum, whose modules are immutable), the toolchain and the build
// configuration, so the key is exactly those, read with `go env` (a few
// milliseconds). The build cache names export files by a hash of their
// content, so a remembered file that still exists is the right one; one
// that was trimmed away sends the check back to `go list`.
//
// Nothing is remembered when the answer could change under the same key:
// imports from the project's own module, replace directives that point at
// directories, a development toolchain, or packages that failed to load.
type exportCache struct {
	file string // "" when this lookup is not cacheable
	pkgs []string
}

// exportCacheVersion changes when the cache's format or key does.
const exportCacheVersion = "aggen-exports-3"

func newExportCache(dir, module string, pkgs []string, env *goenv.Env) *exportCache {
	c := &exportCache{pkgs: pkgs}
	for _, p := range pkgs {
		if p == module || strings.HasPrefix(p, module+"/") {
			return c
		}
	}
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return c
	}
	f, err := modfile.Parse("go.mod", gomod, nil)
	if err != nil {
		return c
	}
	for _, r := range f.Replace {
		if r.New.Version == "" {
			return c
		}
	}
	gosum, _ := os.ReadFile(filepath.Join(dir, "go.sum"))
	if env == nil {
		if env, err = goenv.Read(dir); err != nil {
			return c
		}
	}
	if env.Development() {
		return c
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return c
	}
	h := sha256.New()
	for _, part := range [][]byte{[]byte(exportCacheVersion), gomod, gosum, env.Key("GOFLAGS"), []byte(strings.Join(pkgs, "\n"))} {
		h.Write(part)
		h.Write([]byte{0})
	}
	c.file = filepath.Join(base, "aggen", "exports", hex.EncodeToString(h.Sum(nil))+".json")
	return c
}

// cachedPackage is what the cache remembers of one package.
type cachedPackage struct {
	Export string `json:"export,omitempty"`
	Dir    string `json:"dir,omitempty"`
}

// load returns the remembered export files, or nil.
func (c *exportCache) load() map[string]exportFile {
	if c.file == "" {
		return nil
	}
	b, err := os.ReadFile(c.file)
	if err != nil {
		return nil
	}
	var files map[string]cachedPackage
	if json.Unmarshal(b, &files) != nil || len(files) == 0 {
		return nil
	}
	for _, p := range c.pkgs {
		if _, ok := files[p]; !ok {
			return nil
		}
	}
	out := map[string]exportFile{}
	for p, f := range files {
		if f.Export != "" {
			if _, err := os.Stat(f.Export); err != nil {
				return nil
			}
		}
		out[p] = exportFile{file: f.Export, dir: f.Dir}
	}
	return out
}

// store remembers a complete answer; best effort.
func (c *exportCache) store(exports map[string]exportFile) {
	if c.file == "" {
		return
	}
	for _, p := range c.pkgs {
		e, ok := exports[p]
		if !ok || e.err != "" || e.file == "" {
			return
		}
	}
	files := map[string]cachedPackage{}
	for p, e := range exports {
		if e.err != "" {
			return
		}
		files[p] = cachedPackage{Export: e.file, Dir: e.dir}
	}
	b, err := json.Marshal(files)
	if err != nil {
		return
	}
	if err := os.MkdirAll(filepath.Dir(c.file), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(c.file), ".tmp-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(b)
	if cerr := tmp.Close(); werr == nil && cerr == nil {
		if os.Rename(tmp.Name(), c.file) == nil {
			return
		}
	}
	os.Remove(tmp.Name())
}
