// Package markers parses the `// +marker` comment lines that aggen reads.
//
// A marker is a comment line whose text starts with '+'. Three shapes exist:
//
//	+name                        a flag, e.g. +genclient
//	+name=value                  a single value, e.g. +kubebuilder:validation:Minimum=1
//	+name:key=value,key=value    named arguments, e.g. +kubebuilder:printcolumn:name=Age,type=date
//
// Markers in the namespaces aggen owns or polices (see Policed) must be
// known: an unknown or misspelled one is an error with a suggestion, never
// silently ignored. Markers of other namespaces are left alone.
package markers

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/aggen-dev/aggen/generators/model"
)

// Target is where a marker may appear.
type Target int

const (
	// OnPackage markers are in the package doc comment (doc.go).
	OnPackage Target = 1 << iota
	// OnType markers are in a type's doc comment.
	OnType
	// OnField markers are in a struct field's doc comment.
	OnField
)

func (t Target) String() string {
	var parts []string
	if t&OnPackage != 0 {
		parts = append(parts, "package")
	}
	if t&OnType != 0 {
		parts = append(parts, "type")
	}
	if t&OnField != 0 {
		parts = append(parts, "field")
	}
	return strings.Join(parts, " or ")
}

// ValueKind is the type of a marker's value or of one of its arguments.
type ValueKind int

const (
	// NoValue: the marker is a flag.
	NoValue ValueKind = iota
	// String values may be quoted with double quotes or bare.
	String
	// Int values are whole numbers.
	Int
	// Number values are integers or decimals.
	Number
	// Bool values are true or false; a bare flag means true.
	Bool
	// StringList values are separated by ';'.
	StringList
	// Raw values are kept as written (defaults are JSON or bare words).
	Raw
)

func (k ValueKind) String() string {
	switch k {
	case NoValue:
		return "no value"
	case String:
		return "a string"
	case Int:
		return "an integer"
	case Number:
		return "a number"
	case Bool:
		return "true or false"
	case StringList:
		return "a ;-separated list"
	default:
		return "a value"
	}
}

// Def declares one known marker.
type Def struct {
	Name    string
	Targets Target
	// Value is the kind of the `=value` form; NoValue for flags and for
	// markers that take named arguments.
	Value ValueKind
	// OptionalValue allows a flag form (e.g. +genclient and +genclient=false).
	OptionalValue bool
	// Args are the named arguments of the `:key=value,...` form.
	Args map[string]ValueKind
	// Required lists the arguments that must be present.
	Required []string
	// Repeatable markers may appear more than once on one target.
	Repeatable bool
}

// Marker is one parsed marker.
type Marker struct {
	Name string
	// Value holds the `=value` form, unquoted for strings.
	Value string
	// Args holds the named arguments, unquoted for strings.
	Args map[string]string
	Raw  string
	Pos  model.Position
}

// Arg returns a named argument.
func (m *Marker) Arg(key string) (string, bool) {
	v, ok := m.Args[key]
	return v, ok
}

// Error is a marker error with its position.
type Error struct {
	Pos        model.Position
	Msg        string
	Suggestion string
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s: %s", e.Pos, e.Msg)
	if e.Suggestion != "" {
		s += fmt.Sprintf(" (did you mean %s?)", e.Suggestion)
	}
	return s
}

// Policed reports whether a marker name falls in a namespace whose markers
// must all be known.
func Policed(name string) bool {
	for _, ns := range []string{"kubebuilder:", "aggen:", "genclient", "groupName", "k8s:deepcopy-gen", "k8s:conversion-gen", "k8s:defaulter-gen", "k8s:openapi-gen", "k8s:openapi-model-package"} {
		if name == strings.TrimSuffix(ns, ":") || strings.HasPrefix(name, ns) {
			return true
		}
	}
	return false
}

// Registry is the set of known markers.
type Registry struct {
	defs  map[string]*Def
	names []string
}

// NewRegistry returns a registry of the given definitions.
func NewRegistry(defs ...*Def) *Registry {
	r := &Registry{defs: map[string]*Def{}}
	for _, d := range defs {
		r.defs[d.Name] = d
		r.names = append(r.names, d.Name)
	}
	sort.Strings(r.names)
	return r
}

// Lookup returns the definition of name.
func (r *Registry) Lookup(name string) *Def { return r.defs[name] }

// IsMarker reports whether a comment line (without the leading //) is a
// marker line.
func IsMarker(text string) bool {
	t := strings.TrimSpace(text)
	return strings.HasPrefix(t, "+") && len(t) > 1 && t[1] != ' ' && t[1] != '+'
}

// Parse parses one marker line. text is the comment text after "//"; pos
// is the position of the '+'. Unknown markers outside the policed
// namespaces return (nil, nil).
func (r *Registry) Parse(text string, pos model.Position, target Target) (*Marker, error) {
	body := strings.TrimSpace(text)
	body = strings.TrimPrefix(body, "+")
	raw := "+" + body
	// The name ends at the first '=' or at the ':' that starts key=value
	// arguments; find the longest known name that prefixes it.
	nameEnd := len(body)
	if i := strings.IndexByte(body, '='); i >= 0 {
		nameEnd = i
	}
	head := body[:nameEnd]
	def, rest := r.match(body)
	if def == nil {
		if !Policed(head) {
			return nil, nil
		}
		// For arguments markers, the name is the part before the last
		// ':' that precedes '='.
		guess := head
		if i := strings.LastIndexByte(head, ':'); i >= 0 && nameEnd < len(body) && strings.Count(head, ":") > 1 {
			if r.defs[head[:i]] != nil {
				guess = head[:i]
			}
		}
		e := &Error{Pos: pos, Msg: fmt.Sprintf("unknown marker %q", "+"+guess)}
		e.Suggestion = r.suggest(guess)
		return nil, e
	}
	m := &Marker{Name: def.Name, Raw: raw, Pos: pos, Args: map[string]string{}}
	if def.Targets&target == 0 {
		return nil, &Error{Pos: pos, Msg: fmt.Sprintf("marker %q belongs on a %s, not on a %s", "+"+def.Name, def.Targets, target)}
	}
	switch {
	case rest == "":
		if def.Value != NoValue && !def.OptionalValue {
			return nil, &Error{Pos: pos, Msg: fmt.Sprintf("marker %q needs a value (%s)", "+"+def.Name, def.Value)}
		}
		for _, req := range def.Required {
			return nil, &Error{Pos: pos, Msg: fmt.Sprintf("marker %q needs argument %q", "+"+def.Name, req)}
		}
	case rest[0] == '=':
		if def.Value == NoValue && !def.OptionalValue {
			return nil, &Error{Pos: pos, Msg: fmt.Sprintf("marker %q takes no value", "+"+def.Name)}
		}
		kind := def.Value
		if kind == NoValue {
			kind = Bool
		}
		v, err := checkValue(rest[1:], kind)
		if err != nil {
			return nil, &Error{Pos: pos, Msg: fmt.Sprintf("marker %q: %v", "+"+def.Name, err)}
		}
		m.Value = v
	case rest[0] == ':':
		if len(def.Args) == 0 {
			return nil, &Error{Pos: pos, Msg: fmt.Sprintf("unknown marker %q", "+"+def.Name+strings.SplitN(rest, "=", 2)[0]), Suggestion: r.suggest(def.Name + strings.SplitN(rest, "=", 2)[0])}
		}
		args, err := splitArgs(rest[1:])
		if err != nil {
			return nil, &Error{Pos: pos, Msg: fmt.Sprintf("marker %q: %v", "+"+def.Name, err)}
		}
		for _, kv := range args {
			kind, ok := def.Args[kv[0]]
			if !ok {
				return nil, &Error{Pos: pos, Msg: fmt.Sprintf("marker %q has no argument %q", "+"+def.Name, kv[0]), Suggestion: suggestFrom(kv[0], keys(def.Args))}
			}
			if _, dup := m.Args[kv[0]]; dup {
				return nil, &Error{Pos: pos, Msg: fmt.Sprintf("marker %q repeats argument %q", "+"+def.Name, kv[0])}
			}
			v, err := checkValue(kv[1], kind)
			if err != nil {
				return nil, &Error{Pos: pos, Msg: fmt.Sprintf("marker %q argument %q: %v", "+"+def.Name, kv[0], err)}
			}
			m.Args[kv[0]] = v
		}
		for _, req := range def.Required {
			if _, ok := m.Args[req]; !ok {
				return nil, &Error{Pos: pos, Msg: fmt.Sprintf("marker %q needs argument %q", "+"+def.Name, req)}
			}
		}
	default:
		return nil, &Error{Pos: pos, Msg: fmt.Sprintf("malformed marker %q", raw)}
	}
	return m, nil
}

// match finds the longest registered name that body starts with, followed
// by the end, '=' or ':'.
func (r *Registry) match(body string) (*Def, string) {
	var best *Def
	for name, d := range r.defs {
		if !strings.HasPrefix(body, name) {
			continue
		}
		rest := body[len(name):]
		if rest != "" && rest[0] != '=' && rest[0] != ':' {
			continue
		}
		if best == nil || len(name) > len(best.Name) {
			best = d
		}
	}
	if best == nil {
		return nil, ""
	}
	return best, body[len(best.Name):]
}

func keys(m map[string]ValueKind) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (r *Registry) suggest(name string) string {
	if s := suggestFrom(name, r.names); s != "" {
		return "+" + s
	}
	// Suggest on the last segment alone: +kubebuilder:validation:Minimun → Minimum.
	return ""
}

// suggestFrom returns the candidate closest to name, or "" when none is
// close enough to be a likely typo.
func suggestFrom(name string, candidates []string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		d := distance(strings.ToLower(name), strings.ToLower(c))
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := len(name) / 3
	if limit < 2 {
		limit = 2
	}
	if bestDist < 0 || bestDist > limit {
		return ""
	}
	return best
}

// distance is the Levenshtein edit distance.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// splitArgs splits `a=1,b="x,y",c=p;q` into pairs, honouring quotes.
func splitArgs(s string) ([][2]string, error) {
	var out [][2]string
	for len(s) > 0 {
		eq := strings.IndexByte(s, '=')
		if eq <= 0 {
			return nil, fmt.Errorf("argument %q is not key=value", s)
		}
		key := s[:eq]
		if strings.ContainsAny(key, ",\" ") {
			return nil, fmt.Errorf("argument %q is not key=value", key)
		}
		s = s[eq+1:]
		var val string
		if strings.HasPrefix(s, `"`) {
			end := closingQuote(s)
			if end < 0 {
				return nil, fmt.Errorf("argument %q has an unterminated quote", key)
			}
			val = s[:end+1]
			s = s[end+1:]
			if s != "" && s[0] != ',' {
				return nil, fmt.Errorf("argument %q: text after closing quote", key)
			}
		} else {
			comma := strings.IndexByte(s, ',')
			if comma < 0 {
				val, s = s, ""
			} else {
				val, s = s[:comma], s[comma:]
			}
		}
		out = append(out, [2]string{key, val})
		s = strings.TrimPrefix(s, ",")
	}
	return out, nil
}

func closingQuote(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

// checkValue validates v against kind and returns it unquoted where that
// applies.
func checkValue(v string, kind ValueKind) (string, error) {
	switch kind {
	case Raw:
		if v == "" {
			return "", fmt.Errorf("empty value")
		}
		return v, nil
	case String, StringList:
		if strings.HasPrefix(v, `"`) {
			u, err := strconv.Unquote(v)
			if err != nil {
				return "", fmt.Errorf("bad quoted string %s", v)
			}
			return u, nil
		}
		return v, nil
	case Int:
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return "", fmt.Errorf("%q is not an integer", v)
		}
		return v, nil
	case Number:
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return "", fmt.Errorf("%q is not a number", v)
		}
		return v, nil
	case Bool:
		if v != "true" && v != "false" {
			return "", fmt.Errorf("%q is not true or false", v)
		}
		return v, nil
	}
	return v, nil
}
