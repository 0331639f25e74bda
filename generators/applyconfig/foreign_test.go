package applyconfig

import (
	"reflect"
	"testing"

	"k8s.io/gengo/v2/generator"
	"k8s.io/gengo/v2/types"
)

// TestForeignShapes: in the input packages only, an inlined struct
// without apply configuration gives its fields, a list of pointers to one
// becomes a list of it; structs that have apply configurations (the
// inputs', the external ones) stay; undo puts the parse back.
func TestForeignShapes(t *testing.T) {
	str := types.String
	foreign := &types.Type{Name: types.Name{Package: "example.com/meta", Name: "RequestStatus"}, Kind: types.Struct, Members: []types.Member{
		{Name: "LastHandled", Type: str, Tags: `json:"lastHandled,omitempty"`},
	}}
	artifact := &types.Type{Name: types.Name{Package: "example.com/meta", Name: "Artifact"}, Kind: types.Struct}
	typeMeta := &types.Type{Name: types.Name{Package: "k8s.io/apimachinery/pkg/apis/meta/v1", Name: "TypeMeta"}, Kind: types.Struct}
	own := &types.Type{Name: types.Name{Package: "example.com/p/v1", Name: "Own"}, Kind: types.Struct}
	status := &types.Type{Name: types.Name{Package: "example.com/p/v1", Name: "Status"}, Kind: types.Struct, Members: []types.Member{
		{Name: "TypeMeta", Type: typeMeta, Embedded: true, Tags: `json:",inline"`},
		{Name: "URL", Type: str, Tags: `json:"url,omitempty"`},
		{Name: "RequestStatus", Type: foreign, Embedded: true, Tags: `json:",inline"`},
		{Name: "History", Type: &types.Type{Kind: types.Slice, Elem: &types.Type{Kind: types.Pointer, Elem: artifact}}, Tags: `json:"history,omitempty"`},
		{Name: "Owns", Type: &types.Type{Kind: types.Slice, Elem: &types.Type{Kind: types.Pointer, Elem: own}}, Tags: `json:"owns,omitempty"`},
		{Name: "Named", Type: foreign, Embedded: true, Tags: `json:"named"`},
	}}
	outside := &types.Type{Name: types.Name{Package: "example.com/meta", Name: "Outside"}, Kind: types.Struct, Members: []types.Member{
		{Name: "RequestStatus", Type: foreign, Embedded: true, Tags: `json:",inline"`},
	}}
	u := types.Universe{
		"example.com/p/v1": &types.Package{Path: "example.com/p/v1", Types: map[string]*types.Type{"Status": status, "Own": own}},
		"example.com/meta": &types.Package{Path: "example.com/meta", Types: map[string]*types.Type{"RequestStatus": foreign, "Artifact": artifact, "Outside": outside}},
	}
	before := status.Members
	original := status
	c := &generator.Context{Universe: u, Order: []*types.Type{outside, status}}
	undo := foreignShapes(c, []string{"example.com/p/v1"}, map[types.Name]string{typeMeta.Name: "k8s.io/client-go/applyconfigurations/meta/v1"})
	if !reflect.DeepEqual(status.Members, before) {
		t.Errorf("Status changed in the parse")
	}
	status = u["example.com/p/v1"].Types["Status"]
	if status == original || c.Order[1] != status {
		t.Errorf("the context does not show Status's copy")
	}
	var names []string
	for _, m := range status.Members {
		names = append(names, m.Name)
	}
	if want := []string{"TypeMeta", "URL", "LastHandled", "History", "Owns", "Named"}; !reflect.DeepEqual(names, want) {
		t.Errorf("members %v, want %v", names, want)
	}
	if h := status.Members[3].Type; h.Kind != types.Slice || h.Elem != artifact {
		t.Errorf("History is %v, want []Artifact", h)
	}
	if o := status.Members[4].Type; o.Elem.Kind != types.Pointer {
		t.Errorf("Owns changed to %v", o)
	}
	if len(outside.Members) != 1 {
		t.Errorf("a type outside the inputs changed")
	}
	undo()
	if u["example.com/p/v1"].Types["Status"] != original || c.Order[1] != original {
		t.Errorf("undo left Status's copy in the context")
	}
}
