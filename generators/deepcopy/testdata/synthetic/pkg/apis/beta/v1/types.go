package v1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	alphav1 "github.com/aggen-dev/aggen/examples/insects/pkg/apis/alpha/v1"
	alphav2 "github.com/aggen-dev/aggen/examples/insects/pkg/apis/alpha/v2"
)

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object,k8s.io/apimachinery/pkg/runtime.Object
type Sprocket struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Widget            *alphav1.Widget            `json:"widget,omitempty"`
	Gadgets           []alphav2.Gadget           `json:"gadgets,omitempty"`
	Values            map[string]alphav2.Value   `json:"values,omitempty"`
	Times             map[string]*metav1.Time    `json:"times,omitempty"`
	Selectors         []*metav1.LabelSelector    `json:"selectors,omitempty"`
	Phases            map[alphav1.Phase][]string `json:"phases,omitempty"`
}

type Wrapper struct {
	Inner
	*Other `json:",inline"`
}

type Inner struct {
	A []string `json:"a"`
}

type Other struct {
	B map[string]int `json:"b"`
}
