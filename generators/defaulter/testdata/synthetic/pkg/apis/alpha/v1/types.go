package v1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Mode is a string kind with named values.
type Mode string

// ModeFast is the default Mode.
const ModeFast Mode = "fast"

// Speed carries its own default, used where a pointer to it has none.
// +default="slow"
type Speed string

// Port carries its own default, used for elements of slices and maps.
// +default=80
type Port int32

// Widget is a kind.
type Widget struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   WidgetSpec   `json:"spec,omitempty"`
	Status WidgetStatus `json:"status,omitempty"`
}

// WidgetSpec has a +default on every shape.
type WidgetSpec struct {
	// +default=3
	Count int32 `json:"count,omitempty"`
	// +default=0
	Zero int32 `json:"zero,omitempty"`
	// +default=-2
	Negative int64 `json:"negative,omitempty"`
	// +default="x"
	Name string `json:"name,omitempty"`
	// +default=true
	Enabled *bool `json:"enabled,omitempty"`
	// +default=2.5
	Ratio *float64 `json:"ratio,omitempty"`
	// +default=ref(ModeFast)
	Mode Mode `json:"mode,omitempty"`
	// +default=ref(ModeFast)
	ModePtr *Mode `json:"modePtr,omitempty"`
	// +default="turbo"
	Speed *Speed `json:"speed,omitempty"`
	// SpeedNested takes the type's default.
	SpeedNested *Speed `json:"speedNested,omitempty"`
	// +default=["a","b"]
	Tags []string `json:"tags,omitempty"`
	// +default={"a":"b"}
	Labels map[string]string `json:"labels,omitempty"`
	// +default={"size":1}
	Inner *Inner `json:"inner,omitempty"`
	// +default={"size":2}
	InnerValue Inner `json:"innerValue,omitempty"`

	Items   []Item          `json:"items,omitempty"`
	Ptrs    []*Item         `json:"ptrs,omitempty"`
	ItemPtr *Item           `json:"itemPtr,omitempty"`
	ByName  map[string]Item `json:"byName,omitempty"`
	Ports   []Port          `json:"ports,omitempty"`
	PortPtr []*Port         `json:"portPtr,omitempty"`
	PortMap map[string]Port `json:"portMap,omitempty"`
	Grid    [][]Item        `json:"grid,omitempty"`
	Covered Covered         `json:"covered,omitempty"`
	Tree    *Node           `json:"tree,omitempty"`

	Embedded     `json:",inline"`
	*EmbeddedPtr `json:"embeddedPtr,omitempty"`
}

// Inner is defaulted as a whole.
type Inner struct {
	Size int32 `json:"size"`
}

// Item has hand-written defaulters.
type Item struct {
	Name string `json:"name"`
	// +default=1
	Weight *int32 `json:"weight,omitempty"`
}

// SetDefaults_Item is Item's base defaulter.
func SetDefaults_Item(in *Item) {
	if in.Name == "" {
		in.Name = "item"
	}
}

// SetDefaults_Item_More is Item's one additional defaulter.
func SetDefaults_Item_More(in *Item) {}

// Covered's defaulter covers its fields.
type Covered struct {
	Sub Item `json:"sub"`
}

// SetDefaults_Covered covers Covered's fields.
// +k8s:defaulter-gen=covers
func SetDefaults_Covered(in *Covered) {}

// Node is recursive.
type Node struct {
	// +default="leaf"
	Kind     string `json:"kind,omitempty"`
	Children []Node `json:"children,omitempty"`
	Next     *Node  `json:"next,omitempty"`
}

// Embedded is embedded by value.
type Embedded struct {
	// +default=7
	Level int32 `json:"level,omitempty"`
}

// EmbeddedPtr is embedded by pointer.
type EmbeddedPtr struct {
	// +default=false
	Off bool `json:"off,omitempty"`
	// +default=true
	On *bool `json:"on,omitempty"`
}

// WidgetStatus has nothing to default.
type WidgetStatus struct {
	Ready bool `json:"ready,omitempty"`
}

// WidgetList is a list of Widgets.
type WidgetList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []Widget `json:"items"`
}

// +k8s:defaulter-gen=true

// Standalone is opted in without TypeMeta.
type Standalone struct {
	Item Item `json:"item"`
}

// +k8s:defaulter-gen=false

// OptedOut has TypeMeta but is opted out.
type OptedOut struct {
	metav1.TypeMeta `json:",inline"`
	Spec            WidgetSpec `json:"spec"`
}

// Holder holds Widgets, whose object defaulters it calls.
type Holder struct {
	metav1.TypeMeta `json:",inline"`
	Widget          Widget            `json:"widget"`
	WidgetPtr       *Widget           `json:"widgetPtr,omitempty"`
	Widgets         map[string]Widget `json:"widgets,omitempty"`
	Lists           []WidgetList      `json:"lists,omitempty"`
}

// Empty has TypeMeta and nothing to default.
type Empty struct {
	metav1.TypeMeta `json:",inline"`
	Note            string `json:"note,omitempty"`
}

// Manual has its own object defaulter.
type Manual struct {
	metav1.TypeMeta `json:",inline"`
	Item            Item `json:"item"`
}

// SetObjectDefaults_Manual is written by hand.
func SetObjectDefaults_Manual(in *Manual) {}

// ManualHolder calls Manual's hand-written object defaulter.
type ManualHolder struct {
	metav1.TypeMeta `json:",inline"`
	Manual          Manual `json:"manual"`
}
