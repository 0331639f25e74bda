package scaffold

import (
	"path/filepath"
	"testing"

	"github.com/aggen-dev/aggen/generators"
	"github.com/aggen-dev/aggen/generators/output"
	"github.com/aggen-dev/aggen/templates"
	"github.com/aggen-dev/aggen/test/corpus"
	"github.com/aggen-dev/aggen/test/fixture"
)

// A generated file outside the places its generator claims would never be
// deleted once nothing produces it: every one must lie in one.
func TestGeneratedFilesLieInClaimedPlaces(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the example and a corpus")
	}
	// The example, and copies of k8s.io/api groups nobody here wrote.
	k8sapi := t.TempDir()
	if err := corpus.Assemble(fixture.Root(), k8sapi, corpus.Corpora["k8sapi"]); err != nil {
		t.Fatal(err)
	}
	r, err := templates.NewFS(templates.Files())
	if err != nil {
		t.Fatal(err)
	}
	for name, dir := range map[string]string{"example": filepath.Join(fixture.Root(), "examples", "insects"), "k8sapi": k8sapi} {
		p, err := generators.Load(dir, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, g := range Generators() {
			files, err := g.Generate(r, p)
			if err != nil {
				t.Fatalf("%s: %s: %v", name, g.Name, err)
			}
			claimed := output.NewSet()
			claimed.Claim(g.Places...)
			generated := 0
			for _, f := range files {
				if f.Owner != output.Generated {
					continue
				}
				generated++
				if !claimed.Holds(f.Path) {
					t.Errorf("%s: generator %q writes %s, outside its places %q", name, g.Name, f.Path, g.Places)
				}
			}
			if generated == 0 && len(g.Places) > 0 {
				t.Errorf("%s: generator %q claims places %q but generated nothing", name, g.Name, g.Places)
			}
		}
	}
}
