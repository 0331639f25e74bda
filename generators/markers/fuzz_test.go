package markers

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aggen-dev/aggen/generators/model"
)

// FuzzParse feeds arbitrary comment text to the parser. Whatever the
// input, Parse must not panic, must be deterministic, and must return
// exactly one of: a marker that is known and allowed on the target, an
// *Error positioned on the marker's line, or (for text outside the policed
// namespaces) nothing at all.
//
// A short run is part of the test suite:
//
//	go test -run '^$' -fuzz '^FuzzParse$' -fuzztime 10s ./generators/markers
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		" +genclient",
		" +genclient=false",
		" +genclient:nonNamespaced",
		" +groupName=insects.example.com",
		` +groupName="quoted.example.com"`,
		" +kubebuilder:validation:Minimum=1",
		" +kubebuilder:validation:Minimun=1",
		" +kubebuilder:validation:Maximum=-2.5e3",
		" +kubebuilder:validation:Enum=a;b;c",
		` +kubebuilder:validation:Pattern="^[a-z]+\"$"`,
		" +kubebuilder:validation:MaxLength=",
		` +kubebuilder:default={"x":[1,2]}`,
		` +kubebuilder:printcolumn:name="Age",type=date,JSONPath=.metadata.creationTimestamp`,
		` +kubebuilder:printcolumn:name="A,b",type=string,JSONPath=".spec.a",priority=0,description="x\\y"`,
		" +kubebuilder:printcolumn:name=,type=,JSONPath=",
		" +kubebuilder:printcolumn:name=A,,type=string",
		" +kubebuilder:printcolumn:=A",
		` +kubebuilder:printcolumn:name="`,
		" +kubebuilder:resource:scope=Cluster,shortName=a;b,categories=all",
		" +kubebuilder:subresource:scale:specpath=.spec.replicas,statuspath=.status.replicas,selectorpath=.status.selector",
		" +kubebuilder:subresource:status",
		" +kubebuilder:selectablefield:JSONPath=.spec.color",
		" +kubebuilder:validation:XValidation:rule=\"self > 0\"",
		" +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object",
		" +k8s:openapi-gen=false",
		" +aggen:groupPriorityMinimum=100",
		" +listType=map",
		" +k8s:eachVal=+k8s:minimum=1",
		` +k8s:item(type: "Ready")=+k8s:required`,
		" +k8s:minimum:=1",
		` +kubebuilder:default:={{a: b}}`,
		" +optinal",
		" +",
		"+",
		"",
		" + spaced",
		" +kubebuilder:",
		" +kubebuilder::=",
		" +=",
		" +:",
		" +genclient:method=Get,verb=get",
		" +kubebuilder:validation:Minimum=1e400",
		" +kubebuilder:validation:Enum=é;ü",
		" +kubebuilder:validation:Minimum=\xff",
	} {
		for _, target := range []Target{OnPackage, OnType, OnField} {
			f.Add(seed, int(target))
		}
	}
	r := MustKnown()
	f.Fuzz(func(t *testing.T, text string, target int) {
		tg := Target(1 << (uint(target) % 4))
		// The loader only passes marker lines; anything else must merely
		// not panic.
		if !IsMarker(text) {
			_, _ = r.Parse(text, at10, tg)
			return
		}
		m, err := r.Parse(text, at10, tg)
		m2, err2 := r.Parse(text, at10, tg)
		if !reflect.DeepEqual(m, m2) || !reflect.DeepEqual(err, err2) {
			t.Fatalf("Parse(%q) is not deterministic: %v %v / %v %v", text, m, err, m2, err2)
		}
		switch {
		case m != nil && err != nil:
			t.Fatalf("Parse(%q) returned both %v and %v", text, m, err)
		case err != nil:
			var me *Error
			if !errors.As(err, &me) {
				t.Fatalf("Parse(%q) error %T is not a *Error", text, err)
			}
			if me.Pos.File != at10.File || me.Pos.Line != at10.Line || me.Pos.Column < at10.Column {
				t.Fatalf("Parse(%q) error at %s, not on the marker's line at or after its '+'", text, me.Pos)
			}
			if me.Pos.Column > at10.Column+len(text) {
				t.Fatalf("Parse(%q) error at column %d, past the end of the line", text, me.Pos.Column)
			}
			if me.Msg == "" || strings.Contains(me.Msg, "\n") {
				t.Fatalf("Parse(%q) error message %q is empty or spans lines", text, me.Msg)
			}
			if me.Suggestion != "" && r.Lookup(strings.TrimPrefix(me.Suggestion, "+")) == nil && !utf8.ValidString(me.Suggestion) {
				t.Fatalf("Parse(%q) suggests %q", text, me.Suggestion)
			}
		case m != nil && m.Vocabulary != model.AggenVocabulary:
			if !slices.Contains(r.Names(), m.Name) {
				t.Fatalf("Parse(%q) returned unknown marker %q", text, m.Name)
			}
			if m.Pos != at10 {
				t.Fatalf("Parse(%q) marker at %s", text, m.Pos)
			}
		case m != nil:
			d := r.Lookup(m.Name)
			if d == nil {
				t.Fatalf("Parse(%q) returned unknown marker %q", text, m.Name)
			}
			if d.Targets&tg == 0 {
				t.Fatalf("Parse(%q) accepted %s on a %s", text, m.Name, tg)
			}
			if m.Pos != at10 {
				t.Fatalf("Parse(%q) marker at %s", text, m.Pos)
			}
			for _, req := range d.Required {
				if _, ok := m.Args[req]; !ok {
					t.Fatalf("Parse(%q) accepted %s without %s", text, m.Name, req)
				}
			}
			for k := range m.Args {
				if _, ok := d.Args[k]; !ok {
					t.Fatalf("Parse(%q) accepted unknown argument %s", text, k)
				}
				if _, ok := m.ArgPos[k]; !ok {
					t.Fatalf("Parse(%q) has no position for argument %s", text, k)
				}
			}
		default:
			body := strings.TrimPrefix(strings.TrimSpace(text), "+")
			head, _, _ := strings.Cut(body, "=")
			head, _, _ = strings.Cut(head, "(")
			if Policed(head) {
				t.Fatalf("Parse(%q) ignored a marker of a policed namespace", text)
			}
		}
	})
}
