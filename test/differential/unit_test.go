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
	spec := &model.Type{Name: "Spec", Kind: model.StructType, Fields: []*model.Field{
		{GoName: "Name", JSONName: "name", JSONTag: `json:"name"`, Ref: str},
		{GoName: "Count", JSONName: "count", JSONTag: `json:"count,omitempty"`, Ref: i32},
		{GoName: "Budget", JSONName: "budget", JSONTag: `json:"budget,omitempty"`, Ref: qty},
		{GoName: "Group", JSONName: "group", JSONTag: `json:"group"`, Ref: &model.TypeRef{Kind: model.PointerRef, Elem: str}},
		{GoName: "Owner", JSONName: "owner", JSONTag: `json:"owner,omitempty"`, Ref: &model.TypeRef{Kind: model.PointerRef, Elem: str}},
		// Embedded, with a JSON name: a named field (PodTemplateSpec's
		// metadata).
		{GoName: "Meta", JSONName: "metadata", JSONTag: `json:"metadata,omitempty"`, Embedded: true,
			Ref: &model.TypeRef{Kind: model.NamedRef, Name: "Meta", Named: &model.Type{Name: "Meta", Kind: model.StructType}}},
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
		{name: "non-omitempty left out, required by the CRD", sent: `{"spec":{}}`, a: ok(`{"spec":{"name":""}}`), crd: invalid("spec.name"), want: []Difference{NonOmitempty}},
		{name: "omitempty left out, required by the CRD", sent: `{"spec":{"name":"x"}}`, a: ok(`{"spec":{"name":"x"}}`), crd: invalid("spec.count"), disagree: "only the CRD rejects spec.count"},
		{name: "embedded struct with a JSON name is always written", sent: `{"spec":{"name":"x"}}`, a: ok(`{"spec":{"name":"x","metadata":{}}}`), crd: ok(`{"spec":{"name":"x"}}`), want: []Difference{NonOmitempty}},
		{name: "nil pointer without omitempty written as null", sent: `{"spec":{"name":"x"}}`, a: ok(`{"spec":{"name":"x","group":null}}`), crd: ok(`{"spec":{"name":"x"}}`), want: []Difference{NonOmitempty}},
		{name: "null at an omitempty pointer", sent: `{"spec":{"name":"x"}}`, a: ok(`{"spec":{"name":"x","owner":null}}`), crd: ok(`{"spec":{"name":"x"}}`), disagree: "stored spec.owner"},
		{name: "rules not checked, besides the same error", sent: `{}`, a: invalid("spec.name"), crd: invalid("<nil>", "spec.name")},
		{name: "rules not checked, and nothing else", sent: `{"spec":{"name":"x"}}`, a: invalid("spec.name"), crd: invalid("<nil>"), disagree: "only the CRD rejects <nil>"},
		{name: "aggen alone refuses a present value", sent: `{"spec":{"name":"x"}}`, a: invalid("spec.name"), crd: ok(`{"spec":{"name":"x"}}`), disagree: "only aggen rejects spec.name"},
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
