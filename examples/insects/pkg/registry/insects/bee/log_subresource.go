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
