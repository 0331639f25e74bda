package markers

import (
	"reflect"
	"strings"
	"testing"

	crdmarkers "sigs.k8s.io/controller-tools/pkg/crd/markers"

	"github.com/aggen-dev/aggen/generators/model"
)

// at10 is where the '+' of every marker in these tests is: line 10, column 5.
var at10 = model.Position{File: "pkg/apis/g/v1/t.go", Line: 10, Column: 5}

func col(c int) model.Position {
	p := at10
	p.Column = c
	return p
}

func TestParseOwn(t *testing.T) {
	r := MustKnown()
	cases := []struct {
		text   string
		target Target
		name   string
		value  string
	}{
		{" +genclient", OnType, GenClient, ""},
		{"+genclient", OnType, GenClient, ""},
		{" +genclient=false", OnType, GenClient, "false"},
		{" +genclient:nonNamespaced", OnType, GenClientNonNamespace, ""},
		{" +groupName=insects.example.com", OnPackage, GroupName, "insects.example.com"},
		{` +groupName="insects.example.com"`, OnPackage, GroupName, "insects.example.com"},
		{" +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object", OnType, DeepcopyInterfaces, "k8s.io/apimachinery/pkg/runtime.Object"},
		{" +k8s:deepcopy-gen=package", OnPackage, DeepcopyGen, "package"},
		{" +k8s:conversion-gen-external-types=example.com/x", OnPackage, ConversionExternal, "example.com/x"},
		{" +k8s:conversion-gen:explicit-from=net/url.Values", OnType, ConversionExplicit, "net/url.Values"},
		{" +k8s:conversion-fn=drop", OnField, ConversionFn, "drop"},
		{" +genclient:method=GetScale,verb=get,subresource=scale", OnType, GenClientMethod, "GetScale,verb=get,subresource=scale"},
		{" +aggen:groupPriorityMinimum=1000", OnPackage, GroupPriorityMinimum, "1000"},
		{" +kubebuilder:object:generate=true", OnPackage, ObjectGenerate, "true"},
		{" +kubebuilder:object:root=true", OnType, ObjectRoot, "true"},
		{" +k8s:prerelease-lifecycle-gen:introduced=1.30", OnType, LifecycleIntroduced, "1.30"},
	}
	for _, c := range cases {
		m, err := r.Parse(c.text, at10, c.target)
		if err != nil || m == nil {
			t.Errorf("Parse(%q) = %v, %v", c.text, m, err)
			continue
		}
		if m.Name != c.name || m.Value != c.value || m.Pos != at10 || m.Vocabulary != model.AggenVocabulary {
			t.Errorf("Parse(%q) = %s %q at %s (%v); want %s %q at %s", c.text, m.Name, m.Value, m.Pos, m.Vocabulary, c.name, c.value, at10)
		}
	}
}

// TestParseCRD checks that the CRD markers get controller-tools' own typed
// values, in every syntax controller-gen accepts.
func TestParseCRD(t *testing.T) {
	r := MustKnown()
	f64 := func(f float64) crdmarkers.Minimum { return crdmarkers.Minimum(f) }
	cases := []struct {
		text   string
		target Target
		name   string
		value  any
	}{
		{" +kubebuilder:validation:Minimum=-1.5", OnField, VMinimum, f64(-1.5)},
		{" +kubebuilder:validation:Minimum:=1", OnField, VMinimum, f64(1)},
		{" +kubebuilder:validation:MaxLength=256  ", OnField, VMaxLength, crdmarkers.MaxLength(256)},
		{" +kubebuilder:validation:Enum=Red;Green;Blue", OnField, VEnum, crdmarkers.Enum{"Red", "Green", "Blue"}},
		{` +kubebuilder:validation:Pattern="^a,b=c$"`, OnField, VPattern, crdmarkers.Pattern("^a,b=c$")},
		{" +kubebuilder:validation:Pattern=`^\\d+,\\d+$`", OnField, VPattern, crdmarkers.Pattern(`^\d+,\d+$`)},
		{` +kubebuilder:default={"a":1}`, OnField, KBDefault, crdmarkers.Default{Value: map[string]any{"a": 1}}},
		{" +kubebuilder:default:=false", OnField, KBDefault, crdmarkers.Default{Value: false}},
		{` +kubebuilder:default={{path: {type: "Prefix"}}}`, OnField, KBDefault,
			crdmarkers.Default{Value: []map[string]any{{"path": map[string]any{"type": "Prefix"}}}}},
		{" +kubebuilder:subresource:status", OnType, SubresourceStat, crdmarkers.SubresourceStatus{}},
		{" +kubebuilder:storageversion", OnType, StorageVersion, crdmarkers.StorageVersion{}},
		{` +kubebuilder:printcolumn:name="Age, days",type=date,JSONPath=.metadata.creationTimestamp,priority=1`, OnType, PrintColumn,
			crdmarkers.PrintColumn{Name: "Age, days", Type: "date", JSONPath: ".metadata.creationTimestamp", Priority: 1}},
		{" +kubebuilder:resource:scope=Cluster,shortName=bz;bzz,path=bees", OnType, Resource,
			crdmarkers.Resource{Scope: "Cluster", ShortName: []string{"bz", "bzz"}, Path: "bees"}},
		{" +optional", OnField, Optional, struct{}{}},
		{" +listType=map", OnField, "listType", crdmarkers.ListType("map")},
		{" +nullable", OnField, "nullable", crdmarkers.Nullable{}},
		{" +kubebuilder:validation:items:MaxLength=3", OnField, "kubebuilder:validation:items:MaxLength", crdmarkers.MaxLength(3)},
		{` +kubebuilder:validation:XValidation:rule="self.a > 0",message="a must be positive"`, OnField, "kubebuilder:validation:XValidation",
			crdmarkers.XValidation{Rule: "self.a > 0", Message: "a must be positive"}},
		{" +kubebuilder:title=Bee", OnField, "kubebuilder:title", crdmarkers.Title{Value: "Bee"}},
	}
	for _, c := range cases {
		m, err := r.Parse(c.text, at10, c.target)
		if err != nil || m == nil {
			t.Errorf("Parse(%q) = %v, %v", c.text, m, err)
			continue
		}
		if m.Name != c.name || m.Vocabulary != model.CRDVocabulary || !reflect.DeepEqual(m.Value, c.value) {
			t.Errorf("Parse(%q) = %s %#v (%v); want %s %#v", c.text, m.Name, m.Value, m.Vocabulary, c.name, c.value)
		}
	}
}

func TestParseDeclarative(t *testing.T) {
	r := MustKnown()
	for _, c := range []struct {
		text  string
		name  string
		value any // the CRD value for tags controller-tools knows
	}{
		{" +k8s:minimum=1", "k8s:minimum", crdmarkers.Minimum(1)},
		{" +k8s:required", "k8s:required", crdmarkers.K8sRequired{}},
		{" +k8s:format=k8s-short-name", "k8s:format", nil},
		{" +k8s:eachVal=+k8s:minimum=1", "k8s:eachVal", nil},
		{` +k8s:item(type: "Ready")=+k8s:required`, "k8s:item", nil},
		{" +k8s:listType=map", "k8s:listType", crdmarkers.ListType("map")},
		{" +k8s:unionMember", "k8s:unionMember", nil},
	} {
		m, err := r.Parse(c.text, at10, OnField)
		if err != nil || m == nil {
			t.Errorf("Parse(%q) = %v, %v", c.text, m, err)
			continue
		}
		if m.Name != c.name || m.Vocabulary != model.DeclarativeVocabulary || !reflect.DeepEqual(m.Value, c.value) {
			t.Errorf("Parse(%q) = %s %#v (%v); want %s %#v", c.text, m.Name, m.Value, m.Vocabulary, c.name, c.value)
		}
	}
}

func TestParseErrors(t *testing.T) {
	r := MustKnown()
	cases := []struct {
		text   string
		target Target
		want   string // the whole error text
	}{
		{" +kubebuilder:validation:Minimun=1", OnField,
			`pkg/apis/g/v1/t.go:10:5: unknown marker "+kubebuilder:validation:Minimun" (did you mean +kubebuilder:validation:Minimum?)`},
		{" +kubebuilder:validation:minimum=1", OnField,
			`pkg/apis/g/v1/t.go:10:5: unknown marker "+kubebuilder:validation:minimum" (did you mean +kubebuilder:validation:Minimum?)`},
		{" +kubebuilder:valdiation:Maximum=1", OnField,
			`pkg/apis/g/v1/t.go:10:5: unknown marker "+kubebuilder:valdiation:Maximum" (did you mean +kubebuilder:validation:Maximum?)`},
		{" +kubebuilder:printcolum:name=Age,type=date,JSONPath=.x", OnType,
			`pkg/apis/g/v1/t.go:10:5: unknown marker "+kubebuilder:printcolum" (did you mean +kubebuilder:printcolumn?)`},
		{" +kubebuilder:subresource:statuss", OnType,
			`pkg/apis/g/v1/t.go:10:5: unknown marker "+kubebuilder:subresource:statuss" (did you mean +kubebuilder:subresource:status?)`},
		{" +genclient:nonNamespace", OnType,
			`pkg/apis/g/v1/t.go:10:5: unknown marker "+genclient:nonNamespace" (did you mean +genclient:nonNamespaced?)`},
		{" +kubebuilder:validation:Foo=1", OnField,
			`pkg/apis/g/v1/t.go:10:5: unknown marker "+kubebuilder:validation:Foo"`},
		{" +aggen:frobnicate", OnType,
			`pkg/apis/g/v1/t.go:10:5: unknown marker "+aggen:frobnicate"`},
		{" +k8s:minimun=1", OnField,
			`pkg/apis/g/v1/t.go:10:5: unknown marker "+k8s:minimun" (did you mean +k8s:minimum?)`},
		{" +k8s:eachVal=+k8s:maxItem=1", OnField,
			`pkg/apis/g/v1/t.go:10:5: unknown marker "+k8s:maxItem" (did you mean +k8s:maxItems?)`},
		{" +k8s:minimum=ten", OnField,
			`pkg/apis/g/v1/t.go:10:5: marker "+k8s:minimum": "ten" is not an integer`},
		{" +k8s:required=true", OnField,
			`pkg/apis/g/v1/t.go:10:5: marker "+k8s:required" takes no value`},
		{" +k8s:enum", OnField,
			`pkg/apis/g/v1/t.go:10:5: marker "+k8s:enum" belongs on a type, not on a field`},
		{" +optinal", OnField,
			`pkg/apis/g/v1/t.go:10:5: unknown marker "+optinal" (did you mean +optional?)`},
		{" +kubebuilder:validation:XPreserveUnknownFields", OnField,
			`pkg/apis/g/v1/t.go:10:5: marker "+kubebuilder:validation:XPreserveUnknownFields" is not supported by aggen: an aggregated API server decodes into Go types, so unknown fields cannot be kept; use a field of type runtime.RawExtension or apiextensionsv1.JSON for free-form data`},
		{" +kubebuilder:skipversion", OnType,
			`pkg/apis/g/v1/t.go:10:5: marker "+kubebuilder:skipversion" is not supported by aggen: every version directory under pkg/apis is served; remove the directory instead`},
		{" +kubebuilder:subresource:status", OnField,
			`pkg/apis/g/v1/t.go:10:5: marker "+kubebuilder:subresource:status" belongs on a type, not on a field`},
		{" +groupName=x.example.com", OnType,
			`pkg/apis/g/v1/t.go:10:5: marker "+groupName" belongs on a package, not on a type`},
		{" +genclient=maybe", OnType,
			`pkg/apis/g/v1/t.go:10:16: marker "+genclient": "maybe" is not true or false`},
	}
	for _, c := range cases {
		m, err := r.Parse(c.text, at10, c.target)
		if err == nil {
			t.Errorf("Parse(%q) = %+v, want error %s", c.text, m, c.want)
			continue
		}
		if err.Error() != c.want {
			t.Errorf("Parse(%q):\n got %s\nwant %s", c.text, err, c.want)
		}
	}
}

// TestParseCRDValueErrors checks that a bad value of a CRD marker is an
// error at the value, whatever controller-tools' wording.
func TestParseCRDValueErrors(t *testing.T) {
	r := MustKnown()
	for _, text := range []string{
		" +kubebuilder:validation:Minimum=ten",
		" +kubebuilder:validation:MaxLength=1.5",
		" +kubebuilder:validation:MaxLength=",
		" +kubebuilder:printcolumn:name=Age,type=date,JSONpath=.x",
		" +kubebuilder:printcolumn:name=Age,type=date,JSONPath=.x,priority=high",
	} {
		_, err := r.Parse(text, at10, OnField|OnType&^OnField)
		if err == nil {
			_, err = r.Parse(text, at10, OnType)
		}
		if err == nil {
			t.Errorf("Parse(%q): no error", text)
			continue
		}
		if !strings.Contains(err.Error(), "marker \"+kubebuilder:") || strings.Contains(err.Error(), "\n") {
			t.Errorf("Parse(%q) = %v: want one line naming the marker", text, err)
		}
	}
}

func TestParseIgnoresOtherNamespaces(t *testing.T) {
	r := MustKnown()
	for _, text := range []string{
		" +patchStrategy=merge", " +patchMergeKey=name", " +enum", " +featureGate=Foo", " +groupGoName=Bees", " +",
		" +kubebuilderx:foo", " +operator-sdk:csv:customresourcedefinitions:type=spec", " +protobuf=true",
	} {
		m, err := r.Parse(text, at10, OnField)
		if m != nil || err != nil {
			t.Errorf("Parse(%q) = %v, %v; want nil, nil", text, m, err)
		}
	}
}

func TestIsMarker(t *testing.T) {
	for text, want := range map[string]bool{
		" +genclient":         true,
		"+optional":           true,
		"\t+optional":         true,
		" + not a marker":     false,
		" ++ nor this":        false,
		" +":                  false,
		" text +genclient":    false,
		"":                    false,
		" -kubebuilder:thing": false,
	} {
		if got := IsMarker(text); got != want {
			t.Errorf("IsMarker(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestPoliced(t *testing.T) {
	for name, want := range map[string]bool{
		"kubebuilder:validation:Minimum": true,
		"kubebuilder:anything":           true,
		"aggen:x":                        true,
		"genclient":                      true,
		"genclient:noStatus":             true,
		"groupName":                      true,
		"k8s:deepcopy-gen:interfaces":    true,
		"k8s:minimum":                    true,
		"kubebuilder":                    true,
		"listType":                       false,
		"optional":                       false,
	} {
		if got := Policed(name); got != want {
			t.Errorf("Policed(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestSuggest(t *testing.T) {
	r := MustKnown()
	for name, want := range map[string]string{
		"kubebuilder:validation:Minimun":   "kubebuilder:validation:Minimum",
		"kubebuilder:validation:Maxmimum":  "kubebuilder:validation:Maximum",
		"kubebuilder:validation:MaxLenght": "kubebuilder:validation:MaxLength",
		"kubebuilder:validation:MINITEMS":  "kubebuilder:validation:MinItems",
		"kubebuilder:printcolunm":          "kubebuilder:printcolumn",
		"kubebuilder:storageVersion":       "kubebuilder:storageversion",
		"kubebuilder:selectableField":      "kubebuilder:selectablefield",
		"kubebuilder:subresources:status":  "kubebuilder:subresource:status",
		"genclient:nonNamespced":           "genclient:nonNamespaced",
		"groupname":                        "groupName",
		"kubebuilder:validation:Foo":       "",
		"kubebuilder:validation:Enumm":     "kubebuilder:validation:Enum",
		"aggen:versionPriorty":             "aggen:versionPriority",
		"aggen:something":                  "",
		"zzz":                              "",
	} {
		if got := r.Suggest(name); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"Minimun", "Minimum", 1},
		{"ab", "ba", 1}, {"kitten", "sitting", 3}, {"MaxLenght", "MaxLength", 1}, {"héllo", "hello", 1},
	} {
		if got := distance(c.a, c.b); got != c.d {
			t.Errorf("distance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
		if got := distance(c.b, c.a); got != c.d {
			t.Errorf("distance(%q, %q) = %d, want %d", c.b, c.a, got, c.d)
		}
	}
}

// TestOwnMarkersParse checks every one of aggen's own markers in its
// simplest valid form, so a definition that its own parser rejects cannot
// slip in.
func TestOwnMarkersParse(t *testing.T) {
	r := MustKnown()
	sample := map[ValueKind]string{String: "x", Int: "1", Number: "1", Bool: "true", StringList: "a;b", Raw: "x"}
	for _, name := range r.names {
		d := r.Lookup(name)
		text := " +" + name
		switch {
		case len(d.Args) > 0:
			var kv []string
			for _, k := range keys(d.Args) {
				kv = append(kv, k+"="+sample[d.Args[k]])
			}
			text += ":" + strings.Join(kv, ",")
		case len(d.OneOf) > 0:
			text += "=" + d.OneOf[len(d.OneOf)-1]
		case d.Value != NoValue:
			text += "=" + sample[d.Value]
		}
		for _, target := range []Target{OnPackage, OnType, OnField} {
			if d.Targets&target == 0 {
				continue
			}
			m, err := r.Parse(text, at10, target)
			if err != nil || m == nil || m.Name != name {
				t.Errorf("Parse(%q) on a %s = %v, %v", text, target, m, err)
			}
		}
		if !Policed(name) {
			t.Errorf("own marker %s is outside the policed namespaces", name)
		}
	}
}
