package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSubresources makes a project with aggen commands only: a kind Flower
// with an action (water), a getter (summary) and a connect subresource
// (log), checks what they generate, and builds and vets it. With AGGEN_E2E=1
// it then runs, in the project, testdata/subresources/subresources_test.go
// against a real kube-apiserver: the generated client methods, kubectl
// get --raw and create --raw, a stream read line by line and a WebSocket
// upgrade through the aggregator, and a 403 for a user allowed flowers but
// not flowers/water.
func TestSubresources(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated project")
	}
	dir := t.TempDir()
	start := time.Now()
	mustAggen(t, dir, "init", "--domain", "example.com", "--repo", "example.com/garden")
	mustAggen(t, dir, "create", "api", "--group", "plants", "--version", "v1", "--kind", "Flower", "--controller=false")
	sub := []string{"create", "subresource", "--group", "plants", "--version", "v1", "--kind", "Flower"}
	out := mustAggen(t, dir, append(sub, "--name", "water", "--type", "action", "--response", "FlowerWaterResult")...)
	if !strings.Contains(out, "pkg/registry/plants/flower/water_subresource.go") {
		t.Errorf("create subresource does not name the handler file:\n%s", out)
	}
	mustAggen(t, dir, append(sub, "--name", "summary", "--type", "getter")...)
	out = mustAggen(t, dir, append(sub, "--name", "log", "--type", "connect")...)
	if strings.Contains(out, "--request-timeout") {
		t.Errorf("log is long-running in kube-apiserver, yet create subresource warns:\n%s", out)
	}
	t.Logf("aggen init + create api + 3 x create subresource: %v", time.Since(start).Round(time.Millisecond))

	for file, wants := range map[string][]string{
		"pkg/apis/plants/v1/flower_types.go": {
			"// +aggen:subresource:name=water,type=action,request=FlowerWater,response=FlowerWaterResult\n",
			"// +aggen:subresource:name=summary,type=getter,response=FlowerSummary\n",
			"// +aggen:subresource:name=log,type=connect,options=FlowerLogOptions\ntype Flower struct",
		},
		"pkg/apis/plants/v1/flower_water_types.go":      {"type FlowerWater struct", "type FlowerWaterResult struct"},
		"pkg/apis/plants/v1/flower_summary_types.go":    {"type FlowerSummary struct"},
		"pkg/apis/plants/v1/flower_log_types.go":        {"type FlowerLogOptions struct", "+k8s:conversion-gen:explicit-from=net/url.Values"},
		"pkg/apis/plants/v1/zz_generated.register.go":   {"&FlowerWater{}", "&FlowerWaterResult{}", "&FlowerSummary{}", "&FlowerLogOptions{}"},
		"pkg/apis/plants/zz_generated.scheme.go":        {"&FlowerWater{}", "&FlowerLogOptions{}"},
		"pkg/apis/plants/v1/zz_generated.conversion.go": {"func Convert_url_Values_To_v1_FlowerLogOptions("},
		"pkg/generated/clientset/versioned/typed/plants/v1/flower.go": {
			"Water(ctx context.Context, flowerName string, flowerWater *plantsv1.FlowerWater, opts metav1.CreateOptions) (*plantsv1.FlowerWaterResult, error)",
			"GetSummary(ctx context.Context, flowerName string, options metav1.GetOptions) (*plantsv1.FlowerSummary, error)",
		},
		"pkg/registry/plants/flower/zz_generated.subresources.go": {"rest.NamedCreater", "rest.Getter", "rest.Connecter"},
		"pkg/registry/plants/flower/water_subresource.go":         {"func handleWater("},
		"pkg/registry/plants/flower/summary_subresource.go":       {"func handleSummary("},
		"pkg/registry/plants/flower/log_subresource.go":           {"func handleLog(", "websocket.Server"},
		"pkg/apiserver/zz_generated.apiserver.go": {
			`storage["flowers/water"] = flowerStorage.Water.In("v1")`,
			`storage["flowers/log"] = flowerStorage.Log.In("v1")`,
			"runtime.NewParameterCodec(c.Scheme)",
		},
		"pkg/cmd/server/zz_generated.server.go": {`sets.NewString("log")`},
		"config/base/rbac.yaml": {
			`resources: ["flowers/summary"]` + "\n  verbs: [\"get\"]",
			`resources: ["flowers/water"]` + "\n  verbs: [\"create\"]",
			`resources: ["flowers/log"]` + "\n  verbs: [\"get\", \"create\"]",
		},
	} {
		b, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Error(err)
			continue
		}
		for _, want := range wants {
			if !strings.Contains(string(b), want) {
				t.Errorf("%s lacks %q", file, want)
			}
		}
	}

	// Refused with exit 2, and nothing written.
	before := snapshot(t, dir)
	for _, c := range []struct {
		args []string
		want string
	}{
		{append(sub, "--name", "water", "--type", "action"), "already has subresource water"},
		{append(sub, "--name", "prune", "--type", "mutate"), "must be action, getter or connect"},
		{append(sub, "--name", "status", "--type", "getter"), "aggen's own"},
		{append(sub, "--name", "Bad", "--type", "getter"), "not a lower-case DNS label"},
		{append(sub, "--name", "peek", "--type", "getter", "--request", "X"), "a getter takes only --response"},
		{[]string{"create", "subresource", "--group", "plants", "--version", "v1", "--kind", "Tree", "--name", "x", "--type", "getter"}, "has no kind Tree"},
	} {
		out, code := aggen(t, dir, c.args...)
		if code != 2 || !strings.Contains(out, c.want) {
			t.Errorf("aggen %v: exit %d, output %q; want exit 2 containing %q", c.args, code, out, c.want)
		}
	}
	// A subresource whose marker the loader refuses: exit 3, nothing written.
	out, code := aggen(t, dir, append(sub, "--name", "get", "--type", "action", "--request", "FlowerWater")...)
	if code != 3 || !strings.Contains(out, "clash") {
		t.Errorf("an action named get: exit %d, output %q; want exit 3 about the clash with the client's Get", code, out)
	}
	if after := snapshot(t, dir); !equalSnapshots(before, after) {
		t.Errorf("a refused create subresource changed the project")
	}

	start = time.Now()
	goCmd(t, dir, "build", "./...")
	goCmd(t, dir, "vet", "./...")
	t.Logf("go build + vet: %v", time.Since(start).Round(time.Millisecond))
	mustAggen(t, dir, "verify")

	if os.Getenv("AGGEN_E2E") != "1" {
		return
	}
	for src, dst := range map[string]string{
		"subresources_test.go": "test/e2e/subresources_test.go",
		"water_subresource.go": "pkg/registry/plants/flower/water_subresource.go",
	} {
		b, err := os.ReadFile(filepath.Join("testdata", "subresources", src))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, dst), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	start = time.Now()
	out = runIn(t, dir, []string{"AGGEN_E2E=1"}, "go", "test", "-count=1", "-timeout", "45m", "-v", "-run", "TestSubresources", "./test/e2e/")
	t.Logf("the subresources e2e in the project: %v\n%s", time.Since(start).Round(time.Millisecond), out)
	for _, want := range []string{
		"--- PASS: TestSubresources/discovery_lists_the_subresources",
		"--- PASS: TestSubresources/action:_the_generated_client_method",
		"--- PASS: TestSubresources/action:_kubectl_create_--raw",
		"--- PASS: TestSubresources/getter:_kubectl_get_--raw_and_the_generated_client_method",
		"--- PASS: TestSubresources/connect:_kubectl_get_--raw_reads_the_stream",
		"--- PASS: TestSubresources/connect:_a_followed_stream_arrives_line_by_line",
		"--- PASS: TestSubresources/connect:_a_WebSocket_upgrade_through_the_aggregator_echoes",
		"--- PASS: TestSubresources/a_user_allowed_flowers_but_not_flowers/water_gets_403",
		"--- PASS: TestSubresources/OpenAPI_describes_the_subresources_and_their_kinds",
		"--- PASS: TestSubresources ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the project's e2e output lacks %q", want)
		}
	}
}
