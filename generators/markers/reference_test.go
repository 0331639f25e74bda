package markers

import (
	"os"
	"strings"
	"testing"
)

const (
	refBegin = "<!-- BEGIN GENERATED: markers.Reference, kept equal by TestReferenceIsDocumented -->\n"
	refEnd   = "<!-- END GENERATED -->"
)

// TestReferenceIsDocumented keeps the reference in docs/markers.md equal to
// the registry; -update rewrites it.
func TestReferenceIsDocumented(t *testing.T) {
	const doc = "../../docs/markers.md"
	b, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, refBegin)
	end := strings.Index(text, refEnd)
	if start < 0 || end < start {
		t.Fatalf("%s has no generated reference section", doc)
	}
	want := text[:start+len(refBegin)] + MustKnown().Reference() + text[end:]
	if *update {
		if err := os.WriteFile(doc, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if text != want {
		t.Errorf("%s is not what the registry says; run go test ./generators/markers -run TestReferenceIsDocumented -update", doc)
	}
}
