package differential

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/aggen-dev/aggen/generators/model"
)

// Outcome is what a server answered to one create.
type Outcome struct {
	Code int
	// Reason is the Status reason of an error (Invalid, BadRequest, ...).
	Reason string
	// Fields are the field paths of the Status causes, sorted, without
	// duplicates.
	Fields []string
	// Object is the object returned on success, without the fields the
	// server sets on every create.
	Object map[string]any
	// Message is the error's message, for the report only.
	Message string
}

// OK reports whether the object was accepted.
func (o Outcome) OK() bool { return o.Code >= 200 && o.Code < 300 }

// parseOutcome reads a response to a create.
func parseOutcome(code int, body []byte) (Outcome, error) {
	o := Outcome{Code: code}
	if o.OK() {
		if err := json.Unmarshal(body, &o.Object); err != nil {
			return o, fmt.Errorf("decode object: %w: %s", err, body)
		}
		normalizeObject(o.Object)
		return o, nil
	}
	var st struct {
		Reason  string `json:"reason"`
		Message string `json:"message"`
		Details struct {
			Causes []struct {
				Field string `json:"field"`
			} `json:"causes"`
		} `json:"details"`
	}
	if err := json.Unmarshal(body, &st); err != nil {
		return o, fmt.Errorf("decode status (HTTP %d): %w: %s", code, err, body)
	}
	o.Reason, o.Message = st.Reason, st.Message
	seen := map[string]bool{}
	for _, c := range st.Details.Causes {
		f := normalizeField(c.Field)
		if !seen[f] {
			seen[f] = true
			o.Fields = append(o.Fields, f)
		}
	}
	sort.Strings(o.Fields)
	return o, nil
}

// normalizeField drops list indexes and map keys from a field path, so
// that the two servers' paths compare by the field they name: "spec.a[0].b"
// and "spec.a[0].b" alike become "spec.a.b"; the paths of the corpus
// have at most one item per list.
func normalizeField(f string) string {
	var b strings.Builder
	depth := 0
	for _, r := range f {
		switch {
		case r == '[':
			depth++
		case r == ']':
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// normalizeObject drops what differs between any two creates: the
// group of apiVersion and the metadata the server sets.
func normalizeObject(obj map[string]any) {
	delete(obj, "apiVersion")
	if m, ok := obj["metadata"].(map[string]any); ok {
		for _, k := range []string{"uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink"} {
			delete(m, k)
		}
	}
}

// Verdict is the comparison of one object.
type Verdict struct {
	// Documented holds the rows of the differences table the divergences
	// were tied to; empty with Disagreement empty is an agreement.
	Documented []Difference
	// Disagreement says what diverged that no row explains.
	Disagreement string
}

// Agree reports whether the servers agreed.
func (v Verdict) Agree() bool { return len(v.Documented) == 0 && v.Disagreement == "" }

// fieldInfo is what the Go types say about the field at a JSON path.
type fieldInfo struct {
	found     bool
	omitempty bool
	pointer   bool
	// typ is the Go type of the field's value, "" where unknown.
	typ string
	// hasDefault: a +default tag (defaulter-gen's default).
	hasDefault bool
	// alwaysPresent: encoding/json writes the field whatever its value:
	// no pointer, and no omitempty, or a struct value (omitempty never
	// omits a struct; only omitzero does).
	alwaysPresent bool
}

// typeIndex resolves JSON paths of a kind to its Go fields.
type typeIndex struct {
	root *model.Type
}

// lookup walks the kind's Go type along a normalized path (no indexes;
// map values are skipped by their key).
func (ix typeIndex) lookup(path string) fieldInfo {
	cur := ix.root
	var info fieldInfo
	parts := strings.Split(path, ".")
	for i := 0; i < len(parts); i++ {
		if cur == nil {
			return fieldInfo{}
		}
		f := findField(cur, parts[i])
		if f == nil {
			return fieldInfo{}
		}
		tag := f.JSONTag
		info = fieldInfo{found: true, omitempty: strings.Contains(tag, ",omitempty") || strings.Contains(tag, ",omitzero"),
			pointer: f.Ref != nil && f.Ref.Kind == model.PointerRef, hasDefault: f.Default != nil}
		ref := f.Ref.Deref()
		omitzero := strings.Contains(tag, ",omitzero")
		if !info.pointer && !omitzero {
			under := f.Ref.Underlying()
			info.alwaysPresent = !info.omitempty || (under != nil && (under.Kind == model.StructRef ||
				(f.Ref.Kind == model.NamedRef && f.Ref.Named != nil && f.Ref.Named.Kind == model.StructType)))
		}
		// Through lists and maps to their elements.
		for ref != nil && (ref.Kind == model.SliceRef || ref.Kind == model.ArrayRef || ref.Kind == model.MapRef) {
			if ref.Kind == model.MapRef && i+1 < len(parts) {
				i++ // the key
			}
			ref = ref.Elem.Deref()
		}
		cur = nil
		if ref != nil && ref.Kind == model.NamedRef {
			info.typ = ref.Package + "." + ref.Name
			if ref.Named != nil && ref.Named.Kind == model.StructType {
				cur = ref.Named
			}
		}
	}
	return info
}

func findField(t *model.Type, name string) *model.Field {
	// An embedded field with a JSON name (PodTemplateSpec's
	// `metav1.ObjectMeta json:"metadata,omitempty"`) is a named field.
	for _, f := range t.Fields {
		if f.JSONName == name && !f.Inline {
			return f
		}
	}
	for _, f := range t.Fields {
		if f.Inline || (f.Embedded && f.JSONName == "") {
			if r := f.Ref.Deref(); r != nil && r.Kind == model.NamedRef && r.Named != nil {
				if got := findField(r.Named, name); got != nil {
					return got
				}
			}
		}
	}
	return nil
}

// canonicalTypes are the Go types whose values the typed server writes
// in a canonical form.
var canonicalTypes = map[string]bool{
	"k8s.io/apimachinery/pkg/api/resource.Quantity":  true,
	"k8s.io/apimachinery/pkg/apis/meta/v1.Duration":  true,
	"k8s.io/apimachinery/pkg/apis/meta/v1.Time":      true,
	"k8s.io/apimachinery/pkg/apis/meta/v1.MicroTime": true,
}

// isZero reports whether a JSON value is the zero value of its Go type.
func isZero(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case float64:
		return x == 0
	case bool:
		return !x
	case map[string]any:
		for _, e := range x {
			if !isZero(e) {
				return false
			}
		}
		return true
	case []any:
		return len(x) == 0
	}
	return false
}

// valueAt returns the value at a normalized path of an object, taking
// the first item of each list and the only key of each map on the way.
func valueAt(obj any, path string) (any, bool) {
	cur := obj
	for _, p := range strings.Split(path, ".") {
		for {
			l, ok := cur.([]any)
			if !ok {
				break
			}
			if len(l) == 0 {
				return nil, false
			}
			cur = l[0]
		}
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		v, ok := m[p]
		if !ok {
			return nil, false
		}
		cur = v
	}
	return cur, true
}

// Compare classifies one object's outcomes: aggen's and the CRD's.
// sent is the object as sent.
func Compare(ix typeIndex, sent map[string]any, a, c Outcome) Verdict {
	var v Verdict
	doc := map[Difference]bool{}
	var why []string
	switch {
	case a.OK() && c.OK():
		for _, d := range diffPaths("", a.Object, c.Object) {
			if k := classifyStored(ix, sent, d); k != "" {
				doc[k] = true
			} else {
				why = append(why, fmt.Sprintf("stored %s: aggen %s, CRD %s", d.path, show(d.a, d.inA), show(d.c, d.inC)))
			}
		}
	case !a.OK() && !c.OK():
		if a.Code == 400 && a.Reason == "BadRequest" && c.Code == 422 && c.Reason == "Invalid" {
			doc[DecodeStatus] = true
			break
		}
		if a.Code != c.Code || a.Reason != c.Reason {
			why = append(why, fmt.Sprintf("HTTP %d %s vs %d %s", a.Code, a.Reason, c.Code, c.Reason))
			break
		}
		onlyA, onlyC := minus(causes(a), causes(c)), minus(causes(c), causes(a))
		for _, f := range onlyA {
			if k := aggenOnlyError(ix, sent, f); k != "" {
				doc[k] = true
			} else {
				why = append(why, "only aggen rejects "+f)
			}
		}
		for _, f := range onlyC {
			if k := crdOnlyError(ix, sent, f); k != "" {
				doc[k] = true
			} else {
				why = append(why, "only the CRD rejects "+f)
			}
		}
	case a.OK():
		if len(c.Fields) == 0 {
			why = append(why, fmt.Sprintf("the CRD refuses (HTTP %d %s: %s), aggen accepts", c.Code, c.Reason, c.Message))
		}
		for _, f := range causes(c) {
			if k := crdOnlyError(ix, sent, f); k != "" {
				doc[k] = true
			} else {
				why = append(why, "only the CRD rejects "+f)
			}
		}
	default:
		if a.Code == 400 && a.Reason == "BadRequest" {
			// The typed decoder refuses what the CRD's schema lets pass
			// (a number out of the Go type's range, say).
			doc[DecodeStatus] = true
			break
		}
		if len(a.Fields) == 0 {
			why = append(why, fmt.Sprintf("aggen refuses (HTTP %d %s: %s), the CRD accepts", a.Code, a.Reason, a.Message))
		}
		for _, f := range causes(a) {
			if k := aggenOnlyError(ix, sent, f); k != "" {
				doc[k] = true
			} else {
				why = append(why, "only aggen rejects "+f)
			}
		}
	}
	for _, d := range Differences {
		if doc[d] {
			v.Documented = append(v.Documented, d)
		}
	}
	if len(why) > 0 {
		v.Disagreement = strings.Join(why, "; ")
	}
	return v
}

// noField is the field of a cause without a field path: the one
// apiextensions adds when schema errors kept CEL rules from running
// ("some validation rules were not checked").
const noField = "<nil>"

// causes are the fields of an error's causes, without a cause that has no
// field when others have one: it says only that the others kept the
// rules from running.
func causes(o Outcome) []string {
	if len(o.Fields) < 2 || !slices.Contains(o.Fields, noField) {
		return o.Fields
	}
	return slices.DeleteFunc(slices.Clone(o.Fields), func(f string) bool { return f == noField })
}

// aggenOnlyError explains an error of aggen's at f that the CRD does not
// have: a non-omitempty field the request left out, validated as its
// zero value.
func aggenOnlyError(ix typeIndex, sent map[string]any, f string) Difference {
	info := ix.lookup(f)
	if !info.found {
		return ""
	}
	if _, present := valueAt(sent, f); !present && info.alwaysPresent {
		return NonOmitempty
	}
	return ""
}

// crdOnlyError explains an error of the CRD's at f that aggen does not
// have: the request's value there is the zero value of an omitempty
// field (or of a field inside such a zero value), which aggen drops.
func crdOnlyError(ix typeIndex, sent map[string]any, f string) Difference {
	// The error may be at the field itself or at a required field
	// inside it: walk up to the nearest field the request has.
	// A field the request left out that aggen writes as its zero value:
	// the CRD finds it missing (required), aggen has it.
	if _, present := valueAt(sent, f); !present {
		if info := ix.lookup(f); info.found && info.alwaysPresent {
			return NonOmitempty
		}
	}
	parts := strings.Split(f, ".")
	for n := len(parts); n > 0; n-- {
		p := strings.Join(parts[:n], ".")
		val, present := valueAt(sent, p)
		if !present {
			continue
		}
		info := ix.lookup(p)
		if info.found && isZero(val) && info.omitempty && !info.pointer {
			return OmitemptyZero
		}
		if info.found && isZero(val) && info.alwaysPresent {
			// Inside a zero struct that aggen keeps but whose zero
			// fields it drops: the parent explains it.
			continue
		}
		return ""
	}
	return ""
}

type pathDiff struct {
	path     string
	a, c     any
	inA, inC bool
}

// diffPaths lists the leaves where two JSON values differ.
func diffPaths(prefix string, a, c any) []pathDiff {
	am, aok := a.(map[string]any)
	cm, cok := c.(map[string]any)
	if aok && cok {
		var out []pathDiff
		keys := map[string]bool{}
		for k := range am {
			keys[k] = true
		}
		for k := range cm {
			keys[k] = true
		}
		for _, k := range sortedKeys(keys) {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			av, ina := am[k]
			cv, inc := cm[k]
			switch {
			case ina && inc:
				out = append(out, diffPaths(p, av, cv)...)
			default:
				out = append(out, pathDiff{path: p, a: av, c: cv, inA: ina, inC: inc})
			}
		}
		return out
	}
	al, aok := a.([]any)
	cl, cok := c.([]any)
	if aok && cok && len(al) == len(cl) {
		var out []pathDiff
		for i := range al {
			out = append(out, diffPaths(prefix+"["+strconv.Itoa(i)+"]", al[i], cl[i])...)
		}
		return out
	}
	if reflect.DeepEqual(a, c) {
		return nil
	}
	return []pathDiff{{path: prefix, a: a, c: c, inA: true, inC: true}}
}

// classifyStored ties a difference of the stored objects to a row.
func classifyStored(ix typeIndex, sent map[string]any, d pathDiff) Difference {
	p := normalizeField(d.path)
	info := ix.lookup(p)
	if !info.found {
		return ""
	}
	_, sentIt := valueAt(sent, p)
	switch {
	case d.inA && !d.inC && !sentIt:
		if info.alwaysPresent && isZero(d.a) {
			return NonOmitempty
		}
		if info.hasDefault {
			return DefaulterFirst
		}
		// A zero struct that aggen writes because it is no pointer and
		// not omitempty, holding its own defaults.
		if _, isMap := d.a.(map[string]any); isMap && info.alwaysPresent {
			return NonOmitempty
		}
		// A nil pointer without omitempty: encoding/json writes null.
		if d.a == nil && info.pointer && !info.omitempty {
			return NonOmitempty
		}
	case d.inC && !d.inA:
		if info.omitempty && isZero(d.c) {
			return OmitemptyZero
		}
	default:
		if canonicalTypes[info.typ] {
			return Canonical
		}
	}
	return ""
}

func minus(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}

func show(v any, present bool) string {
	if !present {
		return "absent"
	}
	b, _ := json.Marshal(v)
	if len(b) > 80 {
		b = append(b[:80], "..."...)
	}
	return string(b)
}
