// Package controllergen makes the CRDs controller-gen makes from a
// project's API packages, with controller-tools as a library: the
// reference the semantics of aggen's CRD markers are tested against. It
// is for tests and benchmarks; aggen itself never links it, since
// controller-tools' CRD package costs every command its package
// initialisation (gobuffalo/flect's inflection tables).
package controllergen

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/controller-tools/pkg/crd"
	crdmarkers "sigs.k8s.io/controller-tools/pkg/crd/markers"
	ctloader "sigs.k8s.io/controller-tools/pkg/loader"
	ctmarkers "sigs.k8s.io/controller-tools/pkg/markers"

	"github.com/aggen-dev/aggen/generators/model"
)

// CRDs returns the CRDs controller-gen makes from the version packages
// of the project in dir, by group-kind ("Bee.insects.example.com"). It
// loads the packages from source with controller-tools' own loader, which
// is slow (about a second), so generation does not use it; tests do.
func CRDs(dir string, p *model.Project) (map[string]*apiextensionsv1.CustomResourceDefinition, error) {
	var patterns []string
	for _, g := range p.Groups {
		for _, v := range g.Versions {
			patterns = append(patterns, "./"+v.Dir)
		}
	}
	if len(patterns) == 0 {
		return nil, nil
	}
	// -mod=mod lets go.mod gain the modules the API packages import, as
	// aggen's own loading does.
	env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	roots, err := ctloader.LoadRootsWithConfig(&packages.Config{Dir: dir, Env: env}, patterns...)
	if err != nil {
		return nil, fmt.Errorf("loading the API packages for controller-tools: %w", err)
	}
	reg := &ctmarkers.Registry{}
	if err := crdmarkers.Register(reg); err != nil {
		return nil, err
	}
	parser := &crd.Parser{Collector: &ctmarkers.Collector{Registry: reg}, Checker: &ctloader.TypeChecker{}}
	crd.AddKnownTypes(parser)
	for _, r := range roots {
		parser.NeedPackage(r)
	}
	out := map[string]*apiextensionsv1.CustomResourceDefinition{}
	meta := crd.FindMetav1(roots)
	if meta == nil {
		return out, nil
	}
	for _, gk := range crd.FindKubeKinds(parser, meta) {
		parser.NeedCRDFor(gk, nil)
		c, ok := parser.CustomResourceDefinitions[gk]
		if !ok {
			continue
		}
		crd.FixTopLevelMetadata(c)
		out[gk.String()] = c.DeepCopy()
	}
	var errs []string
	for _, r := range roots {
		for _, e := range r.Errors {
			// Storage versions are aggen's business, not the schema's;
			// names that register-gen has not written yet (GroupName)
			// do not change a schema.
			if strings.Contains(e.Msg, "has no storage version") || strings.Contains(e.Msg, "undefined: ") {
				continue
			}
			errs = append(errs, e.Error())
		}
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return out, fmt.Errorf("controller-tools: %s", strings.Join(errs, "; "))
	}
	return out, nil
}
