package differential

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aggen-dev/aggen/generators/model"
)

// The copies of k8s.io/api types are also compared with kube-apiserver's
// own built-in types of the same group-version (apps/v1, batch/v1, ...):
// every object sent to aggen goes, with dryRun=All, to the built-in
// resource too. The differences found there have their own rows, in the
// second table of docs/crd-differences.md.

const (
	// BuiltinHandwritten: the built-in types also go through the
	// handwritten validation of k8s.io/kubernetes (pkg/apis/<group>/validation:
	// a Deployment's selector must match its template's labels, a pod
	// needs a container with an image, a CronJob's schedule must parse,
	// ...), which k8s.io/api's declarative tags do not carry: aggen
	// enforces the tags and the schema only. Tied from the built-in's
	// 422 Invalid at a field of the kind where aggen reports none.
	BuiltinHandwritten Difference = "builtin-handwritten"

	// BuiltinNoSchema: kube-apiserver validates its built-in types with
	// handwritten code and their declarative tags, not with an OpenAPI
	// schema: an error of the schema controller-gen makes from the types
	// (a required field, list-type uniqueness at the item, a bound of a
	// +k8s: tag on a field the built-in clears, the CEL rules left
	// unchecked), which aggen enforces as a CRD does, is checked there at
	// another path or not at all. Tied when the CRD of the same types
	// reports the same field.
	BuiltinNoSchema Difference = "builtin-no-schema"
	// BuiltinGatedFields: the built-in strategies clear the fields of a
	// disabled feature gate before validation (dropDisabledFields of
	// k8s.io/kubernetes); aggen keeps the object as sent and refuses such
	// a field where its tags say +k8s:ifDisabled(Gate)=+k8s:forbidden.
	// Tied from the Go field's tags.
	BuiltinGatedFields Difference = "builtin-gated-fields"
)

// BuiltinDifferences lists the rows of the built-in comparison.
var BuiltinDifferences = []Difference{BuiltinHandwritten, BuiltinNoSchema, BuiltinGatedFields}

// CompareBuiltin classifies one object's outcomes: aggen's and the
// built-in resource's (dry-run). Only accept or reject, status and the
// error field paths are compared: a built-in type is also defaulted by
// k8s.io/kubernetes's SetDefaults_ functions, which are no part of
// k8s.io/api (the returned objects are not compared).
//
// crd is the CRD's answer to the same object, which tells the schema's
// errors.
func CompareBuiltin(ix typeIndex, sent map[string]any, a, b, crd Outcome) Verdict {
	var v Verdict
	doc := map[Difference]bool{}
	var why []string
	builtinOnly := func(fields []string) {
		for _, f := range fields {
			if k := builtinOnlyError(ix, f, b); k != "" {
				doc[k] = true
			} else {
				why = append(why, "only the built-in rejects "+f)
			}
		}
	}
	aggenOnly := func(fields []string) {
		for _, f := range fields {
			if k := aggenOnlyBuiltin(ix, sent, f, a, crd); k != "" {
				doc[k] = true
			} else {
				why = append(why, "only aggen rejects "+f)
			}
		}
	}
	switch {
	case a.OK() && b.OK():
	case !a.OK() && !b.OK():
		if a.Code != b.Code || a.Reason != b.Reason {
			why = append(why, fmt.Sprintf("HTTP %d %s vs built-in %d %s", a.Code, a.Reason, b.Code, b.Reason))
			break
		}
		aggenOnly(minus(a.Fields, b.Fields))
		builtinOnly(minus(b.Fields, a.Fields))
	case a.OK():
		if len(b.Fields) == 0 {
			why = append(why, fmt.Sprintf("the built-in refuses (HTTP %d %s: %s), aggen accepts", b.Code, b.Reason, b.Message))
		}
		builtinOnly(b.Fields)
	default:
		if len(a.Fields) == 0 {
			why = append(why, fmt.Sprintf("aggen refuses (HTTP %d %s: %s), the built-in accepts", a.Code, a.Reason, a.Message))
		}
		aggenOnly(a.Fields)
	}
	for _, d := range BuiltinDifferences {
		if doc[d] {
			v.Documented = append(v.Documented, d)
		}
	}
	if len(why) > 0 {
		v.Disagreement = strings.Join(why, "; ") + messages("the built-in", a, b)
	}
	return v
}

// aggenOnlyBuiltin explains an error of aggen's at f that the built-in
// does not report: the schema's, when the CRD reports f too, or when it is
// a required field of the schema that a zero struct aggen drops
// (omitempty-zero) leaves missing; or a field of a feature gate the
// built-in clears.
func aggenOnlyBuiltin(ix typeIndex, sent map[string]any, f string, a, crd Outcome) Difference {
	if a.Code != 422 || a.Reason != "Invalid" {
		return ""
	}
	if crd.Code == 422 && crd.Reason == "Invalid" && slices.Contains(crd.Fields, f) {
		return BuiltinNoSchema
	}
	if aggenOnlyError(ix, sent, f) == OmitemptyZero {
		return BuiltinNoSchema
	}
	if ix.lookup(f).gated {
		return BuiltinGatedFields
	}
	return ""
}

// builtinOnlyError explains an error only the built-in reports at f: its
// handwritten validation, when the answer is 422 Invalid and f is a field
// of the kind (or metadata, which the handwritten validation of a
// template checks too).
func builtinOnlyError(ix typeIndex, f string, b Outcome) Difference {
	if b.Code != 422 || b.Reason != "Invalid" {
		return ""
	}
	if f == "metadata" || strings.HasPrefix(f, "metadata.") || ix.lookup(f).found {
		return BuiltinHandwritten
	}
	// A few handwritten errors name a field by its Go name or misspell
	// it (spec.template.spec.HostIPC, volumes.downwarAPI for
	// downwardAPI, volumes.cephFS for cephfs).
	if i := strings.LastIndexByte(f, '.'); i > 0 {
		if t := ix.lookup(f[:i]).structType; t != nil && spellsField(t, f[i+1:]) {
			return BuiltinHandwritten
		}
	}
	// Or with a path that leaves out a list or misnames a struct on the
	// way (volumes.downwardAPI.path for volumes.downwardAPI.items.path,
	// volumes.persistentDisk.pdName for volumes.gcePersistentDisk.pdName):
	// its last segment is a field below the nearest field of the kind
	// the path names.
	parts := strings.Split(f, ".")
	for n := len(parts) - 1; n > 0; n-- {
		if t := ix.lookup(strings.Join(parts[:n], ".")).structType; t != nil {
			if fieldBelow(t, parts[len(parts)-1], 3) {
				return BuiltinHandwritten
			}
			break
		}
	}
	return ""
}

// fieldBelow reports whether a struct reachable from t in at most depth
// steps has a field of that JSON name.
func fieldBelow(t *model.Type, name string, depth int) bool {
	if t == nil || depth == 0 {
		return false
	}
	for _, f := range t.Fields {
		if f.JSONName == name && !f.Inline {
			return true
		}
		r := f.Ref.Deref()
		if u := listOrMap(r); u != nil {
			r = u.Elem.Deref()
		}
		if r != nil && r.Kind == model.NamedRef && r.Named != nil && r.Named.Kind == model.StructType {
			if fieldBelow(r.Named, name, depth-1) {
				return true
			}
		}
	}
	return false
}

// spellsField reports whether name is the Go name of one of t's fields,
// or its JSON name but for case or one letter.
func spellsField(t *model.Type, name string) bool {
	if list, ok := strings.CutPrefix(name, "{"); ok && strings.HasSuffix(list, "}") {
		// One error about several fields: "{topologyKey, whenUnsatisfiable}".
		for _, n := range strings.Split(strings.TrimSuffix(list, "}"), ", ") {
			if !spellsField(t, n) {
				return false
			}
		}
		return true
	}
	for _, f := range t.Fields {
		if f.Inline || (f.Embedded && f.JSONName == "") {
			// core/v1's Volume inlines its VolumeSource.
			if r := f.Ref.Deref(); r != nil && r.Kind == model.NamedRef && r.Named != nil && spellsField(r.Named, name) {
				return true
			}
			continue
		}
		if f.GoName == name || strings.EqualFold(f.JSONName, name) || (f.JSONName != "" && oneEdit(f.JSONName, name)) {
			return true
		}
	}
	return false
}

// oneEdit reports whether b is a with one letter left out or added.
func oneEdit(a, b string) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(a) != len(b)+1 {
		return false
	}
	for i := range b {
		if a[i] != b[i] {
			return a[i+1:] == b[i:]
		}
	}
	return true
}
