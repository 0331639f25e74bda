package markers

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	crdmarkers "sigs.k8s.io/controller-tools/pkg/crd/markers"
	ctloader "sigs.k8s.io/controller-tools/pkg/loader"
	ctmarkers "sigs.k8s.io/controller-tools/pkg/markers"

	"github.com/aggen-dev/aggen/generators/model"
)

// The CRD markers (+kubebuilder:validation:*, +kubebuilder:default,
// +optional, +listType, +kubebuilder:printcolumn, ...) are parsed by
// controller-tools' own definitions, so that a marker means in aggen
// exactly what it means to controller-gen: the same syntax (`:=`, quoting,
// the literal syntax of defaults) and the same typed value, whose
// ApplyToSchema is what the schema of the kind gets.

// ctTarget is controller-tools' name for a target.
func ctTarget(t Target) ctmarkers.TargetType {
	switch t {
	case OnPackage:
		return ctmarkers.DescribesPackage
	case OnType:
		return ctmarkers.DescribesType
	default:
		return ctmarkers.DescribesField
	}
}

func fromCTTarget(t ctmarkers.TargetType) Target {
	switch t {
	case ctmarkers.DescribesPackage:
		return OnPackage
	case ctmarkers.DescribesType:
		return OnType
	default:
		return OnField
	}
}

// WithCRDMarkers adds controller-tools' CRD marker definitions. Names that
// the registry already defines (+groupName) keep aggen's definition.
func (r *Registry) WithCRDMarkers() (*Registry, error) {
	reg := &ctmarkers.Registry{}
	if err := crdmarkers.Register(reg); err != nil {
		return nil, fmt.Errorf("registering controller-tools' CRD markers: %w", err)
	}
	r.crd = reg
	for _, d := range reg.AllDefinitions() {
		if r.defs[d.Name] != nil {
			continue
		}
		r.crdNames[d.Name] |= fromCTTarget(d.Target)
	}
	return r, nil
}

// CRDHelp returns controller-tools' help text of a CRD marker, or "".
func (r *Registry) CRDHelp(name string, target Target) string {
	if r.crd == nil {
		return ""
	}
	d := r.crd.Lookup("+"+name, ctTarget(target))
	if d == nil {
		return ""
	}
	if h := r.crd.HelpFor(d); h != nil {
		return h.Summary
	}
	return ""
}

// lookupCRD returns controller-tools' definition of the marker for the
// target, unless aggen defines the name itself.
func (r *Registry) lookupCRD(raw string, target Target) *ctmarkers.Definition {
	if r.crd == nil {
		return nil
	}
	d := r.crd.Lookup(raw, ctTarget(target))
	if d == nil || r.defs[d.Name] != nil {
		return nil
	}
	return d
}

// parseCRD parses a CRD marker; ok is false when body is not one.
func (r *Registry) parseCRD(body string, pos model.Position, target Target) (m *Marker, err error, ok bool) {
	raw := "+" + body
	def := r.lookupCRD(raw, target)
	if def == nil {
		for _, other := range []Target{OnPackage, OnType, OnField} {
			if other == target {
				continue
			}
			if d := r.lookupCRD(raw, other); d != nil {
				return nil, &Error{Pos: pos, Msg: fmt.Sprintf("marker %q belongs on a %s, not on a %s", "+"+d.Name, r.crdNames[d.Name], target)}, true
			}
		}
		return nil, nil, false
	}
	m, err = r.crdValue(def, body, pos)
	return m, err, true
}

// crdValue runs controller-tools' parser of def on the marker.
func (r *Registry) crdValue(def *ctmarkers.Definition, body string, pos model.Position) (m *Marker, err error) {
	defer func() {
		// The parser is not ours; a marker it chokes on is still only a
		// bad marker.
		if p := recover(); p != nil {
			m, err = nil, &Error{Pos: pos, Msg: fmt.Sprintf("marker %q cannot be parsed", "+"+def.Name)}
		}
	}()
	m = &Marker{Name: def.Name, Raw: "+" + body, Pos: pos, Vocabulary: model.CRDVocabulary}
	eq := strings.IndexByte(body, '=')
	if eq >= 0 {
		m.ValuePos = at(pos, eq+2)
		if def.Empty() && !def.AnonymousField() {
			return nil, &Error{Pos: pos, Msg: fmt.Sprintf("marker %q takes no value", "+"+def.Name)}
		}
	}
	val, err := def.Parse(m.Raw)
	if err != nil {
		where := pos
		if eq >= 0 {
			where = m.ValuePos
		}
		return nil, &Error{Pos: where, Msg: fmt.Sprintf("marker %q: %s", "+"+def.Name, crdParseError(err))}
	}
	m.Value = val
	m.ArgPos = argPositions(def, body, pos)
	return m, nil
}

// argPositions finds where each named argument of a struct-valued marker
// is written (`name=` after ':' or ','), so errors about one argument can
// point at it.
func argPositions(def *ctmarkers.Definition, body string, pos model.Position) map[string]model.Position {
	if def.AnonymousField() || def.Empty() {
		return nil
	}
	out := map[string]model.Position{}
	for name := range def.Fields {
		for i := 0; i < len(body); {
			j := strings.Index(body[i:], name+"=")
			if j < 0 {
				break
			}
			at0 := i + j
			if at0 > 0 && (body[at0-1] == ':' || body[at0-1] == ',') {
				out[name] = at(pos, at0+1)
				break
			}
			i = at0 + 1
		}
	}
	return out
}

// notNumber matches strconv's complaint about a value that is no number.
var notNumber = regexp.MustCompile(`strconv\.Parse(?:Float|Int): parsing ("[^"]*"): invalid syntax`)

// crdParseError turns controller-tools' scanner errors into one line.
func crdParseError(err error) string {
	var list ctloader.ErrList
	if errors.As(err, &list) {
		// controller-tools finds missing arguments by ranging over a map;
		// sorting them keeps aggen's output deterministic.
		var msgs, missing []string
		for _, e := range list {
			text := e.Error()
			var se *ctmarkers.ScannerError
			if errors.As(e, &se) {
				text = se.Msg
			}
			if text == `missing argument ""` {
				text = "needs a value"
			}
			if strings.HasPrefix(text, "missing argument") {
				missing = append(missing, text)
				continue
			}
			msgs = append(msgs, text)
		}
		sort.Strings(missing)
		return notNumber.ReplaceAllString(strings.Join(append(msgs, missing...), "; "), "$1 is not a number")
	}
	var se *ctmarkers.ScannerError
	if errors.As(err, &se) {
		return se.Msg
	}
	return notNumber.ReplaceAllString(strings.ReplaceAll(err.Error(), "\n", " "), "$1 is not a number")
}
