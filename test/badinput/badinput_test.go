// Package badinput_test runs aggen on small broken projects and checks
// that each gets exactly the expected errors, with file:line:col, the
// right exit status, and an untouched tree.
//
// Each case is a txtar archive in testdata/bad at the repository root:
//
//	One line saying what the case is about.
//	exit: 3
//	-- pkg/apis/insects/v1/doc.go --
//	...
//	-- want --
//	pkg/apis/insects/v1/bee_types.go:12:5: unknown marker "+kubebuilder:validation:Minimun" (did you mean +kubebuilder:validation:Minimum?)
//
// The archive's files are laid over a base project (aggen.yaml, go.mod,
// go.sum and the boilerplate of examples/insects), so an archive holds
// only what its case is about. `want` lists every error of the run, in the
// order aggen prints them; `aggen generate` and `aggen verify` must both
// print exactly those and exit with the status given.
package badinput_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/aggen-dev/aggen/test/aggentest"
)

var aggenBin string

func TestMain(m *testing.M) { os.Exit(aggentest.Main(m, &aggenBin)) }

// baseFiles are laid under every case.
var baseFiles = []string{"aggen.yaml", "go.mod", "go.sum", "hack/boilerplate.go.txt"}

var exitLine = regexp.MustCompile(`(?m)^exit: (\d+)$`)

type testCase struct {
	name  string
	about string
	exit  int
	want  []string
	files []txtar.File
}

func readCase(t *testing.T, file string) testCase {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	c := testCase{name: strings.TrimSuffix(filepath.Base(file), ".txtar")}
	c.about, _, _ = strings.Cut(string(ar.Comment), "\n")
	m := exitLine.FindSubmatch(ar.Comment)
	if m == nil {
		t.Fatalf("%s: no `exit: N` line in the archive comment", file)
	}
	c.exit, _ = strconv.Atoi(string(m[1]))
	for _, f := range ar.Files {
		if f.Name == "want" {
			c.want = strings.Split(strings.TrimRight(string(f.Data), "\n"), "\n")
			continue
		}
		c.files = append(c.files, f)
	}
	if c.want == nil {
		t.Fatalf("%s: no -- want -- section", file)
	}
	return c
}

func TestBadInput(t *testing.T) {
	files, err := filepath.Glob("../../testdata/bad/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases in testdata/bad: %v", err)
	}
	base := map[string][]byte{}
	for _, name := range baseFiles {
		b, err := os.ReadFile(filepath.Join("../../examples/insects", filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		base[name] = b
	}
	for _, file := range files {
		c := readCase(t, file)
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, b := range base {
				writeFile(t, dir, name, b)
			}
			for _, f := range c.files {
				writeFile(t, dir, f.Name, f.Data)
			}
			before := snapshot(t, dir)
			for _, cmd := range []string{"generate", "verify"} {
				stderr, code := run(t, dir, cmd)
				if code != c.exit {
					t.Errorf("%s (%s): aggen %s exited %d, want %d\n%s", c.name, c.about, cmd, code, c.exit, stderr)
				}
				if got := errorLines(stderr); !equal(got, c.want) {
					t.Errorf("%s (%s): aggen %s printed\n%s\nwant\n%s", c.name, c.about, cmd, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
				}
				if after := snapshot(t, dir); after != before {
					t.Errorf("%s: aggen %s changed the tree:\n%s", c.name, cmd, diffSnapshots(before, after))
				}
			}
		})
	}
}

func run(t *testing.T, dir string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(aggenBin, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return stderr.String(), exit.ExitCode()
	}
	if err != nil {
		t.Fatalf("aggen %v: %v", args, err)
	}
	return stderr.String(), 0
}

var countLine = regexp.MustCompile(`^\d+ errors:$`)

// errorLines returns the errors aggen printed: "aggen: " then one error,
// or "aggen: N errors:" then one per line.
func errorLines(stderr string) []string {
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	if len(lines) == 0 {
		return nil
	}
	lines[0] = strings.TrimPrefix(lines[0], "aggen: ")
	if countLine.MatchString(lines[0]) {
		n, _ := strconv.Atoi(strings.Fields(lines[0])[0])
		lines = lines[1:]
		if n != len(lines) {
			lines = append(lines, fmt.Sprintf("(the count line said %d errors, %d followed)", n, len(lines)))
		}
	}
	return lines
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func writeFile(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// snapshot describes every directory and file under dir: path, mode,
// modification time and content.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(&b, "%s %v %d", filepath.ToSlash(rel), info.Mode(), info.ModTime().UnixNano())
		if !d.IsDir() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, " %q", data)
		}
		b.WriteString("\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func diffSnapshots(a, b string) string {
	in := map[string]bool{}
	for _, l := range strings.Split(a, "\n") {
		in[l] = true
	}
	var out []string
	for _, l := range strings.Split(b, "\n") {
		if !in[l] {
			if len(l) > 200 {
				l = l[:200] + "..."
			}
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}
