// Package edits_test edits a copy of examples/insects the way a user
// does, one step at a time, and after each step requires that
// `aggen generate` succeeds without touching a byte of any user-owned
// file, that `aggen verify` then passes, and that `go build ./...` does.
package edits_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aggen-dev/aggen/generators/output"
	"github.com/aggen-dev/aggen/scaffold"
	"github.com/aggen-dev/aggen/test/aggentest"
	"github.com/aggen-dev/aggen/test/upstream"
)

var aggenBin string

func TestMain(m *testing.M) { os.Exit(aggentest.Main(m, &aggenBin)) }

const (
	apis     = "pkg/apis/insects"
	module   = "github.com/aggen-dev/aggen/examples/insects"
	hiveFile = apis + "/v1beta1/hive_types.go"
)

// project is a copy of the example under edit.
type project struct {
	t   *testing.T
	dir string
}

func newProject(t *testing.T) *project {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "insects")
	if err := upstream.CopyTree("../../examples/insects", dir); err != nil {
		t.Fatal(err)
	}
	return &project{t: t, dir: dir}
}

func (p *project) path(rel string) string { return filepath.Join(p.dir, filepath.FromSlash(rel)) }

func (p *project) read(rel string) string {
	p.t.Helper()
	b, err := os.ReadFile(p.path(rel))
	if err != nil {
		p.t.Fatal(err)
	}
	return string(b)
}

func (p *project) write(rel, content string) {
	p.t.Helper()
	if err := os.MkdirAll(filepath.Dir(p.path(rel)), 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(p.path(rel), []byte(content), 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// edit replaces old by new in a file; old must occur exactly once.
func (p *project) edit(rel, old, new string) {
	p.t.Helper()
	s := p.read(rel)
	if strings.Count(s, old) != 1 {
		p.t.Fatalf("%s: %q occurs %d times, want once", rel, old, strings.Count(s, old))
	}
	p.write(rel, strings.Replace(s, old, new, 1))
}

func (p *project) remove(rel string) {
	p.t.Helper()
	if err := os.Remove(p.path(rel)); err != nil {
		p.t.Fatal(err)
	}
}

func (p *project) exists(rel string) bool {
	_, err := os.Stat(p.path(rel))
	return err == nil
}

func (p *project) aggen(args ...string) string {
	p.t.Helper()
	cmd := exec.Command(aggenBin, args...)
	cmd.Dir = p.dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		p.t.Fatalf("aggen %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

// goBuild runs `go build ./...` and returns its output and whether it
// succeeded. The build cache is the user's, shared by every step.
func (p *project) goBuild() (string, bool) {
	cmd := exec.Command("go", "build", "./...")
	cmd.Dir = p.dir
	cmd.Env = append(os.Environ(), "GOWORK=off", aggentest.GoFlags("-mod=readonly"))
	out, err := cmd.CombinedOutput()
	return string(out), err == nil
}

// userFiles returns the content of every file that is not generated.
func (p *project) userFiles() map[string]string {
	p.t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(p.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(p.dir, path)
		// The scaffold record is aggen's, not the user's: it grows when
		// generate scaffolds a new kind's files.
		if !output.IsGenerated(b) && filepath.ToSlash(rel) != scaffold.RecordFile {
			out[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return out
}

// grep lists the files whose path or content contains s.
func (p *project) grep(s string) []string {
	p.t.Helper()
	var out []string
	err := filepath.WalkDir(p.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(p.dir, path)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(rel, s) || bytes.Contains(b, []byte(s)) {
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		p.t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// regenerate runs generate and verify and checks that no user-owned file
// changed, and none disappeared; user-owned files may only be added.
func (p *project) regenerate(step string) {
	p.t.Helper()
	before := p.userFiles()
	p.aggen("generate")
	after := p.userFiles()
	for rel, content := range before {
		got, ok := after[rel]
		switch {
		case !ok:
			p.t.Errorf("%s: generate removed the user-owned %s", step, rel)
		case got != content:
			p.t.Errorf("%s: generate changed the user-owned %s", step, rel)
		}
	}
	p.aggen("verify")
}

func (p *project) build(step string) {
	p.t.Helper()
	start := time.Now()
	out, ok := p.goBuild()
	if !ok {
		p.t.Fatalf("%s: go build ./... failed:\n%s", step, out)
	}
	p.t.Logf("%s: go build ./... took %v", step, time.Since(start).Round(100*time.Millisecond))
}

func (p *project) mustContain(rel string, subs ...string) {
	p.t.Helper()
	s := p.read(rel)
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			p.t.Errorf("%s lacks %q", rel, sub)
		}
	}
}

func (p *project) mustNotContain(rel string, subs ...string) {
	p.t.Helper()
	s := p.read(rel)
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			p.t.Errorf("%s still has %q", rel, sub)
		}
	}
}

const waspTypes = `package v1beta1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// WaspSpec is the desired state of a Wasp.
type WaspSpec struct {
	// Sting is how much it hurts.
	// +kubebuilder:validation:Minimum=0
	// +optional
	Sting int32 ` + "`json:\"sting,omitempty\"`" + `
}

// WaspStatus is the observed state of a Wasp.
type WaspStatus struct {
	// +optional
	Angry bool ` + "`json:\"angry,omitempty\"`" + `
}

// Wasp is a wasp.
//
// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
// +kubebuilder:subresource:status
// +kubebuilder:printcolumn:name=Sting,type=integer,JSONPath=.spec.sting
type Wasp struct {
	metav1.TypeMeta   ` + "`json:\",inline\"`" + `
	metav1.ObjectMeta ` + "`json:\"metadata,omitempty\"`" + `

	Spec   WaspSpec   ` + "`json:\"spec,omitempty\"`" + `
	Status WaspStatus ` + "`json:\"status,omitempty\"`" + `
}

// WaspList is a list of wasps.
//
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type WaspList struct {
	metav1.TypeMeta ` + "`json:\",inline\"`" + `
	metav1.ListMeta ` + "`json:\"metadata,omitempty\"`" + `

	Items []Wasp ` + "`json:\"items\"`" + `
}
`

const gardenDoc = `// Package v1alpha1 is version v1alpha1 of API group garden.example.com.
//
// +k8s:deepcopy-gen=package
// +k8s:conversion-gen=` + module + `/pkg/apis/garden
// +k8s:defaulter-gen=TypeMeta
// +k8s:openapi-gen=true
// +k8s:openapi-model-package=com.example.garden.v1alpha1
// +groupName=garden.example.com
package v1alpha1
`

const flowerTypes = `package v1alpha1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// FlowerSpec is the desired state of a Flower.
type FlowerSpec struct {
	// +kubebuilder:validation:Enum=red;yellow;blue
	// +optional
	Color string ` + "`json:\"color,omitempty\"`" + `
}

// Flower is a flower.
//
// +genclient
// +genclient:noStatus
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
// +kubebuilder:selectablefield:JSONPath=.spec.color
type Flower struct {
	metav1.TypeMeta   ` + "`json:\",inline\"`" + `
	metav1.ObjectMeta ` + "`json:\"metadata,omitempty\"`" + `

	Spec FlowerSpec ` + "`json:\"spec,omitempty\"`" + `
}

// FlowerList is a list of flowers.
//
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type FlowerList struct {
	metav1.TypeMeta ` + "`json:\",inline\"`" + `
	metav1.ListMeta ` + "`json:\"metadata,omitempty\"`" + `

	Items []Flower ` + "`json:\"items\"`" + `
}
`

// storageOf returns the version the generated apiserver stores kind in.
func (p *project) storageOf(kind string) string {
	p.t.Helper()
	s := p.read("pkg/apiserver/zz_generated.apiserver.go")
	key := fmt.Sprintf(`{Group: "insects.example.com", Kind: %q}:`, kind)
	i := strings.Index(s, key)
	if i < 0 {
		p.t.Fatalf("zz_generated.apiserver.go names no storage version for %s", kind)
	}
	rest := s[i+len(key):]
	const v = `Version: "`
	j := strings.Index(rest, v)
	end := strings.IndexByte(rest[j+len(v):], '"')
	return rest[j+len(v) : j+len(v)+end]
}

func TestEditSequence(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerates and builds a project nine times")
	}
	start := time.Now()
	p := newProject(t)
	p.build("the example as committed")

	step := "a missing hook function"
	hooks := "pkg/registry/insects/hive/hooks.go"
	original := p.read(hooks)
	p.edit(hooks, "func validateUpdate(", "func validateUpdateRenamed(")
	before := state(t, p.dir)
	cmd := exec.Command(aggenBin, "generate")
	cmd.Dir = p.dir
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Errorf("%s: aggen generate: %v, want exit 3\n%s", step, err, out)
	}
	if want := "pkg/registry/insects/hive/hooks.go:17:1: missing hook func validateUpdate of kind Hive"; !strings.Contains(string(out), want) {
		t.Errorf("%s: aggen generate output lacks %q:\n%s", step, want, out)
	}
	if after := state(t, p.dir); !reflect.DeepEqual(before, after) {
		t.Errorf("%s: a failed generate changed the tree", step)
	}
	p.write(hooks, original)

	step = "add a field"
	p.edit(hiveFile, "type HiveSpec struct {\n", "type HiveSpec struct {\n"+
		"\t// Capacity is how many bees fit.\n\t// +kubebuilder:validation:Minimum=1\n\t// +optional\n"+
		"\tCapacity int32 `json:\"capacity,omitempty\"`\n")
	p.regenerate(step)
	p.mustContain("pkg/generated/applyconfiguration/insects/v1beta1/hivespec.go", "WithCapacity(")
	p.mustContain("pkg/generated/openapi/zz_generated.openapi.go", `"capacity"`)
	p.mustContain(apis+"/zz_generated.types.go", "Capacity int32")
	p.mustContain("docs/api/insects/v1beta1.md", "| `capacity` | integer (int32) | optional | | minimum: 1 | Capacity is how many bees fit. |")
	p.build(step)

	step = "rename a field"
	p.edit(hiveFile, "\tDescription string `json:\"description,omitempty\"`", "\tSummary string `json:\"summary,omitempty\"`")
	p.edit(hiveFile, "JSONPath=.spec.description,priority=1", "JSONPath=.spec.summary,priority=1")
	p.edit(hiveFile, "selectablefield:JSONPath=.spec.description", "selectablefield:JSONPath=.spec.summary")
	p.regenerate(step)
	p.mustContain("pkg/generated/applyconfiguration/insects/v1beta1/hivespec.go", "WithSummary(")
	p.mustNotContain("pkg/generated/applyconfiguration/insects/v1beta1/hivespec.go", "WithDescription(")
	p.mustContain(apis+"/zz_generated.types.go", "Summary string")
	p.mustContain("docs/api/insects/v1beta1.md", "- **Field selectors**: `metadata.name`, `spec.summary`")
	// Hive's selectors (Bee, namespaced, keeps its spec.description).
	p.mustNotContain("docs/api/insects/v1beta1.md", "- **Field selectors**: `metadata.name`, `spec.description`")
	p.build(step)

	step = "remove a field"
	p.edit(hiveFile, "\t// Capacity is how many bees fit.\n\t// +kubebuilder:validation:Minimum=1\n\t// +optional\n"+
		"\tCapacity int32 `json:\"capacity,omitempty\"`\n", "")
	p.regenerate(step)
	p.mustNotContain("pkg/generated/applyconfiguration/insects/v1beta1/hivespec.go", "Capacity")
	p.mustNotContain(apis+"/zz_generated.types.go", "Capacity")
	p.build(step)

	// The scaffolded reconciler of Hive records status.observedGeneration
	// and a Ready condition: it must keep compiling when they go, and
	// when the status goes altogether.
	step = "drop the status fields the reconciler records"
	p.edit(hiveFile, `	// ObservedGeneration is the generation the controller last acted on.
	// +optional
	ObservedGeneration int64 `+"`json:\"observedGeneration,omitempty\"`"+`

	// Conditions describe the state of the Hive.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `+"`json:\"conditions,omitempty\"`"+`
`, "\t// Open is whether the hive takes new bees.\n\t// +optional\n\tOpen bool `json:\"open,omitempty\"`\n")
	p.regenerate(step)
	p.mustContain("pkg/controller/insects/zz_generated.reconcile.go", "func recordHiveReconciled(obj *HiveObject) bool {\n\treturn false\n}")
	p.build(step)

	step = "remove the status"
	p.edit(hiveFile, "// +kubebuilder:subresource:status\n", "")
	p.edit(hiveFile, "\tStatus HiveStatus `json:\"status,omitempty\"`\n", "")
	p.edit(hiveFile, "// HiveStatus is the observed state of a Hive.\ntype HiveStatus struct {\n\t// Open is whether the hive takes new bees.\n\t// +optional\n\tOpen bool `json:\"open,omitempty\"`\n}\n", "")
	p.regenerate(step)
	p.mustContain("pkg/controller/insects/zz_generated.reconcile.go", "func writeHiveStatus(ctx context.Context, c client.Client, obj *HiveObject) error {\n\treturn c.Update(ctx, obj)\n}")
	p.build(step)

	step = "add a kind"
	p.write(apis+"/v1beta1/wasp_types.go", waspTypes)
	p.regenerate(step)
	for _, f := range []string{
		"pkg/generated/clientset/versioned/typed/insects/v1beta1/wasp.go",
		"pkg/generated/listers/insects/v1beta1/wasp.go",
		"pkg/generated/informers/externalversions/insects/v1beta1/wasp.go",
		"pkg/generated/applyconfiguration/insects/v1beta1/wasp.go",
		"pkg/registry/insects/wasp/zz_generated.strategy.go",
	} {
		if !p.exists(f) {
			t.Errorf("%s: %s was not generated", step, f)
		}
	}
	p.build(step)

	step = "delete a kind"
	// The user deletes the kind's types and the files aggen scaffolded
	// for it, which are theirs.
	p.remove(apis + "/v1beta1/wasp_types.go")
	for _, rel := range p.grep("wasp") {
		if b, err := os.ReadFile(p.path(rel)); err == nil && !output.IsGenerated(b) {
			p.remove(rel)
		}
	}
	p.regenerate(step)
	if left := append(p.grep("Wasp"), p.grep("wasp")...); len(left) > 0 {
		t.Errorf("%s: files still mention the deleted kind: %v", step, left)
	}
	if p.exists("pkg/registry/insects/wasp") {
		t.Errorf("%s: the emptied directory pkg/registry/insects/wasp is left behind", step)
	}
	p.build(step)

	step = "add a version"
	// Bee's feed and log subresources use the kinds of its subresource
	// types files, which come along, as does the computed HiveSummary.
	for _, name := range []string{"doc.go", "bee_types.go", "hive_types.go", "bee_feed_types.go", "bee_log_types.go", "hivesummary_types.go"} {
		// The package clause, the doc comment and the OpenAPI model
		// package all name the version.
		p.write(apis+"/v1/"+name, strings.ReplaceAll(p.read(apis+"/v1beta1/"+name), "v1beta1", "v1"))
	}
	p.regenerate(step)
	for _, f := range []string{
		apis + "/v1/zz_generated.conversion.go",
		apis + "/v1/zz_generated.deepcopy.go",
		"pkg/generated/clientset/versioned/typed/insects/v1/bee.go",
	} {
		if !p.exists(f) {
			t.Errorf("%s: %s was not generated", step, f)
		}
	}
	if v := p.storageOf("Bee"); v != "v1" {
		t.Errorf("%s: Bee is stored as %s; with no marker the most preferred version, v1, is", step, v)
	}
	p.build(step)

	step = "move the storage version"
	p.edit(apis+"/v1beta1/bee_types.go", "// +genclient\n", "// +genclient\n// +kubebuilder:storageversion\n")
	p.regenerate(step)
	// The storage version is per kind: Bee moves, Hive stays in the most
	// preferred version.
	for kind, want := range map[string]string{"Bee": "v1beta1", "Hive": "v1"} {
		if v := p.storageOf(kind); v != want {
			t.Errorf("%s: %s is stored as %s, want %s", step, kind, v, want)
		}
	}
	p.mustContain("docs/api/insects/v1.md", "| [Bee](#bee) | `bees` | Namespaced | `status`, `scale`, `feed`, `log` | [v1beta1](v1beta1.md#bee) |")
	p.mustContain("docs/api/insects/v1beta1.md", "| [Bee](#bee) | `bees` | Namespaced | `status`, `scale`, `feed`, `log` | this version |")
	p.build(step)

	step = "add a group"
	p.write("pkg/apis/garden/v1alpha1/doc.go", gardenDoc)
	p.write("pkg/apis/garden/v1alpha1/flower_types.go", flowerTypes)
	p.regenerate(step)
	for _, f := range []string{
		"pkg/apis/garden/zz_generated.types.go",
		"pkg/apis/garden/v1alpha1/zz_generated.conversion.go",
		"pkg/generated/clientset/versioned/typed/garden/v1alpha1/flower.go",
		"pkg/registry/garden/flower/zz_generated.strategy.go",
		"docs/api/garden/v1alpha1.md",
	} {
		if !p.exists(f) {
			t.Errorf("%s: %s was not generated", step, f)
		}
	}
	p.build(step)

	// The reconcilers were scaffolded when v1beta1 was the storage
	// version; they must outlive it.
	step = "delete the version the reconcilers were scaffolded with"
	if err := os.RemoveAll(p.path(apis + "/v1beta1")); err != nil {
		t.Fatal(err)
	}
	// HiveSummary's source is the user's: its author moves it to v1's
	// listers, as a user deleting the version would.
	source := "pkg/registry/insects/hivesummary/source.go"
	p.write(source, strings.NewReplacer("v1beta1", "v1", "V1beta1", "V1").Replace(p.read(source)))
	p.regenerate(step)
	if v := p.storageOf("Hive"); v != "v1" {
		t.Errorf("%s: Hive is stored as %s, want v1", step, v)
	}
	p.mustContain("pkg/controller/insects/zz_generated.reconcile.go", "type HiveObject = insectsv1.Hive")
	if p.exists("docs/api/insects/v1beta1.md") {
		t.Errorf("%s: the removed version's API reference page is left behind", step)
	}
	p.build(step)
	t.Logf("the whole sequence took %v", time.Since(start).Round(time.Second))
}

// TestFailedRunLeavesTreeUntouched fails a run after every file is
// rendered and staged, for changes that create, update and delete files
// and directories: the tree must be exactly as it was.
func TestFailedRunLeavesTreeUntouched(t *testing.T) {
	p := newProject(t)
	// A new kind (new files in new directories), an edited kind (updates)
	// and a removed version of a kind (deletions).
	p.write(apis+"/v1beta1/wasp_types.go", waspTypes)
	p.edit(hiveFile, "type HiveSpec struct {\n", "type HiveSpec struct {\n\t// +optional\n\tCapacity int32 `json:\"capacity,omitempty\"`\n")
	p.remove(apis + "/v1alpha1/bee_types.go")
	before := state(t, p.dir)
	injected := errors.New("injected late failure")
	called := false
	plan, err := scaffold.Generate(scaffold.GenerateOptions{Dir: p.dir, BeforeCommit: func() error {
		called = true
		return injected
	}})
	if !errors.Is(err, injected) || plan != nil {
		t.Fatalf("Generate = %v, %v; want the injected error", plan, err)
	}
	if !called {
		t.Fatal("BeforeCommit was not called")
	}
	after := state(t, p.dir)
	for rel, b := range before {
		if a, ok := after[rel]; !ok {
			t.Errorf("%s was removed", rel)
		} else if a != b {
			t.Errorf("%s changed", rel)
		}
	}
	for rel := range after {
		if _, ok := before[rel]; !ok {
			t.Errorf("%s was added", rel)
		}
	}
	// The same run without the failure does all three kinds of change.
	plan, err = scaffold.Generate(scaffold.GenerateOptions{Dir: p.dir})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[scaffold.Action]int{}
	for _, c := range plan.Pending() {
		counts[c.Action]++
	}
	if counts[scaffold.Create] == 0 || counts[scaffold.Update] == 0 || counts[scaffold.Delete] == 0 {
		t.Errorf("the run was meant to create, update and delete files: %v", counts)
	}
}

// state maps every file and directory under dir to its mode, and for
// files also modification time and content.
func state(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		desc := info.Mode().String()
		if !d.IsDir() {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			desc += fmt.Sprintf(" %d %s", info.ModTime().UnixNano(), b)
		}
		out[filepath.ToSlash(rel)] = desc
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
