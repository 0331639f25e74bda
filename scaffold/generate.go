package scaffold

import (
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/aggen-dev/aggen/generators"
	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/generators/output"
)

// GenerateOptions configure `aggen generate` and `aggen verify`.
type GenerateOptions struct {
	Dir string
	// Force rewrites user-owned files too.
	Force bool
	// Out receives the report; Progress the step lines (both may be nil).
	Out      io.Writer
	Progress io.Writer
	// Controllers names kinds ("group/Kind") to scaffold a reconciler for.
	Controllers map[string]bool
	// BeforeCommit is called after all files are staged and before any is
	// renamed into place; tests use it to inject a late failure.
	BeforeCommit func() error
	// Templates is the template set to render; nil is the running one.
	// Tests make projects of an older aggen with an older set.
	Templates fs.FS
}

func (o *GenerateOptions) out() io.Writer {
	if o.Out == nil {
		return io.Discard
	}
	return o.Out
}

// render runs every generator and plans the changes.
func render(o *GenerateOptions) (*generators.Result, *Plan, error) {
	res, err := renderFiles(o)
	if err != nil {
		return nil, nil, err
	}
	plan, err := NewPlan(o.Dir, res.Files, o.Force)
	if err != nil {
		return nil, nil, err
	}
	return res, plan, nil
}

// renderFiles runs every generator on the project at o.Dir and returns
// what they rendered, writing nothing. Every input error of the run (the
// loader type-checks the API packages as it builds the model) is reported
// together, once, sorted.
func renderFiles(o *GenerateOptions) (*generators.Result, error) {
	res, err := generators.Generate(o.Dir, generators.Options{
		Generators:  Generators(),
		Controllers: o.Controllers,
		Progress:    o.Progress,
		Templates:   o.Templates,
	})
	if err != nil {
		if loader.IsInputError(err) {
			return nil, loader.Merge(err)
		}
		return nil, err
	}
	if err := checkHooks(o.Dir, res.Project); err != nil {
		return nil, err
	}
	broken, warnings := orphans(o.Dir, res.Project, res.Files)
	if len(broken) > 0 {
		return nil, loader.Merge(broken)
	}
	res.Warnings = append(res.Warnings, warnings...)
	return res, nil
}

// warn prints what a run found that does not stop it.
func warn(out io.Writer, res *generators.Result) {
	for _, w := range res.Warnings {
		fmt.Fprintf(out, "warning: %s\n", w)
	}
}

// Generate regenerates the project at o.Dir: writes only files whose bytes
// changed, creates missing user-owned files, removes generated files that
// nothing produces any more. It returns the applied plan.
func Generate(o GenerateOptions) (*Plan, error) {
	res, plan, err := render(&o)
	if err != nil {
		return nil, err
	}
	warn(o.out(), res)
	if err := plan.recordScaffold(); err != nil {
		return nil, err
	}
	if err := plan.Apply(o.BeforeCommit); err != nil {
		return nil, err
	}
	plan.Report(o.out(), "generate")
	return plan, nil
}

// DriftError is returned by Verify when the tree is not current.
type DriftError struct {
	Stale, Missing, Extra []string
}

func (e *DriftError) Error() string {
	n := len(e.Stale) + len(e.Missing) + len(e.Extra)
	return fmt.Sprintf("%d generated file(s) out of date (%d stale, %d missing, %d extra): run `aggen generate`",
		n, len(e.Stale), len(e.Missing), len(e.Extra))
}

// Limits on the diffs verify prints, so a CI log stays readable however
// far the tree has drifted: lines per file, and lines in all.
const (
	diffLinesPerFile = 40
	diffLinesInAll   = 400
)

// Verify checks, writing nothing, that every generated file is current.
// It lists each stale, missing or extra file, sorted by path, with a
// short unified diff for the stale ones.
func Verify(o GenerateOptions) error {
	_, plan, err := render(&o)
	if err != nil {
		return err
	}
	drift := &DriftError{}
	budget, skipped := diffLinesInAll, 0
	for _, c := range plan.Drift() {
		switch {
		case c.Action == Update:
			drift.Stale = append(drift.Stale, c.Path)
			fmt.Fprintf(o.out(), "stale:   %s\n", c.Path)
			if budget <= 0 {
				skipped++
				continue
			}
			d := unifiedDiff(c.Path, c.Old, c.New, min(diffLinesPerFile, budget))
			budget -= strings.Count(d, "\n")
			fmt.Fprint(o.out(), indent(d))
		case c.Action == Create && c.Owner == output.Generated:
			drift.Missing = append(drift.Missing, c.Path)
			fmt.Fprintf(o.out(), "missing: %s\n", c.Path)
		case c.Action == Create:
			drift.Missing = append(drift.Missing, c.Path)
			fmt.Fprintf(o.out(), "missing: %s (user-owned; `aggen generate` scaffolds it)\n", c.Path)
		case c.Action == Delete:
			drift.Extra = append(drift.Extra, c.Path)
			fmt.Fprintf(o.out(), "extra:   %s (nothing generates it any more)\n", c.Path)
		}
	}
	if skipped > 0 {
		fmt.Fprintf(o.out(), "(diffs of %d more stale file(s) left out)\n", skipped)
	}
	if len(drift.Stale)+len(drift.Missing)+len(drift.Extra) > 0 {
		return drift
	}
	fmt.Fprintln(o.out(), "verify: all generated files are current")
	return nil
}

func indent(s string) string {
	if s == "" {
		return ""
	}
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "    " + l
	}
	return strings.Join(lines, "\n") + "\n"
}
