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

	"k8s.io/apimachinery/pkg/runtime"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
)

// HiveReconciler reconciles hives.insects.example.com.
type HiveReconciler struct {
	client.Client
	Scheme *runtime.Scheme
}

// Reconcile brings the world in line with one Hive. As scaffolded it
// only records in the status that it has seen the object's generation.
//
// HiveObject, recordHiveReconciled and writeHiveStatus are generated
// (zz_generated.reconcile.go) and follow the types as they change, so
// this file keeps compiling until you make it depend on them yourself.
func (r *HiveReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	log := logf.FromContext(ctx)
	var obj HiveObject
	if err := r.Get(ctx, req.NamespacedName, &obj); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if !recordHiveReconciled(&obj) {
		return ctrl.Result{}, nil
	}
	log.Info("updating status", "generation", obj.Generation)
	if err := writeHiveStatus(ctx, r.Client, &obj); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	return ctrl.Result{}, nil
}

// SetupWithManager registers the reconciler with mgr.
func (r *HiveReconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&HiveObject{}).
		Named("insects-hive").
		Complete(r)
}
