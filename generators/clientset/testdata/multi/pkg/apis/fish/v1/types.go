package v1

import (
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// +genclient
// +genclient:method=GetScale,verb=get,subresource=scale,result=k8s.io/api/autoscaling/v1.Scale
// +genclient:method=UpdateScale,verb=update,subresource=scale,input=k8s.io/api/autoscaling/v1.Scale,result=k8s.io/api/autoscaling/v1.Scale
// +genclient:method=ApplyScale,verb=apply,subresource=scale,input=k8s.io/api/autoscaling/v1.Scale,result=k8s.io/api/autoscaling/v1.Scale
// +genclient:method=Feed,verb=create,subresource=feed,input=Food,result=FeedResult
// +genclient:method=Rename,verb=update,input=Salmon,result=Salmon
// +genclient:method=Lookup,verb=get,result=FeedResult
// +genclient:method=Search,verb=list,result=FeedResult
// +genclient:method=Nudge,verb=patch
// +genclient:method=Poke,verb=patch,subresource=poke
// +genclient:method=Declare,verb=apply
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type Salmon struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              SalmonSpec          `json:"spec,omitempty"`
	Status            SalmonStatus        `json:"status,omitempty"`
	Scale             autoscalingv1.Scale `json:"-"`
}

type SalmonSpec struct {
	Length int32 `json:"length,omitempty"`
}

type SalmonStatus struct {
	Age int32 `json:"age,omitempty"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type SalmonList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Salmon `json:"items"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type Food struct {
	metav1.TypeMeta `json:",inline"`
	Grams           int32 `json:"grams,omitempty"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type FeedResult struct {
	metav1.TypeMeta `json:",inline"`
	Eaten           bool `json:"eaten,omitempty"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type FeedResultList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []FeedResult `json:"items"`
}

// +genclient
// +genclient:nonNamespaced
// +genclient:noStatus
// +resourceName=lakes-of-the-world
// +genclient:method=Drain,verb=create,subresource=drain,input=Food,result=FeedResult
// +genclient:method=Survey,verb=get,subresource=survey,result=FeedResult
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type Lake struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Status            SalmonStatus `json:"status,omitempty"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type LakeList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Lake `json:"items"`
}

// +genclient
// +genclient:noVerbs
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type Pond struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
}

// +genclient
// +genclient:onlyVerbs=get,list,watch,create
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type Reef struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Status            SalmonStatus `json:"status,omitempty"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type ReefList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Reef `json:"items"`
}

// +genclient
// +genclient:skipVerbs=deleteCollection,patch,apply
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type VeryLongNamedAquaticCreatureWithAnExtraordinarilyLongTypeName struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
}

// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type VeryLongNamedAquaticCreatureWithAnExtraordinarilyLongTypeNameList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []VeryLongNamedAquaticCreatureWithAnExtraordinarilyLongTypeName `json:"items"`
}
