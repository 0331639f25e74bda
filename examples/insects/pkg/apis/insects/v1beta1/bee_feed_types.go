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

// This file is yours: `aggen create subresource` wrote it once. These are
// the kinds bees/feed uses; add fields, then run `aggen generate`.

// BeeFeed is the body of POST .../bees/<name>/feed.
//
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type BeeFeed struct {
	metav1.TypeMeta `json:",inline"`

	// Reason is an example field: edit or replace it.
	// +optional
	Reason string `json:"reason,omitempty"`
}

// BeeFeedResult is what POST .../bees/<name>/feed returns.
//
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type BeeFeedResult struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Message is an example field: edit or replace it.
	// +optional
	Message string `json:"message,omitempty"`
}
