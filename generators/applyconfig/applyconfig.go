// Package applyconfig runs k8s.io/code-generator's applyconfiguration-gen
// in process: server-side apply configurations under
// pkg/generated/applyconfiguration.
//
// Markers read (by applyconfiguration-gen): +genclient and its verbs,
// +groupName, +listType, +listMapKey, +mapType, +structType.
//
// aggen generate passes it the OpenAPI schema that package openapischema
// builds from the same parse, as kube_codegen.sh users pass the output of
// a models-schema program to --applyconfig-openapi-schema: with it,
// applyconfiguration-gen writes internal/internal.go's structured-merge-diff
// schema and the Extract<Kind> functions.
package applyconfig

import (
	"fmt"

	"k8s.io/code-generator/cmd/applyconfiguration-gen/args"
	"k8s.io/code-generator/cmd/applyconfiguration-gen/generators"
	"k8s.io/gengo/v2/generator"

	"github.com/aggen-dev/aggen/generators/codegen"
)

// Name is the upstream generator's name.
const Name = "applyconfiguration-gen"

// OutputDir is where apply configurations go, relative to the project root.
const OutputDir = codegen.Generated + "/applyconfiguration"

// Run generates apply configurations for the +genclient packages.
// schemaFile, when not empty, is an OpenAPI v2 document used to generate
// the Extract functions, as --applyconfig-openapi-schema does.
func Run(s *codegen.Session, t codegen.Tree, schemaFile string) error {
	inputs, _, err := t.ClientInputs()
	if err != nil || len(inputs) == 0 {
		return err
	}
	a := args.New()
	argv := []string{
		"--go-header-file", s.HeaderFile,
		"--output-dir", t.Abs(OutputDir),
		"--output-pkg", t.Pkg(OutputDir),
		"--external-applyconfigurations", "",
		"--openapi-schema", schemaFile,
	}
	if err := codegen.Flags(Name, func(fs *codegen.FlagSet) { a.AddFlags(fs, "k8s.io/kubernetes/pkg/apis") }, argv); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return fmt.Errorf("%s arguments: %w", Name, err)
	}
	undo := func() {}
	defer func() { undo() }()
	return s.Run(Name, generators.NameSystems(), generators.DefaultNameSystem(), inputs, func(c *generator.Context) []generator.Target {
		undo = foreignShapes(c.Universe, c.Inputs, a.ExternalApplyConfigurations)
		return generators.GetTargets(c, a)
	})
}
