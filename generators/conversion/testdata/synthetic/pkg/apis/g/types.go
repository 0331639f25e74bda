package g

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

// WidgetSpec differs from v1's.
type WidgetSpec struct {
	Size     int64              `json:"size"`
	Name     string             `json:"name"`
	Phase    Phase              `json:"phase"`
	Tags     map[string]string  `json:"tags"`
	Items    []Item             `json:"items"`
	Ptr      *Item              `json:"ptr"`
	ByName   map[string]Item    `json:"byName"`
	When     metav1.Time        `json:"when"`
	Duration *metav1.Duration   `json:"duration"`
	Legacy   string             `json:"legacy"`
	Extra    string             `json:"extra"`
	Gadget   Gadget             `json:"gadget"`
	Gadgets  []Gadget           `json:"gadgets"`
	ByGadget map[string]Gadget  `json:"byGadget"`
	PtrSizes *int64             `json:"ptrSizes"`
	Labels   map[string]*string `json:"labels"`
}

// Item has a field of another width than v1's.
type Item struct {
	A string `json:"a"`
	B int64  `json:"b"`
}

// Gadget is converted by hand-written functions one way.
type Gadget struct {
	X string `json:"x"`
}

// WidgetStatus is the same as v1's.
type WidgetStatus struct {
	Ready      bool               `json:"ready"`
	Conditions []metav1.Condition `json:"conditions"`
}

// OnlyHere has no peer.
type OnlyHere struct {
	A string `json:"a"`
}
