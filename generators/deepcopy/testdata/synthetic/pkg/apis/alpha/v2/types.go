package v2

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	alphav1 "github.com/aggen-dev/aggen/examples/insects/pkg/apis/alpha/v1"
)

// +k8s:deepcopy-gen=true
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// Gadget is a kind.
type Gadget struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              GadgetSpec `json:"spec,omitempty"`
}

// +k8s:deepcopy-gen=true
type GadgetSpec struct {
	Widget   *alphav1.WidgetSpec           `json:"widget,omitempty"`
	Parts    []alphav1.Part                `json:"parts,omitempty"`
	ByName   map[string]alphav1.Deep       `json:"byName,omitempty"`
	Labels   alphav1.Labels                `json:"labels,omitempty"`
	Selector metav1.LabelSelector          `json:"selector"`
	Ref      *metav1.OwnerReference        `json:"ref,omitempty"`
	Embedded runtime.RawExtension          `json:"embedded"`
	Refs     map[string]*alphav1.Part      `json:"refs,omitempty"`
	Lists    map[string][]alphav1.Deep     `json:"lists,omitempty"`
	Maps     map[string]map[string]*string `json:"maps,omitempty"`
}

// NotOptedIn gets no functions.
type NotOptedIn struct {
	Data []byte `json:"data"`
}

// +k8s:deepcopy-gen=true
// +k8s:deepcopy-gen:interfaces=github.com/aggen-dev/aggen/examples/insects/pkg/apis/alpha/v2.Thing
// +k8s:deepcopy-gen:nonpointer-interfaces=true
type Value struct {
	N int `json:"n"`
}

// Thing is implemented by Value.
type Thing interface {
	DeepCopyThing() Thing
}

// +k8s:deepcopy-gen=true
type Holder struct {
	Thing  Thing            `json:"-"`
	Things []Thing          `json:"-"`
	ByKey  map[string]Thing `json:"-"`
}
