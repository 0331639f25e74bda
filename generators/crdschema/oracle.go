package crdschema

import (
	"fmt"
	"os"
	"path"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-tools/pkg/crd"
	crdmarkers "sigs.k8s.io/controller-tools/pkg/crd/markers"
	ctloader "sigs.k8s.io/controller-tools/pkg/loader"
	ctmarkers "sigs.k8s.io/controller-tools/pkg/markers"

	"github.com/aggen-dev/aggen/generators/model"
)

// Oracle returns the CRDs controller-gen makes from the version packages
// of the project in dir, by group-kind ("Bee.insects.example.com"). It
// loads the packages from source with controller-tools' own loader, which
// is slow (about a second), so generation does not use it; tests do.
func Oracle(dir string, p *model.Project) (map[string]*apiextensionsv1.CustomResourceDefinition, error) {
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

// FillFromOracle sets Kind.Schema of every kind of every version from the
// CRDs Oracle returns.
func FillFromOracle(dir string, p *model.Project) error {
	crds, err := Oracle(dir, p)
	if err != nil {
		return err
	}
	for _, g := range p.Groups {
		for _, v := range g.Versions {
			for _, k := range v.Kinds {
				c := crds[schema.GroupKind{Group: g.GroupName, Kind: k.Name}.String()]
				if c == nil {
					return fmt.Errorf("controller-tools made no CRD for %s in %s", k.Name, path.Base(v.Dir))
				}
				for _, cv := range c.Spec.Versions {
					if cv.Name == v.Name && cv.Schema != nil {
						k.Schema = cv.Schema.OpenAPIV3Schema.DeepCopy()
					}
				}
			}
		}
	}
	return nil
}
