package applyconfig_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/generators"
	"github.com/aggen-dev/aggen/generators/applyconfig"
	"github.com/aggen-dev/aggen/scaffold"
	"github.com/aggen-dev/aggen/test/corpus"
	"github.com/aggen-dev/aggen/test/upstream"
)

// TestRendererUsed: on the example and on the corpora, projects nobody
// at aggen wrote (among them copies of several k8s.io/api groups, Gateway
// API, Flux with its foreign inlined structs, the Prometheus operator),
// aggen renders every per-type apply configuration itself:
// applyconfiguration-gen is not asked for them (it says so on the
// progress writer when it is). test/upstream's
// TestOwnRenderersMatchUpstream checks the bytes, this test those of
// Prometheus, which that one leaves out.
func TestRendererUsed(t *testing.T) {
	if testing.Short() {
		t.Skip("generates several projects")
	}
	projects := map[string]func(t *testing.T, dir string){
		"example": func(t *testing.T, dir string) {
			if err := upstream.CopyTree("../../examples/insects", dir); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, sources := range corpus.Corpora {
		projects[name] = func(t *testing.T, dir string) {
			if err := corpus.Assemble("../..", dir, sources); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, setup := range projects {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			setup(t, dir)
			if err := upstream.Prune(dir); err != nil {
				t.Fatal(err)
			}
			var progress bytes.Buffer
			res, err := generators.Generate(dir, generators.Options{Generators: scaffold.Generators(), Progress: &progress})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(progress.String(), applyconfig.Name+": rendered by upstream") {
				t.Fatalf("fell back to upstream:\n%s", progress.String())
			}
			perType := 0
			for _, f := range res.Files.Files() {
				p := strings.ReplaceAll(f.Path, "\\", "/")
				if strings.HasPrefix(p, applyconfig.OutputDir+"/") && !strings.HasSuffix(p, "/utils.go") && !strings.Contains(p, "/internal/") {
					perType++
				}
			}
			if perType < 5 {
				t.Fatalf("only %d per-type apply configurations", perType)
			}
			if name != "prometheus" {
				return
			}
			// TestOwnRenderersMatchUpstream leaves Prometheus out (it
			// builds every project): compare its files here.
			ref, err := generators.Generate(dir, generators.Options{Generators: scaffold.Generators(), Reference: true})
			if err != nil {
				t.Fatal(err)
			}
			want, got := map[string][]byte{}, map[string][]byte{}
			for _, f := range ref.Files.Files() {
				want[f.Path] = f.Data
			}
			for _, f := range res.Files.Files() {
				got[f.Path] = f.Data
			}
			compare(t, want, got)
		})
	}
}
