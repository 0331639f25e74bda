package insects

// Issue 3: the generated apiserver on its own (--local) against real etcd,
// driven with the generated clientset and with kubectl.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"

	insectsv1alpha1 "github.com/aggen-dev/aggen/examples/insects/pkg/apis/insects/v1alpha1"
	insectsv1beta1 "github.com/aggen-dev/aggen/examples/insects/pkg/apis/insects/v1beta1"
	acv1beta1 "github.com/aggen-dev/aggen/examples/insects/pkg/generated/applyconfiguration/insects/v1beta1"
	clientset "github.com/aggen-dev/aggen/examples/insects/pkg/generated/clientset/versioned"
	typedv1beta1 "github.com/aggen-dev/aggen/examples/insects/pkg/generated/clientset/versioned/typed/insects/v1beta1"
	"github.com/aggen-dev/aggen/test/e2e/harness"
)

// standalonePrefix keeps this suite's objects apart from the aggregated
// suite's on the shared etcd.
const standalonePrefix = "/e2e-standalone/insects"

func TestStandaloneServer(t *testing.T) {
	requireE2E(t)
	suiteStart := time.Now()
	apiserverBin, controllerBin := binaries(t)
	etcd := sharedEtcd(t)
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Minute)
	defer cancel()

	start := time.Now()
	srv, err := startLocalServer(ctx, apiserverBin, filepath.Join(env.work, "standalone"), etcd.ClientURL, standalonePrefix)
	if err != nil {
		t.Fatalf("start apiserver --local: %v", err)
	}
	t.Cleanup(func() { _ = srv.Stop() })
	dumpLogsOnFailure(t, srv.Process)
	timing("standalone apiserver --local start (to /readyz): %v", time.Since(start).Round(time.Millisecond))
	t.Logf("apiserver --local ready at https://127.0.0.1:%d after %v", srv.Port, time.Since(start).Round(time.Millisecond))

	const ns = "e2e"
	kc := func() string { return srv.Kubeconfig }
	cs := func() *clientset.Clientset { return srv.Client }

	t.Run("discovery: bees namespaced with status and scale, hives cluster-scoped", func(t *testing.T) {
		dc := srv.Client.Discovery()
		groups, err := dc.ServerGroups()
		if err != nil {
			t.Fatal(err)
		}
		var found bool
		for _, g := range groups.Groups {
			if g.Name == group {
				found = true
				if g.PreferredVersion.Version != "v1beta1" {
					t.Errorf("preferred version %q, want v1beta1", g.PreferredVersion.Version)
				}
				var vs []string
				for _, v := range g.Versions {
					vs = append(vs, v.Version)
				}
				if !slices.Equal(vs, []string{"v1beta1", "v1alpha1"}) {
					t.Errorf("versions %v, want [v1beta1 v1alpha1]", vs)
				}
			}
		}
		if !found {
			t.Fatalf("group %s not served", group)
		}
		want := map[string]map[string]string{
			"v1beta1": {"bees": "Bee/true", "bees/status": "Bee/true", "bees/scale": "Scale/true", "hives": "Hive/false", "hives/status": "Hive/false",
				"bees/feed": "BeeFeed/true", "bees/log": "Bee/true", "hivesummaries": "HiveSummary/false"},
			"v1alpha1": {"bees": "Bee/true", "bees/status": "Bee/true", "bees/scale": "Scale/true"},
		}
		for version, resources := range want {
			rl, err := dc.ServerResourcesForGroupVersion(group + "/" + version)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, r := range rl.APIResources {
				got[r.Name] = r.Kind + "/" + strconv.FormatBool(r.Namespaced)
				if r.Name == "bees/scale" && (r.Group != "autoscaling" || r.Version != "v1") {
					t.Errorf("%s bees/scale is %s/%s, want autoscaling/v1", version, r.Group, r.Version)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(resources) {
				t.Errorf("%s resources (kind/namespaced) = %v, want %v", version, got, resources)
			}
		}
		out := kubectl(ctx, t, kc(), "", "api-resources", "--api-group="+group, "-o", "wide")
		t.Logf("kubectl api-resources --api-group=%s -o wide:\n%s", group, out)
		if r := row(out, "bees"); len(r) < 5 || !slices.Contains(r, "true") || !slices.Contains(r, "Bee") {
			t.Errorf("api-resources row of bees = %v, want namespaced true and kind Bee", r)
		}
		if r := row(out, "hives"); len(r) < 5 || !slices.Contains(r, "false") || !slices.Contains(r, "Hive") {
			t.Errorf("api-resources row of hives = %v, want namespaced false and kind Hive", r)
		}

		// A Bee lives in its namespace; a Hive has none, and there is no
		// namespaced path for hives.
		c := cs()
		mustCreateBee(ctx, t, c.InsectsV1beta1().Bees("scope-a"), "scoped", "in scope-a")
		mustCreateBee(ctx, t, c.InsectsV1beta1().Bees("scope-b"), "scoped", "in scope-b")
		la, err := c.InsectsV1beta1().Bees("scope-a").List(ctx, metav1.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(la.Items) != 1 || la.Items[0].Namespace != "scope-a" || la.Items[0].Spec.Description != "in scope-a" {
			t.Errorf("bees in scope-a = %+v", la.Items)
		}
		all, err := c.InsectsV1beta1().Bees("").List(ctx, metav1.ListOptions{FieldSelector: "metadata.name=scoped"})
		if err != nil {
			t.Fatal(err)
		}
		if len(all.Items) != 2 {
			t.Errorf("bees named scoped across namespaces: %d, want 2", len(all.Items))
		}
		hive, err := c.InsectsV1beta1().Hives().Create(ctx, &insectsv1beta1.Hive{
			ObjectMeta: metav1.ObjectMeta{Name: "scope-hive", Namespace: "ignored"},
			Spec:       insectsv1beta1.HiveSpec{Description: "cluster-wide"},
		}, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if hive.Namespace != "" {
			t.Errorf("a Hive was stored with namespace %q", hive.Namespace)
		}
		res := c.InsectsV1beta1().RESTClient().Get().AbsPath("/apis/" + group + "/v1beta1/namespaces/default/hives").Do(ctx)
		var code int
		res.StatusCode(&code)
		if code != http.StatusNotFound {
			t.Errorf("GET a namespaced path of hives: HTTP %d, want 404", code)
		}
		out = kubectl(ctx, t, kc(), "", "get", "bees", "-A", "--field-selector", "metadata.name=scoped")
		if headerLine(out) != "NAMESPACE NAME DESIRED READY AGE" {
			t.Errorf("kubectl get bees -A header %q", headerLine(out))
		}
		out = kubectl(ctx, t, kc(), "", "get", "hive", "scope-hive", "-o", "jsonpath={.metadata.namespace}|{.spec.description}")
		if out != "|cluster-wide" {
			t.Errorf("kubectl get hive: %q", out)
		}
	})

	t.Run("clientset: create, get, list, update, merge/JSON/strategic patch, delete; defaults", func(t *testing.T) {
		bees := cs().InsectsV1beta1().Bees(ns)
		created, err := bees.Create(ctx, &insectsv1beta1.Bee{
			ObjectMeta: metav1.ObjectMeta{Name: "crud", Labels: map[string]string{"suite": "crud"}},
			Spec:       insectsv1beta1.BeeSpec{Description: "first"},
		}, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if created.UID == "" || created.ResourceVersion == "" || created.Generation != 1 || created.CreationTimestamp.IsZero() {
			t.Errorf("created metadata: uid=%q rv=%q generation=%d created=%v", created.UID, created.ResourceVersion, created.Generation, created.CreationTimestamp)
		}
		if created.Spec.Replicas == nil || *created.Spec.Replicas != 1 {
			t.Errorf("default spec.replicas = %v, want 1 (+default=1)", created.Spec.Replicas)
		} else {
			t.Logf("created %s/%s uid=%s generation=%d spec.replicas defaulted to %d", ns, created.Name, created.UID, created.Generation, *created.Spec.Replicas)
		}
		got, err := bees.Get(ctx, "crud", metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got.UID != created.UID || got.Spec.Description != "first" {
			t.Errorf("get: %+v", got)
		}
		list, err := bees.List(ctx, metav1.ListOptions{LabelSelector: "suite=crud"})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Items) != 1 || list.Items[0].Name != "crud" || list.ResourceVersion == "" {
			t.Errorf("list by label: %d items, rv %q", len(list.Items), list.ResourceVersion)
		}

		got.Spec.Description = "second"
		updated, err := bees.Update(ctx, got, metav1.UpdateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if updated.Spec.Description != "second" || updated.Generation != 2 {
			t.Errorf("update: description %q generation %d, want second/2", updated.Spec.Description, updated.Generation)
		}
		// Optimistic concurrency: the old resourceVersion conflicts.
		got.Spec.Description = "stale"
		if _, err := bees.Update(ctx, got, metav1.UpdateOptions{}); !apierrors.IsConflict(err) {
			t.Errorf("update with a stale resourceVersion: %v, want 409 Conflict", err)
		}
		// A metadata-only change does not bump the generation.
		updated.Labels["touched"] = "yes"
		if updated, err = bees.Update(ctx, updated, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		if updated.Generation != 2 {
			t.Errorf("generation after a label change: %d, want 2", updated.Generation)
		}

		merged, err := bees.Patch(ctx, "crud", types.MergePatchType, []byte(`{"metadata":{"labels":{"patched":"merge"}},"spec":{"description":"merged"}}`), metav1.PatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if merged.Labels["patched"] != "merge" || merged.Spec.Description != "merged" || merged.Generation != 3 {
			t.Errorf("merge patch: labels %v description %q generation %d", merged.Labels, merged.Spec.Description, merged.Generation)
		}
		jsonPatched, err := bees.Patch(ctx, "crud", types.JSONPatchType,
			[]byte(`[{"op":"test","path":"/spec/description","value":"merged"},{"op":"replace","path":"/spec/replicas","value":5}]`), metav1.PatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if *jsonPatched.Spec.Replicas != 5 || jsonPatched.Generation != 4 {
			t.Errorf("JSON patch: replicas %d generation %d", *jsonPatched.Spec.Replicas, jsonPatched.Generation)
		}
		_, err = bees.Patch(ctx, "crud", types.JSONPatchType, []byte(`[{"op":"test","path":"/spec/description","value":"nope"}]`), metav1.PatchOptions{})
		if err == nil {
			t.Error("a failing JSON patch test op was accepted")
		}
		smp, err := bees.Patch(ctx, "crud", types.StrategicMergePatchType, []byte(`{"spec":{"description":"strategic"}}`), metav1.PatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if smp.Spec.Description != "strategic" || *smp.Spec.Replicas != 5 {
			t.Errorf("strategic merge patch: %+v", smp.Spec)
		}

		if err := bees.Delete(ctx, "crud", metav1.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := bees.Get(ctx, "crud", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			t.Errorf("get after delete: %v, want 404", err)
		}
		if err := bees.Delete(ctx, "crud", metav1.DeleteOptions{}); !apierrors.IsNotFound(err) {
			t.Errorf("second delete: %v, want 404", err)
		}

		hives := cs().InsectsV1beta1().Hives()
		h, err := hives.Create(ctx, &insectsv1beta1.Hive{ObjectMeta: metav1.ObjectMeta{Name: "crud-hive"}, Spec: insectsv1beta1.HiveSpec{Description: "h"}}, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		h.Spec.Description = "h2"
		if h, err = hives.Update(ctx, h, metav1.UpdateOptions{}); err != nil || h.Spec.Description != "h2" || h.Generation != 2 {
			t.Errorf("hive update: %v %+v", err, h)
		}
		if err := hives.Delete(ctx, "crud-hive", metav1.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := hives.Get(ctx, "crud-hive", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			t.Errorf("hive after delete: %v", err)
		}
	})

	t.Run("watch sees ADDED, MODIFIED, DELETED", func(t *testing.T) {
		bees := cs().InsectsV1beta1().Bees(ns)
		w, err := bees.Watch(ctx, metav1.ListOptions{FieldSelector: "metadata.name=watched"})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Stop()
		b := mustCreateBee(ctx, t, bees, "watched", "w1")
		b.Spec.Description = "w2"
		if _, err := bees.Update(ctx, b, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := bees.Delete(ctx, "watched", metav1.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
		got := collectEvents(t, w, 3, 30*time.Second)
		want := []string{"ADDED watched w1", "MODIFIED watched w2", "DELETED watched w2"}
		if !slices.Equal(got, want) {
			t.Errorf("events %v, want %v", got, want)
		}
		t.Logf("watch events: %v", got)

		// The same through kubectl: get --watch prints the object it lists
		// first as ADDED, then the changes.
		kb := mustCreateBee(ctx, t, bees, "kwatched", "kw")
		kw := startKubectlWatch(ctx, t, kc(), "get", "bees", "-n", ns, "--watch", "--output-watch-events", "-o", "json", "--field-selector", "metadata.name=kwatched")
		defer kw.stop()
		kw.waitFor(t, 30*time.Second, `"type":"ADDED"`)
		kb.Spec.Description = "kw2"
		if _, err := bees.Update(ctx, kb, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := bees.Delete(ctx, "kwatched", metav1.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
		events := kw.waitFor(t, 20*time.Second, `"type":"DELETED"`)
		if got := watchEventTypes(events); !slices.Equal(got, []string{"ADDED", "MODIFIED", "DELETED"}) {
			t.Errorf("kubectl get --watch --output-watch-events: %v", got)
		} else {
			t.Logf("kubectl get --watch --output-watch-events: %v", got)
		}
	})

	t.Run("kubectl create, get, patch, apply, delete", func(t *testing.T) {
		manifest := `apiVersion: insects.example.com/v1beta1
kind: Bee
metadata:
  name: kbee
  namespace: e2e
spec:
  description: from kubectl
`
		kubectl(ctx, t, kc(), manifest, "create", "-f", "-")
		out := kubectl(ctx, t, kc(), "", "get", "bee", "kbee", "-n", ns, "-o", "jsonpath={.spec.description}|{.spec.replicas}|{.metadata.generation}")
		if out != "from kubectl|1|1" {
			t.Errorf("kubectl get after create: %q", out)
		}
		kubectl(ctx, t, kc(), "", "patch", "bee", "kbee", "-n", ns, "--type=merge", "-p", `{"spec":{"description":"merge patched"}}`)
		kubectl(ctx, t, kc(), "", "patch", "bee", "kbee", "-n", ns, "--type=json", "-p", `[{"op":"replace","path":"/spec/replicas","value":4}]`)
		kubectl(ctx, t, kc(), "", "patch", "bee", "kbee", "-n", ns, "-p", `{"metadata":{"labels":{"smp":"yes"}}}`)
		out = kubectl(ctx, t, kc(), "", "get", "bee", "kbee", "-n", ns, "-o", "jsonpath={.spec.description}|{.spec.replicas}|{.metadata.labels.smp}|{.metadata.generation}")
		if out != "merge patched|4|yes|3" {
			t.Errorf("after kubectl patch (merge, json, strategic): %q", out)
		}
		// Client-side apply takes over the object, then changes it.
		applied := strings.Replace(manifest, "from kubectl", "applied by kubectl", 1)
		kubectl(ctx, t, kc(), applied, "apply", "-f", "-")
		out = kubectl(ctx, t, kc(), "", "get", "bee", "kbee", "-n", ns, "-o", "jsonpath={.spec.description}")
		if out != "applied by kubectl" {
			t.Errorf("after kubectl apply: %q", out)
		}
		// Server-side apply with kubectl.
		ssa := strings.Replace(manifest, "from kubectl", "server-side applied", 1)
		kubectl(ctx, t, kc(), ssa, "apply", "--server-side", "--force-conflicts", "--field-manager=e2e-kubectl", "-f", "-")
		out = kubectl(ctx, t, kc(), "", "get", "bee", "kbee", "-n", ns, "--show-managed-fields", "-o", "json")
		if !strings.Contains(out, `"manager": "e2e-kubectl"`) || !strings.Contains(out, `"operation": "Apply"`) {
			t.Errorf("managedFields after kubectl apply --server-side lack manager e2e-kubectl/Apply:\n%s", out)
		}
		// Strict field validation is done by the server.
		_, err := kubectlErr(ctx, kc(), strings.Replace(manifest, "  description:", "  colour: red\n  description:", 1), "apply", "-f", "-")
		if err == nil || !strings.Contains(err.Error(), `unknown field "spec.colour"`) {
			t.Errorf("kubectl apply with an unknown field: %v, want a strict decoding error naming spec.colour", err)
		}
		kubectl(ctx, t, kc(), "", "delete", "bee", "kbee", "-n", ns)
		if _, err := kubectlErr(ctx, kc(), "", "get", "bee", "kbee", "-n", ns); err == nil || !strings.Contains(err.Error(), "NotFound") {
			t.Errorf("kubectl get after delete: %v", err)
		}
	})

	t.Run("server-side apply with the clientset records managedFields", func(t *testing.T) {
		bees := cs().InsectsV1beta1().Bees(ns)
		ac := acv1beta1.Bee("applied", ns).WithLabels(map[string]string{"app": "e2e"}).
			WithSpec(acv1beta1.BeeSpec().WithDescription("applied").WithReplicas(2))
		b, err := bees.Apply(ctx, ac, metav1.ApplyOptions{FieldManager: "e2e-applier"})
		if err != nil {
			t.Fatal(err)
		}
		mf := managedBy(b.ManagedFields, "e2e-applier", metav1.ManagedFieldsOperationApply)
		if mf == nil || mf.APIVersion != group+"/v1beta1" || !strings.Contains(string(mf.FieldsV1.Raw), `"f:description"`) || !strings.Contains(string(mf.FieldsV1.Raw), `"f:replicas"`) {
			t.Fatalf("managedFields of an applied Bee: %+v", b.ManagedFields)
		}
		t.Logf("managedFields: manager=%s operation=%s apiVersion=%s fields=%s", mf.Manager, mf.Operation, mf.APIVersion, mf.FieldsV1.Raw)
		// Another manager changing an owned field conflicts unless forced.
		other := acv1beta1.Bee("applied", ns).WithSpec(acv1beta1.BeeSpec().WithDescription("taken over"))
		_, err = bees.Apply(ctx, other, metav1.ApplyOptions{FieldManager: "e2e-other"})
		if !apierrors.IsConflict(err) || !strings.Contains(err.Error(), ".spec.description") {
			t.Errorf("conflicting apply: %v, want 409 naming .spec.description", err)
		}
		b, err = bees.Apply(ctx, other, metav1.ApplyOptions{FieldManager: "e2e-other", Force: true})
		if err != nil {
			t.Fatal(err)
		}
		if b.Spec.Description != "taken over" || *b.Spec.Replicas != 2 || managedBy(b.ManagedFields, "e2e-other", metav1.ManagedFieldsOperationApply) == nil {
			t.Errorf("forced apply: %+v managedFields %+v", b.Spec, b.ManagedFields)
		}
		// Apply on /status owns only status.
		st := acv1beta1.Bee("applied", ns).WithStatus(acv1beta1.BeeStatus().WithReplicas(2).WithSelector("app=e2e"))
		b, err = bees.ApplyStatus(ctx, st, metav1.ApplyOptions{FieldManager: "e2e-status", Force: true})
		if err != nil {
			t.Fatal(err)
		}
		if b.Status.Replicas != 2 || b.Spec.Description != "taken over" {
			t.Errorf("apply status: status %+v spec %+v", b.Status, b.Spec)
		}
		if m := managedBy(b.ManagedFields, "e2e-status", metav1.ManagedFieldsOperationApply); m == nil || m.Subresource != "status" {
			t.Errorf("managedFields of the status apply: %+v", b.ManagedFields)
		}
	})

	t.Run("status updates leave spec alone, main updates leave status alone", func(t *testing.T) {
		bees := cs().InsectsV1beta1().Bees(ns)
		created, err := bees.Create(ctx, &insectsv1beta1.Bee{
			ObjectMeta: metav1.ObjectMeta{Name: "split"},
			Spec:       insectsv1beta1.BeeSpec{Replicas: ptr(int32(2)), Description: "spec"},
			Status:     insectsv1beta1.BeeStatus{Replicas: 7, Selector: "sneaked=in"},
		}, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if created.Status.Replicas != 0 || created.Status.Selector != "" {
			t.Errorf("status set on create was kept: %+v", created.Status)
		}
		s := created.DeepCopy()
		s.Status.Replicas, s.Status.Selector = 4, "app=split"
		s.Spec.Replicas, s.Spec.Description = ptr(int32(9)), "changed through /status"
		s.Labels = map[string]string{"through": "status"}
		after, err := bees.UpdateStatus(ctx, s, metav1.UpdateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if after.Status.Replicas != 4 || after.Status.Selector != "app=split" {
			t.Errorf("status update did not write status: %+v", after.Status)
		}
		if *after.Spec.Replicas != 2 || after.Spec.Description != "spec" || after.Generation != 1 || after.Labels["through"] != "" {
			t.Errorf("status update changed spec/metadata: spec %+v generation %d labels %v", after.Spec, after.Generation, after.Labels)
		}
		m := after.DeepCopy()
		m.Status = insectsv1beta1.BeeStatus{}
		m.Spec.Description = "main"
		after2, err := bees.Update(ctx, m, metav1.UpdateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if after2.Status.Replicas != 4 || after2.Status.Selector != "app=split" {
			t.Errorf("main update changed status: %+v", after2.Status)
		}
		if after2.Spec.Description != "main" || after2.Generation != 2 {
			t.Errorf("main update: spec %+v generation %d", after2.Spec, after2.Generation)
		}
		// Patches obey the same split, also through kubectl --subresource.
		kubectl(ctx, t, kc(), "", "patch", "bee", "split", "-n", ns, "--subresource=status", "--type=merge",
			"-p", `{"status":{"replicas":6},"spec":{"replicas":11}}`)
		kubectl(ctx, t, kc(), "", "patch", "bee", "split", "-n", ns, "--type=merge",
			"-p", `{"status":{"replicas":1},"spec":{"description":"patched main"}}`)
		out := kubectl(ctx, t, kc(), "", "get", "bee", "split", "-n", ns, "-o", "jsonpath={.spec.replicas}|{.spec.description}|{.status.replicas}|{.metadata.generation}")
		if out != "2|patched main|6|3" {
			t.Errorf("after patches of /status and the main resource: %q, want 2|patched main|6|3", out)
		}
	})

	t.Run("kubectl scale and /scale", func(t *testing.T) {
		bees := cs().InsectsV1beta1().Bees(ns)
		mustCreateBee(ctx, t, bees, "scaled", "scale me")
		out := kubectl(ctx, t, kc(), "", "scale", "bee", "scaled", "-n", ns, "--replicas=3")
		t.Logf("kubectl scale: %s", strings.TrimSpace(out))
		b, err := bees.Get(ctx, "scaled", metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if *b.Spec.Replicas != 3 || b.Generation != 2 {
			t.Errorf("after kubectl scale: spec.replicas %d generation %d, want 3/2", *b.Spec.Replicas, b.Generation)
		}
		b.Status.Replicas, b.Status.Selector = 3, "app=scaled"
		if _, err := bees.UpdateStatus(ctx, b, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		raw := kubectl(ctx, t, kc(), "", "get", "--raw", "/apis/"+group+"/v1beta1/namespaces/"+ns+"/bees/scaled/scale")
		var scale struct {
			APIVersion, Kind string
			Spec             struct{ Replicas int32 }
			Status           struct {
				Replicas int32
				Selector string
			}
		}
		if err := json.Unmarshal([]byte(raw), &scale); err != nil {
			t.Fatal(err)
		}
		if scale.APIVersion != "autoscaling/v1" || scale.Kind != "Scale" || scale.Spec.Replicas != 3 || scale.Status.Replicas != 3 || scale.Status.Selector != "app=scaled" {
			t.Errorf("GET /scale: %s", raw)
		}
		// Preconditions and the v1alpha1 endpoint.
		if _, err := kubectlErr(ctx, kc(), "", "scale", "bee", "scaled", "-n", ns, "--current-replicas=7", "--replicas=4"); err == nil {
			t.Error("kubectl scale --current-replicas=7 on a Bee with 3 succeeded")
		}
		kubectl(ctx, t, kc(), "", "scale", "bees.v1alpha1."+group, "scaled", "-n", ns, "--current-replicas=3", "--replicas=5")
		if b, err = bees.Get(ctx, "scaled", metav1.GetOptions{}); err != nil || *b.Spec.Replicas != 5 {
			t.Errorf("after kubectl scale through v1alpha1: %v %v", err, b.Spec.Replicas)
		}
		// A negative scale is invalid.
		body := fmt.Sprintf(`{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"scaled","namespace":%q},"spec":{"replicas":-1}}`, ns)
		err = cs().InsectsV1beta1().RESTClient().Put().Namespace(ns).Resource("bees").Name("scaled").SubResource("scale").
			Body([]byte(body)).SetHeader("Content-Type", "application/json").Do(ctx).Error()
		if !apierrors.IsInvalid(err) || !slices.Contains(causeFields(err), "spec.replicas") {
			t.Errorf("PUT /scale with -1: %v, want 422 on spec.replicas", err)
		}
	})

	t.Run("kubectl get prints the printcolumns", func(t *testing.T) {
		bees := cs().InsectsV1beta1().Bees(ns)
		b, err := bees.Create(ctx, &insectsv1beta1.Bee{ObjectMeta: metav1.ObjectMeta{Name: "columns"},
			Spec: insectsv1beta1.BeeSpec{Replicas: ptr(int32(4)), Description: "striped"}}, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		b.Status.Replicas = 2
		if _, err := bees.UpdateStatus(ctx, b, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		out := kubectl(ctx, t, kc(), "", "get", "bees", "-n", ns, "--field-selector", "metadata.name=columns")
		t.Logf("kubectl get bees:\n%s", out)
		if h := headerLine(out); h != "NAME DESIRED READY AGE" {
			t.Errorf("header %q, want NAME DESIRED READY AGE", h)
		}
		if r := row(out, "columns"); len(r) != 4 || r[1] != "4" || r[2] != "2" {
			t.Errorf("row %v, want columns 4 2 <age>", r)
		}
		out = kubectl(ctx, t, kc(), "", "get", "bees", "-n", ns, "-o", "wide", "--field-selector", "metadata.name=columns")
		t.Logf("kubectl get bees -o wide:\n%s", out)
		// The priority-1 column shows only with -o wide, after AGE as the
		// built-in resources print their wide columns.
		if h := headerLine(out); h != "NAME DESIRED READY AGE DESCRIPTION" {
			t.Errorf("wide header %q, want NAME DESIRED READY AGE DESCRIPTION", h)
		}
		header := strings.Fields(headerLine(out))
		cells := row(out, "columns")
		if len(header) != 5 || len(cells) != 5 {
			t.Fatalf("wide: header %v row %v, want 5 columns", header, cells)
		}
		byName := map[string]string{}
		for i, h := range header {
			byName[h] = cells[i]
		}
		if header[0] != "NAME" || byName["DESIRED"] != "4" || byName["READY"] != "2" || byName["DESCRIPTION"] != "striped" || byName["AGE"] == "" {
			t.Errorf("wide columns %v", byName)
		}
		mustCreateHive(ctx, t, cs(), "columns-hive", "waxy")
		out = kubectl(ctx, t, kc(), "", "get", "hives", "--field-selector", "metadata.name=columns-hive")
		if h := headerLine(out); h != "NAME AGE" {
			t.Errorf("hives header %q, want NAME AGE", h)
		}
		out = kubectl(ctx, t, kc(), "", "get", "hives", "-o", "wide", "--field-selector", "metadata.name=columns-hive")
		if h, r := headerLine(out), row(out, "columns-hive"); h != "NAME AGE DESCRIPTION" || len(r) != 3 || r[2] != "waxy" {
			t.Errorf("hives -o wide:\n%s", out)
		}
		// The Table itself: column types and priorities from the markers.
		raw, err := cs().InsectsV1beta1().RESTClient().Get().Namespace(ns).Resource("bees").Name("columns").
			SetHeader("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io").DoRaw(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var table metav1.Table
		if err := json.Unmarshal(raw, &table); err != nil {
			t.Fatal(err)
		}
		var cols []string
		for _, c := range table.ColumnDefinitions {
			cols = append(cols, fmt.Sprintf("%s:%s:%d", c.Name, c.Type, c.Priority))
		}
		sort.Strings(cols)
		want := []string{"Age:date:0", "Description:string:1", "Desired:integer:0", "Name:string:0", "Ready:integer:0"}
		if !slices.Equal(cols, want) {
			t.Errorf("Table columns %v, want %v", cols, want)
		}
		var order []string
		for _, c := range table.ColumnDefinitions {
			order = append(order, c.Name)
		}
		if want := []string{"Name", "Desired", "Ready", "Age", "Description"}; !slices.Equal(order, want) {
			t.Errorf("Table column order %v, want %v", order, want)
		}
	})

	t.Run("field selectors filter server-side", func(t *testing.T) {
		bees := cs().InsectsV1beta1().Bees(ns)
		mustCreateBee(ctx, t, bees, "fs-1", "red")
		mustCreateBee(ctx, t, bees, "fs-2", "blue")
		mustCreateBee(ctx, t, bees, "fs-3", "red")
		namesOf := func(l *insectsv1beta1.BeeList) []string {
			var out []string
			for _, b := range l.Items {
				out = append(out, b.Name)
			}
			sort.Strings(out)
			return out
		}
		l, err := bees.List(ctx, metav1.ListOptions{FieldSelector: "spec.description=red"})
		if err != nil {
			t.Fatal(err)
		}
		if got := namesOf(l); !slices.Equal(got, []string{"fs-1", "fs-3"}) {
			t.Errorf("spec.description=red: %v", got)
		}
		l, err = bees.List(ctx, metav1.ListOptions{FieldSelector: "spec.description!=red,metadata.name!=fs-9"})
		if err != nil {
			t.Fatal(err)
		}
		if got := namesOf(l); slices.Contains(got, "fs-1") || !slices.Contains(got, "fs-2") {
			t.Errorf("spec.description!=red: %v", got)
		}
		la, err := cs().InsectsV1alpha1().Bees(ns).List(ctx, metav1.ListOptions{FieldSelector: "spec.description=blue"})
		if err != nil {
			t.Fatal(err)
		}
		if len(la.Items) != 1 || la.Items[0].Name != "fs-2" {
			t.Errorf("v1alpha1 spec.description=blue: %d items", len(la.Items))
		}
		out := kubectl(ctx, t, kc(), "", "get", "bees", "-n", ns, "--field-selector", "spec.description=red", "-o", "name")
		if strings.Fields(out) == nil || strings.Join(strings.Fields(out), " ") != "bee.insects.example.com/fs-1 bee.insects.example.com/fs-3" {
			t.Errorf("kubectl --field-selector spec.description=red: %q", out)
		}
		mustCreateHive(ctx, t, cs(), "fs-hive", "wild")
		hl, err := cs().InsectsV1beta1().Hives().List(ctx, metav1.ListOptions{FieldSelector: "spec.description=wild"})
		if err != nil || len(hl.Items) != 1 || hl.Items[0].Name != "fs-hive" {
			t.Errorf("hives spec.description=wild: %v %v", err, hl)
		}
		// A watch filters too.
		w, err := bees.Watch(ctx, metav1.ListOptions{FieldSelector: "spec.description=green"})
		if err != nil {
			t.Fatal(err)
		}
		mustCreateBee(ctx, t, bees, "fs-4", "yellow")
		mustCreateBee(ctx, t, bees, "fs-5", "green")
		if got := collectEvents(t, w, 1, 20*time.Second); !slices.Equal(got, []string{"ADDED fs-5 green"}) {
			t.Errorf("watch with spec.description=green: %v", got)
		}
		w.Stop()
		// A field that is not selectable is a clear 400.
		_, err = bees.List(ctx, metav1.ListOptions{FieldSelector: "spec.replicas=1"})
		if !apierrors.IsBadRequest(err) || !strings.Contains(err.Error(), "spec.replicas") {
			t.Errorf("spec.replicas=1: %v, want 400 naming spec.replicas", err)
		} else {
			t.Logf("unsupported field selector: %v", err)
		}
		if _, err := kubectlErr(ctx, kc(), "", "get", "bees", "-n", ns, "--field-selector", "status.replicas=1"); err == nil || !strings.Contains(err.Error(), "BadRequest") {
			t.Errorf("kubectl --field-selector status.replicas=1: %v", err)
		}
	})

	t.Run("an invalid object is rejected with 422 naming every bad field", func(t *testing.T) {
		long := strings.Repeat("x", 257)
		bees := cs().InsectsV1beta1().Bees(ns)
		_, err := bees.Create(ctx, &insectsv1beta1.Bee{ObjectMeta: metav1.ObjectMeta{Name: "bad"},
			Spec: insectsv1beta1.BeeSpec{Replicas: ptr(int32(-1)), Description: long}}, metav1.CreateOptions{})
		var se apierrors.APIStatus
		if !apierrors.IsInvalid(err) || !asStatus(err, &se) || se.Status().Code != http.StatusUnprocessableEntity {
			t.Fatalf("create of an invalid Bee: %v, want 422 Invalid", err)
		}
		// As for a CRD with a /scale subresource, the check of the scale
		// path (".spec.replicas", as the CRD names it) adds its own cause.
		fields := causeFields(err)
		sort.Strings(fields)
		if !slices.Equal(fields, []string{".spec.replicas", "spec.description", "spec.replicas"}) {
			t.Errorf("causes name %v, want spec.description, spec.replicas and the scale path .spec.replicas", fields)
		}
		t.Logf("422: %v", err)
		_, err = cs().InsectsV1alpha1().Bees(ns).Create(ctx, &insectsv1alpha1.Bee{ObjectMeta: metav1.ObjectMeta{Name: "bad"},
			Spec: insectsv1alpha1.BeeSpec{Replicas: ptr(int32(-3)), Description: long}}, metav1.CreateOptions{})
		if fields := causeFields(err); !apierrors.IsInvalid(err) || len(fields) != 3 {
			t.Errorf("v1alpha1 create of an invalid Bee: %v", err)
		}
		// The boundaries are valid.
		edge, err := bees.Create(ctx, &insectsv1beta1.Bee{ObjectMeta: metav1.ObjectMeta{Name: "edge"},
			Spec: insectsv1beta1.BeeSpec{Replicas: ptr(int32(0)), Description: long[:256]}}, metav1.CreateOptions{})
		if err != nil {
			t.Fatalf("replicas 0 and a 256-character description: %v", err)
		}
		// Updates are validated too.
		edge.Spec.Replicas = ptr(int32(-5))
		_, err = bees.Update(ctx, edge, metav1.UpdateOptions{})
		if !apierrors.IsInvalid(err) || !slices.Equal(causeFields(err), []string{"spec.replicas", ".spec.replicas"}) {
			t.Errorf("update to replicas -5: %v", err)
		}
		_, err = cs().InsectsV1beta1().Hives().Create(ctx, &insectsv1beta1.Hive{ObjectMeta: metav1.ObjectMeta{Name: "bad-hive"},
			Spec: insectsv1beta1.HiveSpec{Description: long}}, metav1.CreateOptions{})
		if !apierrors.IsInvalid(err) || !slices.Equal(causeFields(err), []string{"spec.description"}) {
			t.Errorf("invalid Hive: %v", err)
		}
		// kubectl shows the same causes.
		manifest := fmt.Sprintf("apiVersion: %s/v1beta1\nkind: Bee\nmetadata:\n  name: bad\n  namespace: %s\nspec:\n  replicas: -1\n  description: %s\n", group, ns, long)
		_, err = kubectlErr(ctx, kc(), manifest, "apply", "-f", "-")
		if err == nil || !strings.Contains(err.Error(), "spec.replicas") || !strings.Contains(err.Error(), "spec.description") || !strings.Contains(err.Error(), "Invalid") {
			t.Errorf("kubectl apply of an invalid Bee: %v", err)
		}
	})

	t.Run("an object created as v1alpha1 reads back as v1beta1 and round-trips", func(t *testing.T) {
		alpha := cs().InsectsV1alpha1().Bees(ns)
		created, err := alpha.Create(ctx, &insectsv1alpha1.Bee{
			ObjectMeta: metav1.ObjectMeta{Name: "versioned", Labels: map[string]string{"made-as": "v1alpha1"}, Annotations: map[string]string{"note": "round trip"}},
			Spec:       insectsv1alpha1.BeeSpec{Replicas: ptr(int32(3)), Description: "made as v1alpha1"},
		}, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := cs().InsectsV1beta1().Bees(ns).Get(ctx, "versioned", metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if b.UID != created.UID || *b.Spec.Replicas != 3 || b.Spec.Description != "made as v1alpha1" || b.Labels["made-as"] != "v1alpha1" || b.Annotations["note"] != "round trip" {
			t.Errorf("read as v1beta1: %+v", b)
		}
		out := kubectl(ctx, t, kc(), "", "get", "bees.v1beta1."+group, "versioned", "-n", ns, "-o", "jsonpath={.apiVersion}|{.spec.description}")
		if out != group+"/v1beta1|made as v1alpha1" {
			t.Errorf("kubectl get as v1beta1: %q", out)
		}
		// Stored in the storage version, v1beta1.
		stored := etcdGet(ctx, t, etcd.ClientURL, standalonePrefix+"/"+group+"/bees/"+ns+"/versioned")
		if !strings.Contains(stored, `"apiVersion":"insects.example.com/v1beta1"`) {
			t.Errorf("etcd holds %s", stored)
		} else {
			t.Logf("etcd value: %.160s…", stored)
		}
		// Changed as v1beta1, read as v1alpha1.
		b.Spec.Description = "changed as v1beta1"
		if _, err := cs().InsectsV1beta1().Bees(ns).Update(ctx, b, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		a, err := alpha.Get(ctx, "versioned", metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if a.Spec.Description != "changed as v1beta1" || *a.Spec.Replicas != 3 || a.Generation != 2 {
			t.Errorf("read back as v1alpha1: spec %+v generation %d", a.Spec, a.Generation)
		}
		// Writing back what was read changes nothing: the round trip is
		// lossless, so the generation stays.
		same, err := alpha.Update(ctx, a, metav1.UpdateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if same.Generation != a.Generation || same.Spec.Description != a.Spec.Description {
			t.Errorf("no-op update through v1alpha1 changed the object: generation %d → %d", a.Generation, same.Generation)
		}
		out = kubectl(ctx, t, kc(), "", "get", "bees.v1alpha1."+group, "versioned", "-n", ns, "-o", "jsonpath={.apiVersion}|{.spec.replicas}")
		if out != group+"/v1alpha1|3" {
			t.Errorf("kubectl get as v1alpha1: %q", out)
		}
	})

	t.Run("openapi v2 and v3 serve the kinds; kubectl explain", func(t *testing.T) {
		rc := cs().Discovery().RESTClient()
		v2raw, err := rc.Get().AbsPath("/openapi/v2").SetHeader("Accept", "application/json").DoRaw(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var v2 struct {
			Paths       map[string]any `json:"paths"`
			Definitions map[string]struct {
				GVK        []map[string]string `json:"x-kubernetes-group-version-kind"`
				Properties map[string]any      `json:"properties"`
			} `json:"definitions"`
		}
		if err := json.Unmarshal(v2raw, &v2); err != nil {
			t.Fatal(err)
		}
		gvks := map[string]string{}
		for name, d := range v2.Definitions {
			for _, g := range d.GVK {
				if g["group"] == group {
					gvks[g["version"]+"/"+g["kind"]] = name
				}
			}
		}
		for _, k := range []string{"v1alpha1/Bee", "v1beta1/Bee", "v1beta1/Hive", "v1alpha1/BeeList", "v1beta1/HiveList"} {
			if gvks[k] == "" {
				t.Errorf("/openapi/v2 has no definition for %s (have %v)", k, gvks)
			}
		}
		for _, p := range []string{
			"/apis/" + group + "/v1beta1/namespaces/{namespace}/bees/{name}",
			"/apis/" + group + "/v1beta1/namespaces/{namespace}/bees/{name}/status",
			"/apis/" + group + "/v1beta1/namespaces/{namespace}/bees/{name}/scale",
			"/apis/" + group + "/v1beta1/hives/{name}",
			"/apis/" + group + "/v1alpha1/namespaces/{namespace}/bees",
		} {
			if _, ok := v2.Paths[p]; !ok {
				t.Errorf("/openapi/v2 has no path %s", p)
			}
		}
		// Validation markers show in v2; defaults are pruned from v2 by
		// k8s.io/apiserver (routes.OpenAPI.InstallV2) and checked in v3.
		spec := findSchema(v2raw, "definitions", "v1beta1.BeeSpec")
		t.Logf("/openapi/v2 BeeSpec: %s", spec)
		for _, s := range []string{`"minimum":0`, `"maxLength":256`} {
			if !strings.Contains(spec, s) {
				t.Errorf("/openapi/v2 BeeSpec lacks %s", s)
			}
		}

		v3raw, err := rc.Get().AbsPath("/openapi/v3").DoRaw(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var v3 struct {
			Paths map[string]struct {
				URL string `json:"serverRelativeURL"`
			} `json:"paths"`
		}
		if err := json.Unmarshal(v3raw, &v3); err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{"v1alpha1", "v1beta1"} {
			p, ok := v3.Paths["apis/"+group+"/"+v]
			if !ok {
				t.Errorf("/openapi/v3 lists no apis/%s/%s: %s", group, v, v3raw)
				continue
			}
			doc, err := rc.Get().AbsPath(strings.SplitN(p.URL, "?", 2)[0]).DoRaw(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, kind := range map[string][]string{"v1alpha1": {"Bee"}, "v1beta1": {"Bee", "Hive"}}[v] {
				if !bytes.Contains(doc, []byte(`"kind":"`+kind+`"`)) || !bytes.Contains(doc, []byte(`"version":"`+v+`"`)) {
					t.Errorf("/openapi/v3 %s has no group-version-kind for %s", p.URL, kind)
				}
			}
			spec := findSchema(doc, "components", v+".BeeSpec")
			for _, s := range []string{`"minimum":0`, `"maxLength":256`, `"default":1`} {
				if !strings.Contains(spec, s) {
					t.Errorf("/openapi/v3 %s BeeSpec lacks %s: %s", v, s, spec)
				}
			}
			t.Logf("/openapi/v3 %s: %d bytes; BeeSpec %s", p.URL, len(doc), spec)
		}

		out := kubectl(ctx, t, kc(), "", "explain", "bees.spec")
		t.Logf("kubectl explain bees.spec:\n%s", out)
		for _, s := range []string{"GROUP:      insects.example.com", "VERSION:    v1beta1", "replicas\t<integer>", "description\t<string>", "Replicas is the desired number of replicas"} {
			if !strings.Contains(out, s) {
				t.Errorf("kubectl explain bees.spec lacks %q", s)
			}
		}
		out = kubectl(ctx, t, kc(), "", "explain", "bees", "--api-version="+group+"/v1alpha1")
		if !strings.Contains(out, "VERSION:    v1alpha1") || !strings.Contains(out, "KIND:       Bee") {
			t.Errorf("kubectl explain bees --api-version=v1alpha1:\n%s", out)
		}
		out = kubectl(ctx, t, kc(), "", "explain", "hives.status.conditions")
		if !strings.Contains(out, "FIELD: conditions <[]Condition>") {
			t.Errorf("kubectl explain hives.status.conditions:\n%s", out)
		}
	})

	t.Run("the controller manager reconciles a Bee and a Hive", func(t *testing.T) {
		probe, err := harness.FreePort()
		if err != nil {
			t.Fatal(err)
		}
		cm, err := harness.StartProcess(harness.ProcessOptions{
			Name: "insects-controller-manager", Binary: controllerBin, Dir: srv.Dir,
			LogPath: filepath.Join(srv.Dir, "controller-manager.log"),
			Args:    []string{"--kubeconfig=" + srv.Kubeconfig, "--health-probe-bind-address=127.0.0.1:" + strconv.Itoa(probe), "--metrics-bind-address=0"},
		})
		if err != nil {
			t.Fatal(err)
		}
		defer func() {
			if err := cm.Stop(); err != nil {
				t.Errorf("stop controller manager: %v", err)
			}
		}()
		dumpLogsOnFailure(t, cm)
		start := time.Now()
		eventually(t, 60*time.Second, "controller manager /readyz", func() error {
			resp, err := http.Get("http://127.0.0.1:" + strconv.Itoa(probe) + "/readyz")
			if err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("HTTP %d", resp.StatusCode)
			}
			return nil
		})
		bees := cs().InsectsV1beta1().Bees(ns)
		mustCreateBee(ctx, t, bees, "reconciled", "watch me")
		waitReconciled := func(gen int64) *insectsv1beta1.Bee {
			var b *insectsv1beta1.Bee
			eventually(t, 60*time.Second, fmt.Sprintf("Bee reconciled at generation %d", gen), func() error {
				var err error
				if b, err = bees.Get(ctx, "reconciled", metav1.GetOptions{}); err != nil {
					return err
				}
				c := meta.FindStatusCondition(b.Status.Conditions, "Ready")
				if b.Generation != gen || b.Status.ObservedGeneration != gen || c == nil || c.Status != metav1.ConditionTrue || c.ObservedGeneration != gen {
					return fmt.Errorf("generation %d status %+v", b.Generation, b.Status)
				}
				return nil
			})
			return b
		}
		b := waitReconciled(1)
		t.Logf("reconciled %v after the manager was ready: observedGeneration=%d Ready=%s/%s", time.Since(start).Round(time.Millisecond),
			b.Status.ObservedGeneration, meta.FindStatusCondition(b.Status.Conditions, "Ready").Status, meta.FindStatusCondition(b.Status.Conditions, "Ready").Reason)
		b.Spec.Description = "changed"
		if _, err := bees.Update(ctx, b, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		waitReconciled(2)
		mustCreateHive(ctx, t, cs(), "reconciled-hive", "")
		eventually(t, 60*time.Second, "Hive reconciled", func() error {
			h, err := cs().InsectsV1beta1().Hives().Get(ctx, "reconciled-hive", metav1.GetOptions{})
			if err != nil {
				return err
			}
			if !meta.IsStatusConditionTrue(h.Status.Conditions, "Ready") || h.Status.ObservedGeneration != h.Generation {
				return fmt.Errorf("status %+v", h.Status)
			}
			return nil
		})
	})

	t.Run("restarted on the same etcd, every object is still there", func(t *testing.T) {
		before := snapshot(ctx, t, cs())
		if len(before) < 10 {
			t.Fatalf("only %d objects before the restart", len(before))
		}
		oldToken := kubeconfigToken(t, srv.Kubeconfig)
		start := time.Now()
		srv2, err := srv.restart(ctx)
		if err != nil {
			t.Fatalf("restart: %v", err)
		}
		srv = srv2
		t.Cleanup(func() { _ = srv2.Stop() })
		dumpLogsOnFailure(t, srv2.Process)
		timing("standalone apiserver restart (stop + start to /readyz): %v", time.Since(start).Round(time.Millisecond))
		after := snapshot(ctx, t, cs())
		if fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("objects differ after the restart\nbefore: %v\nafter:  %v", before, after)
		}
		if tok := kubeconfigToken(t, srv.Kubeconfig); tok != oldToken {
			t.Errorf("the local token changed across the restart")
		}
		t.Logf("%d objects (uid, resourceVersion, spec, status) identical after a restart that took %v", len(after), time.Since(start).Round(time.Millisecond))
		out := kubectl(ctx, t, kc(), "", "get", "bees,hives", "-A")
		if !strings.Contains(out, "versioned") || !strings.Contains(out, "reconciled-hive") {
			t.Errorf("kubectl get after restart:\n%s", out)
		}
	})
	timing("standalone suite (issue 3) wall time: %v", time.Since(suiteStart).Round(time.Millisecond))
}

// mustCreateBee creates a Bee with a description.
func mustCreateBee(ctx context.Context, t *testing.T, bees typedv1beta1.BeeInterface, name, description string) *insectsv1beta1.Bee {
	t.Helper()
	b, err := bees.Create(ctx, &insectsv1beta1.Bee{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: insectsv1beta1.BeeSpec{Description: description}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("create bee %s: %v", name, err)
	}
	return b
}

// mustCreateHive creates a Hive with a description.
func mustCreateHive(ctx context.Context, t *testing.T, cs clientset.Interface, name, description string) *insectsv1beta1.Hive {
	t.Helper()
	h, err := cs.InsectsV1beta1().Hives().Create(ctx, &insectsv1beta1.Hive{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: insectsv1beta1.HiveSpec{Description: description}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("create hive %s: %v", name, err)
	}
	return h
}

func asStatus(err error, out *apierrors.APIStatus) bool {
	s, ok := err.(apierrors.APIStatus)
	if ok {
		*out = s
	}
	return ok
}

// collectEvents reads n events from w (type, name, spec.description).
func collectEvents(t *testing.T, w watch.Interface, n int, timeout time.Duration) []string {
	t.Helper()
	var got []string
	deadline := time.After(timeout)
	for len(got) < n {
		select {
		case ev, ok := <-w.ResultChan():
			if !ok {
				t.Fatalf("watch closed after %v", got)
			}
			switch o := ev.Object.(type) {
			case *insectsv1beta1.Bee:
				got = append(got, fmt.Sprintf("%s %s %s", ev.Type, o.Name, o.Spec.Description))
			default:
				got = append(got, fmt.Sprintf("%s %T", ev.Type, ev.Object))
			}
		case <-deadline:
			t.Fatalf("watch: %d of %d events after %v: %v", len(got), n, timeout, got)
		}
	}
	return got
}

func managedBy(mfs []metav1.ManagedFieldsEntry, manager string, op metav1.ManagedFieldsOperationType) *metav1.ManagedFieldsEntry {
	for i := range mfs {
		if mfs[i].Manager == manager && mfs[i].Operation == op {
			return &mfs[i]
		}
	}
	return nil
}

// findSchema returns the JSON of the schema whose name ends in suffix, from
// an OpenAPI v2 document (in "definitions") or v3 (in "components").
func findSchema(doc []byte, in, suffix string) string {
	var d struct {
		Definitions map[string]json.RawMessage `json:"definitions"`
		Components  struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if json.Unmarshal(doc, &d) != nil {
		return ""
	}
	schemas := d.Definitions
	if in == "components" {
		schemas = d.Components.Schemas
	}
	for name, s := range schemas {
		if strings.HasSuffix(name, suffix) {
			return string(s)
		}
	}
	return ""
}

// etcdGet reads one key through etcd's JSON gateway (/v3/kv/range).
func etcdGet(ctx context.Context, t *testing.T, etcdURL, key string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"key": base64.StdEncoding.EncodeToString([]byte(key))})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, etcdURL+"/v3/kv/range", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var r struct {
		KVs []struct {
			Value []byte `json:"value"`
		} `json:"kvs"`
	}
	if err := json.Unmarshal(raw, &r); err != nil || len(r.KVs) != 1 {
		t.Fatalf("etcd range %s: %v: %s", key, err, raw)
	}
	return string(r.KVs[0].Value)
}

// snapshot lists every Bee and Hive: name → uid, resourceVersion, spec and
// status.
func snapshot(ctx context.Context, t *testing.T, c clientset.Interface) map[string]string {
	t.Helper()
	out := map[string]string{}
	bees, err := c.InsectsV1beta1().Bees("").List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bees.Items {
		st, _ := json.Marshal(b.Status)
		out["bee "+b.Namespace+"/"+b.Name] = fmt.Sprintf("%s %s %d %s %s", b.UID, b.ResourceVersion, *b.Spec.Replicas, b.Spec.Description, st)
	}
	hives, err := c.InsectsV1beta1().Hives().List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hives.Items {
		st, _ := json.Marshal(h.Status)
		out["hive "+h.Name] = fmt.Sprintf("%s %s %s %s", h.UID, h.ResourceVersion, h.Spec.Description, st)
	}
	return out
}

func kubeconfigToken(t *testing.T, path string) string {
	t.Helper()
	kc, err := harness.LoadKubeconfig(path)
	if err != nil {
		t.Fatal(err)
	}
	return kc.Token
}
