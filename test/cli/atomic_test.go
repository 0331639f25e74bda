package cli_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// treeState describes every file and directory under dir: mode for
// both, modification time and content for files.
func treeState(t *testing.T, dir string) map[string]string {
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

func treeDiff(before, after map[string]string) []string {
	var diffs []string
	for p, b := range before {
		if a, ok := after[p]; !ok {
			diffs = append(diffs, "removed "+p)
		} else if a != b {
			diffs = append(diffs, "changed "+p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			diffs = append(diffs, "added "+p)
		}
	}
	sort.Strings(diffs)
	return diffs
}

// reportMatches runs create api and checks that its report names exactly
// the files that changed on disk, each with what happened to it, and
// counts unchanged ones.
func reportMatches(t *testing.T, dir string, args ...string) {
	t.Helper()
	before := treeState(t, dir)
	out := mustAggen(t, dir, append([]string{"create", "api"}, args...)...)
	after := treeState(t, dir)
	reported := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && (f[0] == "create" || f[0] == "update" || f[0] == "delete") {
			reported[f[1]] = f[0]
		}
	}
	happened := map[string]string{}
	for p, a := range after {
		b, ok := before[p]
		switch {
		case strings.HasPrefix(a, "d"):
			// A directory.
		case !ok:
			happened[p] = "create"
		case a != b:
			happened[p] = "update"
		}
	}
	for p, b := range before {
		if _, ok := after[p]; !ok && !strings.HasPrefix(b, "d") {
			happened[p] = "delete"
		}
	}
	for p, what := range happened {
		if reported[p] != what {
			t.Errorf("create api %v: %s: %s on disk, reported %q", args, p, what, reported[p])
		}
	}
	for p, what := range reported {
		if happened[p] != what {
			t.Errorf("create api %v: reported %s %s, on disk %q", args, what, p, happened[p])
		}
	}
	if !strings.Contains(out, " unchanged\n") || strings.Contains(out, " 0 unchanged\n") {
		t.Errorf("create api %v reports no unchanged files:\n%s", args, out)
	}
}

// TestCreateAPIWardle makes k8s.io/sample-apiserver's wardle API the way
// a new user starts: Flunder in v1alpha1, Fischer (cluster-scoped) in
// v1alpha1, then Flunder in v1beta1. Each call must report exactly what
// it changed. A fourth call, a Flunder in v1 without status, would
// become Flunder's storage version and leave the status of the other
// versions nowhere to go: it must fail with exit 3, name the conversions
// to write, and leave the project byte for byte as it was, empty
// directories included. The project then builds and verifies.
func TestCreateAPIWardle(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generators and builds")
	}
	dir := t.TempDir()
	mustAggen(t, dir, "init", "--domain", "example.com", "--repo", "k8s.io/sample-apiserver", "--name", "wardle")
	reportMatches(t, dir, "--group", "wardle", "--version", "v1alpha1", "--kind", "Flunder")
	reportMatches(t, dir, "--group", "wardle", "--version", "v1alpha1", "--kind", "Fischer", "--namespaced=false")
	reportMatches(t, dir, "--group", "wardle", "--version", "v1beta1", "--kind", "Flunder")

	before := treeState(t, dir)
	out, code := aggen(t, dir, "create", "api", "--group", "wardle", "--version", "v1", "--kind", "Flunder", "--status=false")
	if code != 3 {
		t.Errorf("create api of a v1 Flunder without status: exit %d, want 3\n%s", code, out)
	}
	if want := "pkg/apis/wardle/v1beta1/flunder_types.go:"; !strings.Contains(out, want) || !strings.Contains(out, "write func Convert_v1beta1_Flunder_To_wardle_Flunder(") {
		t.Errorf("the error does not name the conversions to write:\n%s", out)
	}
	if d := treeDiff(before, treeState(t, dir)); len(d) > 0 {
		t.Errorf("the failed create api changed the project:\n%s", strings.Join(d, "\n"))
	}
	goCmd(t, dir, "build", "./...")
	mustAggen(t, dir, "verify")
}
