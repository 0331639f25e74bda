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
	"slices"
	"sort"
	"strconv"
	"strings"

	ctmarkers "sigs.k8s.io/controller-tools/pkg/markers"

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
	// OnConstant markers are in a constant's doc comment (+k8s:enumExclude).
	OnConstant
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
	if t&OnConstant != 0 {
		parts = append(parts, "constant")
	}
	return strings.Join(parts, " or ")
}

// ValueKind is the type of a marker's value or of one of its arguments.
type ValueKind int

const (
	// NoValue: the marker is a flag.
	NoValue ValueKind = iota
	// String values may be bare, or quoted with double quotes (Go
	// escapes) or backquotes (as written).
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
	// OneOf, when set, lists the only values the `=value` form takes.
	OneOf []string
}

// Marker is one parsed marker; the model keeps them on types and fields.
type Marker = model.Marker

// Error is a marker error with its position.
type Error struct {
	Pos        model.Position
	Msg        string
	Suggestion string
}

// Position is where the problem is.
func (e *Error) Position() model.Position { return e.Pos }

func (e *Error) Error() string {
	s := fmt.Sprintf("%s: %s", e.Pos, e.Msg)
	if e.Suggestion != "" {
		s += fmt.Sprintf(" (did you mean %s?)", e.Suggestion)
	}
	return s
}

// policedNamespaces are the marker namespaces whose every marker must be
// known. A trailing ':' means "this prefix"; otherwise the name itself and
// anything that continues it (genclient, genclient:noStatus, ...).
var policedNamespaces = []string{"kubebuilder:", "aggen:", "genclient", "groupName", "k8s:"}

// Policed reports whether a marker name falls in a namespace whose markers
// must all be known.
func Policed(name string) bool {
	for _, ns := range policedNamespaces {
		if name == strings.TrimSuffix(ns, ":") || strings.HasPrefix(name, ns) {
			return true
		}
	}
	return false
}

// Registry is the set of known markers: aggen's own and the upstream code
// generators' (Def), controller-tools' CRD markers, and validation-gen's
// declarative tags.
type Registry struct {
	defs  map[string]*Def
	names []string
	// unsupported are markers that other tools understand and aggen
	// deliberately does not, with the reason.
	unsupported map[string]string
	// crd holds controller-tools' definitions of the CRD markers; their
	// parsing and their effect on the schema are controller-gen's own.
	crd *ctmarkers.Registry
	// crdNames lists the CRD markers' names with the targets each takes.
	crdNames map[string]Target
	// passThrough are un-namespaced markers of other tools that aggen
	// leaves alone (strategic merge patch, protobuf, ...).
	passThrough map[string]bool
}

// NewRegistry returns a registry of the given definitions.
func NewRegistry(defs ...*Def) *Registry {
	r := &Registry{defs: map[string]*Def{}, unsupported: map[string]string{}, crdNames: map[string]Target{}, passThrough: map[string]bool{}}
	for _, d := range defs {
		r.defs[d.Name] = d
		r.names = append(r.names, d.Name)
	}
	sort.Strings(r.names)
	return r
}

// Unsupported records markers that are recognised but not implemented, so
// that their error says so instead of suggesting a spelling.
func (r *Registry) Unsupported(reasons map[string]string) *Registry {
	for name, why := range reasons {
		r.unsupported[name] = why
	}
	return r
}

// PassThrough records un-namespaced markers of other tools that aggen
// neither reads nor reports.
func (r *Registry) PassThrough(names ...string) *Registry {
	for _, n := range names {
		r.passThrough[n] = true
	}
	return r
}

// Lookup returns the definition of name.
func (r *Registry) Lookup(name string) *Def { return r.defs[name] }

// Names returns every known marker name, sorted.
func (r *Registry) Names() []string {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, n := range r.names {
		add(n)
	}
	for n := range r.crdNames {
		add(n)
	}
	for _, d := range declarativeTags {
		add(d.Name)
	}
	sort.Strings(out)
	return out
}

// IsMarker reports whether a comment line (without the leading //) is a
// marker line.
func IsMarker(text string) bool {
	t := strings.TrimSpace(text)
	return strings.HasPrefix(t, "+") && len(t) > 1 && t[1] != ' ' && t[1] != '+'
}

// at returns the position offset bytes to the right of the '+' at pos.
func at(pos model.Position, offset int) model.Position {
	if pos.Line == 0 || pos.Column == 0 {
		return pos
	}
	pos.Column += offset
	return pos
}

// Parse parses one marker line. text is the comment text after "//"; pos
// is the position of the '+'. Unknown markers outside the policed
// namespaces return (nil, nil).
func (r *Registry) Parse(text string, pos model.Position, target Target) (*Marker, error) {
	body := strings.TrimPrefix(strings.TrimSpace(text), "+")
	raw := "+" + body
	// off maps an index into body to a column offset from the '+'.
	off := func(i int) int { return i + 1 }
	if err := r.refused(body, pos); err != nil {
		return nil, err
	}
	def, rest := r.match(body)
	if def == nil {
		if m, err, ok := r.parseDeclarative(body, pos, target); ok {
			return m, err
		}
		if m, err, ok := r.parseCRD(body, pos, target); ok {
			return m, err
		}
		return nil, r.unknown(body, pos)
	}
	m := &Marker{Name: def.Name, Raw: raw, Value: "", Pos: pos, Args: map[string]string{}, ArgPos: map[string]model.Position{}, Vocabulary: model.AggenVocabulary}
	name := "+" + def.Name
	if def.Targets&target == 0 {
		return nil, &Error{Pos: pos, Msg: fmt.Sprintf("marker %q belongs on a %s, not on a %s", name, def.Targets, target)}
	}
	restAt := len(def.Name) // index of rest in body
	switch {
	case rest == "":
		if def.Value != NoValue && !def.OptionalValue {
			return nil, &Error{Pos: pos, Msg: fmt.Sprintf("marker %q needs a value (%s), as in %s=...", name, def.Value, name)}
		}
		if len(def.Required) > 0 {
			return nil, &Error{Pos: pos, Msg: fmt.Sprintf("marker %q needs argument%s %s", name, plural(len(def.Required)), quoteList(def.Required))}
		}
	case rest[0] == '=':
		if len(def.Args) > 0 {
			return nil, &Error{Pos: pos, Msg: fmt.Sprintf("marker %q takes arguments, as in %s:%s=...", name, name, firstArg(def))}
		}
		if def.Value == NoValue && !def.OptionalValue {
			return nil, &Error{Pos: pos, Msg: fmt.Sprintf("marker %q takes no value", name)}
		}
		kind := def.Value
		if kind == NoValue {
			kind = Bool
		}
		m.ValuePos = at(pos, off(restAt+1))
		v, err := checkValue(rest[1:], kind)
		if err != nil {
			return nil, &Error{Pos: m.ValuePos, Msg: fmt.Sprintf("marker %q: %v", name, err)}
		}
		if len(def.OneOf) > 0 && !slices.Contains(def.OneOf, v) {
			return nil, &Error{Pos: m.ValuePos, Msg: fmt.Sprintf("marker %q: %q is not one of %s", name, v, quoteList(def.OneOf)), Suggestion: suggestFrom(v, def.OneOf)}
		}
		m.Value = v
	default: // rest[0] == ':', guaranteed by match
		if len(def.Args) == 0 {
			return nil, r.unknown(body, pos)
		}
		args, err := splitArgs(rest[1:])
		if err != nil {
			return nil, &Error{Pos: at(pos, off(restAt+1+err.at)), Msg: fmt.Sprintf("marker %q: %s", name, err.msg)}
		}
		for _, a := range args {
			apos := at(pos, off(restAt+1+a.at))
			kind, ok := def.Args[a.key]
			if !ok {
				e := &Error{Pos: apos, Msg: fmt.Sprintf("marker %q has no argument %q; it takes %s", name, a.key, quoteList(keys(def.Args)))}
				if s := suggestFrom(a.key, keys(def.Args)); s != "" {
					e.Suggestion = s
				}
				return nil, e
			}
			if _, dup := m.Args[a.key]; dup {
				return nil, &Error{Pos: apos, Msg: fmt.Sprintf("marker %q repeats argument %q", name, a.key)}
			}
			v, err := checkValue(a.value, kind)
			if err != nil {
				return nil, &Error{Pos: apos, Msg: fmt.Sprintf("marker %q argument %q: %v", name, a.key, err)}
			}
			m.Args[a.key] = v
			m.ArgPos[a.key] = apos
		}
		var missing []string
		for _, req := range def.Required {
			if _, ok := m.Args[req]; !ok {
				missing = append(missing, req)
			}
		}
		if len(missing) > 0 {
			return nil, &Error{Pos: pos, Msg: fmt.Sprintf("marker %q needs argument%s %s", name, plural(len(missing)), quoteList(missing))}
		}
	}
	return m, nil
}

// unknown reports a marker that no definition matches, or nil when it is
// outside the policed namespaces.
func (r *Registry) unknown(body string, pos model.Position) error {
	head := body
	if i := strings.IndexByte(body, '='); i >= 0 {
		head = body[:i]
	}
	if i := strings.IndexByte(head, '('); i >= 0 {
		head = head[:i]
	}
	if r.passedThrough(head) {
		return nil
	}
	if !Policed(head) {
		return r.plainTypo(head, pos)
	}
	// `+name:key` with no value, where name takes arguments.
	if i := strings.LastIndexByte(head, ':'); i > 0 && len(head) == len(body) {
		if short := head[:i]; r.takesArgs(short) {
			example := "+" + head + "=..."
			if q := strconv.Quote(example); q[1:len(q)-1] != example {
				// A control character (a newline) would split the message.
				example = q
			}
			return &Error{Pos: pos, Msg: fmt.Sprintf("marker %q: argument %q needs a value, as in %s", "+"+short, head[i+1:], example)}
		}
	}
	// In `+name:key=value`, the name is head without its last segment;
	// in `+name=value` it is head. Say the one closer to a known marker.
	name, suggestion := head, r.suggest(head)
	if i := strings.LastIndexByte(head, ':'); i > 0 && len(head) < len(body) {
		short := head[:i]
		if s := r.suggest(short); s != "" && (suggestion == "" || distance(short, s) < distance(head, suggestion)) {
			name, suggestion = short, s
		}
	}
	e := &Error{Pos: pos, Msg: fmt.Sprintf("unknown marker %q", "+"+name)}
	if suggestion != "" {
		e.Suggestion = "+" + suggestion
	}
	return e
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

func firstArg(d *Def) string {
	if len(d.Required) > 0 {
		return d.Required[0]
	}
	return keys(d.Args)[0]
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

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func keys(m map[string]ValueKind) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// suggest returns the known marker name closest to name, or "".
func (r *Registry) suggest(name string) string {
	return suggestFrom(name, r.Names())
}

// passedThrough reports whether a marker belongs to one that aggen leaves
// to other tools: the name itself or one of its arguments' forms.
func (r *Registry) passedThrough(head string) bool {
	for n := range r.passThrough {
		if head == n || strings.HasPrefix(head, n+":") {
			return true
		}
	}
	return false
}

// takesArgs reports whether name is a marker with named arguments.
func (r *Registry) takesArgs(name string) bool {
	if d := r.defs[name]; d != nil {
		return len(d.Args) > 0
	}
	for _, t := range []Target{OnPackage, OnType, OnField} {
		if d := r.lookupCRD("+"+name, t); d != nil && d.Name == name && !d.AnonymousField() && !d.Empty() {
			return true
		}
	}
	return false
}

// refused reports a marker that aggen recognises and deliberately does not
// support, with the reason.
func (r *Registry) refused(body string, pos model.Position) error {
	head := body
	if i := strings.IndexAny(body, "=("); i >= 0 {
		head = body[:i]
	}
	head = strings.TrimSuffix(head, ":")
	for _, u := range sortedKeys(r.unsupported) {
		if head == u || strings.HasPrefix(head, u+":") {
			return &Error{Pos: pos, Msg: fmt.Sprintf("marker %q is not supported by aggen: %s", "+"+u, r.unsupported[u])}
		}
	}
	return nil
}

// plainTypo reports an un-namespaced marker one edit away from a known
// un-namespaced one (+optinal, +requried, +listtype): such a marker is
// almost certainly a mistake, and silently ignoring it would change what
// is required or how a list merges. Markers of other tools are left alone.
func (r *Registry) plainTypo(head string, pos model.Position) error {
	if r.passThrough[head] || strings.ContainsAny(head, ":.") {
		return nil
	}
	var plain []string
	for n := range r.crdNames {
		if !strings.Contains(n, ":") {
			plain = append(plain, n)
		}
	}
	sort.Strings(plain)
	for _, n := range plain {
		if n != head && distance(strings.ToLower(head), strings.ToLower(n)) <= 1 {
			return &Error{Pos: pos, Msg: fmt.Sprintf("unknown marker %q", "+"+head), Suggestion: "+" + n}
		}
	}
	return nil
}

// Suggest returns the known marker closest to name (without '+'), or ""
// when none is close enough to be a likely typo.
func (r *Registry) Suggest(name string) string { return r.suggest(name) }

// suggestFrom returns the candidate closest to name, or "" when none is
// close enough to be a likely typo. Case differences and the swap of two
// neighbouring letters count as one edit or less; the allowance is a
// third of the name's last ':'-separated segment, at least two, so that
// markers sharing a long namespace are not all "close" to each other.
// Ties go to the earliest candidate; callers pass them sorted.
func suggestFrom(name string, candidates []string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		d := distance(strings.ToLower(name), strings.ToLower(c))
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	seg := name[strings.LastIndexByte(name, ':')+1:]
	limit := max(2, len([]rune(seg))/3)
	if bestDist < 0 || bestDist > limit || best == name {
		return ""
	}
	return best
}

// distance is the optimal string alignment distance between a and b, in
// runes: insertions, deletions, substitutions and transpositions of
// neighbours each cost one.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	rows := make([][]int, len(ra)+1)
	for i := range rows {
		rows[i] = make([]int, len(rb)+1)
		rows[i][0] = i
	}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d := min(rows[i-1][j]+1, rows[i][j-1]+1, rows[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d = min(d, rows[i-2][j-2]+1)
			}
			rows[i][j] = d
		}
	}
	return rows[len(ra)][len(rb)]
}

// arg is one key=value of the arguments form; at is the byte offset of
// the key in the argument text.
type arg struct {
	key, value string
	at         int
}

// argError is a syntax error in the arguments, at a byte offset.
type argError struct {
	msg string
	at  int
}

// splitArgs splits `a=1,b="x,y",c=p;q` into pairs, honouring quotes.
func splitArgs(s string) ([]arg, *argError) {
	var out []arg
	i := 0
	for {
		start := i
		eq := strings.IndexByte(s[i:], '=')
		comma := strings.IndexByte(s[i:], ',')
		if eq < 0 || (comma >= 0 && comma < eq) {
			end := len(s)
			if comma >= 0 {
				end = i + comma
			}
			return nil, &argError{msg: fmt.Sprintf("argument %q is not key=value", s[i:end]), at: start}
		}
		key := s[i : i+eq]
		if key == "" || strings.ContainsAny(key, "\" \t;:") {
			return nil, &argError{msg: fmt.Sprintf("argument %q is not key=value", s[i:i+eq+1]), at: start}
		}
		i += eq + 1
		var val string
		if strings.HasPrefix(s[i:], "`") {
			end := strings.IndexByte(s[i+1:], '`')
			if end < 0 {
				return nil, &argError{msg: fmt.Sprintf("argument %q has an unterminated quote", key), at: start}
			}
			val = s[i : i+end+2]
			i += end + 2
			if i < len(s) && s[i] != ',' {
				return nil, &argError{msg: fmt.Sprintf("argument %q: text after the closing quote", key), at: start}
			}
		} else if strings.HasPrefix(s[i:], `"`) {
			end := closingQuote(s[i:])
			if end < 0 {
				return nil, &argError{msg: fmt.Sprintf("argument %q has an unterminated quote", key), at: start}
			}
			val = s[i : i+end+1]
			i += end + 1
			if i < len(s) && s[i] != ',' {
				return nil, &argError{msg: fmt.Sprintf("argument %q: text after the closing quote", key), at: start}
			}
		} else {
			c := strings.IndexByte(s[i:], ',')
			if c < 0 {
				val, i = s[i:], len(s)
			} else {
				val, i = s[i:i+c], i+c
			}
		}
		out = append(out, arg{key: key, value: val, at: start})
		if i >= len(s) {
			return out, nil
		}
		i++ // the comma
		if i >= len(s) {
			return nil, &argError{msg: "trailing ','", at: i - 1}
		}
	}
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
		if len(v) >= 2 && strings.HasPrefix(v, "`") && strings.HasSuffix(v, "`") {
			v = v[1 : len(v)-1]
		} else if strings.HasPrefix(v, "`") {
			return "", fmt.Errorf("bad quoted string %q", v)
		} else if strings.HasPrefix(v, `"`) {
			u, err := strconv.Unquote(v)
			if err != nil {
				return "", fmt.Errorf("bad quoted string %q", v)
			}
			v = u
		}
		if v == "" {
			return "", fmt.Errorf("empty value")
		}
		if kind == StringList {
			for _, item := range strings.Split(v, ";") {
				if item == "" {
					return "", fmt.Errorf("empty item in list %q", v)
				}
			}
		}
		return v, nil
	case Int:
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return "", fmt.Errorf("%q is not an integer", v)
		}
		return v, nil
	case Number:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f != f || f > 1e308 || f < -1e308 {
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
