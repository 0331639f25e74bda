package v1

import (
	"encoding/json"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// Widget is a kind.
type Widget struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   WidgetSpec   `json:"spec,omitempty"`
	Status WidgetStatus `json:"status,omitempty"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object

// WidgetList lists widgets.
type WidgetList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Widget `json:"items"`
}

type Phase string

type ResourceName string

type ResourceList map[ResourceName]resource.Quantity

type Labels map[string]string

type Names []string

type Parts []Part

type Part struct {
	Name  string `json:"name"`
	Count int32  `json:"count"`
}

type Deep struct {
	Part  Part     `json:"part"`
	Ptr   *int64   `json:"ptr,omitempty"`
	Parts []Part   `json:"parts,omitempty"`
	Tags  []string `json:"tags,omitempty"`
}

type WidgetSpec struct {
	Replicas   *int32                       `json:"replicas,omitempty"`
	Name       *string                      `json:"name,omitempty"`
	Paused     *bool                        `json:"paused,omitempty"`
	Args       []string                     `json:"args,omitempty"`
	Env        map[string]string            `json:"env,omitempty"`
	Groups     map[string][]string          `json:"groups,omitempty"`
	ByName     map[string]*Deep             `json:"byName,omitempty"`
	ByValue    map[string]Deep              `json:"byValue,omitempty"`
	PartsByKey map[string]Part              `json:"partsByKey,omitempty"`
	Pointers   []*Deep                      `json:"pointers,omitempty"`
	Matrix     [][]string                   `json:"matrix,omitempty"`
	Deeps      []Deep                       `json:"deeps,omitempty"`
	DeepPtr    *Deep                        `json:"deepPtr,omitempty"`
	Deep       Deep                         `json:"deep"`
	Part       Part                         `json:"part"`
	PartPtr    *Part                        `json:"partPtr,omitempty"`
	Fixed      [4]int                       `json:"fixed"`
	Nested     map[string]map[string]string `json:"nested,omitempty"`
	SlicePtr   *[]string                    `json:"slicePtr,omitempty"`
	MapPtr     *map[string]string           `json:"mapPtr,omitempty"`
	PtrPtr     **int32                      `json:"ptrPtr,omitempty"`

	Phase     Phase                   `json:"phase,omitempty"`
	PhasePtr  *Phase                  `json:"phasePtr,omitempty"`
	Phases    []Phase                 `json:"phases,omitempty"`
	PhaseMap  map[Phase]string        `json:"phaseMap,omitempty"`
	Labels    Labels                  `json:"labels,omitempty"`
	Names     Names                   `json:"names,omitempty"`
	PartList  Parts                   `json:"partList,omitempty"`
	Resources ResourceList            `json:"resources,omitempty"`
	ResPtr    *ResourceList           `json:"resPtr,omitempty"`
	Limits    map[string]ResourceList `json:"limits,omitempty"`

	Quantity    resource.Quantity            `json:"quantity"`
	QuantityPtr *resource.Quantity           `json:"quantityPtr,omitempty"`
	Quantities  []resource.Quantity          `json:"quantities,omitempty"`
	QuantityMap map[string]resource.Quantity `json:"quantityMap,omitempty"`
	Port        intstr.IntOrString           `json:"port"`
	PortPtr     *intstr.IntOrString          `json:"portPtr,omitempty"`
	Raw         runtime.RawExtension         `json:"raw"`
	RawPtr      *runtime.RawExtension        `json:"rawPtr,omitempty"`
	Object      runtime.Object               `json:"-"`
	Objects     []runtime.Object             `json:"-"`
	ObjectMap   map[string]runtime.Object    `json:"-"`
	Timeout     time.Duration                `json:"timeout"`
	TimeoutPtr  *time.Duration               `json:"timeoutPtr,omitempty"`
	Period      metav1.Duration              `json:"period"`
	PeriodPtr   *metav1.Duration             `json:"periodPtr,omitempty"`
	Start       metav1.Time                  `json:"start"`
	StartPtr    *metav1.Time                 `json:"startPtr,omitempty"`
	Times       []metav1.Time                `json:"times,omitempty"`
	Selector    *metav1.LabelSelector        `json:"selector,omitempty"`
	Message     json.RawMessage              `json:"message,omitempty"`
	Messages    map[string]json.RawMessage   `json:"messages,omitempty"`
	Bytes       []byte                       `json:"bytes,omitempty"`
	Special     Special                      `json:"special"`
	Specials    []Special                    `json:"specials,omitempty"`
	Cloned      Cloned                       `json:"cloned"`
	ClonedPtr   *Cloned                      `json:"clonedPtr,omitempty"`
	Into        Into                         `json:"into"`
	IntoMap     map[string]Into              `json:"intoMap,omitempty"`
}

type WidgetStatus struct {
	Conditions         []metav1.Condition `json:"conditions,omitempty"`
	ObservedGeneration int64              `json:"observedGeneration,omitempty"`
	Phase              Phase              `json:"phase,omitempty"`
}

// Special has its own deep copy, on a value receiver.
type Special string

func (s Special) DeepCopy() Special { return s }

// Cloned has its own DeepCopy on a pointer receiver.
type Cloned struct {
	Data []byte `json:"data"`
}

func (c *Cloned) DeepCopy() *Cloned {
	if c == nil {
		return nil
	}
	return &Cloned{Data: append([]byte(nil), c.Data...)}
}

// Into has its own DeepCopyInto.
type Into struct {
	Data map[string]string `json:"data"`
}

func (in *Into) DeepCopyInto(out *Into) {
	*out = Into{Data: map[string]string{}}
	for k, v := range in.Data {
		out.Data[k] = v
	}
}

// +k8s:deepcopy-gen=false

// Skipped opts out.
type Skipped struct {
	Data []byte `json:"data"`
}

type private struct {
	Data []byte
}

// DefaultPhase is a constant deepcopy-gen orders and leaves alone.
const DefaultPhase Phase = "Pending"

// DefaultPart is a variable of a copyable type, left alone too.
var DefaultPart = Part{Name: "default"}

// NewWidget is a function, left alone.
func NewWidget(name string) *Widget {
	return &Widget{ObjectMeta: metav1.ObjectMeta{Name: name}}
}
