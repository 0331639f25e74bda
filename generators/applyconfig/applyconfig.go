// Package applyconfig writes server-side apply configurations under
// pkg/generated/applyconfiguration, as k8s.io/code-generator's
// applyconfiguration-gen v0.37.2 writes them, byte for byte.
//
// applyconfiguration-gen's GetTargets decides, in process, which files
// there are (the types reachable from a +genclient kind with apply
// verbs, their packages, the apply configurations they reference, the
// OpenAPI names). aggen renders the per-type files itself (render.go),
// already formatted; applyconfiguration-gen still writes utils.go and
// internal/internal.go, and every file when a type has a shape aggen's
// renderer does not support.
//
// Markers read, with applyconfiguration-gen's meaning: +genclient and its
// verbs and options (+genclient:nonNamespaced, +genclient:noStatus,
// +genclient:method=...,subresource=...), +groupName, +groupGoName, and
// comment lines starting with + are left out of the copied comments; by
// applyconfiguration-gen only (internal.go's schema): +listType,
// +listMapKey, +mapType, +structType.
//
// aggen generate passes it the OpenAPI schema that package openapischema
// builds from the same parse, as kube_codegen.sh users pass the output of
// a models-schema program to --applyconfig-openapi-schema: with it,
// applyconfiguration-gen writes internal/internal.go's structured-merge-diff
// schema and the Extract<Kind> functions.
package applyconfig

import (
	"fmt"
	"io"

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
//
// aggen renders the per-type files itself, from the decisions upstream's
// GetTargets takes (see render.go), and leaves applyconfiguration-gen
// utils.go and internal/internal.go; with reference, or when a type has a
// shape aggen does not render (the reason goes to progress),
// applyconfiguration-gen writes every file.
func Run(s *codegen.Session, t codegen.Tree, schemaFile string, reference bool, progress io.Writer) error {
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
	var addErr error
	err = s.Run(Name, generators.NameSystems(), generators.DefaultNameSystem(), inputs, func(c *generator.Context) []generator.Target {
		undo = foreignShapes(c, c.Inputs, a.ExternalApplyConfigurations)
		targets := generators.GetTargets(c, a)
		if reference {
			return targets
		}
		files, rest, err := renderTargets(c, s.Dir, targets)
		if err != nil {
			if progress != nil {
				fmt.Fprintf(progress, "%s: rendered by upstream: %v\n", Name, err)
			}
			return targets
		}
		for _, f := range files {
			if err := s.Add(Name, f.rel, f.data); err != nil && addErr == nil {
				addErr = err
			}
		}
		return rest
	})
	if err != nil {
		return err
	}
	return addErr
}
