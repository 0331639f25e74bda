package register

import (
	"slices"
	"strings"

	"k8s.io/gengo/v2/types"
)

// interfacesTag lists the interfaces deepcopy-gen writes methods for;
// runtimeObject among them makes it write DeepCopyObject.
const (
	interfacesTag = "+k8s:deepcopy-gen:interfaces="
	runtimeObject = "k8s.io/apimachinery/pkg/runtime.Object"
)

// hideNonObjects removes from the input packages, for register-gen, the
// types that embed metav1.TypeMeta but are no runtime.Object: register-gen
// registers every type that embeds TypeMeta, and a type with no
// DeepCopyObject, neither written nor generated, does not compile there
// (the Prometheus operator's EmbeddedPersistentVolumeClaim embeds
// TypeMeta to be embedded in other objects). It returns the function that
// puts them back.
func hideNonObjects(u types.Universe, pkgs []string) (restore func()) {
	type hidden struct {
		p *types.Package
		t *types.Type
	}
	var hid []hidden
	for _, path := range pkgs {
		p := u[path]
		if p == nil || packageTagged(p) {
			continue
		}
		for name, t := range p.Types {
			if embedsTypeMeta(t) && !isObject(t) {
				hid = append(hid, hidden{p, t})
				delete(p.Types, name)
			}
		}
	}
	return func() {
		for _, h := range hid {
			h.p.Types[h.t.Name.Name] = h.t
		}
	}
}

func embedsTypeMeta(t *types.Type) bool {
	for _, m := range t.Members {
		if m.Name == "TypeMeta" && m.Embedded {
			return true
		}
	}
	return false
}

// isObject: the type is tagged for deepcopy-gen's DeepCopyObject (the
// tag aggen implies from +kubebuilder:object:root included), or has the
// method already.
func isObject(t *types.Type) bool {
	if _, ok := t.Methods["DeepCopyObject"]; ok {
		return true
	}
	for _, l := range append(append([]string(nil), t.CommentLines...), t.SecondClosestCommentLines...) {
		if list, ok := strings.CutPrefix(strings.TrimSpace(l), interfacesTag); ok && slices.Contains(strings.Split(list, ","), runtimeObject) {
			return true
		}
	}
	return false
}

// packageTagged: the package asks for DeepCopyObject on its types itself.
func packageTagged(p *types.Package) bool {
	for _, l := range p.Comments {
		if strings.HasPrefix(strings.TrimSpace(l), interfacesTag) {
			return true
		}
	}
	return false
}
