package cli_test

import (
	"github.com/aggen-dev/aggen/test/aggentest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// kubebuilderProject is a real kubebuilder (go/v4) project on the module
// proxy: LeaderWorkerSet, with its controllers, webhooks, a component
// config API and a copy of controller-runtime's scheme package.
const kubebuilderProject = "sigs.k8s.io/lws@v0.7.0"

// TestImportKubebuilderProject imports it with one command: the served
// API keeps its markers, the project builds, and the report names the
// controllers and webhooks left behind with positions. With AGGEN_E2E=1
// the project's own aggregation test (make test-e2e) serves it through
// a real kube-apiserver.
func TestImportKubebuilderProject(t *testing.T) {
	if testing.Short() {
		t.Skip("imports and builds a kubebuilder project")
	}
	dir := t.TempDir()
	mustAggen(t, dir, "import", kubebuilderProject)
	for file, wants := range map[string][]string{
		"aggen.yaml": {"domain: x-k8s.io", "repo: sigs.k8s.io/lws"},
		"pkg/apis/leaderworkerset/v1/leaderworkerset_types.go": {
			"+kubebuilder:subresource:status", "//+kubebuilder:resource:shortName={lws}",
			"// +kubebuilder:validation:", "// +kubebuilder:default",
		},
		"pkg/apis/leaderworkerset/v1/groupversion_info.go": {`"sigs.k8s.io/controller-runtime/pkg/scheme"`, "+groupName=leaderworkerset.x-k8s.io"},
		"test/e2e/zz_generated.kinds_test.go":              {`Group: "leaderworkerset.x-k8s.io", Version: "v1", Kind: "LeaderWorkerSet", Resource: "leaderworkersets"`},
		"IMPORT.md": {
			"Imported from sigs.k8s.io/lws@v0.7.0",
			"- pkg/controllers/leaderworkerset_controller.go: a controller-runtime reconciler of CRDs",
			"  - pkg/controllers/leaderworkerset_controller.go:97:1: func *LeaderWorkerSetReconciler.Reconcile",
			"- api/config/v1alpha1/groupversion_info.go:19:1: api/config/v1alpha1 declares +groupName=lws.x-k8s.io but no kind with metadata",
			"- api/leaderworkerset/v1/types.go:20:1: +genclient annotates no type here",
			"- api/leaderworkerset/v1/leaderworkerset_types.go -> pkg/apis/leaderworkerset/v1/leaderworkerset_types.go",
		},
	} {
		b, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range wants {
			if !strings.Contains(string(b), w) {
				t.Errorf("%s lacks %q", file, w)
			}
		}
	}
	mustAggen(t, dir, "verify")
	goCmd(t, dir, "build", "./...")
	if os.Getenv("AGGEN_E2E") != "1" {
		return
	}
	out := runIn(t, dir, []string{aggentest.GoFlags("-v")}, "make", "test-e2e")
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "--- ") || strings.HasPrefix(l, "ok ") {
			t.Log(l)
		}
	}
	for _, want := range []string{
		"--- PASS: TestAggregation/every_APIService_is_Available",
		"--- PASS: TestAggregation/create,_get_and_delete_each_kind_through_kube-apiserver",
		"ok  \tsigs.k8s.io/lws/test/e2e",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("make test-e2e output lacks %q:\n%s", want, out)
		}
	}
}
