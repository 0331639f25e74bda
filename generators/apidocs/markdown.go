package apidocs

import (
	"strings"
)

// Markdown helpers. Pages are read on code hosts (GitHub Flavored
// Markdown): table cells cannot hold a raw '|' or a line break, and a '<'
// outside code may start an HTML tag that the host then strips.

// code writes s as a code span, with a fence longer than any run of
// backticks inside it.
func code(s string) string {
	longest, run := 0, 0
	for _, c := range s {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || s == "" {
		s = " " + s + " "
	}
	return fence + s + fence
}

// segment is a piece of text: code (a complete code span, fences
// included) or prose.
type segment struct {
	text string
	code bool
}

// split cuts Markdown text into prose and code spans, as CommonMark finds
// them: a run of backticks opens a span that the next run of the same
// length closes; an unmatched run is prose.
func split(s string) []segment {
	var out []segment
	prose := strings.Builder{}
	for i := 0; i < len(s); {
		if s[i] != '`' {
			prose.WriteByte(s[i])
			i++
			continue
		}
		n := 0
		for i+n < len(s) && s[i+n] == '`' {
			n++
		}
		end := closing(s, i+n, n)
		if end < 0 {
			prose.WriteString(s[i : i+n])
			i += n
			continue
		}
		if prose.Len() > 0 {
			out = append(out, segment{text: prose.String()})
			prose.Reset()
		}
		out = append(out, segment{text: s[i : end+n], code: true})
		i = end + n
	}
	if prose.Len() > 0 {
		out = append(out, segment{text: prose.String()})
	}
	return out
}

// closing finds the run of exactly n backticks at or after from, or -1.
func closing(s string, from, n int) int {
	for j := from; j < len(s); {
		if s[j] != '`' {
			j++
			continue
		}
		m := 0
		for j+m < len(s) && s[j+m] == '`' {
			m++
		}
		if m == n {
			return j
		}
		j += m
	}
	return -1
}

// prose escapes what would turn prose into HTML.
func prose(s string) string {
	// Two replacements, not a strings.Replacer: building one for every
	// cell of every table cost more than all the rest of the page.
	return strings.ReplaceAll(strings.ReplaceAll(s, "<", "&lt;"), ">", "&gt;")
}

// block is a description as paragraphs outside a table.
func block(s string) string {
	var b strings.Builder
	for _, seg := range split(strings.TrimSpace(s)) {
		if seg.code {
			b.WriteString(seg.text)
		} else {
			b.WriteString(prose(seg.text))
		}
	}
	return b.String()
}

// cell is Markdown text made fit for one table cell: paragraphs become
// <br><br>, other line breaks spaces, and every '|' is escaped (inside
// code spans too, where the host's table parser sees it first).
func cell(s string) string {
	var b strings.Builder
	for _, seg := range split(strings.TrimSpace(s)) {
		if seg.code {
			b.WriteString(strings.ReplaceAll(strings.ReplaceAll(seg.text, "\n", " "), "|", `\|`))
			continue
		}
		t := prose(seg.text)
		t = strings.ReplaceAll(t, "|", `\|`)
		paras := strings.Split(t, "\n\n")
		for i, p := range paras {
			paras[i] = strings.Join(strings.Fields(p), " ")
			if strings.HasPrefix(p, " ") || strings.HasPrefix(p, "\n") {
				paras[i] = " " + paras[i]
			}
			if strings.HasSuffix(p, " ") || strings.HasSuffix(p, "\n") {
				paras[i] += " "
			}
		}
		b.WriteString(strings.Join(paras, "<br><br>"))
	}
	return strings.TrimSpace(b.String())
}

// table writes a Markdown table.
func table(b *strings.Builder, header []string, rows [][]string) {
	b.WriteString("| " + strings.Join(header, " | ") + " |\n")
	b.WriteString("|" + strings.Repeat(" --- |", len(header)) + "\n")
	for _, r := range rows {
		b.WriteString("|")
		for _, c := range r {
			if c == "" {
				b.WriteString(" |")
				continue
			}
			b.WriteString(" " + c + " |")
		}
		b.WriteString("\n")
	}
}

// anchor is the fragment a code host gives a heading that is a Go
// identifier: the identifier in lower case.
func anchor(name string) string { return strings.ToLower(name) }
