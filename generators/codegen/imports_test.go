package codegen

import (
	"errors"
	"testing"
)

func TestImportBlock(t *testing.T) {
	block, self, err := ImportBlock([]string{
		`v1 "k8s.io/apimachinery/pkg/apis/meta/v1"`,
		`fmt "fmt"`,
		`own "example.com/p/pkg/apis/g/v1"`,
		`conversion "k8s.io/apimachinery/pkg/conversion"`,
	}, "example.com/p/pkg/apis/g/v1")
	want := "import (\n\tfmt \"fmt\"\n\n\tv1 \"k8s.io/apimachinery/pkg/apis/meta/v1\"\n\tconversion \"k8s.io/apimachinery/pkg/conversion\"\n)\n\n"
	if err != nil || !self || block != want {
		t.Errorf("ImportBlock = %q, %v, %v; want %q, true, nil", block, self, err, want)
	}
	if block, self, err := ImportBlock(nil, "p"); block != "" || self || err != nil {
		t.Errorf("no imports: %q, %v, %v", block, self, err)
	}
	for _, bad := range []string{`"k8s.io/api/core/v1"`, `1v "k8s.io/api/core/v1"`, `v1 k8s.io/api/core/v1`} {
		var le *ImportLineError
		if _, _, err := ImportBlock([]string{bad}, "p"); !errors.As(err, &le) {
			t.Errorf("ImportBlock(%q): %v, want an ImportLineError", bad, err)
		}
	}
}
