package makefile

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSuiteBuildsE2EBinariesFirst: make test builds the end-to-end
// binaries (kube-apiserver takes minutes without a warm cache) once,
// before any go test starts, so that on a fresh machine the test
// packages find them cached instead of each building them at once.
func TestSuiteBuildsE2EBinariesFirst(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make")
	}
	cmd := exec.Command("make", "-n", "--no-print-directory", "test")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("make -n test: %v", err)
	}
	binaries, goTest := -1, -1
	for i, line := range strings.Split(string(out), "\n") {
		if binaries < 0 && strings.Contains(line, "hack/e2e-binaries.sh") {
			binaries = i
		}
		if goTest < 0 && strings.Contains(line, " test ") {
			goTest = i
		}
	}
	if binaries < 0 || goTest < 0 || binaries > goTest {
		t.Errorf("make test does not run hack/e2e-binaries.sh before its first go test:\n%s", out)
	}
}

// TestE2EBinariesRemovesStaleTemporaries: a build killed before its mv
// leaves its temporary binary in the cache; the next run removes those
// older than a build takes and leaves a younger one (a build under way)
// alone.
func TestE2EBinariesRemovesStaleTemporaries(t *testing.T) {
	version := exec.Command("go", "list", "-m", "-f", "{{.Version}}", "go.etcd.io/etcd/server/v3")
	version.Dir = "../e2e/tools/etcd"
	version.Env = append(os.Environ(), "GOWORK=off")
	v, err := version.Output()
	if err != nil {
		t.Fatalf("etcd's version: %v", err)
	}
	cache := t.TempDir()
	dir := filepath.Join(cache, "etcd-"+strings.TrimSpace(string(v)))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	stale, fresh, bin := filepath.Join(dir, ".etcd.stale"), filepath.Join(dir, ".etcd.fresh"), filepath.Join(dir, "etcd")
	for _, f := range []string{stale, fresh} {
		if err := os.WriteFile(f, []byte("half a binary"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-3 * time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	// A cached binary: the run builds nothing.
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", "../../hack/e2e-binaries.sh", "etcd")
	cmd.Env = append(os.Environ(), "AGGEN_E2E_CACHE="+cache)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("hack/e2e-binaries.sh etcd: %v", err)
	}
	if got := strings.TrimSpace(string(out)); got != dir {
		t.Errorf("printed %q, want %q", got, dir)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("a temporary binary 3 hours old is still there (%v)", err)
	}
	for _, keep := range []string{fresh, bin} {
		if _, err := os.Stat(keep); err != nil {
			t.Errorf("%s: %v, want it kept", keep, err)
		}
	}
}
