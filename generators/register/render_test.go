package register_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/generators/codegen/rendertest"
	"github.com/aggen-dev/aggen/generators/register"
)

// TestRenderExample renders the example project's registrations with no
// fallback and byte for byte as the upstream register-gen writes them on
// the same parse.
func TestRenderExample(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the example's packages")
	}
	renderAndCompare(t, rendertest.Example(t), 2)
}

// TestRenderBench does the same on packages shaped as the 200-kind
// benchmark project's (test/bench), defaulter's fixture: two groups,
// three versions, one of them a second v1beta1.
func TestRenderBench(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a project's packages")
	}
	renderAndCompare(t, rendertest.Fixture(t, "../defaulter/testdata/bench"), 3)
}

// TestRenderSynthetic does the same on defaulter's synthetic project:
// four packages, three named v1 (metav1's import must be named apart),
// types embedding TypeMeta that are and are not lists.
func TestRenderSynthetic(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a project's packages")
	}
	dir := rendertest.Fixture(t, "../defaulter/testdata/synthetic")
	tagGroups(t, dir)
	renderAndCompare(t, dir, 4)
}

// TestRenderCorpora renders the corpora nobody at aggen wrote, their
// version packages tagged as aggen stages them (see tagGroups): no package
// may fall back, and every file must be register-gen's.
func TestRenderCorpora(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the corpora")
	}
	projects := rendertest.Projects(t)
	names := make([]string, 0, len(projects))
	for name := range projects {
		if name != "example" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			dir := projects[name](t)
			tagGroups(t, dir)
			renderAndCompare(t, dir, -1)
		})
	}
}

var version = regexp.MustCompile(`^v[0-9]+((alpha|beta)[0-9]+)?$`)

// tagGroups gives every version package under pkg/apis what aggen's
// staging gives it: a +groupName in doc.go where it has none (copied there
// from groupversion_info.go), and DeepCopyObject for its types that embed
// TypeMeta (implied from +kubebuilder:object:root or +genclient), here
// asked for at package level; register-gen registers only those.
func tagGroups(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(filepath.Join(dir, "pkg", "apis"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() || !version.MatchString(d.Name()) {
			return err
		}
		doc := filepath.Join(p, "doc.go")
		b, err := os.ReadFile(doc)
		if os.IsNotExist(err) {
			b, err = []byte("package "+d.Name()+"\n"), nil
		}
		if err != nil {
			return err
		}
		text := string(b)
		i := strings.Index(text, "\npackage ")
		if strings.HasPrefix(text, "package ") {
			i = -1
		} else if i < 0 {
			return fmt.Errorf("%s has no package clause", doc)
		}
		tag := "// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object\n"
		if !strings.Contains(text, "+groupName=") {
			tag += "// +groupName=" + filepath.Base(filepath.Dir(p)) + ".example.com\n"
		}
		return os.WriteFile(doc, []byte(text[:i+1]+tag+text[i+1:]), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// renderAndCompare renders dir's registrations, wantFiles of them unless
// negative, with no fallback, and compares them with register-gen's on
// the same parse.
func renderAndCompare(t *testing.T, dir string, wantFiles int) {
	t.Helper()
	p := rendertest.Load(t, dir)
	r, err := register.Render(p.Session, p.Tree, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Fallback {
		t.Errorf("fell back to upstream: %v", f)
	}
	if wantFiles >= 0 && len(r.Files) != wantFiles {
		t.Errorf("rendered %d files, want %d", len(r.Files), wantFiles)
	}
	if err := register.Run(p.Session, p.Tree, nil, true); err != nil {
		t.Fatal(err)
	}
	want, err := p.Session.Files()
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("register-gen wrote nothing")
	}
	paths := map[string]bool{}
	for p := range want {
		paths[p] = true
	}
	for p := range r.Files {
		paths[p] = true
	}
	for p := range paths {
		w, ok := want[p]
		g, rendered := r.Files[p]
		switch {
		case !ok:
			t.Errorf("%s: rendered, not written by register-gen", p)
		case !rendered:
			t.Errorf("%s: not rendered", p)
		case string(w) != string(g):
			t.Errorf("%s differs from register-gen's:\n%s", p, rendertest.LineDiff("register-gen", string(w), string(g)))
		}
	}
}
