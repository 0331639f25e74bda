package cli_test

import (
	"bytes"
	"github.com/aggen-dev/aggen/test/aggentest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestNewProjectE2EPasses makes a fresh project with aggen commands only,
// two kinds of which one is cluster-scoped, and runs the project's own
// aggregation test (test/e2e, scaffolded by aggen) the way its user does,
// with `make test-e2e`: real etcd and kube-apiserver (from the shared
// cache of hack/e2e-binaries.sh), the project's apiserver built and
// deployed with its local overlay. The build of the project's apiserver
// is most of its cost.
func TestNewProjectE2EPasses(t *testing.T) {
	if os.Getenv("AGGEN_E2E") != "1" {
		t.Skip("set AGGEN_E2E=1: runs a new project's aggregation test against real etcd and kube-apiserver")
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	dir := t.TempDir()
	start := time.Now()
	mustAggen(t, dir, "init", "--domain", "example.com", "--repo", "example.com/garden")
	mustAggen(t, dir, "create", "api", "--group", "plants", "--version", "v1", "--kind", "Flower")
	mustAggen(t, dir, "create", "api", "--group", "plants", "--version", "v1", "--kind", "Greenhouse", "--namespaced=false")
	t.Logf("aggen init + 2 x create api: %v", time.Since(start).Round(time.Millisecond))

	// The test is scaffolded at init, before any kind; the kinds reach it
	// through the generated table.
	kinds, err := os.ReadFile(filepath.Join(dir, "test/e2e/zz_generated.kinds_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`Kind: "Flower", Resource: "flowers", Namespaced: true, Preferred: true}`,
		`Kind: "Greenhouse", Resource: "greenhouses", Namespaced: false, Preferred: true}`,
	} {
		if !bytes.Contains(kinds, []byte(want)) {
			t.Errorf("the kinds table lacks %s:\n%s", want, kinds)
		}
	}
	for _, f := range []string{"test/e2e/aggregation_test.go", "test/e2e/harness/zz_generated.project.go", "hack/e2e-binaries.sh"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the project lacks %s: %v", f, err)
		}
	}

	// Without AGGEN_E2E the test skips: `go test ./...` stays fast.
	start = time.Now()
	out := runIn(t, dir, []string{"AGGEN_E2E="}, "go", "test", "-count=1", "-v", "./test/e2e/")
	if !strings.Contains(out, "--- SKIP: TestAggregation") {
		t.Errorf("without AGGEN_E2E the aggregation test did not skip:\n%s", out)
	}
	t.Logf("go test ./test/e2e/ without AGGEN_E2E: %v", time.Since(start).Round(time.Millisecond))

	// -v through GOFLAGS, to see that every subtest ran.
	start = time.Now()
	out = runIn(t, dir, []string{aggentest.GoFlags("-v")}, "make", "test-e2e")
	t.Logf("make test-e2e in the new project: %v\n%s", time.Since(start).Round(time.Millisecond), out)
	for _, want := range []string{
		"--- PASS: TestAggregation ",
		"--- PASS: TestAggregation/every_APIService_is_Available",
		"--- PASS: TestAggregation/kubectl_api-resources_lists_every_kind_with_its_scope",
		"--- PASS: TestAggregation/create,_get_and_delete_each_kind_through_kube-apiserver",
		"--- PASS: TestAggregation/a_user_without_RBAC_gets_403,_and_is_allowed_once_granted",
		"ok  \texample.com/garden/test/e2e",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("make test-e2e output lacks %q", want)
		}
	}
	if strings.Contains(out, "--- SKIP") {
		t.Errorf("make test-e2e skipped something")
	}
	mustAggen(t, dir, "verify")
}

// runIn runs a command in dir with extra environment and fails the test,
// showing its output, when it fails.
// shellEnv is this process's environment without what an outer make
// exports (MAKELEVEL, MAKEFLAGS, ...): under `make test` a nested make would
// otherwise print "Entering directory" lines and inherit the outer flags,
// which a user typing the command in a shell never sees.
func shellEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "MAKELEVEL", "MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES", "MAKE_TERMOUT", "MAKE_TERMERR":
			continue
		}
		env = append(env, kv)
	}
	return env
}

func runIn(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(append(shellEnv(), "GOWORK=off"), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}
