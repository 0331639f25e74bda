// Package cli_test drives the aggen binary the way a user does: init,
// create api, generate, verify, then builds what it made.
package cli_test

import (
	"bytes"
	"errors"
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

// aggen runs the binary in dir and returns its combined output and exit code.
func aggen(t *testing.T, dir string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(aggenBin, args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out.String(), exit.ExitCode()
	}
	if err != nil {
		t.Fatalf("aggen %v: %v", args, err)
	}
	return out.String(), 0
}

func mustAggen(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, code := aggen(t, dir, args...)
	if code != 0 {
		t.Fatalf("aggen %s: exit %d\n%s", strings.Join(args, " "), code, out)
	}
	return out
}

func goCmd(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// TestNewProjectBuilds makes a project with several kinds, two groups and
// two versions with nothing but aggen commands, and builds and vets it.
func TestNewProjectBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated project")
	}
	dir := t.TempDir()
	mustAggen(t, dir, "init", "--domain", "example.com", "--repo", "example.com/zoo", "--owner", "Zoo Keepers")
	for _, args := range [][]string{
		{"--group", "insects", "--version", "v1alpha1", "--kind", "Bee", "--scale"},
		{"--group", "insects", "--version", "v1beta1", "--kind", "Bee", "--scale"},
		{"--group", "insects", "--version", "v1beta1", "--kind", "Hive", "--namespaced=false"},
		{"--group", "insects", "--version", "v1beta1", "--kind", "Policy", "--status=false"},
		{"--group", "garden", "--version", "v1", "--kind", "Flower"},
		{"--group", "garden", "--version", "v1", "--kind", "Proxy"},
	} {
		mustAggen(t, dir, append([]string{"create", "api"}, args...)...)
	}
	for _, want := range []string{
		"pkg/generated/clientset/versioned/typed/insects/v1beta1/policy.go",
		"pkg/generated/listers/garden/v1/proxy.go",
		"pkg/apis/garden/zz_generated.types.go",
		"pkg/apis/insects/v1alpha1/zz_generated.conversion.go",
	} {
		if _, err := os.Stat(filepath.Join(dir, want)); err != nil {
			t.Errorf("missing %s: %v", want, err)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "pkg/generated/clientset/versioned/typed/insects/v1beta1/policy.go"))
	if err != nil || !bytes.Contains(b, []byte(`"policies"`)) {
		t.Errorf("Policy's client does not use resource policies")
	}
	b, err = os.ReadFile(filepath.Join(dir, "pkg/generated/clientset/versioned/typed/garden/v1/proxy.go"))
	if err != nil || !bytes.Contains(b, []byte(`"proxies"`)) {
		t.Errorf("Proxy's client does not use resource proxies")
	}
	goCmd(t, dir, "build", "./...")
	goCmd(t, dir, "vet", "./...")
}

// TestRegenerateAndVerify checks that a second generate writes nothing,
// verify passes, and an edit to a types file makes verify fail naming the
// stale files.
func TestRegenerateAndVerify(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generators")
	}
	dir := t.TempDir()
	if err := upstream.CopyTree("../../examples/insects", dir); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	out := mustAggen(t, dir, "generate")
	if !strings.Contains(out, "0 created, 0 updated, 0 deleted") {
		t.Errorf("generate on a current project reported changes:\n%s", out)
	}
	if after := snapshot(t, dir); !equalSnapshots(before, after) {
		t.Errorf("generate on a current project changed files")
	}
	mustAggen(t, dir, "verify")

	types := filepath.Join(dir, "pkg/apis/insects/v1beta1/hive_types.go")
	b, err := os.ReadFile(types)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(b), "	Description string `json:\"description,omitempty\"`",
		"	Description string `json:\"description,omitempty\"`\n\n	// Capacity is how many bees fit.\n	// +optional\n	Capacity int32 `json:\"capacity,omitempty\"`", 1)
	if edited == string(b) {
		t.Fatal("could not edit the Hive types")
	}
	if err := os.WriteFile(types, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	edited0 := snapshot(t, dir)
	out, code := aggen(t, dir, "verify")
	if code != 1 {
		t.Fatalf("verify after an edit: exit %d, want 1\n%s", code, out)
	}
	for _, line := range []string{
		"stale:   pkg/apis/insects/zz_generated.types.go",
		"stale:   pkg/generated/openapi/zz_generated.openapi.go",
		"stale:   pkg/generated/applyconfiguration/insects/v1beta1/hivespec.go",
		"+	Capacity int32",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("verify output lacks %q:\n%s", line, out)
		}
	}
	if !equalSnapshots(edited0, snapshot(t, dir)) {
		t.Errorf("verify changed the tree")
	}
	mustAggen(t, dir, "generate")
	mustAggen(t, dir, "verify")
	goCmd(t, dir, "build", "./...")
}

// TestExampleIsCurrent recreates examples/insects with its script and
// requires the committed example to match byte for byte.
func TestExampleIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("recreates the example")
	}
	dir := filepath.Join(t.TempDir(), "insects")
	cmd := exec.Command("bash", "../../examples/insects.sh", dir)
	cmd.Env = append(os.Environ(), "AGGEN="+aggenBin, "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("examples/insects.sh: %v\n%s", err, out)
	}
	want := contents(t, "../../examples/insects")
	got := contents(t, dir)
	for p := range want {
		if _, ok := got[p]; !ok {
			t.Errorf("examples/insects/%s is committed but aggen no longer makes it", p)
		}
	}
	for p, g := range got {
		w, ok := want[p]
		switch {
		case !ok:
			t.Errorf("aggen makes %s but examples/insects lacks it: regenerate the example", p)
		case w != g:
			t.Errorf("examples/insects/%s differs from what aggen makes now: regenerate the example (rm -rf examples/insects && AGGEN=bin/aggen examples/insects.sh examples/insects)", p)
		}
	}
}

func contents(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"init", "--repo", "example.com/x"}, 2, "--domain is required"},
		{[]string{"generate"}, 2, "aggen init"},
		{[]string{"verify", "--bogus"}, 2, "unknown flag"},
	}
	for _, c := range cases {
		out, code := aggen(t, dir, c.args...)
		if code != c.code || !strings.Contains(out, c.want) {
			t.Errorf("aggen %v: exit %d, output %q; want exit %d containing %q", c.args, code, out, c.code, c.want)
		}
	}
	mustAggen(t, dir, "init", "--domain", "example.com", "--repo", "example.com/x")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"create", "api", "--group", "bad-group", "--version", "v1", "--kind", "A"}, "Go package name"},
		{[]string{"create", "api", "--group", "g", "--version", "v1.0", "--kind", "A"}, "not a Kubernetes API version"},
		{[]string{"create", "api", "--group", "g", "--version", "v1", "--kind", "bee"}, "UpperCamelCase"},
		{[]string{"create", "api", "--group", "g", "--version", "v1", "--kind", "Status"}, "reserved"},
		{[]string{"create", "api", "--group", "g", "--version", "v1", "--kind", "BeeList"}, "clashes"},
		{[]string{"init", "--domain", "example.com", "--repo", "example.com/x"}, "already exists"},
	} {
		out, code := aggen(t, dir, c.args...)
		if code != 2 || !strings.Contains(out, c.want) {
			t.Errorf("aggen %v: exit %d, output %q; want exit 2 containing %q", c.args, code, out, c.want)
		}
	}
}

func TestVersionAndHelp(t *testing.T) {
	out := mustAggen(t, t.TempDir(), "version")
	if !strings.Contains(out, "kubernetes v0.37.2") {
		t.Errorf("version output %q lacks the Kubernetes version", out)
	}
	for _, cmd := range [][]string{{"init"}, {"create", "api"}, {"generate"}, {"verify"}, {"docs"}, {"version"}} {
		out := mustAggen(t, t.TempDir(), append(cmd, "--help")...)
		if !strings.Contains(out, "Examples:") {
			t.Errorf("aggen %v --help has no examples:\n%s", cmd, out)
		}
	}
}

func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b) + "\x00" + info.ModTime().String()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func equalSnapshots(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
