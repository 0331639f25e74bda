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

package hivesummary

import (
	"context"
	"sort"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/tools/cache"

	insects "github.com/aggen-dev/aggen/examples/insects/pkg/apis/insects"
	insectsv1beta1 "github.com/aggen-dev/aggen/examples/insects/pkg/apis/insects/v1beta1"
	listers "github.com/aggen-dev/aggen/examples/insects/pkg/generated/listers/insects/v1beta1"
)

// newSource returns the source of hivesummaries: it reads Hives and Bees
// through the server's shared informers and tells the storage of every
// change, so watchers of hivesummaries see new counts at once.
func newSource(deps Deps) (*source, error) {
	hives := deps.Informers.Insects().V1beta1().Hives()
	bees := deps.Informers.Insects().V1beta1().Bees()
	changed := cache.ResourceEventHandlerFuncs{
		AddFunc:    func(any) { deps.Changed() },
		UpdateFunc: func(any, any) { deps.Changed() },
		DeleteFunc: func(any) { deps.Changed() },
	}
	s := &source{hives: hives.Lister(), bees: bees.Lister()}
	for _, i := range []cache.SharedIndexInformer{hives.Informer(), bees.Informer()} {
		if _, err := i.AddEventHandler(changed); err != nil {
			return nil, err
		}
		s.synced = append(s.synced, i.HasSynced)
	}
	return s, nil
}

// source makes a HiveSummary per Hive.
type source struct {
	hives  listers.HiveLister
	bees   listers.BeeLister
	synced []cache.InformerSynced
}

// wait waits for the informers' first list, which the server makes of
// itself once it serves.
func (s *source) wait(ctx context.Context) error {
	if !cache.WaitForCacheSync(ctx.Done(), s.synced...) {
		return apierrors.NewServiceUnavailable("hivesummaries: the hives and bees are not read yet")
	}
	return nil
}

// Get makes the HiveSummary of the Hive called name.
func (s *source) Get(ctx context.Context, namespace, name string) (*insects.HiveSummary, error) {
	if err := s.wait(ctx); err != nil {
		return nil, err
	}
	hive, err := s.hives.Get(name)
	if apierrors.IsNotFound(err) {
		return nil, apierrors.NewNotFound(insects.Resource("hivesummaries"), name)
	}
	if err != nil {
		return nil, err
	}
	return s.summary(hive)
}

// List makes the HiveSummary of every Hive.
func (s *source) List(ctx context.Context) ([]insects.HiveSummary, error) {
	if err := s.wait(ctx); err != nil {
		return nil, err
	}
	hives, err := s.hives.List(labels.Everything())
	if err != nil {
		return nil, err
	}
	out := make([]insects.HiveSummary, 0, len(hives))
	for _, hive := range hives {
		summary, err := s.summary(hive)
		if err != nil {
			return nil, err
		}
		out = append(out, *summary)
	}
	return out, nil
}

func (s *source) summary(hive *insectsv1beta1.Hive) (*insects.HiveSummary, error) {
	bees, err := s.bees.List(labels.SelectorFromSet(labels.Set{insectsv1beta1.HiveLabel: hive.Name}))
	if err != nil {
		return nil, err
	}
	summary := &insects.HiveSummary{}
	summary.Name = hive.Name
	summary.UID = hive.UID
	summary.Labels = hive.Labels
	summary.CreationTimestamp = hive.CreationTimestamp
	namespaces := map[string]bool{}
	for _, bee := range bees {
		summary.Bees++
		if bee.Spec.Replicas != nil {
			summary.Replicas += *bee.Spec.Replicas
		}
		if !namespaces[bee.Namespace] {
			namespaces[bee.Namespace] = true
			summary.Namespaces = append(summary.Namespaces, bee.Namespace)
		}
	}
	sort.Strings(summary.Namespaces)
	summary.Empty = summary.Bees == 0
	return summary, nil
}
