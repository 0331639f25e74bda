// Package upstream runs k8s.io/code-generator's kube_codegen.sh on a
// project, the way users run it by hand, so tests and benchmarks can
// compare aggen's in-process generation with it.
package upstream

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// CodeGeneratorVersion is the code-generator release aggen embeds.
const CodeGeneratorVersion = "v0.37.2"

// UpstreamOutput matches the files the upstream generators write, which
// both sides remove before generating.
func UpstreamOutput(rel string) bool {
	rel = filepath.ToSlash(rel)
	if strings.HasPrefix(rel, "pkg/generated/") {
		return true
	}
	switch filepath.Base(rel) {
	case "zz_generated.deepcopy.go", "zz_generated.conversion.go", "zz_generated.defaults.go",
		"zz_generated.register.go", "zz_generated.model_name.go", "zz_generated.validations.go":
		return true
	}
	return false
}

// Prune removes the upstream generators' output from a project tree.
func Prune(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if UpstreamOutput(rel) {
			return os.Remove(p)
		}
		return nil
	})
}

// CopyTree copies a project (without .git) to dst.
func CopyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			if d.Name() == ".git" || d.Name() == "bin" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
}

// Tools locates code-generator's kube_codegen.sh and the directory where
// its generator binaries are installed and cached between runs.
type Tools struct {
	Root  string // the code-generator module directory
	GOBIN string
}

// FindTools resolves the code-generator module from the module at
// moduleDir and picks the cache directory for its binaries.
func FindTools(moduleDir string) (*Tools, error) {
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "k8s.io/code-generator")
	cmd.Dir = moduleDir
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("locating k8s.io/code-generator: %w", err)
	}
	cache := os.Getenv("AGGEN_CACHE")
	if cache == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return nil, err
		}
		cache = filepath.Join(base, "aggen")
	}
	return &Tools{
		Root:  strings.TrimSpace(string(out)),
		GOBIN: filepath.Join(cache, "code-generator-"+CodeGeneratorVersion, "bin"),
	}, nil
}

// Schema says where kube_codegen.sh's gen_client gets the OpenAPI schema
// that apply configurations are generated with
// (--applyconfig-openapi-schema). The zero Schema means none.
type Schema struct {
	// File is the schema document.
	File string
	// Command, when not empty, runs in the project after gen_openapi and
	// writes File, the way k8s.io/sample-apiserver's hack/update-codegen.sh
	// runs its models-schema program over the generated definitions.
	Command string
}

// Script is what a user of kube_codegen.sh writes in hack/update-codegen.sh
// for an aggen-shaped project, with the same choices aggen makes; apply
// configurations get the OpenAPI schema s (none for the zero Schema).
func Script(root, module string, s Schema) string {
	var schemaStep, schemaFlag string
	if s.Command != "" {
		schemaStep = fmt.Sprintf("%s > %q\n", s.Command, s.File)
	}
	if s.File != "" {
		schemaFlag = fmt.Sprintf("--applyconfig-openapi-schema %q ", s.File)
	}
	return fmt.Sprintf(`set -euo pipefail
source %q
kube::codegen::gen_helpers --boilerplate hack/boilerplate.go.txt pkg/apis
kube::codegen::gen_register --boilerplate hack/boilerplate.go.txt pkg/apis
kube::codegen::gen_openapi --output-dir pkg/generated/openapi --output-pkg %s/pkg/generated/openapi \
  --report-filename "$REPORT" --update-report --output-model-name-file zz_generated.model_name.go \
  --boilerplate hack/boilerplate.go.txt pkg/apis
%skube::codegen::gen_client --with-watch --with-applyconfig %s--output-dir pkg/generated \
  --output-pkg %s/pkg/generated --boilerplate hack/boilerplate.go.txt pkg/apis
`, filepath.Join(root, "kube_codegen.sh"), module, schemaStep, schemaFlag, module)
}

// Run runs kube_codegen.sh in project dir, with apply configurations
// generated from the OpenAPI schema s.
func (t *Tools) Run(dir, module string, s Schema) error {
	_, err := t.RunCommand(dir, module, s)
	return err
}

// RunCommand is Run returning the finished command, whose ProcessState
// holds the resource usage of the script and every process it waited for.
func (t *Tools) RunCommand(dir, module string, s Schema) (*exec.Cmd, error) {
	// gen_openapi's mktemp -t leaves a bash.api_violations.* file behind
	// on every run: the script gets a TMPDIR of its own, removed after it.
	tmp, err := os.MkdirTemp("", "aggen-kube-codegen-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	report := filepath.Join(tmp, "openapi-report")
	if err := os.WriteFile(report, nil, 0o644); err != nil {
		return nil, err
	}
	cmd := exec.Command("bash", "-c", Script(t.Root, module, s))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOBIN="+t.GOBIN, "GOFLAGS=-mod=mod", "GOWORK=off", "REPORT="+report, "TMPDIR="+tmp)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		return cmd, fmt.Errorf("kube_codegen.sh: %w\n%s", err, out.String())
	}
	return cmd, nil
}

// ModulePath reads the module path from dir/go.mod.
func ModulePath(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return "", err
	}
	m := regexp.MustCompile(`(?m)^module\s+(\S+)`).FindSubmatch(b)
	if m == nil {
		return "", fmt.Errorf("no module line in %s/go.mod", dir)
	}
	return string(m[1]), nil
}

// Files reads every upstream-generated file of a tree, keyed by slash path.
func Files(dir string) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if !UpstreamOutput(rel) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out[filepath.ToSlash(rel)] = b
		return nil
	})
	return out, err
}

// ModelsSchema is the source of a program that prints, as an OpenAPI v2
// document, the definitions of the generated package openapiPkg, the way
// k8s.io/sample-apiserver's pkg/generated/openapi/cmd/models-schema does:
// where a definition embeds its v2 schema for a v3 one, the v2 one is used.
func ModelsSchema(openapiPkg string) string {
	return fmt.Sprintf(`package main

import (
	"encoding/json"
	"fmt"
	"os"

	"k8s.io/kube-openapi/pkg/common"
	"k8s.io/kube-openapi/pkg/validation/spec"

	generated %q
)

func main() {
	ref := func(name string) spec.Ref { return spec.MustCreateRef("#/definitions/" + name) }
	defs := map[string]spec.Schema{}
	for name, def := range generated.GetOpenAPIDefinitions(ref) {
		if v2, ok := def.Schema.Extensions[common.ExtensionV2Schema].(spec.Schema); ok {
			defs[name] = v2
			continue
		}
		defs[name] = def.Schema
	}
	out, err := json.Marshal(&spec.Swagger{SwaggerProps: spec.SwaggerProps{
		Swagger:     "2.0",
		Info:        &spec.Info{InfoProps: spec.InfoProps{Title: "Kubernetes", Version: "unversioned"}},
		Definitions: defs,
	}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Stdout.Write(out)
}
`, openapiPkg)
}
