package upstream_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"k8s.io/kube-openapi/pkg/util"

	"github.com/aggen-dev/aggen/generators/codegen"
	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/generators/openapi"
	"github.com/aggen-dev/aggen/generators/openapischema"
	"github.com/aggen-dev/aggen/scaffold"
	"github.com/aggen-dev/aggen/test/upstream"
)

// schemaOf builds, as aggen generate does, the OpenAPI schema for the apply
// configurations of the project in dir.
func schemaOf(t *testing.T, dir, module string) []byte {
	t.Helper()
	patterns := append([]string{module + "/" + loader.APIsDir + "/..."}, openapi.LibraryInputs...)
	s, err := codegen.NewSession(dir, "", patterns)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := codegen.NewTree(dir, module, loader.APIsDir)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapischema.Generate(s, tree)
	if err != nil {
		t.Fatal(err)
	}
	if doc == nil {
		t.Fatal("no +genclient packages: no schema")
	}
	return doc
}

var modelPackageLine = regexp.MustCompile(`(?m)^(//\s*\+k8s:openapi-model-package=).*$`)

// useGoModelNames names the models of every API package after its import
// path, as k8s.io/sample-apiserver does (io.k8s.sample-apiserver.pkg.apis.
// wardle.v1alpha1): the names applyconfiguration-gen v0.37.2 looks the
// +genclient types up by in the schema, whatever the model package.
func useGoModelNames(t *testing.T, dir, module string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(filepath.Join(dir, filepath.FromSlash(loader.APIsDir)), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "doc.go" {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil || !modelPackageLine.Match(b) {
			return err
		}
		rel, err := filepath.Rel(dir, filepath.Dir(p))
		if err != nil {
			return err
		}
		name := util.ToRESTFriendlyName(path.Join(module, filepath.ToSlash(rel)))
		n++
		return os.WriteFile(p, modelPackageLine.ReplaceAll(b, []byte("${1}"+name)), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no +k8s:openapi-model-package to rename")
	}
}

var refPattern = regexp.MustCompile(`"\$ref":"#/definitions/([^"]+)"`)

// compareSchemas requires every definition aggen builds to be the one the
// models-schema program printed, byte for byte, and aggen's to be closed
// under references.
func compareSchemas(t *testing.T, modelsSchema, ours []byte) {
	t.Helper()
	var want, got struct{ Definitions map[string]json.RawMessage }
	if err := json.Unmarshal(modelsSchema, &want); err != nil {
		t.Fatalf("models-schema output: %v", err)
	}
	if err := json.Unmarshal(ours, &got); err != nil {
		t.Fatalf("aggen's schema: %v", err)
	}
	for name, g := range got.Definitions {
		w, ok := want.Definitions[name]
		switch {
		case !ok:
			t.Errorf("%s: in aggen's schema, not printed by models-schema", name)
		case string(w) != string(g):
			t.Errorf("%s:\n  aggen         %s\n  models-schema %s", name, g, w)
		}
		for _, m := range refPattern.FindAllStringSubmatch(string(g), -1) {
			if _, ok := got.Definitions[m[1]]; !ok {
				t.Errorf("%s refers to %s, which aggen's schema lacks", name, m[1])
			}
		}
	}
	for _, kind := range []string{"Bee", "Hive"} {
		found := false
		for name := range got.Definitions {
			found = found || strings.HasSuffix(name, ".v1beta1."+kind)
		}
		if !found {
			t.Errorf("aggen's schema has no definition for the +genclient type %s", kind)
		}
	}
	t.Logf("aggen's schema: %d definitions, models-schema's: %d", len(got.Definitions), len(want.Definitions))
}

// TestApplyConfigurationsWithModelsSchema checks aggen's in-process schema
// against the real thing: kube_codegen.sh runs with the schema that a
// models-schema program, compiled against the example's generated
// definitions, prints (as sample-apiserver's hack/update-codegen.sh does),
// and every file, the apply configurations' internal/internal.go
// included, must be the one aggen generates.
//
// It runs the example as scaffolded and with model packages renamed.
// applyconfiguration-gen v0.37.2 looks the +genclient types up in the
// schema by Go name (com.github....v1beta1.Bee), so aggen scaffolds
// +k8s:openapi-model-package after the Go package (as sample-apiserver
// does) and the apply configurations get a typed structured-merge-diff
// schema; with other model names they get untyped roots, with or without
// models-schema, and the comparison still holds.
func TestApplyConfigurationsWithModelsSchema(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the upstream generators and a models-schema program")
	}
	example, err := filepath.Abs("../../examples/insects")
	if err != nil {
		t.Fatal(err)
	}
	module, err := upstream.ModulePath(example)
	if err != nil {
		t.Fatal(err)
	}
	tools, err := upstream.FindTools(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name         string
		goModelNames bool
	}{
		{"scaffolded", false},
		{"go-model-names", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			kube := filepath.Join(t.TempDir(), "kube")
			ours := filepath.Join(t.TempDir(), "ours")
			for _, d := range []string{kube, ours} {
				if err := upstream.CopyTree(example, d); err != nil {
					t.Fatal(err)
				}
				if err := upstream.Prune(d); err != nil {
					t.Fatal(err)
				}
				if c.goModelNames {
					useGoModelNames(t, d, module)
				}
			}
			prog := filepath.Join(kube, "hack", "models-schema", "main.go")
			if err := os.MkdirAll(filepath.Dir(prog), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(prog, []byte(upstream.ModelsSchema(module+"/"+openapi.OutputDir)), 0o644); err != nil {
				t.Fatal(err)
			}
			schema := filepath.Join(t.TempDir(), "models-schema.json")
			if err := tools.Run(kube, module, upstream.Schema{File: schema, Command: "go run ./hack/models-schema"}); err != nil {
				t.Fatal(err)
			}
			if _, err := scaffold.Generate(scaffold.GenerateOptions{Dir: ours}); err != nil {
				t.Fatal(err)
			}
			want, err := upstream.Files(kube)
			if err != nil {
				t.Fatal(err)
			}
			got, err := upstream.Files(ours)
			if err != nil {
				t.Fatal(err)
			}
			compareTrees(t, want, got)

			modelsSchema, err := os.ReadFile(schema)
			if err != nil {
				t.Fatal(err)
			}
			compareSchemas(t, modelsSchema, schemaOf(t, ours, module))

			internal := string(got["pkg/generated/applyconfiguration/internal/internal.go"])
			typed := strings.Contains(internal, "namedType: io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
			if c.goModelNames && !typed {
				t.Errorf("internal/internal.go has no typed schema for ObjectMeta:\n%s", internal)
			}
			t.Logf("internal/internal.go: %d bytes, typed schema: %v", len(internal), typed)
		})
	}
}
