package differential

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/aggen-dev/aggen/generators/markers"
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
	// checked: the field carries a +k8s: declarative tag that can
	// report an error (any but +k8s:optional and +k8s:opaqueType).
	checked bool
	// gated: the field carries a +k8s:ifDisabled tag (a field of a
	// feature gate, refused or checked while the gate is off).
	gated bool
	// structType is the struct type of the field's value (or list item,
	// or map value), nil for any other.
	structType *model.Type
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
			pointer: f.Ref != nil && f.Ref.Kind == model.PointerRef, hasDefault: f.Default != nil || hasMarker(f, markers.Default)}
		info.checked, info.gated = declarativeCheck(f)
		ref := f.Ref.Deref()
		omitzero := strings.Contains(tag, ",omitzero")
		if !info.pointer && !omitzero {
			under := f.Ref.Underlying()
			info.alwaysPresent = !info.omitempty || (under != nil && (under.Kind == model.StructRef ||
				(f.Ref.Kind == model.NamedRef && f.Ref.Named != nil && f.Ref.Named.Kind == model.StructType)))
		}
		// Through lists and maps, named (core/v1's ResourceList) or not,
		// to their elements.
		for u := listOrMap(ref); u != nil; u = listOrMap(ref) {
			if u.Kind == model.MapRef && i+1 < len(parts) {
				i++ // the key
			}
			ref = u.Elem.Deref()
		}
		cur = nil
		if ref != nil && ref.Kind == model.NamedRef {
			info.typ = ref.Package + "." + ref.Name
			if ref.Named != nil && ref.Named.Kind == model.StructType {
				cur = ref.Named
				info.structType = cur
			}
		}
	}
	return info
}

// listOrMap returns the slice, array or map type ref is, through named
// types, or nil.
func listOrMap(ref *model.TypeRef) *model.TypeRef {
	u := ref.Underlying()
	if u != nil && (u.Kind == model.SliceRef || u.Kind == model.ArrayRef || u.Kind == model.MapRef) {
		return u
	}
	return nil
}

// declarativeCheck reports whether a field carries a +k8s: tag of
// validation-gen's that can report an error, and whether one is a
// +k8s:ifDisabled tag.
func declarativeCheck(f *model.Field) (checked, gated bool) {
	for _, m := range f.Parsed {
		if m.Vocabulary == model.DeclarativeVocabulary && m.Name != "k8s:optional" && m.Name != "k8s:opaqueType" {
			checked = true
			gated = gated || m.Name == "k8s:ifDisabled"
		}
	}
	return checked, gated
}

// hasMarker reports whether the field carries a marker of that name
// (+default=ref(...) sets no Default: its value is a Go constant).
func hasMarker(f *model.Field, name string) bool {
	for _, m := range f.Parsed {
		if m.Name == name {
			return true
		}
	}
	return false
}

func findField(t *model.Type, name string) *model.Field {
	for _, f := range t.Fields {
		if f.JSONName == name && !f.Inline {
			// An embedded struct with a JSON name (PodTemplateSpec's
			// `metav1.ObjectMeta json:"metadata"`) is a field like any.
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

// valueAtIndexed returns the value at a path of diffPaths, whose list
// items carry their index ("a.b[1].c").
func valueAtIndexed(obj any, path string) (any, bool) {
	cur := obj
	for _, p := range strings.Split(path, ".") {
		name, rest, _ := strings.Cut(p, "[")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[name]; !ok {
			return nil, false
		}
		for rest != "" {
			idx, after, _ := strings.Cut(rest, "]")
			rest = strings.TrimPrefix(after, "[")
			i, err := strconv.Atoi(idx)
			l, ok := cur.([]any)
			if err != nil || !ok || i >= len(l) {
				return nil, false
			}
			cur = l[i]
		}
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
		onlyA, onlyC := minus(a.Fields, c.Fields), minus(c.Fields, a.Fields)
		for _, f := range onlyA {
			if k := aggenOnlyError(ix, sent, f); k != "" {
				doc[k] = true
			} else {
				why = append(why, "only aggen rejects "+f)
			}
		}
		why = append(why, crdOnlyErrors(ix, sent, onlyC, intersect(a.Fields, c.Fields), doc)...)
	case a.OK():
		if len(c.Fields) == 0 {
			why = append(why, fmt.Sprintf("the CRD refuses (HTTP %d %s: %s), aggen accepts", c.Code, c.Reason, c.Message))
		}
		why = append(why, crdOnlyErrors(ix, sent, c.Fields, nil, doc)...)
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
		for _, f := range a.Fields {
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
		v.Disagreement = strings.Join(why, "; ") + messages("the CRD", a, c)
	}
	return v
}

// messages are the servers' error messages, for the report of a
// disagreement.
func messages(other string, a, c Outcome) string {
	var s string
	for _, o := range []struct {
		who string
		o   Outcome
	}{{"aggen", a}, {other, c}} {
		if !o.o.OK() && o.o.Message != "" {
			m := o.o.Message
			if len(m) > 300 {
				m = m[:300] + "..."
			}
			s += " (" + o.who + ": " + m + ")"
		}
	}
	return s
}

// aggenOnlyError explains an error of aggen's at f that the CRD does not
// have: a non-omitempty field the request left out, validated as its
// zero value, or a field with a +k8s: tag, which validation-gen's output
// enforces (+k8s:ifDisabled(Gate)=+k8s:forbidden; +k8s:required refuses
// a zero value too).
func aggenOnlyError(ix typeIndex, sent map[string]any, f string) Difference {
	info := ix.lookup(f)
	if !info.found {
		return ""
	}
	val, present := valueAt(sent, f)
	if !present && info.alwaysPresent {
		return NonOmitempty
	}
	if present && isZero(val) && info.omitempty && !info.pointer {
		// The zero struct is dropped; the schema then finds a required
		// field missing.
		return OmitemptyZero
	}
	if info.checked {
		return DeclarativeTags
	}
	return ""
}

// rootField is the field of a Status cause about the whole object: the
// CRD's "some validation rules were not checked because the object was
// invalid", which follows its other errors.
const rootField = "<nil>"

// crdOnlyErrors ties the errors only the CRD reports to rows, adding
// them to doc, and says what it cannot tie. Two errors follow from
// others and take their rows: one at the object's root (CEL rules left
// unchecked), and one at a list whose items miss a field another error
// of the CRD's names (a list-map key: aggen has it, as "").
//
// common are the fields both report: one the request leaves out and Go
// always writes is required to the CRD (which then leaves its CEL rules
// unchecked) and its zero value to aggen (which may refuse it by another
// rule, a minLength say): the CRD's root error follows from it too.
func crdOnlyErrors(ix typeIndex, sent map[string]any, fields, common []string, doc map[Difference]bool) []string {
	var why []string
	rows := map[Difference]bool{}
	explained := map[string]Difference{}
	var derived []string
	root := false
	for _, f := range fields {
		switch k := crdOnlyError(ix, sent, f); {
		case k != "":
			rows[k] = true
			explained[f] = k
		case f == rootField:
			root = true
		default:
			derived = append(derived, f)
		}
	}
	for _, f := range derived {
		parent := false
		for g, r := range explained {
			parent = parent || (r == NonOmitempty && strings.HasPrefix(g, f+"."))
		}
		if !parent {
			why = append(why, "only the CRD rejects "+f)
		}
	}
	if root && len(rows) == 0 && len(why) == 0 {
		for _, f := range common {
			if _, present := valueAt(sent, f); !present && ix.lookup(f).alwaysPresent {
				rows[NonOmitempty] = true
			}
		}
	}
	if root && (len(rows) == 0 || len(why) > 0) {
		why = append(why, "only the CRD rejects "+rootField)
	}
	for r := range rows {
		doc[r] = true
	}
	return why
}

// crdOnlyError explains an error of the CRD's at f that aggen does not
// have: the request left out a field Go always writes (the CRD finds a
// required field missing, aggen has its zero value), or the request's
// value there is the zero value of an omitempty field (or of a field
// inside such a zero value), which aggen drops.
func crdOnlyError(ix typeIndex, sent map[string]any, f string) Difference {
	if _, present := valueAt(sent, f); !present {
		if info := ix.lookup(f); info.found && info.alwaysPresent {
			return NonOmitempty
		}
	}
	// The error may be at the field itself or at a required field
	// inside it: walk up to the nearest field the request has.
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
	_, sentIt := valueAtIndexed(sent, d.path)
	switch {
	case d.inA && !d.inC && !sentIt:
		if info.alwaysPresent && isZero(d.a) {
			return NonOmitempty
		}
		if d.a == nil && info.pointer && !info.omitempty {
			// A nil pointer without omitempty is written as null.
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

func intersect(a, b []string) []string {
	var out []string
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
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
