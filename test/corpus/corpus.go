// Package corpus assembles test projects from API packages nobody at aggen
// wrote: copies of k8s.io/api groups and the API packages of public
// kubebuilder projects, taken from the Go module proxy at test time (never
// committed), each laid over the example project's files so that aggen
// loads it as one of its own projects.
package corpus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// Source is one API package to copy into a project.
type Source struct {
	// Module and Version name the module on the proxy; Package is the
	// package directory inside it.
	Module, Version, Package string
	// Group is the group directory in the project (pkg/apis/<Group>/<Version>),
	// APIVersion the version directory.
	Group, APIVersion string
	// Kinds keeps only these kinds served (the others' +genclient is
	// dropped); nil keeps all.
	Kinds []string
	// Status adds +kubebuilder:subresource:status to kept kinds that have
	// a Status field and no such marker, as k8s.io/api types have none.
	Status bool
	// Requires are the module versions ("path@version") the package's
	// imports need, as its own go.mod has them; the newest would be
	// taken otherwise.
	Requires []string
	// Fixes are text replacements that make the package one a CRD could
	// be made from; each says why in the corpus it belongs to.
	Fixes [][2]string
}

// Corpora are the named sets of sources the tests use.
var Corpora = map[string][]Source{
	// The shapes of k8s.io/api that extension APIs copy most, with their
	// +k8s: declarative validation tags.
	"k8sapi": {
		{Module: "k8s.io/api", Version: "v0.37.2", Package: "apps/v1", Group: "apps", APIVersion: "v1",
			Kinds: []string{"Deployment", "StatefulSet", "DaemonSet"}, Status: true, Fixes: append(conditionTypes, applyScale, copyModelPackage)},
		{Module: "k8s.io/api", Version: "v0.37.2", Package: "batch/v1", Group: "batch", APIVersion: "v1",
			Kinds: []string{"Job", "CronJob"}, Status: true, Fixes: [][2]string{copyModelPackage}},
		{Module: "k8s.io/api", Version: "v0.37.2", Package: "networking/v1", Group: "networking", APIVersion: "v1",
			Kinds: []string{"Ingress", "NetworkPolicy"}, Status: true, Fixes: [][2]string{copyModelPackage}},
		{Module: "k8s.io/api", Version: "v0.37.2", Package: "policy/v1", Group: "policy", APIVersion: "v1",
			Kinds: []string{"PodDisruptionBudget"}, Status: true, Fixes: [][2]string{copyModelPackage}},
	},
	// Gateway API: kubebuilder markers and CEL rules throughout.
	"gatewayapi": {
		{Module: "sigs.k8s.io/gateway-api", Version: "v1.6.3", Package: "apis/v1", Group: "gateway", APIVersion: "v1"},
	},
	// LeaderWorkerSet: a kubebuilder project (groupversion_info.go with
	// its own scheme.Builder, kinds registered in init).
	"lws": {
		{Module: "sigs.k8s.io/lws", Version: "v0.7.0", Package: "api/leaderworkerset/v1", Group: "leaderworkerset", APIVersion: "v1",
			Fixes: append([][2]string{
				{`"leaderworkerset.x-k8s.io"`, `"leaderworkerset.example.com"`},
				// lws's copy of controller-runtime's scheme.Builder is
				// a package of the lws module, which the corpus does not
				// copy (aggen import does): controller-runtime's own.
				{`"sigs.k8s.io/lws/api/leaderworkerset/scheme"`, `"sigs.k8s.io/controller-runtime/pkg/scheme"`},
			}, strayGenclient)},
	},
	// JobSet: a kubebuilder project on controller-runtime's scheme.Builder.
	"jobset": {
		{Module: "sigs.k8s.io/jobset", Version: "v0.10.1", Package: "api/jobset/v1alpha2", Group: "jobset", APIVersion: "v1alpha2",
			Fixes: append([][2]string{
				{`"jobset.x-k8s.io"`, `"jobset.example.com"`},
				// controller-tools reads "UniqueItems:true" as no
				// marker it knows and ignores it (the CRD has no
				// uniqueItems); aggen refuses it as unknown.
				{"// +kubebuilder:validation:UniqueItems:true\n", ""},
			}, strayGenclient)},
	},
	// Flux's source-controller API: status types from another module
	// (github.com/fluxcd/pkg/apis/meta), inlined and in pointer lists.
	"flux": {
		{Module: "github.com/fluxcd/source-controller/api", Version: "v1.9.6", Package: "v1", Group: "source", APIVersion: "v1",
			Requires: []string{"github.com/fluxcd/pkg/apis/meta@v1.30.2", "github.com/fluxcd/pkg/apis/acl@v0.10.0"},
			Fixes:    [][2]string{{`"source.toolkit.fluxcd.io"`, `"source.example.com"`}}},
	},
	// The Prometheus operator's monitoring API.
	"prometheus": {
		{Module: "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring", Version: "v0.95.2", Package: "v1",
			Group: "monitoring", APIVersion: "v1",
			// +kubebuilder:validation:OneOf is no controller-tools marker:
			// controller-gen ignores it, aggen refuses it as unknown.
			Fixes: [][2]string{{"// +kubebuilder:validation:OneOf", "// (OneOf)"}}},
	},
}

// strayGenclient: kubebuilder projects keep a types.go holding only
// "//+genclient" for kube_codegen.sh; it stands before no type, so it
// does nothing upstream, aggen refuses it as misplaced and aggen import
// removes it, as the corpus does.
var strayGenclient = [2]string{"\n//+genclient\n", "\n"}

// conditionTypes: k8s.io/api's workload conditions are lists keyed by
// type whose type field is +optional. kube-apiserver refuses a CRD with
// such a key ("must have a default or be a required property"), and so
// does aggen; a CRD author marks the key +required, and so does the corpus.
var conditionTypes = [][2]string{{
	"\t// Type of deployment condition.\n\t// +optional\n", "\t// Type of deployment condition.\n\t// +required\n",
}, {
	"\t// Type of statefulset condition.\n\t// +optional\n", "\t// Type of statefulset condition.\n\t// +required\n",
}, {
	"\t// Type of DaemonSet condition.\n\t// +optional\n", "\t// Type of DaemonSet condition.\n\t// +required\n",
}, {
	"\t// Type of replica set condition.\n\t// +optional\n", "\t// Type of replica set condition.\n\t// +required\n",
}}

// copyModelPackage: a copy of a k8s.io/api group is a second Go type of
// the same name as the original, which other corpora's types use (JobSet's
// ReplicatedJob holds a k8s.io/api/batch/v1.JobTemplateSpec); with the
// original's +k8s:openapi-model-package both would have one OpenAPI model
// name, which aggen refuses. The copies' models get names of their own.
var copyModelPackage = [2]string{"+k8s:openapi-model-package=io.k8s.api.", "+k8s:openapi-model-package=io.k8s.corpus.api."}

// applyScale: k8s.io/api's ApplyScale client method takes the apply
// configuration of autoscaling/v1.Scale, which lives in client-go, not in
// a project's applyconfiguration tree; aggen refuses it (see
// testdata/bad/genclient-apply-input.txtar), and the copy drops it.
var applyScale = [2]string{
	"// +genclient:method=ApplyScale,verb=apply,subresource=scale,input=k8s.io/api/autoscaling/v1.Scale,result=k8s.io/api/autoscaling/v1.Scale\n", "",
}

// baseFiles come from the example project.
var baseFiles = []string{"aggen.yaml", "go.mod", "go.sum", "hack/boilerplate.go.txt"}

// Assemble writes a project made of the corpus's sources into dir. root
// is the aggen repository's root.
func Assemble(root, dir string, sources []Source) error {
	for _, name := range baseFiles {
		b, err := os.ReadFile(filepath.Join(root, "examples", "insects", name))
		if err != nil {
			return err
		}
		if err := write(filepath.Join(dir, name), b); err != nil {
			return err
		}
	}
	for _, s := range sources {
		src, err := moduleDir(dir, s.Module, s.Version)
		if err != nil {
			return err
		}
		if err := copyPackage(filepath.Join(src, filepath.FromSlash(s.Package)), filepath.Join(dir, "pkg", "apis", s.Group, s.APIVersion), s); err != nil {
			return fmt.Errorf("copying %s/%s: %w", s.Module, s.Package, err)
		}
		for _, r := range s.Requires {
			cmd := exec.Command("go", "mod", "edit", "-require", r)
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				return fmt.Errorf("go mod edit -require %s: %v\n%s", r, err, out)
			}
		}
	}
	return nil
}

// moduleDir downloads a module version through the proxy (or finds it in
// the module cache) and returns its directory.
func moduleDir(dir, module, version string) (string, error) {
	cmd := exec.Command("go", "mod", "download", "-json", module+"@"+version)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go mod download %s@%s: %v\n%s", module, version, err, stderr.String())
	}
	var m struct{ Dir string }
	if err := json.Unmarshal(out.Bytes(), &m); err != nil || m.Dir == "" {
		return "", fmt.Errorf("go mod download %s@%s: no directory", module, version)
	}
	return m.Dir, nil
}

var (
	groupNameLine = regexp.MustCompile(`(?m)^// \+groupName=.*\n`)
	packageClause = regexp.MustCompile(`(?m)^package `)
	genclientLine = regexp.MustCompile(`(?m)^// \+genclient.*\n`)
	typeDecl      = regexp.MustCompile(`(?m)^type (\w+) struct`)
)

// copyPackage copies the hand-written Go files of an API package,
// rewriting its group name into the example's domain and keeping only
// the wanted kinds served.
func copyPackage(from, to string, s Source) error {
	entries, err := os.ReadDir(from)
	if err != nil {
		return err
	}
	group := s.Group + ".example.com"
	wrote := false
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") || strings.HasPrefix(n, "zz_generated") ||
			strings.HasSuffix(n, ".pb.go") || strings.HasSuffix(n, "_swagger_doc_generated.go") || n == "register.go" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, n))
		if err != nil {
			return err
		}
		// kubebuilder's groupversion_info.go repeats the group name.
		text := groupNameLine.ReplaceAllString(string(b), "")
		if n == "doc.go" {
			loc := packageClause.FindStringIndex(text)
			text = text[:loc[0]] + "// +groupName=" + group + "\n" + text[loc[0]:]
			wrote = true
		}
		text = keepKinds(text, s)
		for _, f := range s.Fixes {
			text = strings.ReplaceAll(text, f[0], f[1])
		}
		if err := write(filepath.Join(to, n), []byte(text)); err != nil {
			return err
		}
	}
	if !wrote {
		return fmt.Errorf("no doc.go in %s", from)
	}
	return nil
}

// keepKinds drops +genclient from kinds that are not wanted and marks the
// wanted ones' status subresource.
func keepKinds(text string, s Source) string {
	if s.Kinds == nil && !s.Status {
		return text
	}
	var out strings.Builder
	rest := text
	for {
		loc := typeDecl.FindStringSubmatchIndex(rest)
		if loc == nil {
			out.WriteString(rest)
			return out.String()
		}
		name := rest[loc[2]:loc[3]]
		// The comments above the type, blank lines between them
		// included, hold its markers.
		head := rest[:loc[0]]
		lines := strings.SplitAfter(head, "\n")
		start := len(lines) - 1
		for start > 0 {
			l := strings.TrimSpace(lines[start-1])
			if l != "" && !strings.HasPrefix(l, "//") {
				break
			}
			start--
		}
		before, doc := strings.Join(lines[:start], ""), strings.Join(lines[start:], "")
		wanted := s.Kinds == nil
		for _, k := range s.Kinds {
			wanted = wanted || k == name
		}
		if genclientLine.MatchString(doc) {
			switch {
			case !wanted:
				doc = genclientLine.ReplaceAllString(doc, "")
			case s.Status && !strings.Contains(doc, "+kubebuilder:subresource:status") && hasStatus(rest[loc[0]:]):
				doc += "// +kubebuilder:subresource:status\n"
			}
		}
		out.WriteString(before + doc)
		end := strings.Index(rest[loc[0]:], "\n}\n")
		if end < 0 {
			out.WriteString(rest[loc[0]:])
			return out.String()
		}
		out.WriteString(rest[loc[0] : loc[0]+end+3])
		rest = rest[loc[0]+end+3:]
	}
}

func hasStatus(decl string) bool {
	end := strings.Index(decl, "\n}\n")
	return end > 0 && regexp.MustCompile(`(?m)^\tStatus `).MatchString(decl[:end])
}

func write(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
