package v1beta1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Kind020Spec is the desired state of a Kind020.
type Kind020Spec struct {
	// Replicas is the desired number of replicas.
	// +kubebuilder:validation:Minimum=0
	// +default=1
	// +optional
	Replicas *int32 `json:"replicas,omitempty"`
	// Description says what it is for.
	// +kubebuilder:validation:MaxLength=256
	// +optional
	Description string `json:"description,omitempty"`
	// Labels are copied to what it makes.
	// +optional
	Labels map[string]string `json:"labels,omitempty"`
}

// Kind020Status is the observed state of a Kind020.
type Kind020Status struct {
	// ObservedGeneration is the generation the controller last acted on.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// Conditions describe the state of the Kind020.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// Kind020 is a kind of the benchmark.
//
// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type Kind020 struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   Kind020Spec   `json:"spec,omitempty"`
	Status Kind020Status `json:"status,omitempty"`
}

// Kind020List is a list of Kind020 objects.
//
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type Kind020List struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []Kind020 `json:"items"`
}
