package v1beta1

import (
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Phase is where a Shapes is in its life.
// +enum
type Phase string

const (
	// PhasePending waits
	// for its turn.
	PhasePending Phase = "Pending"
	// PhaseRunning runs.
	PhaseRunning Phase = "Running"
	// PhaseDone is done.
	PhaseDone Phase = "Done"
)

// DefaultMode is the mode when none is given.
const DefaultMode = "fast"

// Shapes holds the field shapes openapi-gen knows.
//
// It has a second paragraph,
//
//	an indented line,
//
// and a tail.
// TODO: nothing.
// ---
// Not in the description.
// +k8s:openapi-gen=x-kubernetes-preserve-unknown-fields:true
// +structType=atomic
type Shapes struct {
	metav1.TypeMeta `json:",inline"`

	// Phase is an enum.
	// +optional
	Phase Phase `json:"phase,omitempty"`
	// Phases is a list of enums.
	// +listType=set
	Phases []Phase `json:"phases"`
	// PhaseByName is a map of enums.
	PhaseByName map[string]*Phase `json:"phaseByName,omitempty"`
	// Size has numeric validations.
	// +k8s:validation:minimum=1
	// +k8s:validation:maximum=1000000
	// +k8s:validation:exclusiveMaximum
	// +k8s:validation:multipleOf=0.5
	Size float64 `json:"size"`
	// Name has string validations.
	// +k8s:validation:minLength=1
	// +k8s:validation:maxLength=63
	// +k8s:validation:pattern="^[a-z<>&]+$"
	// +k8s:validation:format="dns-label"
	Name string `json:"name"`
	// Tags has list validations.
	// +k8s:validation:minItems=1
	// +k8s:validation:maxItems=10
	// +k8s:validation:uniqueItems
	// +listType=atomic
	Tags []string `json:"tags,omitempty"`
	// Props has map validations.
	// +k8s:validation:minProperties=1
	// +k8s:validation:maxProperties=3
	// +mapType=atomic
	Props map[string]string `json:"props,omitempty"`
	// Mode defaults to a constant.
	// +default=ref(DefaultMode)
	// +optional
	Mode string `json:"mode,omitempty"`
	// Count is a number sent as a string.
	Count int64 `json:"count,string"`
	// Ratio defaults to a float.
	// +default=0.25
	Ratio *float64 `json:"ratio,omitempty"`
	// Flag defaults to true.
	// +default=true
	Flag *bool `json:"flag,omitempty"`
	// Word defaults to a string.
	// +default="hello \"world\""
	Word *string `json:"word,omitempty"`
	// Any is anything at all.
	Any interface{} `json:"any,omitempty"`
	// Raw is raw JSON.
	Raw runtime.RawExtension `json:"raw,omitempty"`
	// Amount is a quantity.
	Amount resource.Quantity `json:"amount"`
	// Port is an int or a string.
	Port *intstr.IntOrString `json:"port,omitempty"`
	// When is a time.
	When metav1.Time `json:"when,omitempty"`
	// Nested is a map of lists of maps.
	Nested map[string][]map[string]int32 `json:"nested,omitempty"`
	// Matrix is a list of lists of references.
	Matrix [][]*Leaf `json:"matrix,omitempty"`
	// Leaves merge by name.
	// +patchStrategy=merge
	// +patchMergeKey=name
	// +listType=map
	// +listMapKey=name
	// +listMapKey=zone
	Leaves []Leaf `json:"leaves,omitempty" patchStrategy:"merge" patchMergeKey:"name"`
	// Hidden is not in the schema.
	// +k8s:openapi-gen=false
	Hidden string `json:"hidden,omitempty"`
	// Skipped is not serialized.
	Skipped string `json:"-"`
	// Leaf is embedded, not inlined.
	Leaf
	// Inner is inlined.
	*Inner `json:",inline"`
	// Required says so.
	// +required
	Required *string `json:"required,omitempty"`
	// Both opts in and out.
	// +optional
	Both string `json:"both"`
	// Custom has an extension of its own.
	// +k8s:openapi-gen=x-kubernetes-custom-thing:yes
	Custom string `json:"custom,omitempty"`
	Bare   string
	bytes  []byte
	// Bytes are base64.
	Bytes []byte `json:"bytes,omitempty"`
	// Duration is a metav1 duration.
	Duration *metav1.Duration `json:"duration,omitempty"`
}

// Leaf is referred to.
type Leaf struct {
	// Name names it.
	Name string `json:"name"`
	// Zone places it.
	Zone string `json:"zone"`
}

// Inner is inlined into Shapes.
// +union
type Inner struct {
	// Kind discriminates.
	// +unionDiscriminator
	Kind string `json:"kind"`
	// A is one choice.
	// +optional
	A *string `json:"a,omitempty"`
	// B is another.
	// +optional
	B *int32 `json:"b,omitempty"`
}

// Choice has deprecated union members.
type Choice struct {
	// Type discriminates.
	// +unionDiscriminator
	Type string `json:"type"`
	// Old is deprecated.
	// +unionDeprecated
	// +optional
	Old *string `json:"old,omitempty"`
}

// hidden is a private struct openapi-gen still defines.
type hidden struct {
	// X is something.
	X string `json:"x"`
}

// Off is left out.
// +k8s:openapi-gen=false
type Off struct {
	Y string `json:"y"`
}

// Empty has no fields.
type Empty struct{}

// Wrapper embeds one struct.
type Wrapper struct {
	metav1.Time `json:",inline"`
}

// Holder holds a wrapper with no default.
type Holder struct {
	// W wraps.
	W Wrapper `json:"w"`
	// E is empty.
	E Empty `json:"e"`
}
