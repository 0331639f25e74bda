package scaffold

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"

	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/templates"
)

// newTestUpgrade is an upgrade whose shadow is a directory holding files.
func newTestUpgrade(t *testing.T, files map[string]string) *upgrade {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return &upgrade{o: &UpgradeOptions{Dir: dir}, sh: &shadow{root: dir, dir: dir}, cfg: &loader.Config{}, files: map[string][]byte{}}
}

func TestMovePins(t *testing.T) {
	u := newTestUpgrade(t, map[string]string{"go.mod": `module example.com/bees

go 1.25.0

require (
	k8s.io/api v0.36.6
	k8s.io/apimachinery v0.36.6
	k8s.io/kube-openapi v0.0.0-20260317180543-43fb72c5454a
	k8s.io/utils v0.0.0-20260108192941-914a6e750570
	sigs.k8s.io/controller-runtime v0.99.0
	github.com/google/uuid v1.6.0
)

replace k8s.io/client-go => k8s.io/client-go v0.36.1
`})
	if err := u.movePins(); err != nil {
		t.Fatal(err)
	}
	b, err := u.readShadow("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	f, err := modfile.Parse("go.mod", b, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"k8s.io/api": KubernetesVersion, "k8s.io/apimachinery": KubernetesVersion, "k8s.io/kube-openapi": KubeOpenAPIVersion,
		// Not aggen's to pin: tidy moves it if it must.
		"k8s.io/utils": "v0.0.0-20260108192941-914a6e750570",
		// Never down.
		"sigs.k8s.io/controller-runtime": "v0.99.0",
		"github.com/google/uuid":         "v1.6.0",
	}
	for _, r := range f.Require {
		if r.Mod.Version != want[r.Mod.Path] {
			t.Errorf("%s %s, want %s", r.Mod.Path, r.Mod.Version, want[r.Mod.Path])
		}
	}
	if f.Go.Version != GoVersion {
		t.Errorf("go %s, want %s", f.Go.Version, GoVersion)
	}
	notes := strings.Join(u.notes, "\n")
	for _, n := range []string{"go.mod: k8s.io/api v0.36.6 -> " + KubernetesVersion, "go.mod replaces k8s.io/client-go"} {
		if !strings.Contains(notes, n) {
			t.Errorf("notes lack %q:\n%s", n, notes)
		}
	}
}

func TestMigrateConfig(t *testing.T) {
	for _, tc := range []struct{ name, in string }{
		{"format 1", "# my comment\nversion: \"1\"\ndomain: example.com\n# keep me\nkubernetesVersion: v0.36.6\n"},
		{"no version, no final newline", "domain: example.com\nkubernetesVersion: v0.36.6"},
		{"format 2 already", "version: \"2\"\ndomain: example.com\nkubernetesVersion: v0.36.6\ntemplates: 1\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := newTestUpgrade(t, map[string]string{loader.ConfigFile: tc.in})
			if err := u.migrateConfig(); err != nil {
				t.Fatal(err)
			}
			b, _ := u.readShadow(loader.ConfigFile)
			out := string(b)
			for _, want := range []string{`version: "` + loader.ConfigVersion + `"`, "kubernetesVersion: " + KubernetesVersion, "templates: " + strconv.Itoa(templates.Revision), "domain: example.com\n"} {
				if strings.Count(out, want) != 1 {
					t.Errorf("want %q once in:\n%s", want, out)
				}
			}
			for _, l := range strings.Split(tc.in, "\n") {
				if strings.HasPrefix(l, "#") && !strings.Contains(out, l) {
					t.Errorf("lost %q:\n%s", l, out)
				}
			}
		})
	}
}

func TestRecordRoundTrip(t *testing.T) {
	dir := t.TempDir()
	p := &Plan{Root: dir}
	rec := &Record{Revision: 1, Files: map[string][]byte{"a.go": []byte("package a\n"), "Makefile": []byte("all:\n")}}
	if err := p.putRecord(rec); err != nil {
		t.Fatal(err)
	}
	if err := p.Apply(nil); err != nil {
		t.Fatal(err)
	}
	back, err := ReadRecord(dir)
	if err != nil {
		t.Fatal(err)
	}
	if back.Revision != 1 || len(back.Files) != 2 || string(back.Files["a.go"]) != "package a\n" {
		t.Errorf("read back %+v", back)
	}
	// A file txtar cannot hold is refused, not recorded wrong.
	rec.Files["README.md"] = []byte("text\n-- b.go --\nmore\n")
	if err := (&Plan{Root: dir}).putRecord(rec); err == nil {
		t.Errorf("a file with a txtar marker line was recorded")
	}
}
