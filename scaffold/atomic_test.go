package scaffold

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/generators/loader"
)

// copyTree copies the regular files and directories under src to dst,
// with their modes and modification times.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(target, info.Mode().Perm())
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(target, b, info.Mode().Perm()); err != nil {
			return err
		}
		return os.Chtimes(target, info.ModTime(), info.ModTime())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// example is a private copy of examples/insects: group insects with Bee
// in v1alpha1 and v1beta1 and Hive in v1beta1 only; v1beta1 is stored.
func example(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "insects")
	copyTree(t, filepath.Join("..", "examples", "insects"), dir)
	return dir
}

func createOpts(dir, group, version, kind string) CreateAPIOptions {
	return CreateAPIOptions{Dir: dir, Group: group, Version: version, Kind: kind,
		Namespaced: true, Status: true, Controller: true, SkipTidy: true}
}

// shadowsLeft counts the shadow directories of this process's runs.
func shadowsLeft(t *testing.T) int {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(os.TempDir(), "aggen-shadow-*"))
	if err != nil {
		t.Fatal(err)
	}
	return len(m)
}

// TestCreateAPIFailuresLeaveTreeUntouched fails `create api` at each of
// its steps: the new kind's own validation, the generate step, `go mod
// tidy` and the commit. Every time the tree (content, modes, modification
// times, directories, empty ones included) must be exactly as before,
// and no shadow left behind.
func TestCreateAPIFailuresLeaveTreeUntouched(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generators")
	}
	dir := example(t)
	// A temporary directory of the test's own, so shadows are counted
	// without the other processes of the machine.
	t.Setenv("TMPDIR", t.TempDir())
	shadows := shadowsLeft(t)
	run := func(what string, o CreateAPIOptions, check func(error)) {
		t.Helper()
		before := state(t, dir)
		if err := o.Validate(); err != nil {
			t.Fatal(err)
		}
		err := CreateAPI(o)
		if err == nil {
			t.Fatalf("%s: create api succeeded", what)
		}
		check(err)
		sameState(t, what, before, state(t, dir))
		if n := shadowsLeft(t); n != shadows {
			t.Errorf("%s: %d shadow directories left behind", what, n-shadows)
		}
	}

	// A Bee in v1 without --scale becomes Bee's storage version (the
	// newest): the replicas of v1alpha1 and v1beta1 then have nowhere to
	// go, and the conversions aggen would need the user to write fail the
	// run after the new kind was rendered and generated.
	run("a new kind whose versions do not convert", createOpts(dir, "insects", "v1", "Bee"), func(err error) {
		if !loader.IsInputError(err) || !strings.Contains(err.Error(), "pkg/apis/insects/v1beta1/bee_types.go:") ||
			!strings.Contains(err.Error(), "write func Convert_v1beta1_BeeSpec_To_insects_BeeSpec(") {
			t.Errorf("the error does not name the conversions to write: %v", err)
		}
	})

	// A hook function the generated strategy calls is gone: the generate
	// step fails after the new kind was rendered.
	hooks := filepath.Join(dir, "pkg/registry/insects/hive/hooks.go")
	original, err := os.ReadFile(hooks)
	if err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(hooks)
	broken := strings.Replace(string(original), "func validateUpdate(", "func validateUpdateRenamed(", 1)
	if err := os.WriteFile(hooks, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	run("a generate step that fails", createOpts(dir, "insects", "v1beta1", "Wasp"), func(err error) {
		if !loader.IsInputError(err) || !strings.Contains(err.Error(), "missing hook func validateUpdate") {
			t.Errorf("unexpected error: %v", err)
		}
	})
	if err := os.WriteFile(hooks, original, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(hooks, info.ModTime(), info.ModTime())

	// go mod tidy cannot resolve an import of the user's: it runs after
	// generating, in the shadow, and its failure writes nothing either.
	tool := filepath.Join(dir, "cmd", "tool")
	if err := os.MkdirAll(tool, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tool, "main.go"), []byte("package main\n\nimport _ \"example.invalid/nothing\"\n\nfunc main() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOPROXY", "off")
	o := createOpts(dir, "insects", "v1beta1", "Wasp")
	o.SkipTidy = false
	run("go mod tidy that fails", o, func(err error) {
		if !strings.Contains(err.Error(), "go mod tidy") || strings.Contains(err.Error(), "aggen-shadow-") {
			t.Errorf("the error does not name the step, or names the shadow: %v", err)
		}
	})
	if err := os.RemoveAll(tool); err != nil {
		t.Fatal(err)
	}

	// Everything rendered and staged; the commit fails.
	o = createOpts(dir, "insects", "v1beta1", "Wasp")
	injected := errors.New("injected")
	o.beforeCommit = func() error { return injected }
	run("a commit that fails", o, func(err error) {
		if !errors.Is(err, injected) {
			t.Errorf("unexpected error: %v", err)
		}
	})
}

// TestCreateAPIFailsAtEveryFileOperation applies the plan of a `create
// api` that adds a group (new directories, new files, updates of the
// files every group is wired into), failing each of its file operations
// in turn on a fresh copy of the project.
func TestCreateAPIFailsAtEveryFileOperation(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generators")
	}
	dir := example(t)
	o := createOpts(dir, "garden", "v1", "Flower")
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	plan, _, err := planCreateAPI(&o)
	if err != nil {
		t.Fatal(err)
	}
	n := plan.Counts()
	if n[Create] == 0 || n[Update] == 0 || n[Unchanged] == 0 {
		t.Fatalf("the plan was meant to create, update and leave files: %v", n)
	}
	steps := failEveryStep(t, func() *Plan {
		copy := filepath.Join(t.TempDir(), "insects")
		copyTree(t, dir, copy)
		p := *plan
		p.Root = copy
		return &p
	})
	t.Logf("create api of garden/v1 Flower: %d file operations, each failed once", steps)
}

// TestCreateAPIReportsWhatChanged checks that a successful create api
// writes only what changed and says so: files it leaves alone are not
// reported, and a generate right after has nothing to do.
func TestCreateAPIReportsWhatChanged(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generators")
	}
	dir := example(t)
	var out strings.Builder
	o := createOpts(dir, "insects", "v1beta1", "Wasp")
	o.Out = &out
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	before := state(t, dir)
	if err := CreateAPI(o); err != nil {
		t.Fatal(err)
	}
	after := state(t, dir)
	changed := map[string]string{}
	for p, a := range after {
		b, ok := before[p]
		switch {
		case strings.HasPrefix(a, "d"):
			// A directory.
		case !ok:
			changed[p] = "create"
		case a != b:
			changed[p] = "update"
		}
	}
	reported := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		f := strings.Fields(line)
		if len(f) == 2 {
			reported[f[1]] = f[0]
		}
	}
	for p, a := range changed {
		if reported[p] != a {
			t.Errorf("%s: changed (%s) but reported %q", p, a, reported[p])
		}
	}
	for p, a := range reported {
		if changed[p] != a {
			t.Errorf("%s: reported %s but on disk %q", p, a, changed[p])
		}
	}
	if !strings.Contains(out.String(), "create api: ") || !strings.Contains(out.String(), " unchanged") {
		t.Errorf("no summary:\n%s", out.String())
	}
	var gen strings.Builder
	if _, err := Generate(GenerateOptions{Dir: dir, Out: &gen}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(gen.String(), "generate: 0 created, 0 updated, 0 deleted") {
		t.Errorf("generate after create api had work left:\n%s", gen.String())
	}
}

// TestInitFailureLeavesNothing fails init after everything is rendered,
// and at the download step: the directory it would have made does not
// appear, and an existing one stays as it was.
func TestInitFailureLeavesNothing(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "new")
	injected := errors.New("injected")
	o := InitOptions{Dir: dir, Domain: "example.com", Repo: "example.com/new", SkipDownload: true, beforeCommit: func() error { return injected }}
	if err := Init(o); !errors.Is(err, injected) {
		t.Fatalf("Init = %v, want the injected error", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a failed init left %s: %v", dir, err)
	}

	existing := filepath.Join(parent, "existing")
	if err := os.MkdirAll(filepath.Join(existing, "docs", "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(existing, "README.md"), []byte("mine\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	before := state(t, existing)
	// No module can be downloaded: an empty module cache and no proxy.
	t.Setenv("GOMODCACHE", t.TempDir())
	t.Setenv("GOPROXY", "off")
	o = InitOptions{Dir: existing, Domain: "example.com", Repo: "example.com/existing"}
	err := Init(o)
	if err == nil || !strings.Contains(err.Error(), "go mod download") {
		t.Fatalf("Init without modules = %v, want the download to fail", err)
	}
	sameState(t, "init whose download fails", before, state(t, existing))
}

// TestInitFailsAtEveryFileOperation fails each file operation of init's
// plan in turn.
func TestInitFailsAtEveryFileOperation(t *testing.T) {
	if testing.Short() {
		t.Skip("a few hundred runs")
	}
	o := InitOptions{Dir: filepath.Join(t.TempDir(), "x"), Domain: "example.com", Repo: "example.com/x", SkipDownload: true}
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	plan, err := planInit(&o)
	if err != nil {
		t.Fatal(err)
	}
	failEveryStep(t, func() *Plan {
		p := *plan
		// A parent that exists, and the project directory that does not.
		p.Root = filepath.Join(t.TempDir(), "x")
		return &p
	})
}

// TestCertsFailureLeavesTreeUntouched fails certs after everything is
// staged, first with no .aggen yet, then replacing every CA and
// certificate: neither run may leave a trace.
func TestCertsFailureLeavesTreeUntouched(t *testing.T) {
	dir := example(t)
	injected := errors.New("injected")
	before := state(t, dir)
	if err := Certs(CertsOptions{Dir: dir, beforeCommit: func() error { return injected }}); !errors.Is(err, injected) {
		t.Fatalf("Certs = %v, want the injected error", err)
	}
	sameState(t, "certs failing on a project without .aggen", before, state(t, dir))

	if err := Certs(CertsOptions{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	before = state(t, dir)
	if err := Certs(CertsOptions{Dir: dir, Force: true, beforeCommit: func() error { return injected }}); !errors.Is(err, injected) {
		t.Fatalf("Certs = %v, want the injected error", err)
	}
	sameState(t, "certs --force failing", before, state(t, dir))
}
