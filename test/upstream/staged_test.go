package upstream_test

import (
	"path"
	"testing"

	"github.com/aggen-dev/aggen/generators"
	"github.com/aggen-dev/aggen/scaffold"
	"github.com/aggen-dev/aggen/test/corpus"
	"github.com/aggen-dev/aggen/test/staged"
	"github.com/aggen-dev/aggen/test/upstream"
)

// TestStagedPrometheusMatchesKubeCodegen runs kube_codegen.sh on the
// staged copy aggen generates the Prometheus operator's API packages from
// (with its internal hub types and implied tags) and requires aggen's deep
// copies, conversions and defaulters to be its files byte for byte.
// TestOwnRenderersMatchUpstream compares aggen's renderers with the
// upstream generators run in aggen's own session, which shares one parse
// between the generators: this test holds that session, too, to
// generators run each in a process of its own, as kube_codegen.sh runs
// them. (Two lanes of generators on a fork of the parse once changed the
// Probe conversions of this corpus in both.)
func TestStagedPrometheusMatchesKubeCodegen(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the upstream generators")
	}
	dir := t.TempDir()
	if err := corpus.Assemble("../..", dir, corpus.Corpora["prometheus"]); err != nil {
		t.Fatal(err)
	}
	if err := upstream.Prune(dir); err != nil {
		t.Fatal(err)
	}
	module, err := upstream.ModulePath(dir)
	if err != nil {
		t.Fatal(err)
	}
	res, stage := staged.Generate(t, dir, generators.Options{Generators: scaffold.Generators()})
	tools, err := upstream.FindTools(".")
	if err != nil {
		t.Fatal(err)
	}
	if err := tools.Run(stage, module, upstream.Schema{}); err != nil {
		t.Fatal(err)
	}
	compared := map[string]bool{"zz_generated.deepcopy.go": true, "zz_generated.conversion.go": true, "zz_generated.defaults.go": true}
	kube, err := upstream.Files(stage)
	if err != nil {
		t.Fatal(err)
	}
	want, got := map[string][]byte{}, map[string][]byte{}
	for p, b := range kube {
		if compared[path.Base(p)] {
			want[p] = b
		}
	}
	for _, f := range res.Files.Files() {
		if compared[path.Base(f.Path)] {
			got[f.Path] = f.Data
		}
	}
	if want["pkg/apis/monitoring/v1/zz_generated.conversion.go"] == nil {
		t.Fatalf("kube_codegen.sh wrote no conversions of monitoring/v1; the comparison would prove little (files: %d)", len(want))
	}
	compareTrees(t, want, got)
}
