// Package upgrade_test upgrades projects made by an "older" aggen: the
// tests render them with an older template set (the running one with
// known differences put back), pin them to an older Kubernetes minor and
// an aggen.yaml of format 1, edit every kind of user-owned file, and
// check that aggen upgrade keeps every edit, brings in every template
// change, and leaves a project that builds and verifies clean.
package upgrade_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"golang.org/x/mod/modfile"

	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/scaffold"
	"github.com/aggen-dev/aggen/templates"
	"github.com/aggen-dev/aggen/test/aggentest"
	"github.com/aggen-dev/aggen/test/upstream"
)

var aggenBin string

func TestMain(m *testing.M) {
	code := aggentest.Main(m, &aggenBin)
	if fixtureDir != "" {
		os.RemoveAll(fixtureDir)
	}
	os.Exit(code)
}

// templateChange is one difference between the older template set and the
// running one: the older set has old where the running one has new, so
// that after the upgrade new must be in file.
type templateChange struct {
	tmpl, old, new, file string
}

var templateChanges = []templateChange{
	{"project/Makefile.tmpl", "", ".PHONY: vet\nvet: ## Report suspicious constructs in the Go code.\n\t$(GO) vet ./...\n\n", "Makefile"},
	{"project/gitignore.tmpl", "", "# Test output\n*.test\n*.out\n", ".gitignore"},
	{"registry/hooks.go.tmpl", "// This file is yours, aggen never overwrites it. The\n",
		"// This file is yours: aggen created it once and never overwrites it. The\n", "pkg/registry/insects/bee/hooks.go"},
	{"controller/reconciler.go.tmpl", "// Yours: aggen never overwrites this file.\n",
		"// This file is yours: aggen created it once and never overwrites it.\n", "pkg/controller/insects/bee_controller.go"},
	{"controller/main.go.tmpl", `"The address the probe endpoint binds to."`,
		`"The address the health probes (/healthz, /readyz) bind to."`, "cmd/controller-manager/main.go"},
	{"server/main.go.tmpl", "// them.\n", "// them, or with --local to run against etcd alone.\n", "cmd/apiserver/main.go"},
	{"api/types.go.tmpl", "// Description is an example field.\n",
		"// Description is an example field: edit or replace it, then run\n\t// `aggen generate`.\n", "pkg/apis/insects/v1beta1/bee_types.go"},
}

// olderTemplates is the running template set with every templateChange
// undone.
func olderTemplates(t testing.TB) fs.FS {
	t.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(templates.Files(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templates.Files(), p)
		out[p] = &fstest.MapFile{Data: b, Mode: 0o644}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range templateChanges {
		f := out[c.tmpl]
		if !bytes.Contains(f.Data, []byte(c.new)) {
			t.Fatalf("%s no longer holds %q: update templateChanges", c.tmpl, c.new)
		}
		f.Data = bytes.Replace(f.Data, []byte(c.new), []byte(c.old), 1)
	}
	return out
}

// userEdit is an edit of a user-owned file: after replaces before, once.
type userEdit struct {
	file, before, after string
}

var userEdits = []userEdit{
	{"pkg/apis/insects/v1alpha1/bee_types.go", "\tObservedGeneration int64 `json:\"observedGeneration,omitempty\"`\n",
		"\tObservedGeneration int64 `json:\"observedGeneration,omitempty\"`\n\n\t// Color is the user's own field.\n\t// +optional\n\tColor string `json:\"color,omitempty\"`\n"},
	{"pkg/apis/insects/v1beta1/bee_types.go", "\tObservedGeneration int64 `json:\"observedGeneration,omitempty\"`\n",
		"\tObservedGeneration int64 `json:\"observedGeneration,omitempty\"`\n\n\t// Color is the user's own field.\n\t// +optional\n\tColor string `json:\"color,omitempty\"`\n"},
	{"pkg/registry/insects/bee/hooks.go", "field.ErrorList {\n\treturn nil\n}",
		"field.ErrorList {\n\tif obj.Spec.Description == \"forbidden\" {\n\t\treturn field.ErrorList{field.Forbidden(field.NewPath(\"spec\", \"description\"), \"user edit\")}\n\t}\n\treturn nil\n}"},
	{"pkg/controller/insects/bee_controller.go", `log.Info("updating status", "generation", obj.Generation)`,
		`log.Info("updating the status", "generation", obj.Generation, "edited", "by the user")`},
	{"cmd/controller-manager/main.go", "\tlog := ctrl.Log.WithName(\"setup\")\n",
		"\tlog := ctrl.Log.WithName(\"setup\")\n\tlog.Info(\"starting\", \"edited\", \"by the user\")\n"},
	{"cmd/apiserver/main.go", "\tos.Exit(cli.Run(cmd))\n", "\t// Edited by the user.\n\tos.Exit(cli.Run(cmd))\n"},
	{"Makefile", "", "\n.PHONY: hello\nhello: ## The user's own target.\n\t@echo hello\n"},
}

// legacyFile is user code written against an older controller-runtime
// (before v0.16 moved MetricsBindAddress): it does not compile with the
// running pins until the upgrade's codemod rewrites it.
const legacyFile, legacySource, legacyRewritten = "cmd/controller-manager/legacy.go", `package main

import ctrl "sigs.k8s.io/controller-runtime"

// legacyOptions are the user's own manager options.
func legacyOptions() ctrl.Options {
	return ctrl.Options{MetricsBindAddress: ":8080"}
}

var _ = legacyOptions
`, `Metrics: metricsserver.Options{BindAddress: ":8080"}`

// Older pins: the Kubernetes minor before the running one, with the
// kube-openapi and controller-runtime released for it.
var olderPins = map[string]string{
	"k8s.io/api": "v0.36.6", "k8s.io/apiextensions-apiserver": "v0.36.6", "k8s.io/apimachinery": "v0.36.6",
	"k8s.io/apiserver": "v0.36.6", "k8s.io/client-go": "v0.36.6", "k8s.io/component-base": "v0.36.6",
	"k8s.io/kube-openapi": "v0.0.0-20260317180543-43fb72c5454a", "sigs.k8s.io/controller-runtime": "v0.24.1",
}

func edit(t testing.TB, dir string, e userEdit) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(e.file))
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	if e.before == "" {
		out = append(b, e.after...)
	} else {
		if !bytes.Contains(b, []byte(e.before)) {
			t.Fatalf("%s: %q not found", e.file, e.before)
		}
		out = bytes.Replace(b, []byte(e.before), []byte(e.after), 1)
	}
	if err := os.WriteFile(p, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// makeOlder turns the project at dir into one of an older aggen: older
// pins, aggen.yaml of format 1.
func makeOlder(t testing.TB, dir string) {
	t.Helper()
	gomod := filepath.Join(dir, "go.mod")
	b, err := os.ReadFile(gomod)
	if err != nil {
		t.Fatal(err)
	}
	f, err := modfile.Parse("go.mod", b, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range f.Require {
		if v, ok := olderPins[r.Mod.Path]; ok {
			if err := f.AddRequire(r.Mod.Path, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if b, err = f.Format(); err != nil {
		t.Fatal(err)
	}
	write(t, gomod, b)
	cfg := filepath.Join(dir, loader.ConfigFile)
	b, err = os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), `version: "2"`, `version: "1"`, 1)
	s = strings.Replace(s, "kubernetesVersion: "+scaffold.KubernetesVersion, "kubernetesVersion: v0.36.6", 1)
	s = s[:strings.Index(s, "# The revision of aggen's templates")]
	write(t, cfg, []byte(s))
}

func write(t testing.TB, p string, b []byte) {
	t.Helper()
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

var (
	fixtureOnce sync.Once
	fixtureDir  string
	fixtureErr  error
)

// older returns a fresh copy of the older project with the user's edits,
// made once per test binary.
func older(t *testing.T) string {
	t.Helper()
	fixtureOnce.Do(func() {
		fixtureDir, fixtureErr = os.MkdirTemp("", "aggen-upgrade-fixture-")
		if fixtureErr != nil {
			return
		}
		fixtureErr = makeFixture(t, filepath.Join(fixtureDir, "bees"))
	})
	if fixtureErr != nil {
		t.Fatal(fixtureErr)
	}
	dir := filepath.Join(t.TempDir(), "bees")
	if err := upstream.CopyTree(filepath.Join(fixtureDir, "bees"), dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

func makeFixture(t *testing.T, dir string) error {
	tmpl := olderTemplates(t)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := scaffold.Init(scaffold.InitOptions{Dir: dir, Domain: "example.com", Repo: "example.com/bees", Year: 2026, Templates: tmpl}); err != nil {
		return err
	}
	for _, v := range []string{"v1alpha1", "v1beta1"} {
		o := scaffold.CreateAPIOptions{Dir: dir, Group: "insects", Version: v, Kind: "Bee",
			Namespaced: true, Status: true, Scale: true, Controller: v == "v1beta1", Templates: tmpl}
		if err := scaffold.CreateAPI(o); err != nil {
			return err
		}
	}
	for _, e := range userEdits {
		edit(t, dir, e)
	}
	write(t, filepath.Join(dir, legacyFile), []byte(legacySource))
	if _, err := scaffold.Generate(scaffold.GenerateOptions{Dir: dir, Templates: tmpl}); err != nil {
		return err
	}
	makeOlder(t, dir)
	// The older project as its aggen left it: every older template text
	// in its file, and no running one.
	for _, c := range templateChanges {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(c.file)))
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(c.new)) {
			return errors.New(c.file + " of the older project already holds the running template's text")
		}
	}
	return nil
}

// snapshot is every file of a tree, for byte-identical comparison.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		info, _ := d.Info()
		out[rel] = info.Mode().String() + "\n" + string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameTree(t *testing.T, before, after map[string]string) {
	t.Helper()
	for p, b := range before {
		if a, ok := after[p]; !ok {
			t.Errorf("%s was removed", p)
		} else if a != b {
			t.Errorf("%s changed", p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("%s was created", p)
		}
	}
}

func read(t *testing.T, dir, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func goBuild(t *testing.T, dir string) {
	t.Helper()
	cmd := exec.Command("go", "build", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", aggentest.GoFlags("-mod=mod"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./...: %v\n%s", err, out)
	}
}

// projectE2E runs the upgraded project's own aggregation test, the way
// its user does (make test-e2e: real etcd and kube-apiserver, the
// project's apiserver built and deployed with its local overlay), when
// AGGEN_E2E=1.
func projectE2E(t *testing.T, dir string) {
	t.Helper()
	if os.Getenv("AGGEN_E2E") != "1" {
		t.Log("set AGGEN_E2E=1 to run the upgraded project's own e2e test")
		return
	}
	cmd := exec.Command("make", "test-e2e")
	cmd.Dir = dir
	var env []string
	for _, kv := range os.Environ() {
		// The outer make's variables (under make test) are not the user's.
		if name, _, _ := strings.Cut(kv, "="); name != "MAKELEVEL" && name != "MAKEFLAGS" && name != "MFLAGS" {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, "GOWORK=off", aggentest.GoFlags("-mod=mod", "-v"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make test-e2e in the upgraded project: %v\n%s", err, out)
	}
	for _, want := range []string{"--- PASS: TestAggregation ", "--- PASS: TestAggregation/create,_get_and_delete_each_kind_through_kube-apiserver"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("make test-e2e in the upgraded project lacks %q:\n%s", want, out)
		}
	}
	if bytes.Contains(out, []byte("--- SKIP")) {
		t.Errorf("make test-e2e in the upgraded project skipped something:\n%s", out)
	}
}

// TestUpgrade is the check: edits in the types, hooks,
// controller, both main packages and the Makefile of a project from an
// older template set and Kubernetes minor survive the upgrade, the
// template changes arrive, and the project builds and verifies clean.
func TestUpgrade(t *testing.T) {
	if testing.Short() {
		t.Skip("makes, upgrades and builds a project")
	}
	dir := older(t)
	var out bytes.Buffer
	if err := scaffold.Upgrade(scaffold.UpgradeOptions{Dir: dir, Out: &out}); err != nil {
		t.Fatalf("upgrade: %v\n%s", err, out.String())
	}
	t.Logf("upgrade:\n%s", out.String())
	for _, e := range userEdits {
		if !strings.Contains(read(t, dir, e.file), e.after) {
			t.Errorf("%s lost the user's edit %q", e.file, e.after)
		}
	}
	for _, c := range templateChanges {
		if !strings.Contains(read(t, dir, c.file), c.new) {
			t.Errorf("%s lacks the running template's %q", c.file, c.new)
		}
	}
	if !strings.Contains(read(t, dir, legacyFile), legacyRewritten) {
		t.Errorf("%s was not rewritten by the codemod:\n%s", legacyFile, read(t, dir, legacyFile))
	}
	for _, p := range []string{"Makefile", "pkg/registry/insects/bee/hooks.go", "cmd/controller-manager/main.go"} {
		if strings.Contains(read(t, dir, p), "<<<<<<<") {
			t.Errorf("%s has conflict markers", p)
		}
	}
	mod, err := modfile.Parse("go.mod", []byte(read(t, dir, "go.mod")), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"k8s.io/api": scaffold.KubernetesVersion, "k8s.io/apiserver": scaffold.KubernetesVersion,
		"k8s.io/client-go": scaffold.KubernetesVersion, "sigs.k8s.io/controller-runtime": scaffold.ControllerRuntimeVersion}
	for _, r := range mod.Require {
		if v, ok := want[r.Mod.Path]; ok && r.Mod.Version != v {
			t.Errorf("go.mod requires %s %s, want %s", r.Mod.Path, r.Mod.Version, v)
		}
	}
	cfg, err := loader.ReadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Version != loader.ConfigVersion || cfg.KubernetesVersion != scaffold.KubernetesVersion || cfg.Templates != templates.Revision {
		t.Errorf("aggen.yaml not migrated: %+v", cfg)
	}
	if !strings.Contains(read(t, dir, loader.ConfigFile), "# aggen project file.") {
		t.Errorf("aggen.yaml lost its comments")
	}
	rec, err := scaffold.ReadRecord(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range templateChanges[2:] {
		if !bytes.Contains(rec.Files[c.file], []byte(c.new)) {
			t.Errorf("the scaffold record of %s is not the running template's", c.file)
		}
	}
	goBuild(t, dir)
	var verify bytes.Buffer
	if err := scaffold.Verify(scaffold.GenerateOptions{Dir: dir, Out: &verify}); err != nil {
		t.Fatalf("verify after upgrade: %v\n%s", err, verify.String())
	}
	projectE2E(t, dir)
	// A second upgrade has nothing left to do.
	before := snapshot(t, dir)
	out.Reset()
	if err := scaffold.Upgrade(scaffold.UpgradeOptions{Dir: dir, Out: &out}); err != nil {
		t.Fatalf("second upgrade: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "upgrade: 0 created, 0 updated, 0 deleted") {
		t.Errorf("second upgrade changed something:\n%s", out.String())
	}
	sameTree(t, before, snapshot(t, dir))
}

// TestUpgradeConflict: the user and the running template changed the
// same line of hooks.go differently. The upgrade applies everything else,
// leaves markers at the reported line, and fails with a
// *MergeConflictError (exit 1).
func TestUpgradeConflict(t *testing.T) {
	if testing.Short() {
		t.Skip("makes and upgrades a project")
	}
	dir := older(t)
	hooks := "pkg/registry/insects/bee/hooks.go"
	mine := "// This file is mine now; aggen, keep out. The\n"
	edit(t, dir, userEdit{hooks, "// This file is yours, aggen never overwrites it. The\n", mine})
	var out bytes.Buffer
	err := scaffold.Upgrade(scaffold.UpgradeOptions{Dir: dir, Out: &out})
	var conflict *scaffold.MergeConflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("upgrade: %v, want a merge conflict\n%s", err, out.String())
	}
	if len(conflict.Conflicts) != 1 || !strings.HasPrefix(conflict.Conflicts[0], hooks+":") {
		t.Fatalf("conflicts %q, want one in %s", conflict.Conflicts, hooks)
	}
	if !strings.Contains(out.String(), "conflict: "+conflict.Conflicts[0]) {
		t.Errorf("the report does not list %s:\n%s", conflict.Conflicts[0], out.String())
	}
	lines := strings.Split(read(t, dir, hooks), "\n")
	var line int
	if _, err := fmtSscan(strings.TrimPrefix(conflict.Conflicts[0], hooks+":"), &line); err != nil || line < 1 || line > len(lines) {
		t.Fatalf("bad position %q", conflict.Conflicts[0])
	}
	if !strings.HasPrefix(lines[line-1], "<<<<<<< ours") {
		t.Errorf("%s:%d is %q, want the <<<<<<< marker", hooks, line, lines[line-1])
	}
	text := read(t, dir, hooks)
	for _, want := range []string{"||||||| base", "=======", ">>>>>>> theirs", strings.TrimSpace(mine), strings.TrimSpace(templateChanges[2].new), strings.TrimSpace(templateChanges[2].old), "user edit"} {
		if !strings.Contains(text, want) {
			t.Errorf("%s lacks %q:\n%s", hooks, want, text)
		}
	}
	// Everything else was upgraded.
	for _, c := range templateChanges {
		if c.file != hooks && !strings.Contains(read(t, dir, c.file), c.new) {
			t.Errorf("%s lacks the running template's %q", c.file, c.new)
		}
	}
	if !strings.Contains(read(t, dir, "go.mod"), "sigs.k8s.io/controller-runtime "+scaffold.ControllerRuntimeVersion) {
		t.Errorf("go.mod was not upgraded")
	}
	// Resolving the conflict (taking the user's side) leaves a project
	// that builds and verifies clean.
	write(t, filepath.Join(dir, hooks), []byte(resolveTheirs(text)))
	goBuild(t, dir)
	if err := scaffold.Verify(scaffold.GenerateOptions{Dir: dir}); err != nil {
		t.Fatalf("verify after resolving: %v", err)
	}
}

// resolveTheirs keeps the user's side of every conflict.
func resolveTheirs(s string) string {
	var out []string
	state := 0
	for _, l := range strings.SplitAfter(s, "\n") {
		switch {
		case strings.HasPrefix(l, "<<<<<<< "):
			state = 1
		case strings.HasPrefix(l, "||||||| ") && state == 1:
			state = 2
		case strings.HasPrefix(l, "=======") && state == 2:
			state = 3
		case strings.HasPrefix(l, ">>>>>>> ") && state == 3:
			state = 0
		case state == 0 || state == 3:
			out = append(out, l)
		}
	}
	return strings.Join(out, "")
}

// TestUpgradeDryRun prints the merges and the plan and writes nothing.
func TestUpgradeDryRun(t *testing.T) {
	if testing.Short() {
		t.Skip("makes and upgrades a project")
	}
	dir := older(t)
	before := snapshot(t, dir)
	var out bytes.Buffer
	if err := scaffold.Upgrade(scaffold.UpgradeOptions{Dir: dir, Out: &out, DryRun: true}); err != nil {
		t.Fatalf("dry run: %v\n%s", err, out.String())
	}
	for _, want := range []string{"--- Makefile (yours)", "+++ Makefile (upgraded)", "+vet: ## Report suspicious", "update  go.mod", "update  aggen.yaml", "upgrade (dry run, nothing written)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out.String())
		}
	}
	sameTree(t, before, snapshot(t, dir))
}

// TestUpgradeFailureWritesNothing fails the upgrade after every file is
// staged: the tree is byte for byte as it was.
func TestUpgradeFailureWritesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("makes and upgrades a project")
	}
	dir := older(t)
	before := snapshot(t, dir)
	injected := errors.New("injected failure")
	err := scaffold.Upgrade(scaffold.UpgradeOptions{Dir: dir, BeforeCommit: func() error { return injected }})
	if !errors.Is(err, injected) {
		t.Fatalf("upgrade: %v, want the injected failure", err)
	}
	sameTree(t, before, snapshot(t, dir))
}

func fmtSscan(s string, v *int) (int, error) { return fmt.Sscan(s, v) }

// TestUpgradeWithoutRecord upgrades a project from before the scaffold
// record: the base of each merge is rendered from the template revision
// aggen.yaml records (format 1: revision 1, the running set), so every
// user file is kept as it is, the pins and generated files move, and
// the record is written for the next upgrade.
func TestUpgradeWithoutRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("makes and upgrades a project")
	}
	dir := older(t)
	if err := os.Remove(filepath.Join(dir, scaffold.RecordFile)); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := scaffold.Upgrade(scaffold.UpgradeOptions{Dir: dir, Out: &out}); err != nil {
		t.Fatalf("upgrade: %v\n%s", err, out.String())
	}
	for _, e := range userEdits {
		if !strings.Contains(read(t, dir, e.file), e.after) {
			t.Errorf("%s lost the user's edit %q", e.file, e.after)
		}
	}
	// Revision 1 is the running set: the older texts are the user's as
	// far as aggen can tell, and stay.
	for _, c := range templateChanges[2:] {
		if !strings.Contains(read(t, dir, c.file), strings.TrimSpace(c.old)) {
			t.Errorf("%s: the text aggen cannot tell from the user's, %q, was changed", c.file, c.old)
		}
	}
	rec, err := scaffold.ReadRecord(dir)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Revision != templates.Revision || !bytes.Contains(rec.Files[templateChanges[2].file], []byte(templateChanges[2].new)) {
		t.Errorf("no record written for the next upgrade")
	}
	if err := scaffold.Verify(scaffold.GenerateOptions{Dir: dir}); err != nil {
		t.Fatalf("verify after upgrade: %v", err)
	}
}

// TestUpgradeConflictExitCode runs the binary on a conflict: --dry-run
// exits 1 naming the conflict and writes nothing; the real run exits 1
// with the conflict listed as file:line, on stdout and in the error.
func TestUpgradeConflictExitCode(t *testing.T) {
	if testing.Short() {
		t.Skip("makes and upgrades a project")
	}
	dir := older(t)
	hooks := "pkg/registry/insects/bee/hooks.go"
	edit(t, dir, userEdit{hooks, "// This file is yours, aggen never overwrites it. The\n", "// Mine. The\n"})
	before := snapshot(t, dir)
	run := func(args ...string) (string, string, int) {
		cmd := exec.Command(aggenBin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK=off")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatal(err)
		}
		return stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()
	}
	stdout, stderr, code := run("upgrade", "--dry-run")
	if code != 1 || !strings.Contains(stdout, "conflict: "+hooks+":") || !strings.Contains(stderr, "would be left as markers") {
		t.Errorf("dry run: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	sameTree(t, before, snapshot(t, dir))
	stdout, stderr, code = run("upgrade")
	if code != 1 || !strings.Contains(stdout, "conflict: "+hooks+":") || !strings.Contains(stderr, "aggen upgrade: 1 conflict(s) left as markers: "+hooks+":") {
		t.Errorf("upgrade: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(read(t, dir, hooks), "<<<<<<< ours") {
		t.Errorf("%s has no markers", hooks)
	}
}
