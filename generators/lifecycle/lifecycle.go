// Package lifecycle runs prerelease-lifecycle-gen as a library on the one
// parse: for every package tagged +k8s:prerelease-lifecycle-gen=true it
// writes the APILifecycleIntroduced/Deprecated/Removed/Replacement methods
// that k8s.io/apiserver reads to send deprecation warnings and to stop
// serving removed versions, as kube-apiserver does for built-in types.
//
// Markers read (package, then type):
//
//	+k8s:prerelease-lifecycle-gen=true
//	+k8s:prerelease-lifecycle-gen:introduced=1.30
//	+k8s:prerelease-lifecycle-gen:deprecated=1.33
//	+k8s:prerelease-lifecycle-gen:removed=1.36
//	+k8s:prerelease-lifecycle-gen:replacement=group,version,Kind
package lifecycle

import (
	"errors"
	"fmt"
	"regexp"

	"k8s.io/code-generator/cmd/prerelease-lifecycle-gen/args"
	generators "k8s.io/code-generator/cmd/prerelease-lifecycle-gen/prerelease-lifecycle-generators"
	"k8s.io/gengo/v2/generator"

	"github.com/aggen-dev/aggen/generators/codegen"
	"github.com/aggen-dev/aggen/generators/markers"
	"github.com/aggen-dev/aggen/generators/model"
)

// Name is the upstream generator's name.
const Name = "prerelease-lifecycle-gen"

// Tags are the tags a kind's list type takes from the kind in the staged
// copy: prerelease-lifecycle-gen wants them on both, and the list has no
// lifecycle of its own.
func Tags(p *model.Project) map[string]map[int][]string {
	out := map[string]map[int][]string{}
	for _, g := range p.Groups {
		for _, v := range g.Versions {
			for _, k := range v.Kinds {
				list := v.Type(k.ListName)
				if list == nil {
					continue
				}
				for _, name := range []string{markers.LifecycleIntroduced, markers.LifecycleDeprecated, markers.LifecycleRemoved, markers.LifecycleReplacement} {
					m := model.Find(k.Type.Parsed, name)
					if m == nil || model.Find(list.Parsed, name) != nil {
						continue
					}
					if out[list.Pos.File] == nil {
						out[list.Pos.File] = map[int][]string{}
					}
					out[list.Pos.File][list.Pos.Line] = append(out[list.Pos.File][list.Pos.Line], m.Raw)
				}
			}
		}
	}
	return out
}

// missingTag is prerelease-lifecycle-gen's complaint about one type.
var missingTag = regexp.MustCompile(`([\w./-]+)\.(\w+) (missing [^\n]*?)(?:\n|$)`)

// Run runs prerelease-lifecycle-gen on every package tagged for it.
func Run(s *codegen.Session, t codegen.Tree, p *model.Project) error {
	err := run(s, t)
	if err == nil {
		return nil
	}
	var errs []error
	for _, m := range missingTag.FindAllStringSubmatch(err.Error(), -1) {
		if typ := p.LookupType(m[1], m[2]); typ != nil {
			errs = append(errs, &model.Problem{Pos: typ.Pos, Msg: fmt.Sprintf("%s: type %s is %s", Name, m[2], m[3])})
		}
	}
	if len(errs) == 0 {
		return err
	}
	return errors.Join(errs...)
}

func run(s *codegen.Session, t codegen.Tree) error {
	a := args.New()
	return s.RunPerPackage(t, codegen.PerPackage{
		Name: Name, Tag: "+k8s:prerelease-lifecycle-gen=", OutputFile: "zz_generated.prerelease-lifecycle.go",
		AddFlags: a.AddFlags, Validate: a.Validate,
		Systems: generators.NameSystems(), Default: generators.DefaultNameSystem(),
		Targets: func(c *generator.Context) []generator.Target { return generators.GetTargets(c, a) },
	})
}
