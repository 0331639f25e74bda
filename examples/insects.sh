#!/usr/bin/env bash
# The aggen commands that made examples/insects. A test runs this script in
# a temporary directory and fails when the result differs from the
# committed example, so the example is always what aggen produces today.
#
# Usage: examples/insects.sh <directory>     (AGGEN names the binary; default: aggen)
set -euo pipefail

dir=${1:?usage: examples/insects.sh <directory>}
aggen=${AGGEN:-aggen}

mkdir -p "$dir"
cd "$dir"

# user_file PATH < BODY: a file of the user's, under the project's license
# header (hack/boilerplate.go.txt, indented as gofmt leaves it).
user_file() {
  { sed 's/^    /\t/' hack/boilerplate.go.txt; echo; cat; } > "$1"
}
"$aggen" init --domain example.com --repo github.com/aggen-dev/aggen/examples/insects \
  --name insects --owner "The aggen Authors" --year 2026
# Bee: namespaced, with /status and /scale, served as v1alpha1 and v1beta1;
# v1beta1, the most preferred version, is the storage version, so Bee's
# reconciler is scaffolded with the v1beta1 types, not the v1alpha1 ones.
"$aggen" create api --group insects --version v1alpha1 --kind Bee --status --scale --controller=false
"$aggen" create api --group insects --version v1beta1 --kind Bee --status --scale
# Hive: cluster-scoped, v1beta1 only.
"$aggen" create api --group insects --version v1beta1 --kind Hive --namespaced=false

# Two custom subresources of Bee (v1beta1): an action, POST .../bees/<name>/feed
# with a BeeFeed, answered with a BeeFeedResult; and a stream,
# GET .../bees/<name>/log, long-running as pods/log is.
"$aggen" create subresource --group insects --version v1beta1 --kind Bee --name feed --type action --response BeeFeedResult
"$aggen" create subresource --group insects --version v1beta1 --kind Bee --name log --type connect

# The client method of feed, written out (aggen implies it when it is
# missing), so that kube_codegen.sh, which knows no +aggen: marker, makes the
# same clientset from these types as aggen: test/upstream compares them.
sed -i 's|^// +aggen:subresource:name=feed,.*$|&\n// +genclient:method=Feed,verb=create,subresource=feed,input=BeeFeed,result=BeeFeedResult|' \
  pkg/apis/insects/v1beta1/bee_types.go

# The handlers are the user's; these replace what create subresource scaffolded.
user_file pkg/registry/insects/bee/feed_subresource.go <<'GO'
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
GO
user_file pkg/registry/insects/bee/log_subresource.go <<'GO'
package bee

import (
	"context"
	"fmt"
	"net/http"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	genericregistry "k8s.io/apiserver/pkg/registry/generic/registry"
	"k8s.io/apiserver/pkg/registry/rest"

	insects "github.com/aggen-dev/aggen/examples/insects/pkg/apis/insects"
)

// handleLog serves GET .../bees/<name>/log: a line of text per event of
// the bee's life, each flushed as it is written. Without follow it writes
// what the bee is and stops; with follow=true it then reports the bee's
// replicas every second, read again from storage, until the client goes.
func handleLog(ctx context.Context, store *genericregistry.Store, name string, opts *insects.BeeLogOptions, responder rest.Responder) (http.Handler, error) {
	if _, err := store.Get(ctx, name, &metav1.GetOptions{}); err != nil {
		return nil, err
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		flusher, _ := w.(http.Flusher)
		line := func(format string, args ...any) bool {
			if _, err := fmt.Fprintf(w, format+"\n", args...); err != nil {
				return false
			}
			if flusher != nil {
				flusher.Flush()
			}
			return true
		}
		for i := 0; ; i++ {
			// ctx, not req.Context(), knows the namespace of the request.
			obj, err := store.Get(ctx, name, &metav1.GetOptions{})
			if err != nil {
				line("bee %s: %v", name, err)
				return
			}
			o := obj.(*insects.Bee)
			desired := int32(1)
			if o.Spec.Replicas != nil {
				desired = *o.Spec.Replicas
			}
			if i == 0 {
				if !line("bee %s: %q, hive %q, born %s", o.Name, o.Spec.Description, o.Labels["insects.example.com/hive"], o.CreationTimestamp.UTC().Format(time.RFC3339)) {
					return
				}
			}
			if !line("bee %s: %d of %d replicas ready (generation %d)", o.Name, o.Status.Replicas, desired, o.Generation) || !opts.Follow {
				return
			}
			select {
			case <-req.Context().Done():
				return
			case <-time.After(time.Second):
			}
		}
	}), nil
}
GO

# HiveSummary: computed and read only (+aggen:computed), as metrics.k8s.io
# serves metrics. Nothing of it is stored: source.go makes one per Hive from
# the Hives and the Bees labelled insects.example.com/hive=<hive>, read
# through the generated informers.
cat > pkg/apis/insects/v1beta1/hivesummary_types.go <<'GO'
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
package v1beta1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// HiveLabel on a Bee names the Hive it belongs to.
const HiveLabel = "insects.example.com/hive"

// HiveSummary counts the Bees of a Hive: those of every namespace labelled
// insects.example.com/hive=<hive name>. There is one per Hive, of the same
// name and labels, computed whenever it is read; it cannot be written.
//
// +genclient
// +genclient:nonNamespaced
// +genclient:readonly
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
// +kubebuilder:resource:scope=Cluster,shortName=hs
// +aggen:computed
// +kubebuilder:printcolumn:name="Bees",type=integer,JSONPath=.bees
// +kubebuilder:printcolumn:name="Replicas",type=integer,JSONPath=.replicas
// +kubebuilder:printcolumn:name="Namespaces",type=string,JSONPath=.namespaces,priority=1
// +kubebuilder:selectablefield:JSONPath=.empty
type HiveSummary struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Bees is the number of Bees of the hive.
	// +optional
	Bees int32 `json:"bees"`
	// Replicas is the sum of the desired replicas of its Bees.
	// +optional
	Replicas int32 `json:"replicas"`
	// Empty is true when the hive has no Bees.
	// +optional
	Empty bool `json:"empty"`
	// Namespaces are the namespaces of its Bees, sorted.
	// +optional
	// +listType=set
	Namespaces []string `json:"namespaces,omitempty"`
}

// HiveSummaryList is a list of HiveSummary objects.
//
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type HiveSummaryList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []HiveSummary `json:"items"`
}
GO
mkdir -p pkg/registry/insects/hivesummary
user_file pkg/registry/insects/hivesummary/source.go <<'GO'
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
GO
"$aggen" generate
