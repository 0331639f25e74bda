package merge

import (
	"math/rand"
	"strings"
	"testing"
)

func lines(s ...string) string {
	if len(s) == 0 {
		return ""
	}
	return strings.Join(s, "\n") + "\n"
}

var labels = Labels{Ours: "ours", Base: "base", Theirs: "theirs"}

func TestMerge(t *testing.T) {
	for _, tc := range []struct {
		name               string
		base, ours, theirs string
		want               string
		conflicts          []Conflict
	}{
		{name: "nothing changed", base: lines("a", "b"), ours: lines("a", "b"), theirs: lines("a", "b"), want: lines("a", "b")},
		{name: "only ours", base: lines("a", "b", "c"), ours: lines("a", "B", "c"), theirs: lines("a", "b", "c"), want: lines("a", "B", "c")},
		{name: "only theirs", base: lines("a", "b", "c"), ours: lines("a", "b", "c"), theirs: lines("a", "b", "c", "d"), want: lines("a", "b", "c", "d")},
		{name: "both, apart",
			base:   lines("a", "b", "c", "d", "e"),
			ours:   lines("A", "b", "c", "d", "e"),
			theirs: lines("a", "b", "c", "d", "E", "f"),
			want:   lines("A", "b", "c", "d", "E", "f")},
		{name: "same change on both sides",
			base: lines("a", "b", "c"), ours: lines("a", "x", "c"), theirs: lines("a", "x", "c"), want: lines("a", "x", "c")},
		{name: "ours deletes, theirs edits elsewhere",
			base: lines("a", "b", "c", "d"), ours: lines("a", "c", "d"), theirs: lines("a", "b", "c", "D"), want: lines("a", "c", "D")},
		{name: "insertions at different places",
			base:   lines("func a() {}", "", "func b() {}"),
			ours:   lines("// A", "func a() {}", "", "func b() {}"),
			theirs: lines("func a() {}", "", "func b() {}", "", "func c() {}"),
			want:   lines("// A", "func a() {}", "", "func b() {}", "", "func c() {}")},
		{name: "conflict",
			base: lines("a", "b", "c"), ours: lines("a", "B1", "c"), theirs: lines("a", "B2", "c"),
			want:      lines("a", "<<<<<<< ours", "B1", "||||||| base", "b", "=======", "B2", ">>>>>>> theirs", "c"),
			conflicts: []Conflict{{Line: 2, EndLine: 8}}},
		{name: "insertions at the same place conflict",
			base: lines("a", "c"), ours: lines("a", "x", "c"), theirs: lines("a", "y", "c"),
			want:      lines("a", "<<<<<<< ours", "x", "||||||| base", "=======", "y", ">>>>>>> theirs", "c"),
			conflicts: []Conflict{{Line: 2, EndLine: 7}}},
		{name: "conflict keeps the agreed edges outside the markers",
			base: lines("a", "b", "c"), ours: lines("a", "same", "B1", "end", "c"), theirs: lines("a", "same", "B2", "end", "c"),
			want:      lines("a", "same", "<<<<<<< ours", "B1", "||||||| base", "b", "=======", "B2", ">>>>>>> theirs", "end", "c"),
			conflicts: []Conflict{{Line: 3, EndLine: 9}}},
		{name: "two conflicts",
			base: lines("a", "b", "c", "d", "e"), ours: lines("A1", "b", "c", "d", "E1"), theirs: lines("A2", "b", "c", "d", "E2"),
			want: lines("<<<<<<< ours", "A1", "||||||| base", "a", "=======", "A2", ">>>>>>> theirs", "b", "c", "d",
				"<<<<<<< ours", "E1", "||||||| base", "e", "=======", "E2", ">>>>>>> theirs"),
			conflicts: []Conflict{{Line: 1, EndLine: 7}, {Line: 11, EndLine: 17}}},
		{name: "empty base, same files", base: "", ours: lines("x"), theirs: lines("x"), want: lines("x")},
		{name: "empty base, different files",
			base: "", ours: lines("x"), theirs: lines("y"),
			want:      lines("<<<<<<< ours", "x", "||||||| base", "=======", "y", ">>>>>>> theirs"),
			conflicts: []Conflict{{Line: 1, EndLine: 6}}},
		{name: "theirs deleted everything, ours unchanged", base: lines("a", "b"), ours: lines("a", "b"), theirs: "", want: ""},
		{name: "no final newline",
			base: "a\nb", ours: "a\nB1", theirs: "a\nB2",
			want:      "a\n<<<<<<< ours\nB1\n||||||| base\nb\n=======\nB2\n>>>>>>> theirs\n",
			conflicts: []Conflict{{Line: 2, EndLine: 8}}},
		{name: "final newline added by ours only", base: "a\nb", ours: "a\nb\n", theirs: "x\na\nb", want: "x\na\nb\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Merge([]byte(tc.base), []byte(tc.ours), []byte(tc.theirs), labels)
			if string(got.Data) != tc.want {
				t.Errorf("merged:\n%s\nwant:\n%s", got.Data, tc.want)
			}
			if len(got.Conflicts) != len(tc.conflicts) {
				t.Fatalf("conflicts %v, want %v", got.Conflicts, tc.conflicts)
			}
			for i := range tc.conflicts {
				if got.Conflicts[i] != tc.conflicts[i] {
					t.Errorf("conflict %d at %v, want %v", i, got.Conflicts[i], tc.conflicts[i])
				}
			}
			// Every reported position holds its marker.
			ls := SplitLines(got.Data)
			for _, c := range got.Conflicts {
				if !strings.HasPrefix(ls[c.Line-1], MarkerOurs) || !strings.HasPrefix(ls[c.EndLine-1], MarkerTheirs) {
					t.Errorf("conflict %v does not point at its markers", c)
				}
			}
		})
	}
}

// TestLCS checks the diff against a dynamic-programming LCS length on
// random inputs, and that its pairs are a common subsequence.
func TestLCS(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	gen := func() []string {
		n := rng.Intn(30)
		out := make([]string, n)
		for i := range out {
			out[i] = string(rune('a' + rng.Intn(4)))
		}
		return out
	}
	for i := 0; i < 2000; i++ {
		a, b := gen(), gen()
		pairs := lcs(a, b)
		pi, pj := -1, -1
		for _, p := range pairs {
			if p[0] <= pi || p[1] <= pj || a[p[0]] != b[p[1]] {
				t.Fatalf("lcs(%q, %q) = %v: not a common subsequence", a, b, pairs)
			}
			pi, pj = p[0], p[1]
		}
		if want := lcsLen(a, b); len(pairs) != want {
			t.Fatalf("lcs(%q, %q) has %d pairs, want %d", a, b, len(pairs), want)
		}
	}
}

func lcsLen(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

// TestMergeProperties: merging a side with an unchanged other side gives
// that side, for random edits.
func TestMergeProperties(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for i := 0; i < 500; i++ {
		base := randomText(rng)
		edited := edit(rng, base)
		if got := Merge([]byte(base), []byte(edited), []byte(base), labels); string(got.Data) != edited || !got.Clean() {
			t.Fatalf("ours-only merge of\n%q\n%q\ngave %q", base, edited, got.Data)
		}
		if got := Merge([]byte(base), []byte(base), []byte(edited), labels); string(got.Data) != edited || !got.Clean() {
			t.Fatalf("theirs-only merge of\n%q\n%q\ngave %q", base, edited, got.Data)
		}
		if got := Merge([]byte(base), []byte(edited), []byte(edited), labels); string(got.Data) != edited || !got.Clean() {
			t.Fatalf("same-edit merge of\n%q\n%q\ngave %q", base, edited, got.Data)
		}
	}
}

func randomText(rng *rand.Rand) string {
	var sb strings.Builder
	for n := rng.Intn(20); n > 0; n-- {
		sb.WriteString(string(rune('a'+rng.Intn(5))) + "\n")
	}
	return sb.String()
}

func edit(rng *rand.Rand, s string) string {
	ls := SplitLines([]byte(s))
	for n := rng.Intn(4); n > 0; n-- {
		switch i := rng.Intn(len(ls) + 1); {
		case i < len(ls) && rng.Intn(2) == 0:
			ls = append(ls[:i], ls[i+1:]...)
		default:
			ls = append(ls[:i], append([]string{"new" + string(rune('0'+rng.Intn(10))) + "\n"}, ls[i:]...)...)
		}
	}
	return strings.Join(ls, "")
}
