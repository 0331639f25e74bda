// Package clientset runs k8s.io/code-generator's client-gen in process:
// the typed clientset under pkg/generated/clientset/versioned.
//
// Markers read (by client-gen): +genclient, +genclient:nonNamespaced,
// +genclient:noStatus, +genclient:noVerbs, +genclient:onlyVerbs,
// +genclient:skipVerbs, +genclient:method, +groupName, +groupGoName.
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
// the default pluralization would get wrong.
func Run(s *codegen.Session, t codegen.Tree, exceptions map[string]string) error {
	_, gvs, err := t.ClientInputs()
	if err != nil || len(gvs) == 0 {
		return err
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
		return err
	}
	if err := a.Validate(); err != nil {
		return fmt.Errorf("%s arguments: %w", Name, err)
	}
	var inputs []string
	for _, g := range a.Groups {
		for _, v := range g.Versions {
			inputs = append(inputs, v.Package)
		}
	}
	systems := generators.NameSystems(util.PluralExceptionListToMapOrDie(a.PluralExceptions))
	return s.Run(Name, systems, generators.DefaultNameSystem(), inputs, func(c *generator.Context) []generator.Target {
		return generators.GetTargets(c, a)
	})
}
