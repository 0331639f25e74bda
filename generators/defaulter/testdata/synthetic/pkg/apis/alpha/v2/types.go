package v2

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/aggen-dev/aggen/examples/insects/pkg/apis/alpha/v1"
)

// Gadget is a kind whose fields are alpha/v1's.
type Gadget struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Item  v1.Item   `json:"item"`
	Items []v1.Item `json:"items,omitempty"`
	// +default=ref(github.com/aggen-dev/aggen/examples/insects/pkg/apis/alpha/v1.ModeFast)
	Mode *v1.Mode `json:"mode,omitempty"`
	// +default=ref(LocalHere)
	Local Local `json:"local,omitempty"`
	// +default=5
	Port *v1.Port `json:"port,omitempty"`
	// +default={"kind":"root"}
	Tree *v1.Node `json:"tree,omitempty"`
	Sub  *Sub     `json:"sub,omitempty"`
}

// Local is a local string kind.
type Local string

// LocalHere is the default Local.
const LocalHere Local = "here"

// Sub has a hand-written defaulter in this package.
type Sub struct {
	Value string `json:"value,omitempty"`
}

// SetDefaults_Sub defaults a Sub.
func SetDefaults_Sub(in *Sub) {}

// GadgetList lists Gadgets.
type GadgetList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []Gadget `json:"items"`
}
