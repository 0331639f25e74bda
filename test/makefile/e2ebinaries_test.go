package makefile

import (
	"os/exec"
	"strings"
	"testing"
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
