package markers

import (
	"fmt"
	"sort"
	"strings"
)

// Reference renders the marker vocabulary as Markdown: every marker aggen
// knows, where it goes and what it does, the markers it refuses with the
// reason, and the ones it leaves to other tools. docs/markers.md embeds it
// and a test keeps the two equal, so the documentation is the registry.
func (r *Registry) Reference() string {
	var b strings.Builder
	b.WriteString("### aggen's own markers and the upstream generators' tags\n\n")
	b.WriteString("| marker | on | value |\n| --- | --- | --- |\n")
	for _, n := range r.names {
		d := r.defs[n]
		val := d.Value.String()
		if len(d.Args) > 0 {
			val = "arguments " + strings.Join(keys(d.Args), ", ")
		}
		if len(d.OneOf) > 0 {
			val = "one of " + strings.Join(d.OneOf, ", ")
		}
		if d.OptionalValue {
			val += " (optional)"
		}
		fmt.Fprintf(&b, "| `+%s` | %s | %s |\n", n, d.Targets, val)
	}
	b.WriteString("\n### CRD markers (controller-tools' definitions, controller-gen's meaning)\n\n")
	b.WriteString("| marker | on | what it does |\n| --- | --- | --- |\n")
	var crd []string
	for n := range r.crdNames {
		crd = append(crd, n)
	}
	sort.Strings(crd)
	for _, n := range crd {
		t := r.crdNames[n]
		help := ""
		for _, target := range []Target{OnField, OnType, OnPackage} {
			if t&target != 0 && help == "" {
				help = r.CRDHelp(n, target)
			}
		}
		if why, ok := r.unsupported[n]; ok {
			help = "**refused**: " + why
		}
		fmt.Fprintf(&b, "| `+%s` | %s | %s |\n", n, t, oneLine(help))
	}
	b.WriteString("\n### Declarative validation tags (validation-gen)\n\n")
	b.WriteString("| tag | on | value |\n| --- | --- | --- |\n")
	for _, d := range declarativeTags {
		val := d.Payload
		switch {
		case val == "":
			val = "none"
		case val == "tag":
			val = "another tag"
		}
		fmt.Fprintf(&b, "| `+%s` | %s | %s |\n", d.Name, d.Targets, val)
	}
	b.WriteString("\n### Refused, with the reason\n\n")
	for _, n := range sortedKeys(r.unsupported) {
		fmt.Fprintf(&b, "- `+%s`: %s\n", n, r.unsupported[n])
	}
	b.WriteString("\n### Left to other tools (accepted, no effect in aggen)\n\n")
	var pass []string
	for n := range r.passThrough {
		pass = append(pass, "`+"+n+"`")
	}
	sort.Strings(pass)
	b.WriteString(strings.Join(pass, ", ") + "\n")
	return b.String()
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.ReplaceAll(s, "|", "\\|")
}
