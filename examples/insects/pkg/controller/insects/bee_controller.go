/*
Copyright 2026 The aggen Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

package insects

// This file is yours: aggen created it once and never overwrites it.

import (
	"context"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"

	insectsv1beta1 "github.com/aggen-dev/aggen/examples/insects/pkg/apis/insects/v1beta1"
)

// BeeReconciler reconciles bees.insects.example.com.
type BeeReconciler struct {
	client.Client
	Scheme *runtime.Scheme
}

// Reconcile brings the world in line with one Bee. As
// scaffolded it only records in the status that it has seen the object's
// generation.
func (r *BeeReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	log := logf.FromContext(ctx)
	var obj insectsv1beta1.Bee
	if err := r.Get(ctx, req.NamespacedName, &obj); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	changed := false
	if obj.Status.ObservedGeneration != obj.Generation {
		obj.Status.ObservedGeneration = obj.Generation
		changed = true
	}
	if meta.SetStatusCondition(&obj.Status.Conditions, metav1.Condition{
		Type:               "Ready",
		Status:             metav1.ConditionTrue,
		Reason:             "Reconciled",
		Message:            "the bee was reconciled",
		ObservedGeneration: obj.Generation,
	}) {
		changed = true
	}
	if !changed {
		return ctrl.Result{}, nil
	}
	log.Info("updating status", "generation", obj.Generation)
	if err := r.Status().Update(ctx, &obj); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	return ctrl.Result{}, nil
}

// SetupWithManager registers the reconciler with mgr.
func (r *BeeReconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&insectsv1beta1.Bee{}).
		Named("insects-bee").
		Complete(r)
}
