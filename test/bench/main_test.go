package main

import (
	"bytes"
	"go/parser"
	"go/token"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// The synthetic project's files are Go.
func TestSyntheticFilesParse(t *testing.T) {
	for name, src := range map[string]string{
		"doc.go":   versionDoc("group0", "v1beta1"),
		"types.go": types("v1beta1", "Kind007"),
	} {
		if _, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ParseComments); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if got := []int{groupsFor(1), groupsFor(10), groupsFor(50), groupsFor(200)}; got[0] != 1 || got[1] != 5 || got[2] != 10 || got[3] != 10 {
		t.Errorf("groups for 1, 10, 50, 200 kinds = %v, want 1, 5, 10, 10", got)
	}
}

// The table prints the medians and divides the right ones:
// kube_codegen.sh by full, full by the floor.
func TestReportRatios(t *testing.T) {
	s := func(cpu ...time.Duration) []sample {
		var out []sample
		for _, c := range cpu {
			out = append(out, sample{cpu: c, wall: 2 * c, rss: 300 << 20})
		}
		return out
	}
	r := &result{kinds: 50, groups: 10, versions: 75,
		full:        s(2*time.Second, 9*time.Second, 1*time.Second), // median 2 s
		noop:        s(100 * time.Millisecond),
		verify:      s(200 * time.Millisecond),
		floor:       s(time.Second),
		kubeCodegen: s(40 * time.Second),
	}
	var out bytes.Buffer
	report(&out, []*result{r}, 3)
	line := ""
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "50 ") {
			line = l
			break
		}
	}
	// full/floor 2.00x CPU (2.00x wall), kube_codegen.sh/full 20.0x (20.0x),
	// the medians themselves, peak memory.
	for _, want := range []string{"2.00x (2.00x)", "20.0x (20.0x)", "2.00 (4.00)", "0.10 (0.20)", "0.20 (0.40)", "1.00 (2.00)", "40.00 (80.00)", "300 MiB"} {
		if !strings.Contains(line, want) {
			t.Errorf("ratio row %q lacks %s\n%s", line, want, out.String())
		}
	}
}

// Without kube_codegen.sh (-kube=false) its columns say so rather than
// printing a ratio of zero.
func TestReportWithoutKubeCodegen(t *testing.T) {
	r := &result{kinds: 1, groups: 1, versions: 2,
		full:   []sample{{cpu: time.Second, wall: time.Second}},
		noop:   []sample{{cpu: time.Second, wall: time.Second}},
		verify: []sample{{cpu: time.Second, wall: time.Second}},
		floor:  []sample{{cpu: time.Second, wall: time.Second}},
	}
	var out bytes.Buffer
	report(&out, []*result{r}, 1)
	if strings.Contains(out.String(), "0.0x") || strings.Count(out.String(), " - ") < 2 {
		t.Errorf("kube_codegen.sh columns of a run without it:\n%s", out.String())
	}
}

// `make bench -- <flags>` hands every flag after -- to this benchmark,
// after the Makefile's own -kinds and -runs so that they win: those make
// sees as goals (--kinds 50) and those it takes for variables
// (--kube=false).
func TestMakeBenchPassesFlags(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make")
	}
	cmd := exec.Command("make", "-n", "bench-generate", "--", "--kinds", "5", "--kube=false")
	cmd.Dir = "../.."
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make -n: %v\n%s", err, out)
	}
	var run string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "./test/bench ") {
			run = line
		}
	}
	if run == "" {
		t.Fatalf("make -n bench-generate runs no ./test/bench:\n%s", out)
	}
	for _, want := range []string{"--kinds 5", "--kube=false"} {
		if !strings.Contains(run, want) {
			t.Errorf("%q does not pass %s", run, want)
		}
	}
	if i, j := strings.Index(run, "-runs"), strings.Index(run, "--kinds 5"); i < 0 || j < i {
		t.Errorf("%q: the flags after -- do not come after the Makefile's", run)
	}
}
