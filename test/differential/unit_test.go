package differential

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"

	"github.com/aggen-dev/aggen/generators/model"
)

const testSchema = `{
  "type": "object",
  "required": ["spec"],
  "properties": {
    "apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {"type": "object"},
    "spec": {
      "type": "object",
      "required": ["name"],
      "properties": {
        "name": {"type": "string", "minLength": 3, "pattern": "^[a-z]+$"},
        "replicas": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 5},
        "mode": {"type": "string", "enum": ["A", "B"]},
        "tags": {"type": "array", "maxItems": 2, "items": {"type": "string"}, "x-kubernetes-list-type": "set"}
      }
    }
  }
}`

func TestCorpusFromSchema(t *testing.T) {
	var s apiextensionsv1.JSONSchemaProps
	if err := json.Unmarshal([]byte(testSchema), &s); err != nil {
		t.Fatal(err)
	}
	objs := Corpus(&s, -1, 3, 1)
	if objs[0].Class != Valid || !reflect.DeepEqual(objs[0].Body, map[string]any{"spec": map[string]any{"name": "aaa"}}) {
		t.Errorf("valid object %+v", objs[0])
	}
	var names []string
	fuzzed := 0
	for _, o := range objs[1:] {
		switch o.Class {
		case Violation:
			names = append(names, o.Name)
		case Fuzzed:
			fuzzed++
		}
	}
	want := []string{
		"type at spec", "required at spec.name",
		"type at spec.mode", "enum at spec.mode",
		"minLength at spec.name", "pattern at spec.name", "type at spec.name",
		"minimum at spec.replicas", "maximum at spec.replicas", "type at spec.replicas",
		"type at spec.tags", "maxItems at spec.tags", "listType=set at spec.tags", "type at spec.tags[0]",
	}
	got := map[string]bool{}
	for _, n := range names {
		got[n] = true
	}
	for _, w := range want {
		if !got[w] {
			t.Errorf("no violation %q among %q", w, names)
		}
	}
	if fuzzed != 3 {
		t.Errorf("%d fuzzed objects, want 3", fuzzed)
	}
	// One violation changes the valid object at its field only.
	for _, o := range objs {
		if o.Name == "minimum at spec.replicas" {
			if want := map[string]any{"spec": map[string]any{"name": "aaa", "replicas": int64(0)}}; !reflect.DeepEqual(o.Body, want) {
				t.Errorf("%s: %v, want %v", o.Name, o.Body, want)
			}
		}
	}
	// Fuzzing is deterministic.
	again := Corpus(&s, -1, 3, 1)
	if !reflect.DeepEqual(objs, again) {
		t.Error("two corpora from one seed differ")
	}
	if n := len(Corpus(&s, 4, 0, 1)); n != 5 {
		t.Errorf("a bound of 4 violations gave %d objects, want 5", n)
	}
}

func TestCompareClassifies(t *testing.T) {
	str := &model.TypeRef{Kind: model.BasicRef, Basic: "string"}
	i32 := &model.TypeRef{Kind: model.BasicRef, Basic: "int32"}
	qty := &model.TypeRef{Kind: model.NamedRef, Package: "k8s.io/apimachinery/pkg/api/resource", Name: "Quantity"}
	// The shapes of core/v1 under a pod template: list items with a
	// non-omitempty name, an embedded ObjectMeta with a JSON name, a
	// named map of quantities (ResourceList), a +default=ref(...) field.
	item := &model.Type{Name: "Item", Kind: model.StructType, Fields: []*model.Field{
		{GoName: "Name", JSONName: "name", JSONTag: `json:"name"`, Ref: str},
		{GoName: "Size", JSONName: "size", JSONTag: `json:"size,omitempty"`, Ref: &model.TypeRef{Kind: model.PointerRef, Elem: str}},
		{GoName: "Mode", JSONName: "mode", JSONTag: `json:"mode,omitempty"`, Ref: &model.TypeRef{Kind: model.PointerRef, Elem: str},
			Parsed: []*model.Marker{{Name: "default", Raw: "+default=ref(ModeA)"}}},
	}}
	meta := &model.Type{Name: "ObjectMeta", Kind: model.StructType, Fields: []*model.Field{
		{GoName: "Labels", JSONName: "labels", JSONTag: `json:"labels,omitempty"`, Ref: &model.TypeRef{Kind: model.MapRef, Key: str, Elem: str}},
	}}
	template := &model.Type{Name: "Template", Kind: model.StructType, Fields: []*model.Field{
		{GoName: "ObjectMeta", JSONName: "metadata", JSONTag: `json:"metadata,omitempty"`, Embedded: true, Ref: &model.TypeRef{Kind: model.NamedRef, Name: "ObjectMeta", Named: meta}},
	}}
	resourceList := &model.Type{Name: "ResourceList", Kind: model.OtherType, Ref: &model.TypeRef{Kind: model.MapRef, Key: str, Elem: qty}}
	labelMap := &model.Type{Name: "Labels", Kind: model.OtherType, Ref: &model.TypeRef{Kind: model.MapRef, Key: str, Elem: str}}
	spec := &model.Type{Name: "Spec", Kind: model.StructType, Fields: []*model.Field{
		{GoName: "Name", JSONName: "name", JSONTag: `json:"name"`, Ref: str},
		{GoName: "Count", JSONName: "count", JSONTag: `json:"count,omitempty"`, Ref: i32},
		{GoName: "Budget", JSONName: "budget", JSONTag: `json:"budget,omitempty"`, Ref: qty},
		{GoName: "Items", JSONName: "items", JSONTag: `json:"items,omitempty"`, Ref: &model.TypeRef{Kind: model.SliceRef, Elem: &model.TypeRef{Kind: model.NamedRef, Name: "Item", Named: item}}},
		{GoName: "Template", JSONName: "template", JSONTag: `json:"template"`, Ref: &model.TypeRef{Kind: model.NamedRef, Name: "Template", Named: template}},
		{GoName: "Overhead", JSONName: "overhead", JSONTag: `json:"overhead,omitempty"`, Ref: &model.TypeRef{Kind: model.NamedRef, Name: "ResourceList", Named: resourceList}},
		{GoName: "Tags", JSONName: "tags", JSONTag: `json:"tags,omitempty"`, Ref: &model.TypeRef{Kind: model.NamedRef, Name: "Labels", Named: labelMap}},
		{GoName: "Gated", JSONName: "gated", JSONTag: `json:"gated,omitempty"`, Ref: &model.TypeRef{Kind: model.PointerRef, Elem: str},
			Parsed: []*model.Marker{{Name: "k8s:ifDisabled", Raw: "+k8s:ifDisabled(G)=+k8s:forbidden", Vocabulary: model.DeclarativeVocabulary}}},
		{GoName: "Loose", JSONName: "loose", JSONTag: `json:"loose,omitempty"`, Ref: &model.TypeRef{Kind: model.PointerRef, Elem: str},
			Parsed: []*model.Marker{{Name: "k8s:optional", Raw: "+k8s:optional", Vocabulary: model.DeclarativeVocabulary}}},
		{GoName: "Group", JSONName: "group", JSONTag: `json:"group"`, Ref: &model.TypeRef{Kind: model.PointerRef, Elem: str}},
	}}
	kind := &model.Type{Name: "K", Kind: model.StructType, Fields: []*model.Field{
		{GoName: "Spec", JSONName: "spec", JSONTag: `json:"spec,omitempty"`, Ref: &model.TypeRef{Kind: model.NamedRef, Name: "Spec", Named: spec}},
	}}
	ix := typeIndex{root: kind}
	ok := func(obj string) Outcome {
		var m map[string]any
		if err := json.Unmarshal([]byte(obj), &m); err != nil {
			t.Fatal(err)
		}
		return Outcome{Code: 201, Object: m}
	}
	invalid := func(fields ...string) Outcome { return Outcome{Code: 422, Reason: "Invalid", Fields: fields} }
	sent := func(obj string) map[string]any {
		var m map[string]any
		_ = json.Unmarshal([]byte(obj), &m)
		return m
	}
	for _, c := range []struct {
		name     string
		sent     string
		a, crd   Outcome
		want     []Difference
		disagree string
	}{
		{name: "a struct is always written, with its defaults", sent: `{}`, a: ok(`{"spec":{"count":1}}`), crd: ok(`{}`), want: []Difference{NonOmitempty}},
		{name: "same object", sent: `{"spec":{"name":"x"}}`, a: ok(`{"spec":{"name":"x"}}`), crd: ok(`{"spec":{"name":"x"}}`)},
		{name: "same errors", sent: `{}`, a: invalid("spec.name"), crd: invalid("spec.name")},
		{name: "decode", sent: `{"spec":{"count":"x"}}`, a: Outcome{Code: 400, Reason: "BadRequest"}, crd: invalid("spec.count"), want: []Difference{DecodeStatus}},
		{name: "non-omitempty stored", sent: `{"spec":{}}`, a: ok(`{"spec":{"name":""}}`), crd: ok(`{"spec":{}}`), want: []Difference{NonOmitempty}},
		{name: "omitempty zero stored", sent: `{"spec":{"name":"x","count":0}}`, a: ok(`{"spec":{"name":"x"}}`), crd: ok(`{"spec":{"name":"x","count":0}}`), want: []Difference{OmitemptyZero}},
		{name: "omitempty zero validated", sent: `{"spec":{"name":"x","count":0}}`, a: ok(`{"spec":{"name":"x"}}`), crd: invalid("spec.count"), want: []Difference{OmitemptyZero}},
		{name: "non-omitempty validated", sent: `{"spec":{}}`, a: invalid("spec.name"), crd: ok(`{"spec":{}}`), want: []Difference{NonOmitempty}},
		{name: "quantity", sent: `{"spec":{"name":"x","budget":"1000m"}}`, a: ok(`{"spec":{"name":"x","budget":"1"}}`), crd: ok(`{"spec":{"name":"x","budget":"1000m"}}`), want: []Difference{Canonical}},
		{name: "other value", sent: `{"spec":{"name":"x"}}`, a: ok(`{"spec":{"name":"y"}}`), crd: ok(`{"spec":{"name":"x"}}`), disagree: "stored spec.name"},
		{name: "other errors", sent: `{"spec":{"name":"x","count":3}}`, a: invalid("spec.count"), crd: invalid("spec.name"), disagree: "only aggen rejects spec.count"},
		{name: "aggen alone refuses a present value", sent: `{"spec":{"name":"x"}}`, a: invalid("spec.name"), crd: ok(`{"spec":{"name":"x"}}`), disagree: "only aggen rejects spec.name"},
		// A required field of a list item the request leaves out: aggen
		// decodes it as "", the CRD finds it missing; the CRD's errors
		// that follow (its list-map key, CEL rules left unchecked) too.
		{name: "required item field", sent: `{"spec":{"name":"x","items":[{}]}}`, a: ok(`{"spec":{"name":"x","items":[{"name":""}]}}`),
			crd: invalid("spec.items.name"), want: []Difference{NonOmitempty}},
		{name: "required item field and what follows", sent: `{"spec":{"name":"x","items":[{}]}}`, a: invalid("spec.count"),
			crd: invalid("<nil>", "spec.count", "spec.items", "spec.items.name"), want: []Difference{NonOmitempty}},
		{name: "an item field the request has", sent: `{"spec":{"name":"x","items":[{"name":"a"}]}}`, a: ok(`{"spec":{"name":"x","items":[{"name":"a"}]}}`),
			crd: invalid("spec.items.name"), disagree: "only the CRD rejects spec.items.name"},
		{name: "a list error with no item field behind it", sent: `{"spec":{"name":"x","items":[{"name":"a"}]}}`, a: ok(`{"spec":{"name":"x","items":[{"name":"a"}]}}`),
			crd: invalid("<nil>", "spec.items"), disagree: "only the CRD rejects spec.items; only the CRD rejects <nil>"},
		{name: "rules unchecked alone", sent: `{"spec":{"name":"x"}}`, a: ok(`{"spec":{"name":"x"}}`), crd: invalid("<nil>"), disagree: "only the CRD rejects <nil>"},
		{name: "an embedded ObjectMeta is a struct field", sent: `{"spec":{"name":"x"}}`, a: ok(`{"spec":{"name":"x","template":{"metadata":{}}}}`),
			crd: ok(`{"spec":{"name":"x"}}`), want: []Difference{NonOmitempty}},
		{name: "a second item's struct", sent: `{"spec":{"name":"x","items":[{"name":"a","size":"1"},{"name":"b"}]}}`,
			a:   ok(`{"spec":{"name":"x","items":[{"name":"a","size":"1"},{"name":"b","mode":"A"}]}}`),
			crd: ok(`{"spec":{"name":"x","items":[{"name":"a","size":"1"},{"name":"b"}]}}`), want: []Difference{DefaulterFirst}},
		{name: "a second item's value sent", sent: `{"spec":{"name":"x","items":[{"name":"a"},{"name":"b","size":"2"}]}}`,
			a:   ok(`{"spec":{"name":"x","items":[{"name":"a"},{"name":"b"}]}}`),
			crd: ok(`{"spec":{"name":"x","items":[{"name":"a"},{"name":"b","size":"2"}]}}`), disagree: "stored spec.items[1].size"},
		{name: "a quantity in a named map", sent: `{"spec":{"name":"x","overhead":{"cpu":6}}}`, a: ok(`{"spec":{"name":"x","overhead":{"cpu":"6"}}}`),
			crd: ok(`{"spec":{"name":"x","overhead":{"cpu":6}}}`), want: []Difference{Canonical}},
		{name: "a string in a named map", sent: `{"spec":{"name":"x","tags":{"a":"b"}}}`, a: ok(`{"spec":{"name":"x","tags":{"a":"c"}}}`),
			crd: ok(`{"spec":{"name":"x","tags":{"a":"b"}}}`), disagree: "stored spec.tags.a"},
		{name: "a zero struct dropped, then required", sent: `{"spec":{"items":[]}}`, a: invalid("spec"), crd: invalid("spec.name"), want: []Difference{NonOmitempty, OmitemptyZero}},
		{name: "a field both report, the CRD's unchecked rules", sent: `{"spec":{"name":"x","items":[{}]}}`, a: invalid("spec.items.name"),
			crd: invalid("<nil>", "spec.items.name"), want: []Difference{NonOmitempty}},
		{name: "a field both report, present", sent: `{"spec":{"name":"x","items":[{"name":"a"}]}}`, a: invalid("spec.items.name"),
			crd: invalid("<nil>", "spec.items.name"), disagree: "only the CRD rejects <nil>"},
		{name: "a declarative tag", sent: `{"spec":{"name":"x","gated":"a"}}`, a: invalid("spec.gated"), crd: ok(`{"spec":{"name":"x","gated":"a"}}`), want: []Difference{DeclarativeTags}},
		{name: "no declarative tag that checks", sent: `{"spec":{"name":"x","loose":"a"}}`, a: invalid("spec.loose"), crd: ok(`{"spec":{"name":"x","loose":"a"}}`), disagree: "only aggen rejects spec.loose"},
		{name: "a nil pointer without omitempty", sent: `{"spec":{"name":"x"}}`, a: ok(`{"spec":{"name":"x","group":null}}`), crd: ok(`{"spec":{"name":"x"}}`), want: []Difference{NonOmitempty}},
		{name: "a null sent", sent: `{"spec":{"name":"x","group":null}}`, a: ok(`{"spec":{"name":"x","group":null}}`), crd: ok(`{"spec":{"name":"x"}}`), disagree: "stored spec.group"},
	} {
		v := Compare(ix, sent(c.sent), c.a, c.crd)
		if !reflect.DeepEqual(v.Documented, c.want) || (c.disagree == "") != (v.Disagreement == "") || !strings.Contains(v.Disagreement, c.disagree) {
			t.Errorf("%s: %+v, want documented %v, disagreement %q", c.name, v, c.want, c.disagree)
		}
	}
}

func TestParseOutcome(t *testing.T) {
	o, err := parseOutcome(422, []byte(`{"kind":"Status","reason":"Invalid","message":"m","details":{"causes":[{"field":"spec.a[0].b"},{"field":"spec.a[1].b"},{"field":"spec.c"}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(o.Fields, []string{"spec.a.b", "spec.c"}) || o.Reason != "Invalid" || o.OK() {
		t.Errorf("%+v", o)
	}
	o, err = parseOutcome(201, []byte(`{"apiVersion":"crd.g/v1","metadata":{"name":"n","uid":"u","resourceVersion":"1","creationTimestamp":"t","generation":1,"managedFields":[]},"spec":{}}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]any{"metadata": map[string]any{"name": "n"}, "spec": map[string]any{}}; !reflect.DeepEqual(o.Object, want) {
		t.Errorf("%v", o.Object)
	}
}

func TestCompareBuiltinClassifies(t *testing.T) {
	str := &model.TypeRef{Kind: model.BasicRef, Basic: "string"}
	pod := &model.Type{Name: "Pod", Kind: model.StructType, Fields: []*model.Field{
		{GoName: "HostIPC", JSONName: "hostIPC", JSONTag: `json:"hostIPC,omitempty"`, Ref: &model.TypeRef{Kind: model.BasicRef, Basic: "bool"}},
	}}
	spec := &model.Type{Name: "Spec", Kind: model.StructType, Fields: []*model.Field{
		{GoName: "Schedule", JSONName: "schedule", JSONTag: `json:"schedule"`, Ref: str},
		{GoName: "Scheduling", JSONName: "scheduling", JSONTag: `json:"scheduling,omitempty"`, Ref: &model.TypeRef{Kind: model.PointerRef, Elem: str},
			Parsed: []*model.Marker{{Name: "k8s:ifDisabled", Raw: "+k8s:ifDisabled(G)=+k8s:forbidden", Vocabulary: model.DeclarativeVocabulary}}},
		{GoName: "Pod", JSONName: "pod", JSONTag: `json:"pod"`, Ref: &model.TypeRef{Kind: model.NamedRef, Name: "Pod", Named: pod}},
	}}
	ix := typeIndex{root: &model.Type{Name: "K", Kind: model.StructType, Fields: []*model.Field{
		{GoName: "Spec", JSONName: "spec", JSONTag: `json:"spec,omitempty"`, Ref: &model.TypeRef{Kind: model.NamedRef, Name: "Spec", Named: spec}},
	}}}
	created := Outcome{Code: 201, Object: map[string]any{}}
	invalid := func(fields ...string) Outcome { return Outcome{Code: 422, Reason: "Invalid", Fields: fields} }
	for _, c := range []struct {
		name     string
		a, b     Outcome
		crd      Outcome
		want     []Difference
		disagree string
	}{
		{name: "both accept", a: created, b: created},
		{name: "same errors", a: invalid("spec.schedule"), b: invalid("spec.schedule")},
		{name: "handwritten check of a field", a: created, b: invalid("spec.schedule"), want: []Difference{BuiltinHandwritten}},
		{name: "handwritten check of metadata", a: invalid("spec.schedule"), b: invalid("metadata.labels", "spec.schedule"), want: []Difference{BuiltinHandwritten}},
		{name: "a field the kind does not have", a: created, b: invalid("spec.other"), disagree: "only the built-in rejects spec.other"},
		{name: "aggen alone refuses", a: invalid("spec.schedule"), b: created, crd: created, disagree: "only aggen rejects spec.schedule"},
		{name: "aggen alone refuses, no fields", a: Outcome{Code: 500, Reason: "InternalError"}, b: created, disagree: "aggen refuses"},
		{name: "aggen has an error the built-in has not", a: invalid("spec.schedule"), b: invalid("metadata.name"), want: []Difference{BuiltinHandwritten}, disagree: "only aggen rejects spec.schedule"},
		{name: "other status", a: Outcome{Code: 400, Reason: "BadRequest"}, b: invalid("spec.schedule"), disagree: "HTTP 400 BadRequest vs built-in 422"},
		{name: "a refusal without fields", a: created, b: Outcome{Code: 403, Reason: "Forbidden"}, disagree: "the built-in refuses"},
		{name: "the schema's error, the CRD's too", a: invalid("spec.schedule"), b: created, crd: invalid("spec.schedule"), want: []Difference{BuiltinNoSchema}},
		{name: "the schema's error, the CRD's at another field", a: invalid("spec.schedule"), b: created, crd: invalid("spec.pod"), disagree: "only aggen rejects spec.schedule"},
		{name: "a field of a gate", a: invalid("spec.scheduling"), b: created, crd: created, want: []Difference{BuiltinGatedFields}},
		{name: "a Go name in a handwritten error", a: created, b: invalid("spec.pod.HostIPC"), want: []Difference{BuiltinHandwritten}},
		{name: "a misspelled name in a handwritten error", a: created, b: invalid("spec.pod.hostPC"), want: []Difference{BuiltinHandwritten}},
		{name: "an unknown name under a string", a: created, b: invalid("spec.schedule.x"), disagree: "only the built-in rejects spec.schedule.x"},
		{name: "one error about two fields", a: created, b: invalid("spec.{schedule, scheduling}"), want: []Difference{BuiltinHandwritten}},
		{name: "one error about a field and another", a: created, b: invalid("spec.{schedule, other}"), disagree: "only the built-in rejects spec.{schedule, other}"},
		{name: "a misnamed struct on the way", a: created, b: invalid("spec.podSpec.hostIPC"), want: []Difference{BuiltinHandwritten}},
		{name: "no such field below", a: created, b: invalid("spec.podSpec.other"), disagree: "only the built-in rejects spec.podSpec.other"},
	} {
		v := CompareBuiltin(ix, map[string]any{}, c.a, c.b, c.crd)
		if !reflect.DeepEqual(v.Documented, c.want) || (c.disagree == "") != (v.Disagreement == "") || !strings.Contains(v.Disagreement, c.disagree) {
			t.Errorf("%s: %+v, want documented %v, disagreement %q", c.name, v, c.want, c.disagree)
		}
	}
}
