// Package clientset writes the typed clientset under
// pkg/generated/clientset/versioned, byte for byte what
// k8s.io/code-generator's client-gen writes: aggen renders it itself, in
// its final formatted form (no gengo templates, no go/format), and runs
// client-gen in process instead for the reference (generators.Options.Reference)
// and for shapes its renderer does not reproduce (Unsupported).
//
// Markers read (by aggen's renderer, parsed with client-gen's own
// util.ParseClientGenTags, so each means what it means to client-gen; and
// by client-gen when it runs): +genclient, +genclient:nonNamespaced,
// +genclient:noStatus, +genclient:noVerbs, +genclient:onlyVerbs,
// +genclient:skipVerbs, +genclient:readonly, +genclient:method,
// +resourceName, +groupName, +groupGoName.
//
// client-gen writes the whole clientset instead (plan.go, Unsupported)
// for: a +genclient:method of verb delete, deleteCollection, watch,
// updateStatus or applyStatus, or a list of a subresource; a kind whose
// interface would have no default verb; a group-version package without a
// +genclient kind; the core (empty) group; versions of one group that
// disagree on +groupName; a hand-written scheme/register_custom.go; a file
// whose imports would name one package twice; client-gen options aggen
// does not pass; +genclient tags client-gen refuses (it reports them).
package clientset

import (
	"fmt"
	"sort"
	"strings"

	"k8s.io/code-generator/cmd/client-gen/args"
	"k8s.io/code-generator/cmd/client-gen/generators"
	"k8s.io/code-generator/pkg/util"
	"k8s.io/gengo/v2/generator"

	"github.com/aggen-dev/aggen/generators/applyconfig"
	"github.com/aggen-dev/aggen/generators/codegen"
)

// Name is the upstream generator's name.
const Name = "client-gen"

// OutputDir is the clientset tree, relative to the project root.
const OutputDir = codegen.Generated + "/clientset"

// PluralExceptions renders Kind:plural pairs as the generators' flag wants them.
func PluralExceptions(exceptions map[string]string) string {
	var pairs []string
	for k, v := range exceptions {
		pairs = append(pairs, k+":"+v)
	}
	sort.Strings(pairs)
	return strings.Join(pairs, ",")
}

// Run generates the clientset. exceptions maps kinds to resource names that
// the default pluralization would get wrong. With reference, client-gen
// writes it; otherwise aggen's renderer does, and client-gen only when the
// renderer declines the project's shape.
func Run(s *codegen.Session, t codegen.Tree, exceptions map[string]string, reference bool) error {
	_, err := run(s, t, exceptions, reference)
	return err
}

// run is Run, reporting whether aggen's renderer wrote the files.
func run(s *codegen.Session, t codegen.Tree, exceptions map[string]string, reference bool) (own bool, err error) {
	_, gvs, err := t.ClientInputs()
	if err != nil || len(gvs) == 0 {
		return false, err
	}
	a := args.New()
	argv := []string{
		"--go-header-file", s.HeaderFile,
		"--output-dir", t.Abs(OutputDir),
		"--output-pkg", t.Pkg(OutputDir),
		"--clientset-name", "versioned",
		"--apply-configuration-package", t.Pkg(applyconfig.OutputDir),
		// An import path rather than kube_codegen.sh's absolute directory:
		// client-gen turns both into the same package, and the import path
		// needs no second `go list`.
		"--input-base", t.Pkg(t.APIs),
		"--plural-exceptions", PluralExceptions(exceptions),
		"--prefers-protobuf=false",
	}
	for _, gv := range gvs {
		argv = append(argv, "--input", gv)
	}
	if err := codegen.Flags(Name, func(fs *codegen.FlagSet) { a.AddFlags(fs, "k8s.io/kubernetes/pkg/apis") }, argv); err != nil {
		return false, err
	}
	if err := a.Validate(); err != nil {
		return false, fmt.Errorf("%s arguments: %w", Name, err)
	}
	if !reference {
		files, err := renderAll(s, t, a, exceptions)
		switch {
		case err == nil:
			for _, f := range files {
				if err := s.Add(Name, f.rel, []byte(f.data)); err != nil {
					return false, err
				}
			}
			return true, nil
		case !IsUnsupported(err):
			return false, fmt.Errorf("%s: %w", Name, err)
		}
	}
	var inputs []string
	for _, g := range a.Groups {
		for _, v := range g.Versions {
			inputs = append(inputs, v.Package)
		}
	}
	systems := generators.NameSystems(util.PluralExceptionListToMapOrDie(a.PluralExceptions))
	return false, s.Run(Name, systems, generators.DefaultNameSystem(), inputs, func(c *generator.Context) []generator.Target {
		return generators.GetTargets(c, a)
	})
}

// renderAll plans and renders the clientset; it adds nothing.
func renderAll(s *codegen.Session, t codegen.Tree, a *args.Args, exceptions map[string]string) (files []file, err error) {
	// a is client-gen's own: the renderer reads it and leaves it as it is
	// for client-gen, should it run after all.
	defer func() {
		// The namers and tag parsers are client-gen's; a panic in them is
		// a shape to leave to client-gen, which reports it.
		if r := recover(); r != nil {
			files, err = nil, unsupported("%v", r)
		}
	}()
	p, err := newPlan(s, t, a, exceptions)
	if err != nil {
		return nil, err
	}
	return p.render()
}
