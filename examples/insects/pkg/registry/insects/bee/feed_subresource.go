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

package bee

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	genericregistry "k8s.io/apiserver/pkg/registry/generic/registry"

	insects "github.com/aggen-dev/aggen/examples/insects/pkg/apis/insects"
)

// handleFeed serves POST .../bees/<name>/feed: it answers how much the
// bee's replicas eat, for the reason given. It changes nothing.
func handleFeed(ctx context.Context, store *genericregistry.Store, name string, req *insects.BeeFeed, opts *metav1.CreateOptions) (*insects.BeeFeedResult, error) {
	obj, err := store.Get(ctx, name, &metav1.GetOptions{})
	if err != nil {
		return nil, err
	}
	o := obj.(*insects.Bee)
	if req.Reason == "" {
		return nil, apierrors.NewBadRequest("a BeeFeed needs a reason")
	}
	replicas := int32(1)
	if o.Spec.Replicas != nil {
		replicas = *o.Spec.Replicas
	}
	return &insects.BeeFeedResult{
		ObjectMeta: metav1.ObjectMeta{Name: o.Name, Namespace: o.Namespace},
		Message:    fmt.Sprintf("fed %d replicas of bee %s (%s): %d mg of nectar", replicas, o.Name, req.Reason, 20*replicas),
	}, nil
}
