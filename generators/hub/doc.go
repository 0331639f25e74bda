// Package hub generates the internal (hub) package of every API group from
// its storage version, and the group's install package.
//
// conversion-gen converts each served version to and from the hub; the
// hub types are copies of the storage version's types, so a field added
// there reaches the hub on the next `aggen generate`.
//
// Markers read: +groupName (package), +genclient and
// +kubebuilder:object:root (to find root types), +kubebuilder:storageversion
// (through the model's storage version).
package hub
