package insects

// Issue 11: the example's computed, read-only kind (HiveSummary,
// +aggen:computed) and Bee's custom subresources (feed, an action; log, a
// stream), through a real kube-apiserver, with the generated client and
// kubectl.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"

	insectsv1beta1 "github.com/aggen-dev/aggen/examples/insects/pkg/apis/insects/v1beta1"
	clientset "github.com/aggen-dev/aggen/examples/insects/pkg/generated/clientset/versioned"
)

// summaryEvents reads n events of a HiveSummary watch as "TYPE name bees".
func summaryEvents(t *testing.T, w watch.Interface, n int, timeout time.Duration) []string {
	t.Helper()
	var got []string
	deadline := time.After(timeout)
	for len(got) < n {
		select {
		case ev, ok := <-w.ResultChan():
			if !ok {
				t.Fatalf("watch closed after %v", got)
			}
			o, isSummary := ev.Object.(*insectsv1beta1.HiveSummary)
			if !isSummary {
				t.Fatalf("watch event %s of %T: %+v", ev.Type, ev.Object, ev.Object)
			}
			got = append(got, fmt.Sprintf("%s %s %d", ev.Type, o.Name, o.Bees))
		case <-deadline:
			t.Fatalf("watch: %d of %d events after %v: %v", len(got), n, timeout, got)
		}
	}
	return got
}

// testComputedKind checks HiveSummary through kube-apiserver: made from the
// Hives and Bees on every read, listed with selectors, watched, printed by
// kubectl with its columns, and refused every write with 405.
func testComputedKind(ctx context.Context, t *testing.T, admin *clientset.Clientset, akc, ns string) {
	hives := admin.InsectsV1beta1().Hives()
	bees := admin.InsectsV1beta1().Bees(ns)
	summaries := admin.InsectsV1beta1().HiveSummaries()
	for _, name := range []string{"computed-meadow", "computed-orchard"} {
		if _, err := hives.Create(ctx, &insectsv1beta1.Hive{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{"e2e": "computed"}}}, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = hives.Delete(context.Background(), name, metav1.DeleteOptions{}) })
	}
	for i, name := range []string{"computed-maya", "computed-willy"} {
		b := &insectsv1beta1.Bee{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{insectsv1beta1.HiveLabel: "computed-meadow"}},
			Spec: insectsv1beta1.BeeSpec{Replicas: ptr(int32(i + 2))}}
		if _, err := bees.Create(ctx, b, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = bees.Delete(context.Background(), name, metav1.DeleteOptions{}) })
	}

	// The server reads Hives and Bees through its informers: the counts
	// follow within moments.
	eventually(t, 30*time.Second, "HiveSummary computed-meadow counts 2 bees", func() error {
		s, err := summaries.Get(ctx, "computed-meadow", metav1.GetOptions{})
		if err != nil {
			return err
		}
		if s.Bees != 2 || s.Replicas != 5 || s.Empty || !slices.Equal(s.Namespaces, []string{ns}) {
			return fmt.Errorf("got bees %d replicas %d empty %v namespaces %v", s.Bees, s.Replicas, s.Empty, s.Namespaces)
		}
		return nil
	})
	if _, err := summaries.Get(ctx, "no-such-hive", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("get of the summary of a missing hive: %v, want 404", err)
	}

	// List with a label selector (the hive's labels) and a field selector
	// (the selectable field empty).
	l, err := summaries.List(ctx, metav1.ListOptions{LabelSelector: "e2e=computed"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range l.Items {
		names = append(names, s.Name)
	}
	if !slices.Equal(names, []string{"computed-meadow", "computed-orchard"}) || l.ResourceVersion == "" {
		t.Errorf("list by label: %v (resourceVersion %q)", names, l.ResourceVersion)
	}
	l, err = summaries.List(ctx, metav1.ListOptions{LabelSelector: "e2e=computed", FieldSelector: "empty=true"})
	if err != nil || len(l.Items) != 1 || l.Items[0].Name != "computed-orchard" {
		t.Errorf("list by field empty=true: %v %+v", err, l)
	}
	if _, err := summaries.List(ctx, metav1.ListOptions{FieldSelector: "spec.nothing=x"}); !apierrors.IsBadRequest(err) {
		t.Errorf("list by an unknown field: %v, want 400", err)
	}

	// Watch from the list's resourceVersion: a Bee moving from one hive to
	// the other changes both summaries, and nothing else is sent.
	w, err := summaries.Watch(ctx, metav1.ListOptions{LabelSelector: "e2e=computed", ResourceVersion: l.ResourceVersion})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	willy, err := bees.Get(ctx, "computed-willy", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	willy.Labels[insectsv1beta1.HiveLabel] = "computed-orchard"
	if _, err := bees.Update(ctx, willy, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	got := summaryEvents(t, w, 2, 30*time.Second)
	slices.Sort(got)
	if want := []string{"MODIFIED computed-meadow 1", "MODIFIED computed-orchard 1"}; !slices.Equal(got, want) {
		t.Errorf("watch of hivesummaries through kube-apiserver: %v, want %v", got, want)
	}
	if err := hives.Delete(ctx, "computed-orchard", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := summaryEvents(t, w, 1, 30*time.Second); !slices.Equal(got, []string{"DELETED computed-orchard 1"}) {
		t.Errorf("watch after the hive is deleted: %v", got)
	}
	t.Logf("watch of hivesummaries through kube-apiserver: MODIFIED, MODIFIED, DELETED")

	// kubectl: columns from the printcolumns, short name, a watch.
	out := kubectl(ctx, t, akc, "", "get", "hs", "-l", "e2e=computed", "-o", "wide")
	t.Logf("kubectl get hs -o wide through kube-apiserver:\n%s", out)
	if h := strings.Fields(headerLine(out)); !slices.Equal(h, []string{"NAME", "BEES", "REPLICAS", "AGE", "NAMESPACES"}) {
		t.Errorf("kubectl get hs header %v", h)
	}
	if r := row(out, "computed-meadow"); len(r) < 3 || r[1] != "1" || r[2] != "2" {
		t.Errorf("kubectl get hs row %v, want BEES 1 REPLICAS 2", r)
	}
	kw := startKubectlWatch(ctx, t, akc, "get", "hivesummaries", "-l", "e2e=computed", "--watch", "--output-watch-events", "-o", "json")
	kw.waitFor(t, 30*time.Second, `"computed-meadow"`)
	willy, err = bees.Get(ctx, "computed-willy", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	willy.Labels[insectsv1beta1.HiveLabel] = "computed-meadow"
	if _, err := bees.Update(ctx, willy, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	kw.waitFor(t, 30*time.Second, `"bees":2,`)
	kw.stop()
	if types := watchEventTypes(kw.out.String()); !slices.Contains(types, "MODIFIED") {
		t.Errorf("kubectl get --watch events %v, want a MODIFIED", types)
	}

	// Read only: no write verb in discovery, every write 405.
	rl, err := admin.Discovery().ServerResourcesForGroupVersion(group + "/v1beta1")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rl.APIResources {
		if r.Name == "hivesummaries" && !slices.Equal(r.Verbs, metav1.Verbs{"get", "list", "watch"}) {
			t.Errorf("hivesummaries verbs %v, want get, list, watch", r.Verbs)
		}
	}
	rc := admin.InsectsV1beta1().RESTClient()
	body := `{"apiVersion":"` + group + `/v1beta1","kind":"HiveSummary","metadata":{"name":"computed-meadow"}}`
	for _, req := range []struct {
		method, path string
	}{
		{http.MethodPost, "/apis/" + group + "/v1beta1/hivesummaries"},
		{http.MethodPut, "/apis/" + group + "/v1beta1/hivesummaries/computed-meadow"},
		{http.MethodPatch, "/apis/" + group + "/v1beta1/hivesummaries/computed-meadow"},
		{http.MethodDelete, "/apis/" + group + "/v1beta1/hivesummaries/computed-meadow"},
		{http.MethodDelete, "/apis/" + group + "/v1beta1/hivesummaries"},
	} {
		r := rc.Verb(req.method).AbsPath(req.path)
		switch req.method {
		case http.MethodPatch:
			r = r.SetHeader("Content-Type", "application/merge-patch+json").Body([]byte(body))
		case http.MethodPost, http.MethodPut:
			r = r.SetHeader("Content-Type", "application/json").Body([]byte(body))
		}
		var code int
		r.Do(ctx).StatusCode(&code)
		if code != http.StatusMethodNotAllowed {
			t.Errorf("%s %s through kube-apiserver: %d, want 405", req.method, req.path, code)
		}
	}
	if out, err := kubectlErr(ctx, akc, "", "delete", "hivesummary", "computed-meadow"); err == nil || !strings.Contains(out+err.Error(), "MethodNotAllowed") {
		t.Errorf("kubectl delete hivesummary: %v %s, want MethodNotAllowed", err, out)
	}
}

// testBeeSubresources checks Bee's feed (an action) and log (a stream)
// through kube-apiserver, with kubectl create --raw and get --raw.
func testBeeSubresources(ctx context.Context, t *testing.T, admin *clientset.Clientset, akc, ns string) {
	bees := admin.InsectsV1beta1().Bees(ns)
	if _, err := bees.Create(ctx, &insectsv1beta1.Bee{ObjectMeta: metav1.ObjectMeta{Name: "sub-bee"}, Spec: insectsv1beta1.BeeSpec{Description: "hungry", Replicas: ptr(int32(3))}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = bees.Delete(context.Background(), "sub-bee", metav1.DeleteOptions{}) }()

	// The generated client method.
	res, err := bees.Feed(ctx, "sub-bee", &insectsv1beta1.BeeFeed{Reason: "e2e"}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "fed 3 replicas of bee sub-bee (e2e): 60 mg of nectar"; res.Message != want || res.Name != "sub-bee" {
		t.Errorf("Feed: %q %q, want %q", res.Name, res.Message, want)
	}
	if _, err := bees.Feed(ctx, "sub-bee", &insectsv1beta1.BeeFeed{}, metav1.CreateOptions{}); !apierrors.IsBadRequest(err) {
		t.Errorf("Feed without a reason: %v, want 400", err)
	}
	if _, err := bees.Feed(ctx, "no-such-bee", &insectsv1beta1.BeeFeed{Reason: "e2e"}, metav1.CreateOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("Feed of a missing bee: %v, want 404", err)
	}
	// kubectl create --raw.
	path := "/apis/" + group + "/v1beta1/namespaces/" + ns + "/bees/sub-bee/feed"
	out := kubectl(ctx, t, akc, `{"apiVersion":"`+group+`/v1beta1","kind":"BeeFeed","reason":"kubectl"}`, "create", "--raw", path, "-f", "-")
	if !strings.Contains(out, `"kind":"BeeFeedResult"`) || !strings.Contains(out, "(kubectl): 60 mg of nectar") {
		t.Errorf("kubectl create --raw %s: %s", path, out)
	}

	// kubectl get --raw of the stream, which ends without follow.
	path = "/apis/" + group + "/v1beta1/namespaces/" + ns + "/bees/sub-bee/log"
	out = kubectl(ctx, t, akc, "", "get", "--raw", path)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], `bee sub-bee: "hungry"`) || !strings.HasPrefix(lines[1], "bee sub-bee: ") || !strings.Contains(lines[1], "of 3 replicas ready") {
		t.Errorf("kubectl get --raw %s:\n%s", path, out)
	}
	// With follow=true it goes on, a line a second, flushed through the
	// aggregator as written.
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	stream, err := admin.InsectsV1beta1().RESTClient().Get().Namespace(ns).Resource("bees").Name("sub-bee").SubResource("log").Param("follow", "true").Stream(sctx)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	sc := bufio.NewScanner(stream)
	var followed []string
	for len(followed) < 4 && sc.Scan() {
		followed = append(followed, sc.Text())
	}
	if len(followed) < 4 {
		t.Errorf("followed log: %v (%v)", followed, sc.Err())
	}
	cancel()
	_, _ = io.Copy(io.Discard, stream)
	t.Logf("bees/sub-bee/log?follow=true through kube-apiserver: %q", followed)
}
