package importer

import (
	"fmt"
	"sort"
	"strings"
)

// Report is the migration report: what was carried over, what was
// changed on the way, and what was not carried over, with positions in
// the source.
type Report struct {
	Source     string
	Carried    []Item
	Changed    []Item
	Replaced   []Item
	NotCarried []Item
}

// Item is one entry of the report.
type Item struct {
	// Path is a source file, or Pos a position in one.
	Path, Pos string
	// To is where a carried file went.
	To  string
	Why string
	// Details are positions inside a file not carried over.
	Details []Item
}

func (r *Report) carried(path, to string) {
	r.Carried = append(r.Carried, Item{Path: path, To: to})
}

func (r *Report) changed(pos, why string) {
	r.Changed = append(r.Changed, Item{Pos: pos, Why: why})
}

func (r *Report) replaced(path, why string) {
	r.Replaced = append(r.Replaced, Item{Path: path, Why: why})
}

func (r *Report) notCarried(path, why string) {
	r.NotCarried = append(r.NotCarried, Item{Path: path, Why: why})
}

// NotCarriedFile reports a file the command left behind.
func (r *Report) NotCarriedFile(path, why string) { r.notCarried(path, why) }

// Change reports a change made on the way.
func (r *Report) Change(pos, why string) { r.changed(pos, why) }

// Replace reports a source file whose role a file of the project took.
func (r *Report) Replace(path, why string) { r.replaced(path, why) }

func (r *Report) detail(path, pos, what string) {
	for i := range r.NotCarried {
		if r.NotCarried[i].Path == path {
			r.NotCarried[i].Details = append(r.NotCarried[i].Details, Item{Pos: pos, Why: what})
			return
		}
	}
}

func (r *Report) sort() {
	for _, l := range [][]Item{r.Carried, r.Replaced, r.NotCarried} {
		sort.SliceStable(l, func(i, j int) bool { return l[i].Path < l[j].Path })
	}
	sort.SliceStable(r.Changed, func(i, j int) bool { return lessPos(r.Changed[i].Pos, r.Changed[j].Pos) })
}

// Sort orders every list by path or position.
func (r *Report) Sort() { r.sort() }

// lessPos orders file:line:col positions by file, then line, then column.
func lessPos(a, b string) bool {
	fa, la, ca := splitPos(a)
	fb, lb, cb := splitPos(b)
	if fa != fb {
		return fa < fb
	}
	if la != lb {
		return la < lb
	}
	return ca < cb
}

func splitPos(p string) (string, int, int) {
	var line, col int
	parts := strings.Split(p, ":")
	if len(parts) >= 3 {
		fmt.Sscan(parts[len(parts)-2], &line)
		fmt.Sscan(parts[len(parts)-1], &col)
		return strings.Join(parts[:len(parts)-2], ":"), line, col
	}
	return p, 0, 0
}

// Markdown renders the report. Positions are relative to the source,
// which the first line names.
func (r *Report) Markdown() []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# Import report\n\nImported from %s by `aggen import`. Positions (file:line:col) are in that source.\n", r.Source)
	fmt.Fprintf(&b, "\n## Not carried over (%d)\n\nPort these by hand, or leave them behind.\n\n", len(r.NotCarried))
	for _, it := range r.NotCarried {
		fmt.Fprintf(&b, "- %s: %s\n", it.Path, it.Why)
		for _, d := range it.Details {
			fmt.Fprintf(&b, "  - %s: %s\n", d.Pos, d.Why)
		}
	}
	fmt.Fprintf(&b, "\n## Changed on the way (%d)\n\n", len(r.Changed))
	for _, it := range r.Changed {
		fmt.Fprintf(&b, "- %s: %s\n", it.Pos, it.Why)
	}
	fmt.Fprintf(&b, "\n## Replaced by what aggen generates (%d)\n\n", len(r.Replaced))
	for _, it := range r.Replaced {
		fmt.Fprintf(&b, "- %s: %s\n", it.Path, it.Why)
	}
	fmt.Fprintf(&b, "\n## Carried over (%d)\n\n", len(r.Carried))
	for _, it := range r.Carried {
		fmt.Fprintf(&b, "- %s -> %s\n", it.Path, it.To)
	}
	return []byte(b.String())
}
