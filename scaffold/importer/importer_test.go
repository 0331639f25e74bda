package importer

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
)

func moduleDir(t *testing.T, mod string) string {
	t.Helper()
	cmd := exec.Command("go", "mod", "download", "-json", mod)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.Output()
	var m struct{ Dir string }
	if err != nil || json.Unmarshal(out, &m) != nil || m.Dir == "" {
		t.Skipf("go mod download %s: %v", mod, err)
	}
	return m.Dir
}

// TestAnalyzeSampleAPIServer reads the real sample-apiserver: what it
// finds, and that two runs agree byte for byte.
func TestAnalyzeSampleAPIServer(t *testing.T) {
	src := Source{Dir: moduleDir(t, "k8s.io/sample-apiserver@v0.37.2"), Label: "k8s.io/sample-apiserver@v0.37.2"}
	a, err := Analyze(src, "example.com/wardle")
	if err != nil {
		t.Fatal(err)
	}
	report := a.Report.Markdown()
	if a.Domain != "example.com" || a.Name != "wardle" || a.Module != "k8s.io/sample-apiserver" {
		t.Errorf("domain %q, name %q, module %q", a.Domain, a.Name, a.Module)
	}
	if len(a.Plugins) != 1 || a.Plugins[0].Name != "BanFlunder" {
		t.Errorf("plugins: %+v", a.Plugins)
	}
	if len(a.Hooks) != 1 || a.Hooks[0].Kind != "Flunder" || a.Hooks[0].Create.Name != "ValidateFlunder" ||
		a.Hooks[0].Create.Package != "example.com/wardle/pkg/apis/wardle/validation" {
		t.Errorf("hooks: %+v", a.Hooks)
	}
	var conversion []byte
	for _, f := range a.Files {
		if f.Path == "pkg/apis/wardle/v1alpha1/doc.go" {
			conversion = f.Data
		}
		if strings.Contains(string(f.Data), "k8s.io/sample-apiserver/pkg/apis") {
			t.Errorf("%s still names the source's API packages", f.Path)
		}
	}
	if !bytes.Contains(conversion, []byte("+k8s:conversion-gen=example.com/wardle/pkg/apis/wardle\n")) {
		t.Errorf("v1alpha1/doc.go's conversion-gen tag was not moved:\n%s", conversion)
	}
	plugin, err := a.PluginFile(a.Plugins[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"example.com/wardle/pkg/admission/initializer"`, `listers "example.com/wardle/pkg/generated/listers/wardle/v1alpha1"`, "func (d *DisallowFlunder) SetInformerFactory("} {
		if !strings.Contains(string(plugin), want) {
			t.Errorf("plugin lacks %s", want)
		}
	}
	again, err := Analyze(src, "example.com/wardle")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(report, again.Report.Markdown()) || len(a.Files) != len(again.Files) {
		t.Fatal("two runs made different reports or file sets")
	}
	for i := range a.Files {
		if a.Files[i].Path != again.Files[i].Path || !bytes.Equal(a.Files[i].Data, again.Files[i].Data) {
			t.Errorf("%s differs between runs", a.Files[i].Path)
		}
	}
}
