package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCreateAPIGroupNames: a group may have several labels (its first
// names the directory), end in the project's domain, or take a domain
// of its own; the generated project serves each under its full name and
// builds.
func TestCreateAPIGroupNames(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated project")
	}
	dir := t.TempDir()
	mustAggen(t, dir, "init", "--domain", "example.com", "--repo", "example.com/gw")
	for _, c := range []struct {
		args      []string
		dir, want string
	}{
		{[]string{"--group", "gateway.networking", "--version", "v1", "--kind", "Route"}, "gateway", "gateway.networking.example.com"},
		{[]string{"--group", "policy", "--domain", "networking.k8s.io", "--version", "v1beta1", "--kind", "Rule"}, "policy", "policy.networking.k8s.io"},
		{[]string{"--group", "store.shop.example.com", "--version", "v1", "--kind", "Item"}, "store", "store.shop.example.com"},
		// A bare first label names the group the project has.
		{[]string{"--group", "policy", "--version", "v1", "--kind", "Rule"}, "policy", "policy.networking.k8s.io"},
	} {
		mustAggen(t, dir, append([]string{"create", "api"}, c.args...)...)
		version := c.args[len(c.args)-3]
		b, err := os.ReadFile(filepath.Join(dir, "pkg/apis", c.dir, version, "doc.go"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "// +groupName="+c.want+"\n") {
			t.Errorf("create api %v: doc.go does not declare +groupName=%s:\n%s", c.args, c.want, b)
		}
	}
	out, code := aggen(t, dir, "create", "api", "--group", "gateway.other", "--version", "v1", "--kind", "Thing")
	if code != 2 || !strings.Contains(out, "already serves API group gateway.networking.example.com") {
		t.Errorf("a second group in directory gateway: exit %d\n%s", code, out)
	}
	out, code = aggen(t, dir, "create", "api", "--group", "go.networking", "--version", "v1", "--kind", "Thing")
	if code != 2 || !strings.Contains(out, "Go keyword") {
		t.Errorf("a first label that is a Go keyword: exit %d\n%s", code, out)
	}
	var manifests strings.Builder
	for _, b := range treeFiles(t, dir, "config", func(string) bool { return true }) {
		manifests.Write(b)
	}
	for _, want := range []string{"gateway.networking.example.com", "policy.networking.k8s.io", "store.shop.example.com"} {
		if !strings.Contains(manifests.String(), "group: "+want+"\n") {
			t.Errorf("no APIService under config/ serves group %s", want)
		}
	}
	goCmd(t, dir, "build", "./...")
}
