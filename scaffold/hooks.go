package scaffold

import (
	"path"

	"github.com/aggen-dev/aggen/generators/controller"
	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/generators/markers"
	"github.com/aggen-dev/aggen/generators/model"
	"github.com/aggen-dev/aggen/generators/registry"
)

// checkHooks reports every hook function the generated strategies call
// that a kind's user-owned registry package no longer declares, with the
// position of the package's hooks file, before anything is written.
// A package with no user files yet is skipped: its hooks.go is scaffolded.
func checkHooks(dir string, p *model.Project) error {
	var errs loader.Errors
	for _, g := range p.Groups {
		for _, k := range g.Kinds {
			if k.Computed {
				// No strategy calls hooks; its source.go is the user's. A
				// reconciler would call generated helpers that a computed
				// kind does not get (it cannot be written).
				if k.Controller {
					errs = append(errs, &loader.InputError{Pos: k.Pos, Msg: "kind " + k.Name + " is +" + markers.Computed +
						" (read only): its reconciler " + controller.ControllerFile(g, k) + " has nothing to write; delete it"})
				}
				continue
			}
			_, rel, _ := registry.KindPackage(p, g, k)
			own, err := loader.ReadOwnFuncs(dir, rel, "hooks.go")
			if err != nil {
				return err
			}
			if own == nil || own.Unparsable {
				continue
			}
			for _, name := range registry.HookFuncs {
				if !own.Names[name] {
					errs = append(errs, &loader.InputError{Pos: own.Clause, Msg: "missing hook func " + name +
						" of kind " + k.Name + ": the generated strategy calls it (aggen scaffolded it in hooks.go); declare it in package " + path.Base(rel)})
				}
			}
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}
