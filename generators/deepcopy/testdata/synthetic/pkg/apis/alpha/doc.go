// +k8s:deepcopy-gen=package

// Package alpha is the internal version of the group, as aggen stages it.
package alpha
