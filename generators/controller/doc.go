// Package controller renders the controller manager of a project:
// pkg/controller/zz_generated.controllers.go (the manager's scheme and the
// registration of every reconciler), and, user-owned,
// cmd/controller-manager/main.go (controller-runtime manager with metrics,
// health probes and leader election flags) and
// pkg/controller/<group>/<kind>_controller.go for every kind whose
// model.Kind.Controller is set. The scaffolded reconciler records
// status.observedGeneration and a Ready condition when the status type has
// those fields, through /status when the kind has it.
//
// Markers read, through the model: +kubebuilder:subresource:status, the
// storage version of each kind, and the group and version layout.
package controller
