package hub_test

import (
	"flag"
	"path/filepath"
	"testing"

	"github.com/aggen-dev/aggen/generators/hub"
	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/generators/output"
	"github.com/aggen-dev/aggen/generators/server/servertest"
	"github.com/aggen-dev/aggen/templates"
	"github.com/aggen-dev/aggen/test/fixture"
)

var update = flag.Bool("update", false, "rewrite the goldens under testdata")

// TestAliases: the derived internal types declare the aliases their
// fields name, and only those.
func TestAliases(t *testing.T) {
	p, err := loader.Load(fixture.Project(t, filepath.Join("testdata", "aliases.txtar")))
	if err != nil {
		t.Fatal(err)
	}
	r, err := templates.New()
	if err != nil {
		t.Fatal(err)
	}
	files, err := hub.Generate(r, p)
	if err != nil {
		t.Fatal(err)
	}
	var types []*output.File
	for _, f := range files {
		if filepath.Base(f.Path) == "zz_generated.types.go" {
			types = append(types, f)
		}
	}
	if len(types) != 1 {
		t.Fatalf("%d types files", len(types))
	}
	servertest.Golden(t, "testdata/aliases", types, *update)
}
