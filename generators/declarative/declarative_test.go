package declarative

import (
	"slices"
	"testing"

	"github.com/aggen-dev/aggen/generators/markers"
	"github.com/aggen-dev/aggen/generators/model"
)

// TestTaggedExternalFieldIsOpaque: k8s.io/api's apps/v1 DeploymentSpec
// has `+k8s:required` on `Selector *metav1.LabelSelector`. validation-gen
// refuses such a field unless its package is read-only or the field is
// opaque, and read-only packages do not work: metav1.Condition and
// core/v1's PodSpec carry +k8s:customValidation whose functions live in
// k8s.io/kubernetes. So a tagged field gets +k8s:opaqueType too, unless
// its tags already speak of it.
func TestTaggedExternalFieldIsOpaque(t *testing.T) {
	selector := &model.Type{Name: "LabelSelector", Package: "k8s.io/apimachinery/pkg/apis/meta/v1", External: true, Kind: model.StructType}
	tag := func(raw string) *model.Marker {
		return &model.Marker{Name: raw[1:], Raw: raw, Vocabulary: model.DeclarativeVocabulary}
	}
	pos := func(line int) model.Position { return model.Position{File: "types.go", Line: line} }
	v := &model.Version{Name: "v1", Types: []*model.Type{{Name: "DeploymentSpec", Fields: []*model.Field{
		{GoName: "Selector", Pos: pos(10), Parsed: []*model.Marker{tag("+k8s:required")},
			Ref: &model.TypeRef{Kind: model.PointerRef, Elem: &model.TypeRef{Kind: model.NamedRef, Named: selector}}},
		{GoName: "Claims", Pos: pos(20), Parsed: []*model.Marker{tag(`+k8s:alpha(since: "1.37")=+k8s:eachVal=+k8s:opaqueType`)},
			Ref: &model.TypeRef{Kind: model.SliceRef, Elem: &model.TypeRef{Kind: model.NamedRef, Named: selector}}},
		{GoName: "Paused", Pos: pos(30), Parsed: []*model.Marker{{Name: markers.Optional, Raw: "+optional"}},
			Ref: &model.TypeRef{Kind: model.BasicRef, Basic: "bool"}},
	}}}}
	p := &model.Project{Groups: []*model.Group{{Name: "apps", Versions: []*model.Version{v}}}}
	got := Tags(p)["types.go"]
	if !slices.Contains(got[10], "+k8s:opaqueType") {
		t.Errorf("tagged field of an external type: want +k8s:opaqueType, got %q", got[10])
	}
	if len(got[20]) != 0 {
		t.Errorf("field whose tags say opaqueType already: want no tag added, got %q", got[20])
	}
	if len(got[30]) != 0 {
		t.Errorf("+optional field without +k8s: tags: want no +k8s:optional (validation-gen's linter crashes on it), got %q", got[30])
	}
	if tags := PackageTags(p)[v]; slices.Contains(tags, "+"+markers.ValidationGenNoLint) {
		t.Errorf("package tags: want no +%s (its lint is wanted), got %q", markers.ValidationGenNoLint, tags)
	}
}

// TestOptions: k8s.io/api's batch/v1 JobSpec has
// `+k8s:ifDisabled(WorkloadWithJob)=+k8s:forbidden` on Scheduling, and
// validation-gen's output answers an internal error for an option the
// request leaves undefined, on every Job and CronJob: the strategy must
// define each option the served versions' tags name, and only those.
func TestOptions(t *testing.T) {
	tag := func(raw string) *model.Marker {
		return &model.Marker{Name: raw[1:], Raw: raw, Vocabulary: model.DeclarativeVocabulary}
	}
	spec := &model.Type{Name: "JobSpec", Fields: []*model.Field{
		{GoName: "Scheduling", Parsed: []*model.Marker{tag("+k8s:ifDisabled(WorkloadWithJob)=+k8s:forbidden"), tag("+k8s:optional")}},
		{GoName: "Claims", Parsed: []*model.Marker{tag("+k8s:item(name: \"a\")=+k8s:ifEnabled(Alpha)=+k8s:required")}},
		// Not a declarative tag: a comment that looks like one.
		{GoName: "Other", Parsed: []*model.Marker{{Name: "kubebuilder:validation:Pattern", Raw: "+kubebuilder:validation:Pattern=`k8s:ifEnabled(Nope)`"}}},
	}}
	typ := &model.Type{Name: "Widget", Parsed: []*model.Marker{tag("+k8s:ifEnabled(Beta)=+k8s:required")}}
	g := &model.Group{Versions: []*model.Version{
		{Name: "v1", Kinds: []*model.Kind{{Name: "Job"}}, Types: []*model.Type{spec}},
		{Name: "v2", Kinds: []*model.Kind{{Name: "Widget"}}, Types: []*model.Type{typ}},
	}}
	if got, want := Options(g, "Job"), []string{"Alpha", "WorkloadWithJob"}; !slices.Equal(got, want) {
		t.Errorf("Options(Job) = %q, want %q", got, want)
	}
	if got := Options(g, "Other"); got != nil {
		t.Errorf("Options of a kind no version serves = %q, want none", got)
	}
}
