// Package makefile tests properties of aggen's own Makefile that the
// suite's disk and time depend on.
package makefile

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// makeGOFLAGS is GOFLAGS as the Makefile's recipes see it: make builds
// with a "go" that only prints it.
func makeGOFLAGS(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make")
	}
	printer := filepath.Join(t.TempDir(), "go")
	if err := os.WriteFile(printer, []byte("#!/bin/sh\nprintf '%s' \"$GOFLAGS\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("make", "-s", "--no-print-directory", "build", "GO="+printer)
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), "GOFLAGS=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make build: %v\n%s", err, out)
	}
	return string(out)
}

// exportPath is where the build cache holds the compiled package of a
// one-file module written into a new directory.
func exportPath(t *testing.T, goflags string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/cachekey\n\ngo 1.22\n",
		"lib.go": "package cachekey\n\n// Answer is compiled, so the package has export data.\nfunc Answer() int { return 42 }\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "list", "-export", "-f", "{{.Export}}", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS="+goflags)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -export (GOFLAGS=%q): %v", goflags, err)
	}
	return strings.TrimSpace(string(out))
}

// The tests build hundreds of generated projects, each in a new temporary
// directory. Unless the same content compiles to the same cache entry
// wherever it lies, every run of the suite grows the build cache by
// gigabytes that no later run uses (it once filled CI's disk).
func TestSameContentSharesTheBuildCache(t *testing.T) {
	goflags := makeGOFLAGS(t)
	if !strings.Contains(" "+goflags+" ", " -trimpath ") {
		t.Errorf("the Makefile's recipes run with GOFLAGS=%q, without -trimpath", goflags)
	}
	if a, b := exportPath(t, goflags), exportPath(t, goflags); a != b {
		t.Errorf("with the Makefile's GOFLAGS=%q, one package in two directories has two cache entries:\n%s\n%s", goflags, a, b)
	}
	// Without the flag the directory is part of the key: the check above
	// would catch its loss.
	if a, b := exportPath(t, ""), exportPath(t, ""); a == b {
		t.Errorf("without -trimpath one package in two directories shares cache entry %s: this test no longer tells", a)
	}
}
