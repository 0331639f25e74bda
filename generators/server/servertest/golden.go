package servertest

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/generators/output"
)

// Golden compares files with the goldens under dir (each file at its path
// plus ".golden"); with update it rewrites them instead. Goldens that no
// file produces any more are reported too. When the environment variable
// AGGEN_RENDER_DIR is set, the files are also written there as they would
// be in a project, to build and run them by hand.
func Golden(t *testing.T, dir string, files []*output.File, update bool) {
	t.Helper()
	if out := os.Getenv("AGGEN_RENDER_DIR"); out != "" {
		for _, f := range files {
			p := filepath.Join(out, filepath.FromSlash(f.Path))
			if f.Owner == output.UserOwned {
				if _, err := os.Stat(p); err == nil {
					continue
				}
			}
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := map[string]bool{}
	for _, f := range files {
		golden := filepath.Join(dir, filepath.FromSlash(f.Path)+".golden")
		want[golden] = true
		if update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		b, err := os.ReadFile(golden)
		if err != nil {
			t.Errorf("%s: no golden (run the test with -update): %v", f.Path, err)
			continue
		}
		if string(b) != string(f.Data) {
			t.Errorf("%s differs from %s (run the test with -update to accept):\n%s", f.Path, golden, Diff(string(b), string(f.Data)))
		}
	}
	var stale []string
	_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && strings.HasSuffix(p, ".golden") && !want[p] {
			stale = append(stale, p)
		}
		return nil
	})
	sort.Strings(stale)
	for _, p := range stale {
		if update {
			_ = os.Remove(p)
			continue
		}
		t.Errorf("stale golden %s: no file is rendered there any more", p)
	}
}

// Diff returns a line diff of a and b ("-" lines of a, "+" lines of b).
func Diff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	n, m := len(al), len(bl)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if al[i] == bl[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var sb strings.Builder
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && al[i] == bl[j]:
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			fmt.Fprintf(&sb, "%d: + %s\n", j+1, bl[j])
			j++
		default:
			fmt.Fprintf(&sb, "%d: - %s\n", i+1, al[i])
			i++
		}
	}
	return sb.String()
}
