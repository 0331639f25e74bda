package v1

import (
	"k8s.io/apimachinery/pkg/conversion"

	"github.com/aggen-dev/aggen/examples/insects/pkg/apis/g"
)

// Convert_v1_WidgetSpec_To_g_WidgetSpec converts by hand: Old has no
// place in the hub.
func Convert_v1_WidgetSpec_To_g_WidgetSpec(in *WidgetSpec, out *g.WidgetSpec, s conversion.Scope) error {
	out.Name = in.Name
	return nil
}

// Convert_g_WidgetSpec_To_v1_WidgetSpec converts by hand: Extra has no
// place in v1.
func Convert_g_WidgetSpec_To_v1_WidgetSpec(in *g.WidgetSpec, out *WidgetSpec, s conversion.Scope) error {
	out.Name = in.Name
	return nil
}

// Convert_v1_Gadget_To_g_Gadget converts by hand.
func Convert_v1_Gadget_To_g_Gadget(in *Gadget, out *g.Gadget, s conversion.Scope) error {
	out.X = in.X
	return nil
}
