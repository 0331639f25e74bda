package v1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	alphav1 "github.com/aggen-dev/aggen/examples/insects/pkg/apis/alpha/v1"
)

// Thing holds alpha/v1's types.
type Thing struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Item   alphav1.Item    `json:"item"`
	Widget *alphav1.Widget `json:"widget,omitempty"`
}

// Plain has TypeMeta and nothing to default: the package's file
// registers no defaulter for it.
type Plain struct {
	metav1.TypeMeta `json:",inline"`
	Note            string `json:"note,omitempty"`
}
