package scaffold

import (
	"io"

	"github.com/aggen-dev/aggen/generators/apidocs"
	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/generators/output"
)

// DocsOptions configure `aggen docs`.
type DocsOptions struct {
	Dir string
	// Out receives the report (may be nil).
	Out io.Writer
}

// Docs writes the project's API reference under docs/api, and nothing
// else: the pages whose bytes changed, and removes the pages of versions
// that are gone. It reads only the model, so it neither runs the upstream
// generators nor needs the generated code to be current. `aggen generate`
// writes the same pages.
func Docs(o DocsOptions) (*Plan, error) {
	p, err := loader.Load(o.Dir)
	if err != nil {
		if loader.IsInputError(err) {
			return nil, loader.Merge(err)
		}
		return nil, err
	}
	files, err := apidocs.Generate(nil, p)
	if err != nil {
		return nil, err
	}
	set := output.NewSet()
	set.Claim(apidocs.Places...)
	if err := set.Add(files...); err != nil {
		return nil, err
	}
	plan, err := NewPlan(o.Dir, set, false)
	if err != nil {
		return nil, err
	}
	if err := plan.Apply(nil); err != nil {
		return nil, err
	}
	out := o.Out
	if out == nil {
		out = io.Discard
	}
	plan.Report(out, "docs")
	return plan, nil
}
