package markers

import (
	"reflect"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/generators/model"
)

// at10 is where the '+' of every marker in these tests is: line 10, column 5.
var at10 = model.Position{File: "pkg/apis/g/v1/t.go", Line: 10, Column: 5}

func col(c int) model.Position {
	p := at10
	p.Column = c
	return p
}

func TestParseValid(t *testing.T) {
	r := Known()
	cases := []struct {
		text   string
		target Target
		name   string
		value  string
		args   map[string]string
	}{
		{" +genclient", OnType, GenClient, "", nil},
		{"+genclient", OnType, GenClient, "", nil},
		{" +genclient=false", OnType, GenClient, "false", nil},
		{" +genclient:nonNamespaced", OnType, GenClientNonNamespace, "", nil},
		{" +groupName=insects.example.com", OnPackage, GroupName, "insects.example.com", nil},
		{` +groupName="insects.example.com"`, OnPackage, GroupName, "insects.example.com", nil},
		{" +kubebuilder:validation:Minimum=-1.5", OnField, VMinimum, "-1.5", nil},
		{" +kubebuilder:validation:MaxLength=256  ", OnField, VMaxLength, "256", nil},
		{" +kubebuilder:validation:Enum=Red;Green;Blue", OnField, VEnum, "Red;Green;Blue", nil},
		{` +kubebuilder:validation:Pattern="^a,b=c$"`, OnField, VPattern, "^a,b=c$", nil},
		{" +kubebuilder:validation:ExclusiveMinimum", OnField, VExclusiveMin, "", nil},
		{` +kubebuilder:default={"a":1}`, OnField, KBDefault, `{"a":1}`, nil},
		{" +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object", OnType, DeepcopyInterfaces, "k8s.io/apimachinery/pkg/runtime.Object", nil},
		{" +k8s:deepcopy-gen=package", OnPackage, DeepcopyGen, "package", nil},
		{" +k8s:conversion-gen-external-types=example.com/x", OnPackage, ConversionExternal, "example.com/x", nil},
		{" +k8s:conversion-gen:explicit-from=net/url.Values", OnType, ConversionExplicit, "net/url.Values", nil},
		{" +genclient:method=GetScale,verb=get,subresource=scale", OnType, GenClientMethod, "GetScale,verb=get,subresource=scale", nil},
		{" +kubebuilder:subresource:status", OnType, SubresourceStat, "", nil},
		{" +kubebuilder:subresource:scale:specpath=.spec.replicas,statuspath=.status.replicas", OnType, SubresourceScale, "",
			map[string]string{"specpath": ".spec.replicas", "statuspath": ".status.replicas"}},
		{` +kubebuilder:printcolumn:name="Age, days",type=date,JSONPath=.metadata.creationTimestamp,priority=1`, OnType, PrintColumn, "",
			map[string]string{"name": "Age, days", "type": "date", "JSONPath": ".metadata.creationTimestamp", "priority": "1"}},
		{" +kubebuilder:printcolumn:name=Ready,type=string,JSONPath=`.status.conditions[?(@.type==\"Ready\")].status`", OnType, PrintColumn, "",
			map[string]string{"name": "Ready", "type": "string", "JSONPath": ".status.conditions[?(@.type==\"Ready\")].status"}},
		{" +kubebuilder:validation:Pattern=`^\\d+,\\d+$`", OnField, VPattern, `^\d+,\d+$`, nil},
		{" +kubebuilder:resource:scope=Cluster,shortName=bz;bzz,path=bees", OnType, Resource, "",
			map[string]string{"scope": "Cluster", "shortName": "bz;bzz", "path": "bees"}},
		{" +kubebuilder:storageversion", OnType, StorageVersion, "", nil},
		{" +aggen:groupPriorityMinimum=1000", OnPackage, GroupPriorityMinimum, "1000", nil},
		{" +kubebuilder:object:generate=true", OnPackage, ObjectGenerate, "true", nil},
	}
	for _, c := range cases {
		m, err := r.Parse(c.text, at10, c.target)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.text, err)
			continue
		}
		if m == nil {
			t.Errorf("Parse(%q) = nil", c.text)
			continue
		}
		if m.Name != c.name || m.Value != c.value || m.Pos != at10 {
			t.Errorf("Parse(%q) = %s %q at %s; want %s %q at %s", c.text, m.Name, m.Value, m.Pos, c.name, c.value, at10)
		}
		args := c.args
		if args == nil {
			args = map[string]string{}
		}
		if !reflect.DeepEqual(m.Args, args) {
			t.Errorf("Parse(%q) args = %v, want %v", c.text, m.Args, args)
		}
	}
}

func TestParseArgumentPositions(t *testing.T) {
	// "+kubebuilder:printcolumn:" is 25 bytes, so name= starts 25 columns
	// right of the '+'.
	m, err := Known().Parse(" +kubebuilder:printcolumn:name=Age,type=date,JSONPath=.spec.age", at10, OnType)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]model.Position{"name": col(30), "type": col(39), "JSONPath": col(49)}
	if !reflect.DeepEqual(m.ArgPos, want) {
		t.Errorf("ArgPos = %v, want %v", m.ArgPos, want)
	}
	if m.PosOf("format") != at10 {
		t.Errorf("PosOf an absent argument = %v, want the marker's position", m.PosOf("format"))
	}
	m, err = Known().Parse(" +kubebuilder:validation:Minimum=3", at10, OnField)
	if err != nil {
		t.Fatal(err)
	}
	if m.ValuePos != col(5+len("+kubebuilder:validation:Minimum=")) {
		t.Errorf("ValuePos = %v", m.ValuePos)
	}
}

func TestParseErrors(t *testing.T) {
	r := Known()
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
		{` +kubebuilder:validation:XPreserveUnknownFields`, OnField,
			`pkg/apis/g/v1/t.go:10:5: marker "+kubebuilder:validation:XPreserveUnknownFields" is not supported by aggen: an aggregated API server decodes into Go types, so unknown fields cannot be kept`},
		{` +kubebuilder:validation:XValidation:message="no rule"`, OnField,
			`pkg/apis/g/v1/t.go:10:5: marker "+kubebuilder:validation:XValidation" needs argument "rule"`},
		{" +kubebuilder:validation:items:MaxLength=3", OnField,
			`pkg/apis/g/v1/t.go:10:5: marker "+kubebuilder:validation:items" is not supported by aggen: item constraints are not implemented; put the markers on a named element type instead`},
		{" +kubebuilder:validation:Minimum=ten", OnField,
			`pkg/apis/g/v1/t.go:10:37: marker "+kubebuilder:validation:Minimum": "ten" is not a number`},
		{" +kubebuilder:validation:Minimum=", OnField,
			`pkg/apis/g/v1/t.go:10:37: marker "+kubebuilder:validation:Minimum": "" is not a number`},
		{" +kubebuilder:validation:Minimum=NaN", OnField,
			`pkg/apis/g/v1/t.go:10:37: marker "+kubebuilder:validation:Minimum": "NaN" is not a number`},
		{" +kubebuilder:validation:MaxLength=1.5", OnField,
			`pkg/apis/g/v1/t.go:10:39: marker "+kubebuilder:validation:MaxLength": "1.5" is not an integer`},
		{" +kubebuilder:validation:Minimum", OnField,
			`pkg/apis/g/v1/t.go:10:5: marker "+kubebuilder:validation:Minimum" needs a value (a number), as in +kubebuilder:validation:Minimum=...`},
		{" +kubebuilder:validation:Enum=a;;b", OnField,
			`pkg/apis/g/v1/t.go:10:34: marker "+kubebuilder:validation:Enum": empty item in list "a;;b"`},
		{" +kubebuilder:subresource:status=true", OnType,
			`pkg/apis/g/v1/t.go:10:5: marker "+kubebuilder:subresource:status" takes no value`},
		{" +kubebuilder:printcolumn=Age", OnType,
			`pkg/apis/g/v1/t.go:10:5: marker "+kubebuilder:printcolumn" takes arguments, as in +kubebuilder:printcolumn:name=...`},
		{" +kubebuilder:printcolumn", OnType,
			`pkg/apis/g/v1/t.go:10:5: marker "+kubebuilder:printcolumn" needs arguments "name", "type", "JSONPath"`},
		{" +kubebuilder:printcolumn:name=Age,type=date", OnType,
			`pkg/apis/g/v1/t.go:10:5: marker "+kubebuilder:printcolumn" needs argument "JSONPath"`},
		{" +kubebuilder:printcolumn:name=Age,type=date,JSONpath=.x", OnType,
			`pkg/apis/g/v1/t.go:10:49: marker "+kubebuilder:printcolumn" has no argument "JSONpath"; it takes "JSONPath", "description", "format", "name", "priority", "type" (did you mean JSONPath?)`},
		{" +kubebuilder:printcolumn:name=Age,name=Old,type=date,JSONPath=.x", OnType,
			`pkg/apis/g/v1/t.go:10:39: marker "+kubebuilder:printcolumn" repeats argument "name"`},
		{` +kubebuilder:printcolumn:name="Age,type=date,JSONPath=.x`, OnType,
			`pkg/apis/g/v1/t.go:10:30: marker "+kubebuilder:printcolumn": argument "name" has an unterminated quote`},
		{` +kubebuilder:printcolumn:name="Age"x,type=date,JSONPath=.x`, OnType,
			`pkg/apis/g/v1/t.go:10:30: marker "+kubebuilder:printcolumn": argument "name": text after the closing quote`},
		{" +kubebuilder:printcolumn:name=Age,type=date,JSONPath", OnType,
			`pkg/apis/g/v1/t.go:10:49: marker "+kubebuilder:printcolumn": argument "JSONPath" is not key=value`},
		{" +kubebuilder:printcolumn:name=Age,type=date,JSONPath=.x,", OnType,
			`pkg/apis/g/v1/t.go:10:60: marker "+kubebuilder:printcolumn": trailing ','`},
		{" +kubebuilder:printcolumn:name=Age,type=date,JSONPath=.x,priority=high", OnType,
			`pkg/apis/g/v1/t.go:10:61: marker "+kubebuilder:printcolumn" argument "priority": "high" is not an integer`},
		{" +kubebuilder:printcolumn:name=`Age,type=date,JSONPath=.x", OnType,
			`pkg/apis/g/v1/t.go:10:30: marker "+kubebuilder:printcolumn": argument "name" has an unterminated quote`},
		{" +kubebuilder:validation:Pattern=`abc", OnField,
			"pkg/apis/g/v1/t.go:10:37: marker \"+kubebuilder:validation:Pattern\": bad quoted string \"`abc\""},
		{" +kubebuilder:subresource:status", OnField,
			`pkg/apis/g/v1/t.go:10:5: marker "+kubebuilder:subresource:status" belongs on a type, not on a field`},
		{" +groupName=x.example.com", OnType,
			`pkg/apis/g/v1/t.go:10:5: marker "+groupName" belongs on a package, not on a type`},
		{" +kubebuilder:validation:Minimum=1", OnPackage,
			`pkg/apis/g/v1/t.go:10:5: marker "+kubebuilder:validation:Minimum" belongs on a type or field, not on a package`},
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

func TestParseIgnoresOtherNamespaces(t *testing.T) {
	r := Known()
	for _, text := range []string{
		" +listType=map", " +listMapKey=type", " +k8s:validation:minimum=1", " +patchStrategy=merge",
		" +enum", " +featureGate=Foo", " +groupGoName=Bees", " +k8s:conversion-fn=drop", " +",
		" +kubebuilderx:foo", " +operator-sdk:csv:customresourcedefinitions:type=spec",
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
		"k8s:openapi-gen":                true,
		"kubebuilder":                    true,
		"listType":                       false,
		"k8s:validation:minimum":         false,
		"optional":                       false,
	} {
		if got := Policed(name); got != want {
			t.Errorf("Policed(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestSuggest(t *testing.T) {
	r := Known()
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
		"kubebuilder:validation:Max":       "",
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

// TestKnownMarkersParse checks every known marker in its simplest valid
// form, so a definition that its own parser rejects cannot slip in.
func TestKnownMarkersParse(t *testing.T) {
	r := Known()
	sample := map[ValueKind]string{String: "x", Int: "1", Number: "1", Bool: "true", StringList: "a;b", Raw: "x"}
	for _, name := range r.Names() {
		d := r.Lookup(name)
		text := " +" + name
		switch {
		case len(d.Args) > 0:
			var kv []string
			for _, k := range keys(d.Args) {
				kv = append(kv, k+"="+sample[d.Args[k]])
			}
			text += ":" + strings.Join(kv, ",")
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
		if !Policed(name) && !strings.Contains("optional required default", name) {
			t.Errorf("known marker %s is outside the policed namespaces", name)
		}
	}
}
