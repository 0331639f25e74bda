package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/test/upstream"
)

// TestDeletedKindNamesItsUserFiles deletes a kind's types and checks that
// generate removes its generated files and names the user-owned files that
// now break the build, without touching them.
func TestDeletedKindNamesItsUserFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generators")
	}
	dir := t.TempDir()
	if err := upstream.CopyTree("../../examples/insects", dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "pkg/apis/insects/v1beta1/hive_types.go")); err != nil {
		t.Fatal(err)
	}
	hooks := filepath.Join(dir, "pkg/registry/insects/hive/hooks.go")
	before, err := os.ReadFile(hooks)
	if err != nil {
		t.Fatal(err)
	}
	out := mustAggen(t, dir, "generate")
	for _, want := range []string{
		"warning: pkg/registry/insects/hive/hooks.go belongs to a kind that no longer exists",
		"warning: pkg/controller/insects/hive_controller.go belongs to a kind that no longer exists",
		"delete  pkg/generated/clientset/versioned/typed/insects/v1beta1/hive.go",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("generate output lacks %q:\n%s", want, out)
		}
	}
	after, err := os.ReadFile(hooks)
	if err != nil || string(after) != string(before) {
		t.Errorf("generate touched the user-owned %s", hooks)
	}
}
