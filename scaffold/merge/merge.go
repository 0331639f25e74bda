// Package merge is a three-way merge of text on lines, as diff3 does it:
// the changes from a common base to one side and to the other are found
// with a longest-common-subsequence diff; regions only one side changed
// take that side, regions both changed the same way take it once, and
// regions both changed differently become a conflict, written between
// standard markers.
package merge

import (
	"bytes"
)

// Markers of a conflict region, as git writes them with
// merge.conflictStyle=diff3.
const (
	MarkerOurs   = "<<<<<<< "
	MarkerBase   = "||||||| "
	MarkerSep    = "======="
	MarkerTheirs = ">>>>>>> "
)

// Labels name the three sides in the conflict markers.
type Labels struct {
	Ours, Base, Theirs string
}

// Conflict is one region both sides changed differently.
type Conflict struct {
	// Line is the 1-based line of the "<<<<<<<" marker in the result.
	Line int
	// EndLine is the line of the ">>>>>>>" marker.
	EndLine int
}

// Result is the outcome of a merge.
type Result struct {
	Data      []byte
	Conflicts []Conflict
}

// Clean reports whether the merge had no conflict.
func (r *Result) Clean() bool { return len(r.Conflicts) == 0 }

// Merge merges the changes from base to ours and from base to theirs.
func Merge(base, ours, theirs []byte, l Labels) *Result {
	b, o, t := SplitLines(base), SplitLines(ours), SplitLines(theirs)
	mo := matches(b, o)
	mt := matches(b, t)
	w := &writer{labels: l}
	i0, i1, i2 := 0, 0, 0
	for i0 < len(b) || i1 < len(o) || i2 < len(t) {
		// A stable run: base lines that both sides kept where they are.
		k := 0
		for i0+k < len(b) && mo[i0+k] == i1+k && mt[i0+k] == i2+k {
			k++
		}
		if k > 0 {
			w.lines(b[i0 : i0+k])
			i0, i1, i2 = i0+k, i1+k, i2+k
			continue
		}
		// The next base line both sides kept ends the unstable chunk.
		e0, e1, e2 := len(b), len(o), len(t)
		for j := i0; j < len(b); j++ {
			if mo[j] >= 0 && mt[j] >= 0 {
				e0, e1, e2 = j, mo[j], mt[j]
				break
			}
		}
		w.chunk(b[i0:e0], o[i1:e1], t[i2:e2])
		i0, i1, i2 = e0, e1, e2
	}
	return &Result{Data: w.buf.Bytes(), Conflicts: w.conflicts}
}

// SplitLines splits data into lines, each with its "\n"; the last line
// may lack one.
func SplitLines(data []byte) []string {
	var out []string
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			out = append(out, string(data))
			break
		}
		out = append(out, string(data[:i+1]))
		data = data[i+1:]
	}
	return out
}

type writer struct {
	buf       bytes.Buffer
	line      int
	labels    Labels
	conflicts []Conflict
}

func (w *writer) lines(ls []string) {
	for _, l := range ls {
		w.buf.WriteString(l)
		w.line++
	}
}

// marker writes a marker line, first ending the line before it if it
// had no newline (the last line of a file).
func (w *writer) marker(m, label string) {
	if w.buf.Len() > 0 && w.buf.Bytes()[w.buf.Len()-1] != '\n' {
		w.buf.WriteByte('\n')
	}
	w.buf.WriteString(m)
	if label != "" {
		if m == MarkerSep {
			w.buf.WriteByte(' ')
		}
		w.buf.WriteString(label)
	}
	w.buf.WriteByte('\n')
	w.line++
}

func (w *writer) chunk(b, o, t []string) {
	switch {
	case equal(o, b):
		w.lines(t)
		return
	case equal(t, b), equal(o, t):
		w.lines(o)
		return
	}
	// Lines both sides agree on at the edges of the region stay outside
	// the markers, so the conflict is as small as it can be.
	pre := 0
	for pre < len(o) && pre < len(t) && o[pre] == t[pre] {
		pre++
	}
	suf := 0
	for suf < len(o)-pre && suf < len(t)-pre && o[len(o)-1-suf] == t[len(t)-1-suf] {
		suf++
	}
	w.lines(o[:pre])
	c := Conflict{Line: w.line + 1}
	w.marker(MarkerOurs, w.labels.Ours)
	w.lines(o[pre : len(o)-suf])
	w.marker(MarkerBase, w.labels.Base)
	w.lines(b)
	w.marker(MarkerSep, "")
	w.lines(t[pre : len(t)-suf])
	w.marker(MarkerTheirs, w.labels.Theirs)
	c.EndLine = w.line
	w.conflicts = append(w.conflicts, c)
	w.lines(o[len(o)-suf:])
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// matches returns, for each line of a, the index of the line of b it is
// paired with in a longest common subsequence of the two, or -1.
func matches(a, b []string) []int {
	m := make([]int, len(a))
	for i := range m {
		m[i] = -1
	}
	// Common prefix and suffix pair up directly; the LCS runs on the rest.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		m[pre] = pre
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		m[len(a)-1-suf] = len(b) - 1 - suf
		suf++
	}
	for _, p := range lcs(a[pre:len(a)-suf], b[pre:len(b)-suf]) {
		m[pre+p[0]] = pre + p[1]
	}
	return m
}

// lcs returns the index pairs of a longest common subsequence of a and b,
// by Myers' O((N+M)D) greedy algorithm with the edit path kept.
func lcs(a, b []string) [][2]int {
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		return nil
	}
	max := n + m
	off := max
	v := make([]int, 2*max+2)
	var trace [][]int
	found := false
	for d := 0; d <= max && !found; d++ {
		snap := make([]int, len(v))
		copy(snap, v)
		trace = append(trace, snap)
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				found = true
				break
			}
		}
	}
	// Walk back from (n, m) through the snapshots: trace[d] holds the
	// furthest x on each diagonal before step d.
	var pairs [][2]int
	x, y := n, m
	for d := len(trace) - 1; d > 0; d-- {
		vd := trace[d]
		k := x - y
		prevK := k - 1
		if k == -d || (k != d && vd[off+k-1] < vd[off+k+1]) {
			prevK = k + 1
		}
		prevX := vd[off+prevK]
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x--
			y--
			pairs = append(pairs, [2]int{x, y})
		}
		x, y = prevX, prevY
	}
	for x > 0 && y > 0 {
		x--
		y--
		pairs = append(pairs, [2]int{x, y})
	}
	for i, j := 0, len(pairs)-1; i < j; i, j = i+1, j-1 {
		pairs[i], pairs[j] = pairs[j], pairs[i]
	}
	return pairs
}
