package v1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Plain has TypeMeta and nothing to default.
type Plain struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Note string `json:"note,omitempty"`
}
