package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/test/upstream"
)

// TestManualConversionIsNamed renames a field in one version so that
// conversion-gen cannot convert it. generate must then fail as on any
// input error (exit 3), writing nothing, and name with positions the
// exact functions to write and the file to put them in; verify must fail
// the same way. Once they are written, generate succeeds and the project
// builds.
func TestManualConversionIsNamed(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generators and builds")
	}
	dir := t.TempDir()
	if err := upstream.CopyTree("../../examples/insects", dir); err != nil {
		t.Fatal(err)
	}
	types := filepath.Join(dir, "pkg/apis/insects/v1alpha1/bee_types.go")
	b, err := os.ReadFile(types)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), "	Description string `json:\"description,omitempty\"`", "	Summary string `json:\"summary,omitempty\"`", 1)
	s = strings.ReplaceAll(s, "JSONPath=.spec.description", "JSONPath=.spec.summary")
	if err := os.WriteFile(types, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	before := treeState(t, dir)
	for _, cmd := range []string{"generate", "verify"} {
		out, code := aggen(t, dir, cmd)
		if code != 3 {
			t.Errorf("aggen %s with conversions missing: exit %d, want 3\n%s", cmd, code, out)
		}
		for _, want := range []string{
			"pkg/apis/insects/v1alpha1/bee_types.go:33:2: conversion: BeeSpec.Summary cannot be converted to insects.BeeSpec automatically; write func Convert_v1alpha1_BeeSpec_To_insects_BeeSpec(in *BeeSpec, out *insects.BeeSpec, s conversion.Scope) error in pkg/apis/insects/v1alpha1/conversion.go (it may call autoConvert_v1alpha1_BeeSpec_To_insects_BeeSpec, which aggen generates, for the fields that do convert)",
			"pkg/apis/insects/v1alpha1/bee_types.go:23:6: conversion: insects.BeeSpec.Description cannot be converted to BeeSpec automatically; write func Convert_insects_BeeSpec_To_v1alpha1_BeeSpec(in *insects.BeeSpec, out *BeeSpec, s conversion.Scope) error in pkg/apis/insects/v1alpha1/conversion.go",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("aggen %s output lacks\n  %s\ngot:\n%s", cmd, want, out)
			}
		}
		if d := treeDiff(before, treeState(t, dir)); len(d) > 0 {
			t.Errorf("aggen %s with conversions missing changed the project:\n%s", cmd, strings.Join(d, "\n"))
		}
	}
	conv := `package v1alpha1

import (
	"k8s.io/apimachinery/pkg/conversion"

	"github.com/aggen-dev/aggen/examples/insects/pkg/apis/insects"
)

func Convert_v1alpha1_BeeSpec_To_insects_BeeSpec(in *BeeSpec, out *insects.BeeSpec, s conversion.Scope) error {
	if err := autoConvert_v1alpha1_BeeSpec_To_insects_BeeSpec(in, out, s); err != nil {
		return err
	}
	out.Description = in.Summary
	return nil
}

func Convert_insects_BeeSpec_To_v1alpha1_BeeSpec(in *insects.BeeSpec, out *BeeSpec, s conversion.Scope) error {
	if err := autoConvert_insects_BeeSpec_To_v1alpha1_BeeSpec(in, out, s); err != nil {
		return err
	}
	out.Summary = in.Description
	return nil
}
`
	if err := os.WriteFile(filepath.Join(dir, "pkg/apis/insects/v1alpha1/conversion.go"), []byte(conv), 0o644); err != nil {
		t.Fatal(err)
	}
	mustAggen(t, dir, "generate")
	goCmd(t, dir, "build", "./...")
	mustAggen(t, dir, "verify")
}
