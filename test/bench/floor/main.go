// Command floor is the least any generator of a project's API packages
// must do: load ./pkg/apis/... with go/packages, parsing and
// type-checking only the API packages, their dependencies' types read
// from export data, plus the few library packages whose doc comments and
// tags the generators read (the ones every kube_codegen.sh run adds to
// openapi-gen's inputs, and conversion for conversion-gen's). The
// generate benchmark times it beside aggen.
package main

import (
	"fmt"
	"os"

	"golang.org/x/tools/go/packages"

	"github.com/aggen-dev/aggen/generators/openapi"
)

func main() {
	dir := "."
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
			packages.NeedImports | packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo,
		Dir: dir,
		Env: append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOPACKAGESDRIVER=off"),
	}
	patterns := append([]string{"./pkg/apis/..."}, openapi.LibraryInputs...)
	patterns = append(patterns, "k8s.io/apimachinery/pkg/conversion")
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	if packages.PrintErrors(pkgs) > 0 {
		os.Exit(1)
	}
	fmt.Println(len(pkgs), "packages")
}
