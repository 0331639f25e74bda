// Package verify_test checks `aggen verify`, the CI drift check, from the
// outside: exit 0 and nothing written when current; exit 1 naming every
// stale, missing and extra file, with bounded diffs; its own exit codes
// for bad usage (2), broken input (3) and other failures (4).
package verify_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/test/aggentest"
	"github.com/aggen-dev/aggen/test/upstream"
)

var aggenBin string

func TestMain(m *testing.M) { os.Exit(aggentest.Main(m, &aggenBin)) }

func aggen(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(aggenBin, args...)
	cmd.Dir = dir
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return o.String(), e.String(), exit.ExitCode()
	}
	if err != nil {
		t.Fatalf("aggen %v: %v", args, err)
	}
	return o.String(), e.String(), 0
}

func example(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "insects")
	if err := upstream.CopyTree("../../examples/insects", dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// snapshot maps every file and directory under dir to its mode, mtime and
// content (directories: mode only).
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		desc := info.Mode().String()
		if !d.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			desc += fmt.Sprintf(" %d %s", info.ModTime().UnixNano(), b)
		}
		out[filepath.ToSlash(rel)] = desc
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func unchanged(t *testing.T, what string, before, after map[string]string) {
	t.Helper()
	for p, b := range before {
		if a, ok := after[p]; !ok || a != b {
			t.Errorf("%s changed or removed %s", what, p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("%s added %s", what, p)
		}
	}
}

func TestVerifyCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generators")
	}
	dir := example(t)
	before := snapshot(t, dir)
	out, errOut, code := aggen(t, dir, "verify")
	if code != 0 || !strings.Contains(out, "verify: all generated files are current") {
		t.Fatalf("verify on the untouched example: exit %d\n%s%s", code, out, errOut)
	}
	unchanged(t, "verify", before, snapshot(t, dir))
}

// TestVerifyDrift makes every kind of drift at once: a stale file (a field
// added to Hive), a missing one (a generated file deleted), extra ones
// (every generated file of a kind whose types are gone) and a missing
// user-owned file.
func TestVerifyDrift(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generators")
	}
	dir := example(t)
	// Remove kind Bee from v1alpha1 only: its v1alpha1 client, lister,
	// informer and apply configuration are then extra.
	mustRemove(t, dir, "pkg/apis/insects/v1alpha1/bee_types.go")
	mustRemove(t, dir, "pkg/generated/listers/insects/v1beta1/hive.go")
	mustRemove(t, dir, "pkg/registry/insects/hive/hooks.go")
	types := filepath.Join(dir, "pkg/apis/insects/v1beta1/hive_types.go")
	b, err := os.ReadFile(types)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(b), "type HiveSpec struct {\n", "type HiveSpec struct {\n\t// Capacity is how many bees fit.\n\t// +optional\n\tCapacity int32 `json:\"capacity,omitempty\"`\n", 1)
	if edited == string(b) {
		t.Fatal("could not edit the Hive types")
	}
	if err := os.WriteFile(types, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	out, errOut, code := aggen(t, dir, "verify")
	if code != 1 {
		t.Fatalf("verify on a drifted tree: exit %d, want 1\n%s%s", code, out, errOut)
	}
	unchanged(t, "verify", before, snapshot(t, dir))
	for _, line := range []string{
		"stale:   pkg/apis/insects/zz_generated.types.go",
		"stale:   pkg/generated/applyconfiguration/insects/v1beta1/hivespec.go",
		"+	Capacity int32 `json:\"capacity,omitempty\"`",
		"missing: pkg/generated/listers/insects/v1beta1/hive.go",
		"missing: pkg/registry/insects/hive/hooks.go (user-owned; `aggen generate` scaffolds it)",
		"extra:   pkg/generated/listers/insects/v1alpha1/bee.go (nothing generates it any more)",
		"extra:   pkg/generated/clientset/versioned/typed/insects/v1alpha1/bee.go (nothing generates it any more)",
		"extra:   pkg/generated/applyconfiguration/insects/v1alpha1/bee.go (nothing generates it any more)",
	} {
		if !strings.Contains(out, line+"\n") {
			t.Errorf("verify output lacks %q", line)
		}
	}
	if !strings.Contains(errOut, "aggen verify: ") || !strings.Contains(errOut, "run `aggen generate`") {
		t.Errorf("verify's error: %q", errOut)
	}
	// Every listed file is listed once, in path order.
	var listed []string
	for _, l := range strings.Split(out, "\n") {
		for _, prefix := range []string{"stale:   ", "missing: ", "extra:   "} {
			if p, ok := strings.CutPrefix(l, prefix); ok {
				listed = append(listed, strings.Fields(p)[0])
			}
		}
	}
	for i := 1; i < len(listed); i++ {
		if listed[i-1] >= listed[i] {
			t.Errorf("files not listed once each in path order: %s before %s", listed[i-1], listed[i])
		}
	}
	// The diffs are bounded: 40 lines a file, 400 in all.
	diffLines := 0
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "    ") {
			diffLines++
		}
	}
	if diffLines > 400+len(listed) {
		t.Errorf("%d diff lines printed; the bound is 400", diffLines)
	}
	// generate brings the tree back in line, and verify agrees.
	if out, errOut, code := aggen(t, dir, "generate"); code != 0 {
		t.Fatalf("generate: exit %d\n%s%s", code, out, errOut)
	}
	for _, gone := range []string{"pkg/generated/listers/insects/v1alpha1/bee.go", "pkg/generated/clientset/versioned/typed/insects/v1alpha1/bee.go"} {
		if _, err := os.Stat(filepath.Join(dir, gone)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("generate left %s behind", gone)
		}
	}
	if out, errOut, code := aggen(t, dir, "verify"); code != 0 {
		t.Errorf("verify after generate: exit %d\n%s%s", code, out, errOut)
	}
}

func mustRemove(t *testing.T, dir, rel string) {
	t.Helper()
	if err := os.Remove(filepath.Join(dir, filepath.FromSlash(rel))); err != nil {
		t.Fatal(err)
	}
}

// TestVerifyExitCodes checks that scripts can tell failures apart.
func TestVerifyExitCodes(t *testing.T) {
	empty := t.TempDir()
	notADir := filepath.Join(empty, "file")
	if err := os.WriteFile(notADir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	broken := t.TempDir()
	for name, content := range map[string]string{
		"aggen.yaml": "version: \"1\"\ndomain: example.com\nrepo: example.com/x\nname: x\n",
		"go.mod":     "module example.com/x\n\ngo 1.26\n",
		"pkg/apis/g/v1/doc.go": "// +groupName=g.example.com\npackage v1\n\n" +
			"// +kubebuilder:validation:Minimun=1\ntype T int\n",
	} {
		p := filepath.Join(broken, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		args []string
		dir  string
		code int
		want string
	}{
		{[]string{"verify", "--bogus"}, empty, 2, "unknown flag: --bogus"},
		{[]string{"verify", "extra-argument"}, empty, 2, "takes no arguments"},
		{[]string{"bogus"}, empty, 2, "unknown command \"bogus\""},
		{[]string{"verify"}, empty, 2, "aggen.yaml not found"},
		{[]string{"verify"}, broken, 3, `pkg/apis/g/v1/doc.go:4:4: unknown marker "+kubebuilder:validation:Minimun" (did you mean +kubebuilder:validation:Minimum?)`},
		{[]string{"verify", "--dir", notADir}, empty, 4, "not a directory"},
	} {
		_, errOut, code := aggen(t, c.dir, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("aggen %s: exit %d, stderr %q; want exit %d with %q", strings.Join(c.args, " "), code, errOut, c.code, c.want)
		}
	}
}

// TestVerifyStaleDocs edits only what the API reference shows of a field
// (its doc comment and a marker's bound) in a copy of the example: verify
// names the version's page with a diff of the changed row; `aggen docs`
// then rewrites that page and nothing else, after which verify no longer
// names it.
func TestVerifyStaleDocs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generators")
	}
	dir := example(t)
	types := filepath.Join(dir, "pkg/apis/insects/v1beta1/hive_types.go")
	b, err := os.ReadFile(types)
	if err != nil {
		t.Fatal(err)
	}
	old := "type HiveSpec struct {\n\t// Description is an example field: edit or replace it, then run\n\t// `aggen generate`.\n\t// +kubebuilder:validation:MaxLength=256\n"
	edited := strings.Replace(string(b), old, "type HiveSpec struct {\n\t// Description says what the hive is for.\n\t// +kubebuilder:validation:MaxLength=128\n", 1)
	if edited == string(b) {
		t.Fatal("could not edit the Hive types")
	}
	if err := os.WriteFile(types, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	const page = "docs/api/insects/v1beta1.md"
	out, errOut, code := aggen(t, dir, "verify")
	if code != 1 {
		t.Fatalf("verify after a types edit: exit %d, want 1\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"stale:   " + page + "\n",
		"+| `description` | string | optional | | max length: 128 | Description says what the hive is for. |",
		"-| `description` | string | optional | | max length: 256 | Description is an example field: edit or replace it, then run `aggen generate`. |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("verify output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "docs/api/insects/v1alpha1.md") || strings.Contains(out, "docs/api/README.md") {
		t.Errorf("verify names pages the edit does not touch:\n%s", out)
	}
	before := snapshot(t, dir)
	out, errOut, code = aggen(t, dir, "docs")
	if code != 0 {
		t.Fatalf("docs: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "update  "+page+"\n") || !strings.Contains(out, "docs: 0 created, 1 updated, 0 deleted, 2 unchanged") {
		t.Errorf("docs reports:\n%s", out)
	}
	after := snapshot(t, dir)
	for p, a := range after {
		if before[p] != a && p != page {
			t.Errorf("docs changed %s", p)
		}
	}
	if before[page] == after[page] {
		t.Errorf("docs did not rewrite %s", page)
	}
	out, errOut, code = aggen(t, dir, "verify")
	if code != 1 || strings.Contains(out, "docs/api/") {
		t.Errorf("verify after docs: exit %d (want 1: the code is still stale), docs/api named:\n%s%s", code, out, errOut)
	}
	// A version that is gone takes its page along; the rest of the tree,
	// which no longer compiles, is not docs' business.
	if err := os.RemoveAll(filepath.Join(dir, "pkg/apis/insects/v1alpha1")); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = aggen(t, dir, "docs")
	if code != 0 || !strings.Contains(out, "delete  docs/api/insects/v1alpha1.md\n") || !strings.Contains(out, "update  docs/api/README.md\n") {
		t.Errorf("docs after removing v1alpha1: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "docs/api/insects/v1alpha1.md")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("docs left the page of the removed version: %v", err)
	}
}
