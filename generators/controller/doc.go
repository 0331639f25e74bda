// Package controller renders the controller manager of a project:
// pkg/controller/zz_generated.controllers.go (the manager's scheme and the
// registration of every reconciler), and, user-owned,
// cmd/controller-manager/main.go (controller-runtime manager with metrics,
// health probes and leader election flags) and
// pkg/controller/<group>/<kind>_controller.go for every kind whose
// model.Kind.Controller is set. The scaffolded reconciler calls only what
// pkg/controller/<group>/zz_generated.reconcile.go generates for it: the
// kind's storage-version type (<Kind>Object), record<Kind>Reconciled,
// which sets status.observedGeneration and a Ready condition when the
// status type has those fields, and write<Kind>Status, through /status
// when the kind has it. Type edits change only the generated file, so the
// user's reconciler keeps compiling.
//
// Markers read, through the model: +kubebuilder:subresource:status, the
// storage version of each kind, and the group and version layout; a
// computed kind (+aggen:computed) gets no reconciler.
package controller
