package v1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Phase is a named string.
type Phase string

// Widget is a kind.
type Widget struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   WidgetSpec   `json:"spec,omitempty"`
	Status WidgetStatus `json:"status,omitempty"`
}

// WidgetList is a list of Widgets.
type WidgetList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []Widget `json:"items"`
}

// WidgetSpec differs from the hub's.
type WidgetSpec struct {
	Size     int32             `json:"size"`
	Name     string            `json:"name"`
	Phase    Phase             `json:"phase"`
	Tags     map[string]string `json:"tags"`
	Items    []Item            `json:"items"`
	Ptr      *Item             `json:"ptr"`
	ByName   map[string]Item   `json:"byName"`
	When     metav1.Time       `json:"when"`
	Duration *metav1.Duration  `json:"duration"`
	// +k8s:conversion-gen=false
	Legacy   string             `json:"legacy"`
	Old      string             `json:"old"`
	Gadget   Gadget             `json:"gadget"`
	Gadgets  []Gadget           `json:"gadgets"`
	ByGadget map[string]Gadget  `json:"byGadget"`
	PtrSizes *int32             `json:"ptrSizes"`
	Labels   map[string]*string `json:"labels"`
}

// Item has a field of another width than the hub's.
type Item struct {
	A string `json:"a"`
	B int32  `json:"b"`
}

// Gadget is converted by hand-written functions one way.
type Gadget struct {
	X string `json:"x"`
}

// WidgetStatus is the same as the hub's.
type WidgetStatus struct {
	Ready      bool               `json:"ready"`
	Conditions []metav1.Condition `json:"conditions"`
}

// Skipped opts out.
//
// +k8s:conversion-gen=false
type Skipped struct {
	A string `json:"a"`
}

// OnlyHere has no peer.
type OnlyHere struct {
	A string `json:"a"`
}

// Options are read from a query.
//
// +k8s:conversion-gen:explicit-from=net/url.Values
type Options struct {
	metav1.TypeMeta `json:",inline"`

	Follow bool        `json:"follow,omitempty"`
	Name   string      `json:"name,omitempty"`
	Lines  *int64      `json:"lines,omitempty"`
	Names  []string    `json:"names,omitempty"`
	Since  metav1.Time `json:"since,omitempty"`
	// +k8s:conversion-gen=false
	Hidden string `json:"hidden,omitempty"`
}
