package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/test/upstream"
)

// TestManualConversionIsNamed renames a field in one version so that
// conversion-gen cannot convert it, and checks that generate names the
// exact functions to write and the file to put them in, and that writing
// them there makes the warning go away and the project build.
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
	out := mustAggen(t, dir, "generate")
	for _, want := range []string{
		"warning: conversion: pkg/apis/insects/v1alpha1/conversion.go: write func Convert_v1alpha1_BeeSpec_To_insects_BeeSpec(in *BeeSpec, out *insects.BeeSpec, s conversion.Scope) error { ... } (fields needing manual conversion: Summary)",
		"warning: conversion: pkg/apis/insects/v1alpha1/conversion.go: write func Convert_insects_BeeSpec_To_v1alpha1_BeeSpec(in *insects.BeeSpec, out *BeeSpec, s conversion.Scope) error { ... } (fields needing manual conversion: Description)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("generate output lacks\n  %s\ngot:\n%s", want, out)
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
	out = mustAggen(t, dir, "generate")
	if strings.Contains(out, "warning: conversion") {
		t.Errorf("conversion warning remains after writing the functions:\n%s", out)
	}
	goCmd(t, dir, "build", "./...")
}
