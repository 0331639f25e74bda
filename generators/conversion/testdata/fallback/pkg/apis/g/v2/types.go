package v2

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Other is plain.
type Other struct {
	metav1.TypeMeta `json:",inline"`

	Name string `json:"name"`
}
