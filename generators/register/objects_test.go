package register

import (
	"slices"
	"sort"
	"testing"

	"k8s.io/gengo/v2/types"
)

// TestHideNonObjects: register-gen sees the types that embed TypeMeta
// only when they are runtime.Objects: tagged for DeepCopyObject (alone or
// in a list), or with the method written; restore puts the others back.
func TestHideNonObjects(t *testing.T) {
	typeMeta := types.Member{Name: "TypeMeta", Embedded: true, Type: &types.Type{Name: types.Name{Package: "k8s.io/apimachinery/pkg/apis/meta/v1", Name: "TypeMeta"}}}
	mk := func(name string, comments []string, methods map[string]*types.Type, members ...types.Member) *types.Type {
		return &types.Type{Name: types.Name{Package: "p", Name: name}, Kind: types.Struct, CommentLines: comments, Methods: methods, Members: members}
	}
	pkg := &types.Package{Path: "p", Types: map[string]*types.Type{
		"Kind":     mk("Kind", []string{"Kind is a kind.", "+k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object"}, nil, typeMeta),
		"Listed":   mk("Listed", []string{" +k8s:deepcopy-gen:interfaces=example.com/x.I,k8s.io/apimachinery/pkg/runtime.Object"}, nil, typeMeta),
		"Written":  mk("Written", nil, map[string]*types.Type{"DeepCopyObject": {}}, typeMeta),
		"Embedded": mk("Embedded", []string{"+k8s:deepcopy-gen:interfaces=example.com/x.I"}, nil, typeMeta),
		"Plain":    mk("Plain", nil, nil),
	}}
	tagged := &types.Package{Path: "q", Comments: []string{"+k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object"},
		Types: map[string]*types.Type{"E": mk("E", nil, nil, typeMeta)}}
	u := types.Universe{"p": pkg, "q": tagged}
	restore := hideNonObjects(u, []string{"p", "q"})
	var left []string
	for n := range pkg.Types {
		left = append(left, n)
	}
	sort.Strings(left)
	if want := []string{"Kind", "Listed", "Plain", "Written"}; !slices.Equal(left, want) {
		t.Errorf("register-gen sees %v, want %v", left, want)
	}
	if len(tagged.Types) != 1 {
		t.Errorf("a package tagged for DeepCopyObject lost types")
	}
	restore()
	if len(pkg.Types) != 5 || pkg.Types["Embedded"] == nil {
		t.Errorf("restore left %d types", len(pkg.Types))
	}
}
