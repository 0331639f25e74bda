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

// HiveLabel on a Bee names the Hive it belongs to.
const HiveLabel = "insects.example.com/hive"

// HiveSummary counts the Bees of a Hive: those of every namespace labelled
// insects.example.com/hive=<hive name>. There is one per Hive, of the same
// name and labels, computed whenever it is read; it cannot be written.
//
// +genclient
// +genclient:nonNamespaced
// +genclient:readonly
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
// +kubebuilder:resource:scope=Cluster,shortName=hs
// +aggen:computed
// +kubebuilder:printcolumn:name="Bees",type=integer,JSONPath=.bees
// +kubebuilder:printcolumn:name="Replicas",type=integer,JSONPath=.replicas
// +kubebuilder:printcolumn:name="Namespaces",type=string,JSONPath=.namespaces,priority=1
// +kubebuilder:selectablefield:JSONPath=.empty
type HiveSummary struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Bees is the number of Bees of the hive.
	// +optional
	Bees int32 `json:"bees"`
	// Replicas is the sum of the desired replicas of its Bees.
	// +optional
	Replicas int32 `json:"replicas"`
	// Empty is true when the hive has no Bees.
	// +optional
	Empty bool `json:"empty"`
	// Namespaces are the namespaces of its Bees, sorted.
	// +optional
	// +listType=set
	Namespaces []string `json:"namespaces,omitempty"`
}

// HiveSummaryList is a list of HiveSummary objects.
//
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type HiveSummaryList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []HiveSummary `json:"items"`
}
