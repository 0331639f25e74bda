package v1

import (
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// +genclient
// +genclient:nonNamespaced
// +genclient:method=ApplyScale,verb=apply,subresource=scale,input=Scale,result=Scale

// Widget is cluster-scoped, with a scale subresource.
type Widget struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   WidgetSpec   `json:"spec,omitempty"`
	Status WidgetStatus `json:"status,omitempty"`
}

// +genclient
// +genclient:noStatus

// Gadget has a status but no status subresource.
type Gadget struct {
	metav1.TypeMeta `json:",inline"`
	// Standard object metadata.
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              GadgetSpec    `json:"spec"`
	Status            *WidgetStatus `json:"status,omitempty"`
}

// Scale is the scale subresource's input.
type Scale struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Replicas          int32 `json:"replicas"`
}

// WidgetSpec is the spec.
//
// # A Heading Here
//
// More text, [a link] and a [Reference].
//
//	indented code
//
// - not a list
//
// [a link]: https://example.com
type WidgetSpec struct {
	// Name has a comment with a heading.
	//
	// Another Heading
	//
	// tail
	Name string `json:"name"`
	// +optional
	Ptr        *int32              `json:"ptr,omitempty"`
	Items      []Item              `json:"items,omitempty"`
	PtrToSlice *[]string           `json:"ptrToSlice,omitempty"`
	PtrItems   *[]Item             `json:"ptrItems,omitempty"`
	Labels     map[string]string   `json:"labels,omitempty"`
	ItemMap    map[string]Item     `json:"itemMap,omitempty"`
	Lists      map[string][]string `json:"lists,omitempty"`
	// Selector comes from client-go's apply configurations.
	Selector   *metav1.LabelSelector `json:"selector,omitempty"`
	Conditions []metav1.Condition    `json:"conditions,omitempty"`
	Time       metav1.Time           `json:"time,omitempty"`
	Duration   *metav1.Duration      `json:"duration,omitempty"`
	Bytes      []byte                `json:"bytes,omitempty"`
	Raw        runtime.RawExtension  `json:"raw,omitempty"`
	Quantity   resource.Quantity     `json:"quantity,omitempty"`
	Common     `json:",inline"`
	Extra      `json:"extra,omitempty"`
	Nested     Nested `json:"nested"`
	Ignored    string `json:"-"`
	NoTag      string
	ZZZ_Old    string `json:"zzzOld,omitempty"`
	// +optional
	//
	Blank                               string   `json:"blank,omitempty"`
	AVeryLongFieldNameThatWidensColumns string   `json:"aVeryLongFieldNameThatWidensColumns,omitempty"`
	Words                               []string `json:"words"`
	Ünïcode                             string   `json:"unicode,omitempty"`
}

// Common is inlined.
type Common struct {
	// Shared is shared.
	Shared string `json:"shared,omitempty"`
	// Name is shadowed by WidgetSpec's.
	Name string `json:"commonName,omitempty"`
}

// Extra is embedded but not inlined.
type Extra struct {
	Note  string            `json:"note,omitempty"`
	Notes []string          `json:"notes,omitempty"`
	Tags  map[string]string `json:"tags,omitempty"`
	Items []Item            `json:"items,omitempty"`
}

// Item is listed.
type Item struct {
	Key   string `json:"key"`
	Value *int64 `json:"value,omitempty"`
}

// Nested holds a single field.
type Nested struct {
	// Deep is deep.
	Deep *Item `json:"deep,omitempty"`
}

// GadgetSpec has one field.
type GadgetSpec struct {
	Size int `json:"size"`
}

// WidgetStatus is the status.
type WidgetStatus struct {
	Replicas   int32              `json:"replicas"`
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}
