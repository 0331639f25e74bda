package upstream_test

import (
	"path/filepath"
	"sort"
	"testing"

	"github.com/aggen-dev/aggen/generators"
	"github.com/aggen-dev/aggen/scaffold"
	"github.com/aggen-dev/aggen/test/corpus"
	"github.com/aggen-dev/aggen/test/upstream"
)

// TestOwnRenderersMatchUpstream generates projects nobody at aggen wrote
// (the corpora: copies of k8s.io/api groups, Gateway API, lws, JobSet,
// Flux) and the example twice: as aggen generates them, with its own
// renderers for the files it no longer asks the upstream generators for,
// and with generators.Options.Reference, where the upstream generators
// write those files. Every file must be the same byte for byte.
// TestByteIdenticalToKubeCodegen ties the reference to kube_codegen.sh.
func TestOwnRenderersMatchUpstream(t *testing.T) {
	if testing.Short() {
		t.Skip("generates several projects twice")
	}
	projects := map[string]func(t *testing.T) string{
		"example": func(t *testing.T) string {
			dir := t.TempDir()
			if err := upstream.CopyTree("../../examples/insects", dir); err != nil {
				t.Fatal(err)
			}
			return dir
		},
	}
	for name, sources := range corpus.Corpora {
		if name == "prometheus" {
			// Its generate and build take minutes; its shapes (lists of
			// pointers, shadowed fields) are in the others.
			continue
		}
		projects[name] = func(t *testing.T) string {
			dir := t.TempDir()
			if err := corpus.Assemble("../..", dir, sources); err != nil {
				t.Fatal(err)
			}
			return dir
		}
	}
	names := make([]string, 0, len(projects))
	for n := range projects {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			dir := projects[name](t)
			if err := upstream.Prune(dir); err != nil {
				t.Fatal(err)
			}
			gen := func(reference bool) map[string][]byte {
				res, err := generators.Generate(dir, generators.Options{Generators: scaffold.Generators(), Reference: reference})
				if err != nil {
					t.Fatalf("generate (reference %v): %v", reference, err)
				}
				out := map[string][]byte{}
				for _, f := range res.Files.Files() {
					out[filepath.ToSlash(f.Path)] = f.Data
				}
				return out
			}
			want, got := gen(true), gen(false)
			clients := 0
			for p := range want {
				if upstream.UpstreamOutput(p) {
					clients++
				}
			}
			if clients < 10 {
				t.Fatalf("only %d upstream files; the comparison would prove little", clients)
			}
			compareTrees(t, want, got)
		})
	}
}
