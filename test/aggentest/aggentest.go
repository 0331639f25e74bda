// Package aggentest builds the aggen binary for tests that drive it the way
// users do, once per test package.
package aggentest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	// The binary is built from aggen's packages; depending on them makes
	// `go test` rerun the packages that use this one when aggen changes.
	_ "github.com/aggen-dev/aggen/scaffold"
)

// Main builds aggen into a temporary directory, points *bin at it, runs
// the tests and removes the binary. Use it as a TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(aggentest.Main(m, &aggenBin)) }
func Main(m *testing.M, bin *string) int {
	dir, err := os.MkdirTemp("", "aggen-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "aggentest:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	*bin = filepath.Join(dir, "aggen")
	build := exec.Command("go", "build", "-o", *bin, "github.com/aggen-dev/aggen/cmd/aggen")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "aggentest: building aggen:", err)
		return 1
	}
	return m.Run()
}

// GoFlags is the GOFLAGS entry for a go command a test starts with flags
// of its own: the inherited GOFLAGS (make test's -trimpath, without which
// every temporary project adds build cache entries no later run uses),
// then extra.
func GoFlags(extra ...string) string {
	return "GOFLAGS=" + strings.Join(append(strings.Fields(os.Getenv("GOFLAGS")), extra...), " ")
}
