package g

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Thing holds a value of any type.
type Thing struct {
	metav1.TypeMeta `json:",inline"`

	Name  string      `json:"name"`
	Size  int64       `json:"size"`
	Value interface{} `json:"value"`
}

// Other is plain.
type Other struct {
	metav1.TypeMeta `json:",inline"`

	Name string `json:"name"`
}
