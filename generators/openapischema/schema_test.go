package openapischema_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"k8s.io/gengo/v2"
	"k8s.io/gengo/v2/namer"
	"k8s.io/gengo/v2/types"
	"k8s.io/kube-openapi/pkg/validation/spec"

	"github.com/aggen-dev/aggen/generators/codegen"
	"github.com/aggen-dev/aggen/generators/openapi"
	"github.com/aggen-dev/aggen/generators/openapischema"
	"github.com/aggen-dev/aggen/test/aggentest"
	"github.com/aggen-dev/aggen/test/upstream"
)

// The fixture under testdata is a module of its own; its packages cover
// what openapi-gen reads.
const (
	fixtureModule = "github.com/aggen-dev/aggen/generators/openapischema/testdata"
	fixturePkg    = fixtureModule + "/apis/fixture/v1"
	otherPkg      = fixtureModule + "/apis/other/v1"
	brokenPkg     = fixtureModule + "/apis/broken/v1"
	metaV1        = "io.k8s.apimachinery.pkg.apis.meta.v1."
)

func newSession(dir string) (*codegen.Session, error) {
	return codegen.NewSession(dir, "", append([]string{fixturePkg, otherPkg, brokenPkg}, openapi.LibraryInputs...))
}

var fixture struct {
	once sync.Once
	u    types.Universe
	err  error
}

// universe is the parse of the fixture, shared by the tests that only read.
func universe(t *testing.T) types.Universe {
	t.Helper()
	fixture.once.Do(func() {
		s, err := newSession("testdata")
		if err == nil {
			fixture.u, err = s.Universe()
		}
		fixture.err = err
	})
	if fixture.err != nil {
		t.Fatal(fixture.err)
	}
	return fixture.u
}

func roots(t *testing.T, u types.Universe, pkg string) []*types.Type {
	t.Helper()
	r, err := openapischema.Roots(u, []string{pkg})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func definitions(t *testing.T) map[string]spec.Schema {
	t.Helper()
	u := universe(t)
	defs, err := openapischema.Definitions(u, roots(t, u, fixturePkg))
	if err != nil {
		t.Fatal(err)
	}
	return defs
}

func asJSON(t *testing.T, v interface{}) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRoots(t *testing.T) {
	u := universe(t)
	var names []string
	for _, r := range roots(t, u, fixturePkg) {
		names = append(names, r.Name.Name)
	}
	if strings.Join(names, ",") != "Widget" {
		t.Errorf("roots = %v, want [Widget]: only +genclient types", names)
	}
}

func TestReachableDefinitionsOnly(t *testing.T) {
	defs := definitions(t)
	var names []string
	for k := range defs {
		names = append(names, k)
	}
	sort.Strings(names)
	want := []string{
		"com.example.fixture.v1.Color",
		"com.example.fixture.v1.Inline",
		"com.example.fixture.v1.Port",
		"com.example.fixture.v1.Settings",
		"com.example.fixture.v1.Shape",
		"com.example.fixture.v1.Widget",
		"com.example.fixture.v1.WidgetSpec",
		"com.example.fixture.v1.WidgetStatus",
		"com.example.override.Override",
		otherPkg + ".Item",
		otherPkg + ".Legacy",
		"io.example.custom.Custom",
		"io.k8s.apimachinery.pkg.api.resource.Quantity",
		metaV1 + "Condition",
		metaV1 + "Duration",
		metaV1 + "FieldsV1",
		metaV1 + "ManagedFieldsEntry",
		metaV1 + "ObjectMeta",
		metaV1 + "OwnerReference",
		metaV1 + "Time",
		"io.k8s.apimachinery.pkg.runtime.RawExtension",
		// intstr is not loaded as a package, only through the types
		// that refer to it, so openapi-gen sees no model package for it.
		"k8s.io/apimachinery/pkg/util/intstr.IntOrString",
	}
	if got := strings.Join(names, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("definitions:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}

func TestProperties(t *testing.T) {
	spec := definitions(t)["com.example.fixture.v1.WidgetSpec"]
	if got, want := strings.Join(spec.Required, ","), "name,required,settings,NoTag,inlineField"; got != want {
		t.Errorf("required = %s, want %s", got, want)
	}
	for _, absent := range []string{"hidden", "Ignored", "-", "Inline", "PointerInline"} {
		if _, ok := spec.Properties[absent]; ok {
			t.Errorf("property %q should not be in the schema", absent)
		}
	}
	for _, present := range []string{"inlineField", "pointerField", "named", "NoTag"} {
		if _, ok := spec.Properties[present]; !ok {
			t.Errorf("property %q is missing", present)
		}
	}
	for name, want := range map[string]string{
		// list map keys and patch strategy
		"ports": `{"description":"Ports is a list map with two keys.","type":"array","items":{"$ref":"#/definitions/com.example.fixture.v1.Port"},"x-kubernetes-list-map-keys":["name","protocol"],"x-kubernetes-list-type":"map","x-kubernetes-patch-merge-key":"name","x-kubernetes-patch-strategy":"merge"}`,
		// validations, nested ones in allOf
		"tags":     `{"description":"Tags is atomic.","type":"array","maxItems":5,"items":{"type":"string"},"allOf":[{"items":{"maxLength":8}}],"x-kubernetes-list-type":"atomic"}`,
		"labels":   `{"description":"Labels is atomic.","type":"object","maxProperties":4,"additionalProperties":{"type":"string"},"x-kubernetes-map-type":"atomic"}`,
		"replicas": `{"description":"Replicas defaults to 3.","type":"integer","format":"int32","default":3,"maximum":100,"exclusiveMaximum":true,"minimum":0}`,
		// defaults: enforced, from JSON, from constants
		"name":     `{"description":"Name is always serialized, so it defaults to \"\".","type":"string","default":""}`,
		"size":     `{"description":"Size defaults to a constant.","type":"integer","format":"int32","default":7}`,
		"settings": `{"description":"Settings has a default object.","default":{},"$ref":"#/definitions/com.example.fixture.v1.Settings"}`,
		"greeting": `{"description":"Greeting defaults to a JSON string.","type":"string","default":"hello","maxLength":10,"pattern":"^h"}`,
		// enums; of two constants with one value, the longer comment wins
		"mode":       "{\"description\":\"Mode is an enum with a default constant.\\n\\nPossible enum values:\\n - `\\\"Fast\\\"` runs fast.\\n - `\\\"Slow\\\"` is the mode when none is given.\",\"type\":\"string\",\"default\":\"Slow\",\"enum\":[\"Fast\",\"Slow\"]}",
		"modeByName": "{\"description\":\"ModeByName maps names to modes.\",\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\",\"enum\":[\"Fast\",\"Slow\"]}}",
		// special types
		"big":      `{"description":"Big is an int64 sent as a string.","type":"string"}`,
		"data":     `{"description":"Data is bytes.","type":"string","format":"byte"}`,
		"when":     `{"description":"When is a Go time.","type":"string","format":"date-time"}`,
		"object":   `{"description":"Object is an interface."}`,
		"anything": `{"description":"Anything is an empty interface.","type":"object"}`,
		"atomic":   `{"description":"Atomic is a struct replaced whole.","$ref":"#/definitions/com.example.fixture.v1.Settings","x-kubernetes-map-type":"atomic"}`,
		"extended": `{"description":"Extended has a custom extension.","type":"string","x-kubernetes-custom":"yes"}`,
		"legacy":   `{"description":"Legacy has no model package.","type":"array","items":{"$ref":"#/definitions/` + otherPkg + `.Legacy"}}`,
		"custom":   `{"description":"Custom is named by a hand-written OpenAPIModelName.","$ref":"#/definitions/io.example.custom.Custom"}`,
		"override": `{"description":"Override has a model package of its own.","$ref":"#/definitions/com.example.override.Override"}`,
		"nested":   `{"description":"Nested has maps for values.","type":"object","additionalProperties":{"type":"object","additionalProperties":{"type":"integer","format":"int64"}}}`,
	} {
		if got := asJSON(t, spec.Properties[name]); got != want {
			t.Errorf("property %s:\n got %s\nwant %s", name, got, want)
		}
	}
}

func TestTypes(t *testing.T) {
	defs := definitions(t)
	for name, want := range map[string]string{
		"com.example.fixture.v1.Color":    `{"description":"Color is written as a string.","type":"string","format":"color"}`,
		"com.example.fixture.v1.Settings": `{"description":"Settings has fields of every number type.","type":"object","properties":{"a":{"type":"integer","format":"int32"},"b":{"type":"integer","format":"byte"},"c":{"type":"integer","format":"int32"},"d":{"type":"integer","format":"int64"},"e":{"type":"number","format":"float"},"f":{"type":"number","format":"double"},"g":{"type":"integer","format":"byte"}},"x-kubernetes-map-type":"granular"}`,
		"com.example.fixture.v1.Shape":    `{"description":"Shape is a union with a discriminator.","type":"object","required":["kind"],"properties":{"circle":{"type":"integer","format":"int32"},"kind":{"description":"Kind says which member is set.","type":"string","default":""},"square":{"type":"integer","format":"int32"}},"x-kubernetes-unions":[{"discriminator":"kind","fields-to-discriminateBy":{"circle":"Circle","square":"Square"}}]}`,
		metaV1 + "Time":                   `{"description":"Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.","type":"string","format":"date-time"}`,
	} {
		if got := asJSON(t, defs[name]); got != want {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
	status := defs["com.example.fixture.v1.WidgetStatus"]
	if got, want := asJSON(t, status.Extensions["x-kubernetes-unions"]), `[{"discriminator":"phase","fields-to-discriminateBy":{"failed":"Failed","ready":"Ready"}}]`; got != want {
		t.Errorf("WidgetStatus unions = %s, want %s", got, want)
	}
	widget := defs["com.example.fixture.v1.Widget"]
	if got, want := asJSON(t, widget.Extensions), `{"x-kubernetes-validations":[{"message":"short names only","rule":"self.metadata.name.size() \u003c 64"}]}`; got != want {
		t.Errorf("Widget extensions = %s, want %s", got, want)
	}
	if got, want := defs["com.example.fixture.v1.WidgetSpec"].Description, "WidgetSpec is the desired state.\n\nIt has paragraphs,\n\n\tindented lines,\n\nand everything after the line with three dashes is dropped."; got != want {
		t.Errorf("WidgetSpec description = %q, want %q", got, want)
	}
	// The document is the one models-schema prints.
	doc, err := openapischema.Marshal(map[string]spec.Schema{"a.B": {}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"swagger":"2.0","info":{"title":"Kubernetes","version":"unversioned"},"paths":null,"definitions":{"a.B":{}}}`; string(doc) != want {
		t.Errorf("document = %s, want %s", doc, want)
	}
}

func TestModelName(t *testing.T) {
	u := universe(t)
	for _, c := range []struct{ pkg, name, want string }{
		{fixturePkg, "Widget", "com.example.fixture.v1.Widget"},
		{fixturePkg, "Override", "com.example.override.Override"},
		{otherPkg, "Custom", "io.example.custom.Custom"},
		{otherPkg, "Legacy", otherPkg + ".Legacy"},
		{"k8s.io/apimachinery/pkg/apis/meta/v1", "ObjectMeta", metaV1 + "ObjectMeta"},
	} {
		got, err := openapischema.ModelName(u, u[c.pkg].Types[c.name])
		if err != nil {
			t.Errorf("%s.%s: %v", c.pkg, c.name, err)
		} else if got != c.want {
			t.Errorf("ModelName(%s.%s) = %s, want %s", c.pkg, c.name, got, c.want)
		}
	}
}

// TestRunTimeOnly: what only running code can tell is an error naming the
// type, not a wrong schema.
func TestRunTimeOnly(t *testing.T) {
	u := universe(t)
	_, err := openapischema.Definitions(u, roots(t, u, brokenPkg))
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		brokenPkg + ".Definer: its OpenAPIDefinition method gives its schema at run time",
		"Computed.OpenAPISchemaType does not just return a literal",
		"+default=ref(" + brokenPkg + ".defaultName) names a variable",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q\ndoes not say %q", err, want)
		}
	}
}

// openAPIGenTypes are the types openapi-gen writes definitions for: the
// public structs of packages with +k8s:openapi-gen=true unless they opt
// out, and those that opt in.
func openAPIGenTypes(u types.Universe) []*types.Type {
	on := func(comments []string, v string) bool {
		for _, x := range gengo.ExtractCommentTags("+", comments)["k8s:openapi-gen"] {
			if x == v {
				return true
			}
		}
		return false
	}
	var out []*types.Type
	for _, p := range u {
		for _, t := range p.Types {
			if t.Kind != types.Struct || namer.IsPrivateGoName(t.Name.Name) {
				continue
			}
			if (on(p.Comments, "true") && !on(t.CommentLines, "false")) || on(t.CommentLines, "true") {
				out = append(out, t)
			}
		}
	}
	return out
}

var refPattern = regexp.MustCompile(`"\$ref":"#/definitions/([^"]+)"`)

// TestMatchesCompiledModelsSchema runs openapi-gen on the fixture, compiles
// and runs a models-schema program over its output, as kube_codegen.sh
// users do, and requires every definition aggen builds to be byte for byte
// the one that program prints.
func TestMatchesCompiledModelsSchema(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and runs a models-schema program")
	}
	dir := t.TempDir()
	if err := upstream.CopyTree("testdata", dir); err != nil {
		t.Fatal(err)
	}
	s, err := newSession(dir)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := codegen.NewTree(dir, fixtureModule, "apis")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := openapi.Run(s, tree, nil, true); err != nil {
		t.Fatal(err)
	}
	files, err := s.Files()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 2 {
		t.Fatalf("openapi-gen wrote %d files", len(files))
	}
	for p, b := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	prog := filepath.Join(dir, "cmd", "models-schema", "main.go")
	if err := os.MkdirAll(filepath.Dir(prog), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(prog, []byte(upstream.ModelsSchema(tree.Pkg(openapi.OutputDir))), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "run", "./cmd/models-schema")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), aggentest.GoFlags("-mod=mod"), "GOWORK=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("models-schema: %v\n%s", err, stderr.String())
	}
	var theirs struct{ Definitions map[string]json.RawMessage }
	if err := json.Unmarshal(out, &theirs); err != nil {
		t.Fatal(err)
	}

	u, err := s.Universe()
	if err != nil {
		t.Fatal(err)
	}
	ours, err := openapischema.Definitions(u, openAPIGenTypes(u))
	if err != nil {
		t.Fatal(err)
	}
	// openapi-gen leaves out types of packages that are not its inputs
	// (IntOrString here), though it refers to them; aggen defines them.
	referenced := map[string]bool{}
	for _, m := range refPattern.FindAllStringSubmatch(string(out), -1) {
		referenced[m[1]] = true
	}
	for name, want := range theirs.Definitions {
		got, ok := ours[name]
		if !ok {
			t.Errorf("%s: printed by models-schema, not built by aggen", name)
			continue
		}
		if b := asJSON(t, got); b != string(want) {
			t.Errorf("%s:\n  aggen        %s\n  models-schema %s", name, b, want)
		}
	}
	for name := range ours {
		if _, ok := theirs.Definitions[name]; !ok && !referenced[name] {
			t.Errorf("%s: built by aggen, neither defined nor referred to by models-schema", name)
		}
	}
	if len(theirs.Definitions) < 60 {
		t.Errorf("models-schema printed only %d definitions", len(theirs.Definitions))
	}
	t.Logf("%d definitions compared", len(theirs.Definitions))
}

// TestReach: what the fixture's types reach outside its module, to the
// types openapi-gen treats as leaves and no further.
func TestReach(t *testing.T) {
	u := universe(t)
	r := openapi.FindReach(u, fixtureModule, fixtureModule+"/apis")
	for _, want := range []string{"k8s.io/apimachinery/pkg/api/resource", "k8s.io/apimachinery/pkg/apis/meta/v1", "k8s.io/apimachinery/pkg/util/intstr"} {
		if !slicesContains(r.Packages, want) {
			t.Errorf("reach lacks package %s: %v", want, r.Packages)
		}
	}
	if slicesContains(r.Packages, "time") {
		t.Errorf("reach goes into time (through metav1.Time, which defines its own schema): %v", r.Packages)
	}
	for name, want := range map[types.Name]bool{
		{Package: "k8s.io/apimachinery/pkg/util/intstr", Name: "IntOrString"}:    true,
		{Package: "k8s.io/apimachinery/pkg/apis/meta/v1", Name: "Condition"}:     true,
		{Package: "k8s.io/apimachinery/pkg/apis/meta/v1", Name: "ObjectMeta"}:    true,
		{Package: "k8s.io/apimachinery/pkg/apis/meta/v1", Name: "LabelSelector"}: false,
		{Package: "time", Name: "Time"}:                                          false,
	} {
		if r.Has(name) != want {
			t.Errorf("reach has %s: %v, want %v", name, r.Has(name), want)
		}
	}
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
