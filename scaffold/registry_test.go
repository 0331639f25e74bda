package scaffold

import (
	"path/filepath"
	"testing"

	"github.com/aggen-dev/aggen/generators"
	"github.com/aggen-dev/aggen/generators/output"
	"github.com/aggen-dev/aggen/templates"
	"github.com/aggen-dev/aggen/test/fixture"
)

// A generated file outside the places its generator claims would never be
// deleted once nothing produces it: every one must lie in one.
func TestGeneratedFilesLieInClaimedPlaces(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the example project")
	}
	p, err := generators.Load(filepath.Join(fixture.Root(), "examples", "insects"), nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := templates.NewFS(templates.Files())
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range Generators() {
		files, err := g.Generate(r, p)
		if err != nil {
			t.Fatalf("%s: %v", g.Name, err)
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
				t.Errorf("generator %q writes %s, outside its places %q", g.Name, f.Path, g.Places)
			}
		}
		if generated == 0 && len(g.Places) > 0 {
			t.Errorf("generator %q claims places %q but generated nothing in the example", g.Name, g.Places)
		}
	}
}
