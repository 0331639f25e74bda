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

package e2e

// This file is yours: aggen created it once and never overwrites it.
//
// TestAggregation serves the project the way a cluster does, on this
// machine: a real etcd and kube-apiserver with the aggregation layer on,
// and the apiserver built from this checkout, deployed with the project's
// own manifests (config/overlays/local) and running as its ServiceAccount
// with delegated authentication and authorization. Every request below
// goes through kube-apiserver unless it says otherwise.
//
// It runs only with AGGEN_E2E=1 (make test-e2e) and needs kubectl. The
// first run builds etcd and kube-apiserver with hack/e2e-binaries.sh
// (minutes; cached afterwards); AGGEN_E2E_ETCD and AGGEN_E2E_KUBE_APISERVER
// name prebuilt binaries instead. AGGEN_E2E_LOGS=1 prints the end of every
// process log even when the test passes.
//
// The kinds come from zz_generated.kinds_test.go, which `aggen generate`
// keeps in step with pkg/apis; the harness package is generated too.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aggen-dev/aggen/examples/insects/test/e2e/harness"
)

func TestAggregation(t *testing.T) {
	if os.Getenv("AGGEN_E2E") != "1" {
		t.Skip("set AGGEN_E2E=1 (make test-e2e) to run against a real kube-apiserver and etcd")
	}
	if len(servedKinds) == 0 {
		t.Skip("the project serves no kind yet (aggen create api)")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Minute)
	defer cancel()
	root, err := harness.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	bin := filepath.Join(work, "bin")
	if err := harness.GoBuild(ctx, root, bin, "./cmd/apiserver"); err != nil {
		t.Fatal(err)
	}
	cp, err := harness.StartControlPlane(ctx, harness.ControlPlaneOptions{Dir: filepath.Join(work, "cluster"), Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cp.Stop() })
	harness.DumpLogsOnFailure(t, cp.Etcd.Process, cp.APIServer.Process)
	d, err := cp.DeployProject(ctx, harness.DeployOptions{
		ProjectDir: root, APIServerBinary: filepath.Join(bin, "apiserver"), Logf: t.Logf,
	})
	if err != nil {
		t.Fatalf("serve the project through kube-apiserver with config/overlays/local: %v", err)
	}
	t.Cleanup(func() { _ = d.Stop() })
	harness.DumpLogsOnFailure(t, d.Server.Process)

	t.Run("every APIService is Available", func(t *testing.T) {
		var want, got []string
		for _, k := range servedKinds {
			if !slices.Contains(want, k.APIServiceName()) {
				want = append(want, k.APIServiceName())
			}
		}
		for _, a := range d.APIServices {
			got = append(got, a.Name)
			conds, err := cp.Admin.APIServiceConditions(ctx, a.Name)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(conds, func(c harness.Condition) bool { return c.Type == "Available" && c.Status == "True" }) {
				t.Errorf("APIService %s is not Available: %+v", a.Name, conds)
			}
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("the manifests register APIServices %v, want %v", got, want)
		}
	})

	t.Run("kubectl api-resources lists every kind with its scope", func(t *testing.T) {
		for _, k := range servedKinds {
			if !k.Preferred {
				continue // discovery shows a kind in its group's most preferred version
			}
			rows, err := harness.KubectlAPIResources(ctx, cp.AdminKubeconfig, k.Group)
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(rows, func(r harness.APIResource) bool { return r.Name == k.Resource })
			if i < 0 {
				t.Errorf("kubectl api-resources --api-group=%s lists no %s: %+v", k.Group, k.Resource, rows)
				continue
			}
			r := rows[i]
			if r.APIVersion != k.GroupVersion() || r.Kind != k.Kind || r.Namespaced != k.Namespaced || !slices.Equal(r.ShortNames, k.ShortNames) {
				t.Errorf("kubectl api-resources: %+v, want apiVersion %s kind %s namespaced %v shortNames %v",
					r, k.GroupVersion(), k.Kind, k.Namespaced, k.ShortNames)
			}
		}
	})

	t.Run("create, get and delete each kind through kube-apiserver", func(t *testing.T) {
		const namespace = "e2e"
		if err := cp.EnsureNamespace(ctx, namespace); err != nil {
			t.Fatal(err)
		}
		for _, k := range servedKinds {
			name := strings.ToLower(k.Kind) + "-" + k.Version
			if k.ReadOnly {
				// A computed kind (+aggen:computed) serves no writes.
				if err := cp.Admin.Create(ctx, k.CollectionPath(namespace), newObject(k, name, namespace)); !harness.IsStatus(err, http.StatusMethodNotAllowed) {
					t.Errorf("create %s %s (read only): %v, want 405", k.GroupVersion(), k.Kind, err)
				}
				continue
			}
			if err := cp.Admin.Create(ctx, k.CollectionPath(namespace), newObject(k, name, namespace)); err != nil {
				t.Errorf("create %s %s: %v", k.GroupVersion(), k.Kind, err)
				continue
			}
			body, err := cp.Admin.Get(ctx, k.ObjectPath(namespace, name))
			if err != nil {
				t.Errorf("get %s %s: %v", k.GroupVersion(), k.Kind, err)
				continue
			}
			var got struct {
				APIVersion string `json:"apiVersion"`
				Kind       string `json:"kind"`
				Metadata   struct {
					Name string `json:"name"`
					UID  string `json:"uid"`
				} `json:"metadata"`
			}
			if err := json.Unmarshal(body, &got); err != nil || got.APIVersion != k.GroupVersion() || got.Kind != k.Kind || got.Metadata.Name != name || got.Metadata.UID == "" {
				t.Errorf("get %s %s: %v %s", k.GroupVersion(), k.Kind, err, body)
			}
			if err := cp.Admin.Delete(ctx, k.ObjectPath(namespace, name)); err != nil {
				t.Errorf("delete %s %s: %v", k.GroupVersion(), k.Kind, err)
				continue
			}
			err = harness.Eventually(ctx, 30*time.Second, k.Kind+" "+name+" gone", func(ctx context.Context) error {
				if _, err := cp.Admin.Get(ctx, k.ObjectPath(namespace, name)); !harness.IsStatus(err, http.StatusNotFound) {
					return fmt.Errorf("get after delete: %v", err)
				}
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}
	})

	t.Run("a user without RBAC gets 403, and is allowed once granted", func(t *testing.T) {
		const user = "e2e-user"
		viaKubeAPIServer, _, err := cp.UserClient(user)
		if err != nil {
			t.Fatal(err)
		}
		// Straight to the apiserver, authenticated as the aggregator does it:
		// what this client is refused, the apiserver's own delegated
		// authorization refused.
		direct, err := d.DirectClient(user, "system:authenticated")
		if err != nil {
			t.Fatal(err)
		}
		resources := map[string][]string{} // group → resources
		for _, k := range servedKinds {
			path := k.CollectionPath("default")
			if _, err := viaKubeAPIServer.Get(ctx, path); !harness.IsStatus(err, http.StatusForbidden) {
				t.Errorf("GET %s as %s through kube-apiserver: %v, want 403", path, user, err)
			}
			if _, err := direct.Get(ctx, path); !harness.IsStatus(err, http.StatusForbidden) {
				t.Errorf("GET %s as %s at the apiserver: %v, want 403", path, user, err)
			}
			if !slices.Contains(resources[k.Group], k.Resource) {
				resources[k.Group] = append(resources[k.Group], k.Resource)
			}
		}
		for group, res := range resources {
			if err := cp.Grant(ctx, "e2e-read:"+group, user, group, res, "get", "list", "watch"); err != nil {
				t.Fatal(err)
			}
		}
		// The apiserver caches refusals for a few seconds.
		for _, k := range servedKinds {
			path := k.CollectionPath("default")
			err := harness.Eventually(ctx, time.Minute, user+" allowed to list "+k.Resource, func(ctx context.Context) error {
				if _, err := viaKubeAPIServer.Get(ctx, path); err != nil {
					return err
				}
				_, err := direct.Get(ctx, path)
				return err
			})
			if err != nil {
				t.Error(err)
			}
		}
	})
}

// newObject is the object the test creates of a kind: metadata only, the
// spec empty. Set fields here when your types require some.
func newObject(k harness.ProjectKind, name, namespace string) map[string]any {
	return k.Object(name, namespace)
}
