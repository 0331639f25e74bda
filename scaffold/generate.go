package scaffold

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/aggen-dev/aggen/generators"
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
}

func (o *GenerateOptions) out() io.Writer {
	if o.Out == nil {
		return io.Discard
	}
	return o.Out
}

// render runs every generator and plans the changes.
func render(o *GenerateOptions) (*generators.Result, *Plan, error) {
	res, err := generators.Generate(o.Dir, generators.Options{
		Generators:  Generators(),
		Controllers: o.Controllers,
		Progress:    o.Progress,
	})
	if err != nil {
		return nil, nil, err
	}
	plan, err := NewPlan(o.Dir, res.Files, o.Force)
	if err != nil {
		return nil, nil, err
	}
	return res, plan, nil
}

// Generate regenerates the project at o.Dir: writes only files whose bytes
// changed, creates missing user-owned files, removes generated files that
// nothing produces any more. It returns the applied plan.
func Generate(o GenerateOptions) (*Plan, error) {
	res, plan, err := render(&o)
	if err != nil {
		return nil, err
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(o.out(), "warning: %s\n", w)
	}
	if err := plan.Apply(o.BeforeCommit); err != nil {
		return nil, err
	}
	counts := map[Action]int{}
	for _, c := range plan.Pending() {
		counts[c.Action]++
		fmt.Fprintf(o.out(), "%-7s %s\n", c.Action, c.Path)
	}
	fmt.Fprintf(o.out(), "generate: %d created, %d updated, %d deleted, %d unchanged\n",
		counts[Create], counts[Update], counts[Delete], countAction(plan, Unchanged))
	return plan, nil
}

func countAction(p *Plan, a Action) int {
	n := 0
	for _, c := range p.Changes {
		if c.Action == a {
			n++
		}
	}
	return n
}

// DriftError is returned by Verify when the tree is not current.
type DriftError struct {
	Stale, Missing, Extra []string
}

func (e *DriftError) Error() string {
	n := len(e.Stale) + len(e.Missing) + len(e.Extra)
	return fmt.Sprintf("%d generated file(s) out of date: run `aggen generate`", n)
}

// Verify checks, writing nothing, that every generated file is current.
func Verify(o GenerateOptions) error {
	_, plan, err := render(&o)
	if err != nil {
		return err
	}
	drift := &DriftError{}
	for _, c := range plan.Drift() {
		switch {
		case c.Action == Update:
			drift.Stale = append(drift.Stale, c.Path)
			fmt.Fprintf(o.out(), "stale:   %s\n", c.Path)
			fmt.Fprint(o.out(), indent(unifiedDiff(c.Path, c.Old, c.New, 40)))
		case c.Action == Create && c.Owner == output.Generated:
			drift.Missing = append(drift.Missing, c.Path)
			fmt.Fprintf(o.out(), "missing: %s\n", c.Path)
		case c.Action == Create:
			drift.Missing = append(drift.Missing, c.Path)
			fmt.Fprintf(o.out(), "missing: %s (user-owned; `aggen generate` scaffolds it)\n", c.Path)
		case c.Action == Delete:
			drift.Extra = append(drift.Extra, c.Path)
			fmt.Fprintf(o.out(), "extra:   %s\n", c.Path)
		}
	}
	if len(drift.Stale)+len(drift.Missing)+len(drift.Extra) > 0 {
		sort.Strings(drift.Stale)
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
