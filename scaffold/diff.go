package scaffold

import (
	"fmt"
	"strings"

	"github.com/pmezard/go-difflib/difflib"
)

// unifiedDiff renders a short unified diff from what is on disk to what
// would be generated, cut after maxLines lines.
func unifiedDiff(name string, old, new []byte, maxLines int) string {
	return diffText(name, old, new, "on disk", "generated", maxLines)
}

// diffText is unifiedDiff with the two sides named.
func diffText(name string, old, new []byte, from, to string, maxLines int) string {
	text, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A:        difflib.SplitLines(string(old)),
		B:        difflib.SplitLines(string(new)),
		FromFile: name + " (" + from + ")",
		ToFile:   name + " (" + to + ")",
		Context:  2,
	})
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) > maxLines {
		rest := len(lines) - maxLines
		lines = append(lines[:maxLines], fmt.Sprintf("... (%d more diff lines)", rest))
	}
	return strings.Join(lines, "\n") + "\n"
}
