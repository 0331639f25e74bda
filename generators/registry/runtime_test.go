package registry_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestRegistryRuntime runs testdata/runtime/registry_test.go.txt inside
// the generated registry package of a copy of examples/insects: schema
// defaulting that skips the round trip through the unstructured form when
// its walk of the typed object finds nothing to default must default
// exactly as the round trip does, and the table convertor that converts
// only the fields its columns read must print what converting the whole
// object prints.
func TestRegistryRuntime(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and tests a copy of the example's registry package")
	}
	dir := t.TempDir()
	if out, err := exec.Command("cp", "-r", "../../examples/insects/.", dir).CombinedOutput(); err != nil {
		t.Fatalf("copying the example: %v\n%s", err, out)
	}
	src, err := os.ReadFile("testdata/runtime/registry_test.go.txt")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "pkg", "registry", "aggen_runtime_test.go"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "test", "-count=1", "-v", "./pkg/registry/")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test in the example's registry package: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
