/*
Copyright 2026 The aggen Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

	http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/
package v1beta1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// BeeSpec is the desired state of a Bee.
type BeeSpec struct {
	// Replicas is the desired number of replicas; `kubectl scale` sets it.
	// +kubebuilder:validation:Minimum=0
	// +default=1
	// +optional
	Replicas *int32 `json:"replicas,omitempty"`
	// Description is an example field: edit or replace it, then run
	// `aggen generate`.
	// +kubebuilder:validation:MaxLength=256
	// +optional
	Description string `json:"description,omitempty"`
}

// BeeStatus is the observed state of a Bee.
type BeeStatus struct {
	// Replicas is the observed number of replicas.
	// +optional
	Replicas int32 `json:"replicas,omitempty"`

	// Selector is the label selector of the replicas, for /scale.
	// +optional
	Selector string `json:"selector,omitempty"`
	// ObservedGeneration is the generation the controller last acted on.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// Conditions describe the state of the Bee.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// Bee is the Schema for the bees API.
//
// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
// +kubebuilder:resource:scope=Namespaced
// +kubebuilder:subresource:status
// +kubebuilder:subresource:scale:specpath=.spec.replicas,statuspath=.status.replicas,selectorpath=.status.selector
// +kubebuilder:printcolumn:name="Desired",type=integer,JSONPath=.spec.replicas
// +kubebuilder:printcolumn:name="Ready",type=integer,JSONPath=.status.replicas
// +kubebuilder:printcolumn:name="Description",type=string,JSONPath=.spec.description,priority=1
// +kubebuilder:selectablefield:JSONPath=.spec.description
// +aggen:subresource:name=feed,type=action,request=BeeFeed,response=BeeFeedResult
// +genclient:method=Feed,verb=create,subresource=feed,input=BeeFeed,result=BeeFeedResult
// +aggen:subresource:name=log,type=connect,options=BeeLogOptions
type Bee struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   BeeSpec   `json:"spec,omitempty"`
	Status BeeStatus `json:"status,omitempty"`
}

// BeeList is a list of Bee objects.
//
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type BeeList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []Bee `json:"items"`
}
