package markers

import (
	"fmt"
	"sort"
	"strings"

	"k8s.io/gengo/v2/codetags"

	"github.com/aggen-dev/aggen/generators/model"
)

// The +k8s: declarative validation tags are validation-gen's: aggen runs
// validation-gen on every package that carries one, and the generated
// strategies call its output, as kube-apiserver does for built-in types.
// Here they are only recognised, placed and syntax-checked; tags that
// controller-tools also knows (+k8s:required, +k8s:minimum, +k8s:listType,
// ...) get its typed value too, so the kind's schema carries them as a CRD
// made by controller-gen would.

// declarativeTag describes one of validation-gen's tags.
type declarativeTag struct {
	Name string
	// Targets are where the tag may be written directly.
	Targets Target
	// Payload is the kind of value: "" (none), "tag" (another tag),
	// "string", "int" or "raw".
	Payload string
	// PayloadRequired is true when the tag needs a value.
	PayloadRequired bool
}

// IsDeclarative reports whether name is one of validation-gen's tags.
func IsDeclarative(name string) bool { return findDeclarative(name) != nil }

func findDeclarative(name string) *declarativeTag {
	i := sort.Search(len(declarativeTags), func(i int) bool { return declarativeTags[i].Name >= name })
	if i < len(declarativeTags) && declarativeTags[i].Name == name {
		return &declarativeTags[i]
	}
	return nil
}

// tagName is the name part of a +k8s: tag: up to '(', '=' or the end.
func tagName(body string) string {
	if i := strings.IndexAny(body, "(= \t"); i >= 0 {
		return body[:i]
	}
	return body
}

// parseDeclarative parses a validation-gen tag; ok is false when body is
// not one.
func (r *Registry) parseDeclarative(body string, pos model.Position, target Target) (m *Marker, err error, ok bool) {
	name := tagName(body)
	d := findDeclarative(name)
	if d == nil {
		return nil, nil, false
	}
	if d.Targets&target == 0 {
		return nil, &Error{Pos: pos, Msg: fmt.Sprintf("marker %q belongs on a %s, not on a %s", "+"+name, d.Targets, target)}, true
	}
	if err := checkTag(body, pos); err != nil {
		return nil, err, true
	}
	m = &Marker{Name: name, Raw: "+" + body, Pos: pos, Vocabulary: model.DeclarativeVocabulary}
	if eq := strings.IndexByte(body, '='); eq >= 0 {
		m.ValuePos = at(pos, eq+2)
	}
	if def := r.lookupCRD("+"+body, target); def != nil && def.Name == name {
		cm, err := r.crdValue(def, body, pos)
		if err != nil {
			return nil, err, true
		}
		m.Value = cm.Value
	}
	return m, nil, true
}

// checkTag checks the syntax of a tag and of the tags it carries as its
// value (+k8s:eachVal=+k8s:minimum=1), and that every one of them is known.
func checkTag(body string, pos model.Position) error {
	t, err := codetags.Parse(body)
	if err != nil {
		return &Error{Pos: pos, Msg: fmt.Sprintf("marker %q: %v", "+"+tagName(body), err)}
	}
	for depth := 0; ; depth++ {
		d := findDeclarative(t.Name)
		if d == nil {
			e := &Error{Pos: pos, Msg: fmt.Sprintf("unknown marker %q", "+"+t.Name)}
			names := make([]string, len(declarativeTags))
			for i, dt := range declarativeTags {
				names[i] = dt.Name
			}
			if s := suggestFrom(t.Name, names); s != "" {
				e.Suggestion = "+" + s
			}
			return e
		}
		switch {
		case d.PayloadRequired && t.ValueType == codetags.ValueTypeNone:
			return &Error{Pos: pos, Msg: fmt.Sprintf("marker %q needs a value", "+"+t.Name)}
		case d.Payload == "tag" && t.ValueType != codetags.ValueTypeTag && t.ValueType != codetags.ValueTypeNone:
			return &Error{Pos: pos, Msg: fmt.Sprintf("marker %q takes another tag as its value, as in +%s=+k8s:...", "+"+t.Name, t.Name)}
		case d.Payload == "" && t.ValueType != codetags.ValueTypeNone:
			return &Error{Pos: pos, Msg: fmt.Sprintf("marker %q takes no value", "+"+t.Name)}
		case d.Payload == "int" && t.ValueType != codetags.ValueTypeInt:
			return &Error{Pos: pos, Msg: fmt.Sprintf("marker %q: %q is not an integer", "+"+t.Name, t.Value)}
		}
		if t.ValueTag == nil || depth > 8 {
			return nil
		}
		t = *t.ValueTag
	}
}
