package codemod

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestCodemods runs each case of testdata/*.txtar: the file "in.go"
// rewritten must equal "out.go", and the comment names the codemods
// expected to apply, one a line (none: the file stays as it is).
func TestCodemods(t *testing.T) {
	cases, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, c := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(c), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(c)
			if err != nil {
				t.Fatal(err)
			}
			files := map[string]string{}
			for _, f := range ar.Files {
				files[f.Name] = string(f.Data)
			}
			got, applied, err := Apply("in.go", []byte(files["in.go"]), All())
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != files["out.go"] {
				t.Errorf("rewritten:\n%s\nwant:\n%s", got, files["out.go"])
			}
			var want []string
			for _, l := range strings.Split(strings.TrimSpace(string(ar.Comment)), "\n") {
				if l = strings.TrimSpace(l); l != "" && l != "none" {
					want = append(want, l)
				}
			}
			if len(applied) != len(want) {
				t.Fatalf("applied %q, want prefixes %q", applied, want)
			}
			for i := range want {
				if !strings.HasPrefix(applied[i], want[i]) {
					t.Errorf("applied %q, want prefix %q", applied[i], want[i])
				}
			}
			// Idempotent: a second run changes nothing.
			again, more, err := Apply("out.go", got, All())
			if err != nil || len(more) > 0 || string(again) != string(got) {
				t.Errorf("second run applied %q: %v", more, err)
			}
		})
	}
}

func TestUnparsableLeftAlone(t *testing.T) {
	src := []byte("package x\n<<<<<<< ours\n")
	got, applied, err := Apply("x.go", src, All())
	if err != nil || len(applied) > 0 || string(got) != string(src) {
		t.Fatalf("got %q %q %v", got, applied, err)
	}
	_ = os.Stderr
}
