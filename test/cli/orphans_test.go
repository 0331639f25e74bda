package cli_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/test/upstream"
)

// TestDeletedKindNamesItsUserFiles deletes a kind's types. The user files
// aggen scaffolded for it (its registry hooks and its reconciler) then no
// longer compile, so generate and verify must fail as on any input error,
// writing nothing, and name each file at its first use of what went
// away. Once the user deletes them, generate removes the kind's generated
// files and the project builds. A controller of the user's own in the
// same place is only named in a warning.
func TestDeletedKindNamesItsUserFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generators and builds")
	}
	dir := t.TempDir()
	if err := upstream.CopyTree("../../examples/insects", dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "pkg/apis/insects/v1beta1/hive_types.go")); err != nil {
		t.Fatal(err)
	}
	// HiveSummary is computed from Hives: its user goes with them, its
	// source and all.
	if err := os.Remove(filepath.Join(dir, "pkg/apis/insects/v1beta1/hivesummary_types.go")); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, "pkg/registry/insects/hivesummary")); err != nil {
		t.Fatal(err)
	}
	// Where the files first use what went away: the reconciler the
	// generated HiveObject, hooks.go the internal type insects.Hive.
	at := func(rel, use string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if col := strings.Index(line, use); col >= 0 && !strings.HasPrefix(strings.TrimSpace(line), "//") {
				return fmt.Sprintf("%s:%d:%d", rel, i+1, col+1)
			}
		}
		t.Fatalf("%s does not use %s", rel, use)
		return ""
	}
	reconciler := at("pkg/controller/insects/hive_controller.go", "HiveObject")
	hooksAt := at("pkg/registry/insects/hive/hooks.go", "insects.Hive")
	before := treeState(t, dir)
	for _, cmd := range []string{"generate", "verify"} {
		out, code := aggen(t, dir, cmd)
		if code != 3 {
			t.Errorf("aggen %s: exit %d, want 3\n%s", cmd, code, out)
		}
		for _, want := range []string{
			reconciler + ": undefined: HiveObject: aggen generated it for a kind that no longer exists or no longer has this reconciler: delete pkg/controller/insects/hive_controller.go",
			hooksAt + ": the kind these hooks are for no longer exists, and neither does the code of pkg/registry/insects/hive that called them: delete pkg/registry/insects/hive/",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("aggen %s output lacks\n  %s\ngot:\n%s", cmd, want, out)
			}
		}
		if d := treeDiff(before, treeState(t, dir)); len(d) > 0 {
			t.Errorf("a failed %s changed the project:\n%s", cmd, strings.Join(d, "\n"))
		}
	}

	for _, f := range []string{"pkg/controller/insects/hive_controller.go", "pkg/registry/insects/hive/hooks.go"} {
		if err := os.Remove(filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	own := filepath.Join(dir, "pkg/controller/insects/pod_controller.go")
	if err := os.WriteFile(own, []byte("package insects\n\n// PodReconciler is the user's own.\ntype PodReconciler struct{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := mustAggen(t, dir, "generate")
	for _, want := range []string{
		"warning: pkg/controller/insects/pod_controller.go belongs to a kind that no longer exists",
		"delete  pkg/generated/clientset/versioned/typed/insects/v1beta1/hive.go",
		"delete  pkg/registry/insects/hive/zz_generated.strategy.go",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("generate output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "pkg/registry/insects/hive")); !os.IsNotExist(err) {
		t.Errorf("the emptied pkg/registry/insects/hive is left behind: %v", err)
	}
	goCmd(t, dir, "build", "./...")
}
