package output

import "testing"

func TestPlaceHolds(t *testing.T) {
	for _, c := range []struct {
		place Place
		rel   string
		want  bool
	}{
		{"pkg/generated/", "pkg/generated/clientset/versioned/clientset.go", true},
		{"pkg/generated/", "pkg/generatedx/a.go", false},
		{"pkg/generated/", "pkg/generated", false},
		{"zz_generated.*", "pkg/apis/insects/v1/zz_generated.deepcopy.go", true},
		{"zz_generated.*", "zz_generated.go", true},
		{"zz_generated.*", "zz_generatedgo", false},
		{"zz_generated.*", "pkg/apis/insects/v1/generated.go", false},
		{"pkg/apis/*/doc.go", "pkg/apis/insects/doc.go", true},
		{"pkg/apis/*/doc.go", "pkg/apis/insects/v1/doc.go", false},
		{"hack/e2e-binaries.sh", "hack/e2e-binaries.sh", true},
		{"hack/e2e-binaries.sh", "other/hack/e2e-binaries.sh", false},
	} {
		if got := c.place.Holds(c.rel); got != c.want {
			t.Errorf("Place(%q).Holds(%q) = %v, want %v", c.place, c.rel, got, c.want)
		}
	}
}

func TestSetHolds(t *testing.T) {
	s := NewSet()
	if s.Holds("pkg/generated/a.go") {
		t.Error("a set that claims no place holds a file")
	}
	s.Claim("config/", "zz_generated.*")
	for rel, want := range map[string]bool{"config/base/a.yaml": true, "pkg/x/zz_generated.y.go": true, "pkg/x/y.go": false} {
		if got := s.Holds(rel); got != want {
			t.Errorf("Holds(%q) = %v, want %v", rel, got, want)
		}
	}
}
