package v1beta1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Kind000Spec is the desired state of a Kind000.
type Kind000Spec struct {
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

// Kind000Status is the observed state of a Kind000.
type Kind000Status struct {
	// ObservedGeneration is the generation the controller last acted on.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// Conditions describe the state of the Kind000.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// Kind000 is a kind of the benchmark.
//
// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type Kind000 struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   Kind000Spec   `json:"spec,omitempty"`
	Status Kind000Status `json:"status,omitempty"`
}

// Kind000List is a list of Kind000 objects.
//
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type Kind000List struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []Kind000 `json:"items"`
}
