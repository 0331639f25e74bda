package insects

// Issue 4: the generated apiserver behind a real kube-apiserver, deployed
// with the project's own manifests (local overlay) and running as the
// project's ServiceAccount, so that its RBAC is what lets it work.

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	insectsv1alpha1 "github.com/aggen-dev/aggen/examples/insects/pkg/apis/insects/v1alpha1"
	insectsv1beta1 "github.com/aggen-dev/aggen/examples/insects/pkg/apis/insects/v1beta1"
	acv1beta1 "github.com/aggen-dev/aggen/examples/insects/pkg/generated/applyconfiguration/insects/v1beta1"
	clientset "github.com/aggen-dev/aggen/examples/insects/pkg/generated/clientset/versioned"
	"github.com/aggen-dev/aggen/test/e2e/harness"
)

const (
	projectNamespace = "insects-system"
	apiserverSA      = "insects-apiserver"
	controllerSA     = "insects-controller-manager"
)

func TestThroughKubeAPIServer(t *testing.T) {
	requireE2E(t)
	suiteStart := time.Now()
	apiserverBin, controllerBin := binaries(t)
	etcd := sharedEtcd(t)
	cp := controlPlane(t)
	dumpLogsOnFailure(t, cp.APIServer.Process)
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Minute)
	defer cancel()

	start := time.Now()
	d, err := cp.DeployProject(ctx, harness.DeployOptions{
		ProjectDir: env.project, APIServerBinary: apiserverBin,
		EtcdURL: etcd.ClientURL, Dir: filepath.Join(env.work, "aggregated"), Logf: t.Logf,
	})
	if err != nil {
		t.Fatalf("deploy examples/insects (local overlay) behind kube-apiserver: %v", err)
	}
	t.Cleanup(func() {
		if err := d.Stop(); err != nil {
			t.Errorf("stop apiserver: %v", err)
		}
	})
	dumpLogsOnFailure(t, d.Server.Process)
	timing("aggregated: apply local overlay + start apiserver as its ServiceAccount + APIServices Available: %v (Available %v after applied)",
		time.Since(start).Round(time.Millisecond), d.Available.Round(time.Millisecond))

	admin := adminClientset(t, cp.AdminKubeconfig)
	akc := cp.AdminKubeconfig
	const ns = "e2e-agg"
	kubectl(ctx, t, akc, "", "create", "namespace", ns)

	t.Run("the apiserver runs as the project's ServiceAccount", func(t *testing.T) {
		if d.ServiceAccount != (harness.Subject{Kind: "ServiceAccount", Name: apiserverSA, Namespace: projectNamespace}) {
			t.Errorf("the manifests bind system:auth-delegator to %+v", d.ServiceAccount)
		}
		kc, err := harness.LoadKubeconfig(d.Kubeconfig)
		if err != nil {
			t.Fatal(err)
		}
		if kc.Token == "" || len(kc.CertPEM) != 0 {
			t.Fatalf("the apiserver's kubeconfig should hold a ServiceAccount token only")
		}
		// Who kube-apiserver thinks the token is.
		out := kubectl(ctx, t, d.Kubeconfig, "", "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}")
		if out != "system:serviceaccount:"+projectNamespace+":"+apiserverSA {
			t.Errorf("kubectl auth whoami with the apiserver's kubeconfig: %q", out)
		}
		t.Logf("apiserver flags: %s", firstLine(d.Server.LogPath))
	})

	t.Run("every APIService is Available", func(t *testing.T) {
		var names []string
		for _, a := range d.APIServices {
			names = append(names, a.Name)
			conds, err := cp.Admin.APIServiceConditions(ctx, a.Name)
			if err != nil {
				t.Fatal(err)
			}
			ok := false
			for _, c := range conds {
				if c.Type == "Available" && c.Status == "True" {
					ok = true
				}
			}
			if !ok {
				t.Errorf("APIService %s: %+v", a.Name, conds)
			}
		}
		sort.Strings(names)
		if !slices.Equal(names, []string{"v1alpha1." + group, "v1beta1." + group}) {
			t.Errorf("APIServices of the manifests: %v", names)
		}
		out := kubectl(ctx, t, akc, "", "get", "apiservices", "v1alpha1."+group, "v1beta1."+group)
		t.Logf("kubectl get apiservices:\n%s", out)
	})

	t.Run("kubectl api-resources through kube-apiserver: scope and short names", func(t *testing.T) {
		out := kubectl(ctx, t, akc, "", "api-resources", "--api-group="+group, "-o", "wide")
		t.Logf("kubectl api-resources --api-group=%s -o wide (through kube-apiserver):\n%s", group, out)
		header := strings.Fields(headerLine(out))
		want := map[string]struct{ namespaced, kind string }{"bees": {"true", "Bee"}, "hives": {"false", "Hive"}, "hivesummaries": {"false", "HiveSummary"}}
		for name, w := range want {
			r := row(out, name)
			if r == nil {
				t.Errorf("api-resources lists no %s", name)
				continue
			}
			if name == "hivesummaries" {
				// The one kind with a short name (hs) and read only.
				if len(r) < 6 || r[1] != "hs" || r[5] != "get,list,watch" {
					t.Errorf("hivesummaries row %v, want short name hs and verbs get,list,watch", r)
				}
				r = append(r[:1:1], r[2:]...)
			}
			// SHORTNAMES is empty for both kinds (the example marks none),
			// so the row has one field fewer than the header.
			if len(r) != len(header)-2 && len(r) != len(header)-1 {
				t.Errorf("unexpected row %v for header %v", r, header)
			}
			if r[1] != group+"/v1beta1" || r[2] != w.namespaced || r[3] != w.kind {
				t.Errorf("%s: %v, want apiVersion %s/v1beta1 namespaced %s kind %s", name, r, group, w.namespaced, w.kind)
			}
		}
		// The same through the discovery API, short names included.
		rl, err := admin.Discovery().ServerResourcesForGroupVersion(group + "/v1beta1")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, r := range rl.APIResources {
			got[r.Name] = fmt.Sprintf("namespaced=%v shortNames=%v", r.Namespaced, r.ShortNames)
		}
		wantRes := map[string]string{
			"bees": "namespaced=true shortNames=[]", "bees/status": "namespaced=true shortNames=[]", "bees/scale": "namespaced=true shortNames=[]",
			"hives": "namespaced=false shortNames=[]", "hives/status": "namespaced=false shortNames=[]",
			"bees/feed": "namespaced=true shortNames=[]", "bees/log": "namespaced=true shortNames=[]",
			"hivesummaries": "namespaced=false shortNames=[hs]",
		}
		if fmt.Sprint(got) != fmt.Sprint(wantRes) {
			t.Errorf("discovery through kube-apiserver: %v, want %v", got, wantRes)
		}
		out = kubectl(ctx, t, akc, "", "api-resources", "--api-group="+group, "--namespaced=false", "-o", "name")
		if strings.TrimSpace(out) != "hives."+group+"\nhivesummaries."+group {
			t.Errorf("cluster-scoped resources of the group: %q", out)
		}
	})

	t.Run("create, get, list, watch, apply, delete through kube-apiserver", func(t *testing.T) {
		bees := admin.InsectsV1beta1().Bees(ns)
		w, err := bees.Watch(ctx, metav1.ListOptions{FieldSelector: "metadata.name=agg-bee"})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Stop()
		b, err := bees.Create(ctx, &insectsv1beta1.Bee{ObjectMeta: metav1.ObjectMeta{Name: "agg-bee"}, Spec: insectsv1beta1.BeeSpec{Description: "through the aggregator"}}, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if *b.Spec.Replicas != 1 {
			t.Errorf("default replicas through kube-apiserver: %d", *b.Spec.Replicas)
		}
		if _, err := bees.Get(ctx, "agg-bee", metav1.GetOptions{}); err != nil {
			t.Fatal(err)
		}
		l, err := bees.List(ctx, metav1.ListOptions{})
		if err != nil || len(l.Items) != 1 {
			t.Fatalf("list: %v %d", err, len(l.Items))
		}
		ac := acv1beta1.Bee("agg-bee", ns).WithSpec(acv1beta1.BeeSpec().WithDescription("applied through the aggregator").WithReplicas(3))
		b, err = bees.Apply(ctx, ac, metav1.ApplyOptions{FieldManager: "e2e-agg", Force: true})
		if err != nil {
			t.Fatal(err)
		}
		if b.Spec.Description != "applied through the aggregator" || managedBy(b.ManagedFields, "e2e-agg", metav1.ManagedFieldsOperationApply) == nil {
			t.Errorf("apply: %+v %+v", b.Spec, b.ManagedFields)
		}
		if err := bees.Delete(ctx, "agg-bee", metav1.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
		got := collectEvents(t, w, 3, 30*time.Second)
		want := []string{"ADDED agg-bee through the aggregator", "MODIFIED agg-bee applied through the aggregator", "DELETED agg-bee applied through the aggregator"}
		if !slices.Equal(got, want) {
			t.Errorf("watch through kube-apiserver: %v, want %v", got, want)
		}
		t.Logf("watch through kube-apiserver: %v", got)

		// v1alpha1 through its own APIService.
		a, err := admin.InsectsV1alpha1().Bees(ns).Create(ctx, &insectsv1alpha1.Bee{ObjectMeta: metav1.ObjectMeta{Name: "agg-alpha"}, Spec: insectsv1alpha1.BeeSpec{Description: "alpha"}}, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if b, err := bees.Get(ctx, "agg-alpha", metav1.GetOptions{}); err != nil || b.UID != a.UID {
			t.Errorf("v1alpha1 object read as v1beta1 through kube-apiserver: %v", err)
		}

		// kubectl: apply (client- and server-side), get, scale, delete, for
		// both kinds.
		manifest := fmt.Sprintf(`apiVersion: %[1]s/v1beta1
kind: Bee
metadata:
  name: kubectl-bee
  namespace: %[2]s
spec:
  description: kubectl through the aggregator
---
apiVersion: %[1]s/v1beta1
kind: Hive
metadata:
  name: kubectl-hive
spec:
  description: a hive through the aggregator
`, group, ns)
		out := kubectl(ctx, t, akc, manifest, "apply", "-f", "-")
		t.Logf("kubectl apply through kube-apiserver:\n%s", out)
		kubectl(ctx, t, akc, manifest, "apply", "--server-side", "--field-manager=e2e-kubectl", "-f", "-")
		kubectl(ctx, t, akc, "", "scale", "bee", "kubectl-bee", "-n", ns, "--replicas=2")
		out = kubectl(ctx, t, akc, "", "get", "bees", "-n", ns, "-o", "wide")
		t.Logf("kubectl get bees -o wide through kube-apiserver:\n%s", out)
		if r := row(out, "kubectl-bee"); len(r) < 3 || r[1] != "2" {
			t.Errorf("kubectl get row %v, want DESIRED 2", r)
		}
		out = kubectl(ctx, t, akc, "", "get", "hives", "-o", "name")
		if !strings.Contains(out, "hive.insects.example.com/kubectl-hive") {
			t.Errorf("kubectl get hives: %q", out)
		}
		kubectl(ctx, t, akc, manifest, "delete", "-f", "-")
		if _, err := admin.InsectsV1beta1().Hives().Get(ctx, "kubectl-hive", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			t.Errorf("hive after kubectl delete: %v", err)
		}
		// Admission with core informers: no Bee in a namespace that does
		// not exist (NamespaceLifecycle reads kube-apiserver's namespaces).
		_, err = admin.InsectsV1beta1().Bees("no-such-namespace").Create(ctx, &insectsv1beta1.Bee{ObjectMeta: metav1.ObjectMeta{Name: "lost"}}, metav1.CreateOptions{})
		if !apierrors.IsNotFound(err) || !strings.Contains(err.Error(), "no-such-namespace") {
			t.Errorf("create in a missing namespace: %v, want NotFound from NamespaceLifecycle", err)
		}
	})

	t.Run("a computed kind through kube-apiserver: HiveSummary made from Hives and Bees, watched, read only", func(t *testing.T) {
		testComputedKind(ctx, t, admin, akc, ns)
	})

	t.Run("the server's informers read its own storage: no watch of Bees or Hives through its loopback connection", func(t *testing.T) {
		// HiveSummary's source, read above, has informers of Hives and Bees
		// running. A watch of Bees of our own, in one namespace, shows that
		// the gauge is read right: the informers' would be of every namespace.
		direct := frontProxyClientset(t, cp, d, harness.AdminUser, "system:masters", "system:authenticated")
		w, err := direct.InsectsV1beta1().Bees(ns).Watch(ctx, metav1.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Stop()
		var watches map[string]float64
		deadline := time.Now().Add(30 * time.Second)
		for {
			raw, err := direct.Discovery().RESTClient().Get().AbsPath("/metrics").DoRaw(ctx)
			if err != nil {
				t.Fatalf("GET /metrics of the extension server: %v", err)
			}
			watches = longRunningWatches(string(raw))
			if watches["bees namespace"] >= 1 || time.Now().After(deadline) {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		if watches["bees namespace"] != 1 {
			t.Fatalf("watches of bees in a namespace: %v, want our 1", watches)
		}
		for _, key := range []string{"bees cluster", "hives cluster"} {
			if watches[key] != 0 {
				t.Errorf("%s: %v watches through the server's own API, want 0 (the informers read the storage in process)", key, watches[key])
			}
		}
		t.Logf("long-running WATCH requests at the extension server: %v", watches)
	})

	t.Run("custom subresources through kube-apiserver: bees/feed (action) and bees/log (stream)", func(t *testing.T) {
		testBeeSubresources(ctx, t, admin, akc, ns)
	})

	t.Run("delegated authorization: 403 without a grant, allowed after a RoleBinding", func(t *testing.T) {
		const user, rbacNS = "eve", "e2e-rbac"
		kubectl(ctx, t, akc, "", "create", "namespace", rbacNS)
		if _, err := admin.InsectsV1beta1().Bees(rbacNS).Create(ctx, &insectsv1beta1.Bee{ObjectMeta: metav1.ObjectMeta{Name: "guarded"}}, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		eveKC, err := cp.UserKubeconfig(user)
		if err != nil {
			t.Fatal(err)
		}
		eve := adminClientset(t, eveKC) // a clientset with eve's client certificate
		// Straight to the extension server, authenticated the way the
		// aggregator does it (front-proxy client certificate plus
		// X-Remote-User), so the answer is the extension server's own,
		// from a SubjectAccessReview.
		direct := frontProxyClientset(t, cp, d, user, "system:authenticated")
		// The headers alone, without the front-proxy certificate, are not
		// trusted.
		spoofed := frontProxyClientset(t, nil, d, user, "system:authenticated")

		_, err = eve.InsectsV1beta1().Bees(rbacNS).List(ctx, metav1.ListOptions{})
		if !apierrors.IsForbidden(err) {
			t.Fatalf("eve without RBAC through kube-apiserver: %v, want 403", err)
		}
		t.Logf("eve without RBAC, through kube-apiserver: %v", err)
		_, err = direct.InsectsV1beta1().Bees(rbacNS).List(ctx, metav1.ListOptions{})
		if !apierrors.IsForbidden(err) || !strings.Contains(err.Error(), `"eve"`) {
			t.Fatalf("eve without RBAC at the extension server: %v, want 403 naming eve", err)
		}
		t.Logf("eve without RBAC, at the extension server via front-proxy auth: %v", err)
		_, err = spoofed.InsectsV1beta1().Bees(rbacNS).List(ctx, metav1.ListOptions{})
		if err == nil || strings.Contains(err.Error(), `"eve"`) {
			t.Fatalf("X-Remote-User without the front-proxy certificate: %v, want eve not to be authenticated", err)
		}
		t.Logf("X-Remote-User without the front-proxy certificate: %v", err)
		// A client certificate of the cluster's client CA is eve's own
		// identity, not the front proxy's: headers naming another user
		// (in system:masters) are ignored, on the first request and on
		// the next, which the server answers from the verification it
		// remembers (zz_generated.frontproxy.go).
		eveCfg, err := clientcmd.BuildConfigFromFlags("", eveKC)
		if err != nil {
			t.Fatal(err)
		}
		forged := headerClientset(t, d, eveCfg.TLSClientConfig.CertData, eveCfg.TLSClientConfig.KeyData, "mallory", "system:masters", "system:authenticated")
		for i := 0; i < 2; i++ {
			_, err = forged.InsectsV1beta1().Bees(rbacNS).List(ctx, metav1.ListOptions{})
			if !apierrors.IsForbidden(err) || !strings.Contains(err.Error(), `"eve"`) || strings.Contains(err.Error(), "mallory") {
				t.Fatalf("eve's client certificate with X-Remote-User mallory (request %d): %v, want 403 naming eve", i+1, err)
			}
		}
		t.Logf("eve's client certificate with X-Remote-User mallory in system:masters: %v", err)
		if _, err := kubectlErr(ctx, eveKC, "", "get", "bees", "-n", rbacNS); err == nil || !strings.Contains(err.Error(), "Forbidden") {
			t.Errorf("kubectl as eve: %v, want Forbidden", err)
		}

		grant := fmt.Sprintf(`apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: bee-reader
  namespace: %[1]s
rules:
- apiGroups: [%[2]q]
  resources: [bees]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: eve-bee-reader
  namespace: %[1]s
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: bee-reader
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: %[3]s
`, rbacNS, group, user)
		kubectl(ctx, t, akc, grant, "apply", "-f", "-")
		bound := time.Now()
		// The extension server caches SubjectAccessReview answers (10 s
		// allowed, 10 s denied by default), so this may take a moment.
		eventually(t, 60*time.Second, "eve allowed after the RoleBinding", func() error {
			for _, c := range []clientset.Interface{eve, direct} {
				l, err := c.InsectsV1beta1().Bees(rbacNS).List(ctx, metav1.ListOptions{})
				if err != nil {
					return err
				}
				if len(l.Items) != 1 || l.Items[0].Name != "guarded" {
					return fmt.Errorf("list: %d items", len(l.Items))
				}
			}
			return nil
		})
		t.Logf("eve allowed through kube-apiserver and at the extension server %v after the RoleBinding", time.Since(bound).Round(time.Millisecond))
		out := kubectl(ctx, t, eveKC, "", "get", "bees", "-n", rbacNS, "-o", "name")
		if strings.TrimSpace(out) != "bee.insects.example.com/guarded" {
			t.Errorf("kubectl as eve after the grant: %q", out)
		}
		// What the Role does not grant is still refused.
		if err := eve.InsectsV1beta1().Bees(rbacNS).Delete(ctx, "guarded", metav1.DeleteOptions{}); !apierrors.IsForbidden(err) {
			t.Errorf("eve delete: %v, want 403", err)
		}
		if _, err := eve.InsectsV1beta1().Bees(ns).List(ctx, metav1.ListOptions{}); !apierrors.IsForbidden(err) {
			t.Errorf("eve in another namespace: %v, want 403", err)
		}
		if _, err := direct.InsectsV1beta1().Hives().List(ctx, metav1.ListOptions{}); !apierrors.IsForbidden(err) {
			t.Errorf("eve lists hives at the extension server: %v, want 403", err)
		}
	})

	t.Run("the controller manager, as its ServiceAccount, reconciles through kube-apiserver", func(t *testing.T) {
		kc, err := cp.ServiceAccountKubeconfig(ctx, projectNamespace, controllerSA)
		if err != nil {
			t.Fatal(err)
		}
		// The flags of the manifests' Deployment: leader election in the
		// project's namespace, which the leader-election Role allows.
		cm, err := harness.StartProcess(harness.ProcessOptions{
			Name: "insects-controller-manager", Binary: controllerBin, Dir: filepath.Join(env.work, "aggregated"),
			LogPath: filepath.Join(env.work, "aggregated", "controller-manager.log"),
			Args: []string{"--kubeconfig=" + kc, "--leader-elect", "--leader-election-namespace=" + projectNamespace,
				"--health-probe-bind-address=127.0.0.1:0", "--metrics-bind-address=0"},
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
		bees := admin.InsectsV1beta1().Bees(ns)
		if _, err := bees.Create(ctx, &insectsv1beta1.Bee{ObjectMeta: metav1.ObjectMeta{Name: "agg-reconciled"}}, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		eventually(t, 90*time.Second, "Bee reconciled through kube-apiserver", func() error {
			b, err := bees.Get(ctx, "agg-reconciled", metav1.GetOptions{})
			if err != nil {
				return err
			}
			if !meta.IsStatusConditionTrue(b.Status.Conditions, "Ready") || b.Status.ObservedGeneration != b.Generation {
				return fmt.Errorf("status %+v", b.Status)
			}
			return nil
		})
		t.Logf("reconciled %v after the Bee was created (manager start and leader election included)", time.Since(start).Round(time.Millisecond))
		lease := kubectl(ctx, t, akc, "", "get", "lease", "insects-controller-manager", "-n", projectNamespace, "-o", "jsonpath={.spec.holderIdentity}")
		if lease == "" {
			t.Errorf("no leader-election lease in %s", projectNamespace)
		}
		if lines := forbiddenLines(cm.LogPath); len(lines) > 0 {
			t.Errorf("the controller manager was refused something by RBAC:\n%s", strings.Join(lines, "\n"))
		}
	})

	t.Run("RBAC of the manifests, live: what each ServiceAccount may and may not do", func(t *testing.T) {
		apisrv := "system:serviceaccount:" + projectNamespace + ":" + apiserverSA
		ctrl := "system:serviceaccount:" + projectNamespace + ":" + controllerSA
		checks := []struct {
			as, want string
			args     []string
		}{
			{apisrv, "yes", []string{"create", "tokenreviews.authentication.k8s.io"}},
			{apisrv, "yes", []string{"create", "subjectaccessreviews.authorization.k8s.io"}},
			{apisrv, "yes", []string{"get", "configmap/extension-apiserver-authentication", "-n", "kube-system"}},
			{apisrv, "yes", []string{"watch", "namespaces"}},
			{apisrv, "yes", []string{"list", "validatingadmissionpolicies.admissionregistration.k8s.io"}},
			{apisrv, "yes", []string{"list", "flowschemas.flowcontrol.apiserver.k8s.io"}},
			{apisrv, "no", []string{"list", "secrets", "-A"}},
			{apisrv, "no", []string{"get", "configmaps", "-n", "default"}},
			{ctrl, "yes", []string{"update", "bees.insects.example.com", "--subresource=status", "-A"}},
			{ctrl, "yes", []string{"watch", "hives.insects.example.com"}},
			{ctrl, "yes", []string{"watch", "hivesummaries.insects.example.com"}},
			{ctrl, "no", []string{"delete", "hivesummaries.insects.example.com"}},
			{ctrl, "yes", []string{"create", "leases.coordination.k8s.io", "-n", projectNamespace}},
			{ctrl, "no", []string{"create", "leases.coordination.k8s.io", "-n", "default"}},
			// Its metrics endpoint authenticates and authorizes scrapes.
			{ctrl, "yes", []string{"create", "tokenreviews.authentication.k8s.io"}},
			{ctrl, "yes", []string{"create", "subjectaccessreviews.authorization.k8s.io"}},
			{ctrl, "no", []string{"list", "secrets", "-A"}},
		}
		for _, c := range checks {
			out, _ := kubectlErr(ctx, akc, "", append([]string{"auth", "can-i", "--as=" + c.as}, c.args...)...)
			if got := strings.TrimSpace(out); got != c.want {
				t.Errorf("kubectl auth can-i %s --as=%s: %q, want %s", strings.Join(c.args, " "), c.as, got, c.want)
			}
		}
		if lines := forbiddenLines(d.Server.LogPath); len(lines) > 0 {
			t.Errorf("the apiserver was refused something by RBAC:\n%s", strings.Join(lines, "\n"))
		}
	})

	t.Run("discovery through kube-apiserver answers well within the aggregator's 5 s", func(t *testing.T) {
		// make bench compares these figures with sample-apiserver's.
		const n = 200
		path := "/apis/" + group + "/v1beta1"
		p50, p99, err := harness.MeasureDiscovery(ctx, akc, path, n)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("GET %s through kube-apiserver, n=%d: p50=%v p99=%v", path, n, p50, p99)
		if p99 > time.Second {
			t.Errorf("discovery p99 %v through kube-apiserver", p99)
		}
	})

	t.Run("the manifests pass kubectl apply --dry-run=server", func(t *testing.T) {
		dev := filepath.Join(env.project, "config", "overlays", "dev")
		out := kubectl(ctx, t, akc, "", "apply", "--dry-run=server", "-k", dev)
		t.Logf("kubectl apply --dry-run=server -k config/overlays/dev:\n%s", out)
		objs, err := renderOverlay(ctx, dev)
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(out, "(server dry run)"); n != len(objs) {
			t.Errorf("%d of %d objects passed the server dry run", n, len(objs))
		}
		for _, kind := range []string{"deployment.apps/insects-apiserver", "deployment.apps/insects-controller-manager", "statefulset.apps/insects-etcd", "apiservice.apiregistration.k8s.io/v1beta1.insects.example.com"} {
			if !strings.Contains(out, kind) {
				t.Errorf("dry run output lacks %s", kind)
			}
		}
		for _, overlay := range []string{"base", "overlays/local"} {
			out := kubectl(ctx, t, akc, "", "apply", "--dry-run=server", "-k", filepath.Join(env.project, "config", overlay))
			if strings.Count(out, "(server dry run)") == 0 {
				t.Errorf("config/%s: %s", overlay, out)
			}
		}
		// cert-manager's kinds are unknown here (no cert-manager CRDs):
		// everything else of that overlay must pass.
		cm := filepath.Join(env.project, "config", "overlays", "cert-manager")
		out, err = kubectlErr(ctx, akc, "", "apply", "--dry-run=server", "-k", cm)
		if err == nil {
			t.Fatalf("cert-manager overlay passed without cert-manager CRDs?\n%s", out)
		}
		objs, rerr := renderOverlay(ctx, cm)
		if rerr != nil {
			t.Fatal(rerr)
		}
		certManager := len(filterManifests(objs, func(o harness.Manifest) bool { return strings.HasPrefix(o.APIVersion(), "cert-manager.io/") }))
		msg := err.Error()
		if n := strings.Count(out, "(server dry run)"); n != len(objs)-certManager {
			t.Errorf("cert-manager overlay: %d of %d non-cert-manager objects passed", n, len(objs)-certManager)
		}
		if strings.Count(msg, `no matches for kind`) != certManager || strings.Count(msg, "cert-manager.io/v1") != certManager {
			t.Errorf("cert-manager overlay: unexpected errors: %s", msg)
		}
		t.Logf("cert-manager overlay: %d objects pass; its %d cert-manager.io objects need cert-manager's CRDs (not installed here)", len(objs)-certManager, certManager)
	})

	t.Run("the RBAC subjects name the project's ServiceAccounts in its namespace", func(t *testing.T) {
		for _, overlay := range []string{"base", "overlays/dev", "overlays/production", "overlays/local", "overlays/cert-manager"} {
			objs, err := renderOverlay(ctx, filepath.Join(env.project, "config", overlay))
			if err != nil {
				t.Fatal(err)
			}
			checkRBACSubjects(t, overlay, objs)
		}
	})
	timing("aggregated suite (issue 4) wall time: %v", time.Since(suiteStart).Round(time.Millisecond))
}

// checkRBACSubjects asserts who each binding of the manifests binds.
func checkRBACSubjects(t *testing.T, overlay string, objs []harness.Manifest) {
	t.Helper()
	want := map[string]string{ // binding → ServiceAccount
		"ClusterRoleBinding insects-apiserver:system:auth-delegator":                          apiserverSA,
		"RoleBinding kube-system/insects-apiserver:extension-apiserver-authentication-reader": apiserverSA,
		"ClusterRoleBinding insects-apiserver":                                                apiserverSA,
		"ClusterRoleBinding insects-controller-manager":                                       controllerSA,
		"RoleBinding insects-system/insects-controller-manager:leader-election":               controllerSA,
		"ClusterRoleBinding insects-controller-manager:metrics-auth":                          controllerSA,
	}
	roleRefs := map[string]string{
		"ClusterRoleBinding insects-apiserver:system:auth-delegator":                          "ClusterRole system:auth-delegator",
		"RoleBinding kube-system/insects-apiserver:extension-apiserver-authentication-reader": "Role extension-apiserver-authentication-reader",
	}
	got := map[string]string{}
	for _, o := range objs {
		if o.Kind() != "RoleBinding" && o.Kind() != "ClusterRoleBinding" {
			continue
		}
		subs := o.Subjects()
		if len(subs) != 1 || subs[0].Kind != "ServiceAccount" || subs[0].Namespace != projectNamespace {
			t.Errorf("%s: %s has subjects %+v, want one ServiceAccount in %s", overlay, o, subs, projectNamespace)
			continue
		}
		got[o.String()] = subs[0].Name
		if ref, ok := roleRefs[o.String()]; ok {
			if kind, name := o.RoleRef(); kind+" "+name != ref {
				t.Errorf("%s: %s refers to %s %s, want %s", overlay, o, kind, name, ref)
			}
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: bindings → ServiceAccount = %v, want %v", overlay, got, want)
	}
	var sas []string
	for _, o := range ofKind(objs, "ServiceAccount") {
		sas = append(sas, o.Namespace()+"/"+o.Name())
	}
	sort.Strings(sas)
	if !slices.Equal(sas, []string{projectNamespace + "/" + apiserverSA, projectNamespace + "/" + controllerSA}) {
		t.Errorf("%s: ServiceAccounts %v", overlay, sas)
	}
	for _, dep := range ofKind(objs, "Deployment") {
		sa, _ := dep.Field("spec", "template", "spec", "serviceAccountName").(string)
		if dep.Namespace() != projectNamespace || sa != dep.Name() {
			t.Errorf("%s: %s runs as ServiceAccount %q", overlay, dep, sa)
		}
	}
}

// adminClientset builds the generated clientset from a kubeconfig file.
func adminClientset(t *testing.T, kubeconfig string) *clientset.Clientset {
	t.Helper()
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := clientset.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// frontProxyClientset reaches the extension server directly, authenticated
// as the aggregator authenticates its proxied requests: the front-proxy
// client certificate and X-Remote-User/X-Remote-Group headers. With a nil
// control plane it sends the headers without the certificate.
func frontProxyClientset(t *testing.T, cp *harness.ControlPlane, d *harness.Deployment, user string, groups ...string) *clientset.Clientset {
	t.Helper()
	if cp == nil {
		return headerClientset(t, d, nil, nil, user, groups...)
	}
	return headerClientset(t, d, cp.PKI.FrontProxyClient.CertPEM, cp.PKI.FrontProxyClient.KeyPEM, user, groups...)
}

// headerClientset reaches the extension server directly with the client
// certificate certPEM (none when nil) and X-Remote-User/X-Remote-Group
// headers.
func headerClientset(t *testing.T, d *harness.Deployment, certPEM, keyPEM []byte, user string, groups ...string) *clientset.Clientset {
	t.Helper()
	cfg := &rest.Config{
		Host: d.Server.URL,
		TLSClientConfig: rest.TLSClientConfig{
			CAData: d.ServingCA.CertPEM, ServerName: d.ServerName,
			CertData: certPEM, KeyData: keyPEM,
		},
	}
	cfg.WrapTransport = func(rt http.RoundTripper) http.RoundTripper {
		return roundTripperFunc(func(req *http.Request) (*http.Response, error) {
			req = req.Clone(req.Context())
			req.Header.Set("X-Remote-User", user)
			for _, g := range groups {
				req.Header.Add("X-Remote-Group", g)
			}
			return rt.RoundTrip(req)
		})
	}
	cs, err := clientset.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

var forbiddenRE = regexp.MustCompile(`(?i)forbidden|cannot (get|list|watch|create|update|patch) resource`)

// forbiddenLines returns the log lines that report an RBAC refusal.
func forbiddenLines(logPath string) []string {
	b, err := os.ReadFile(logPath)
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if forbiddenRE.MatchString(line) {
			out = append(out, line)
		}
	}
	return out
}

func firstLine(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return line
}

// longRunningWatches reads apiserver_longrunning_requests from a /metrics
// page: the WATCH requests open now, by "resource scope".
func longRunningWatches(metrics string) map[string]float64 {
	out := map[string]float64{}
	for _, line := range strings.Split(metrics, "\n") {
		rest, ok := strings.CutPrefix(line, "apiserver_longrunning_requests{")
		if !ok {
			continue
		}
		labelText, value, ok := strings.Cut(rest, "} ")
		if !ok {
			continue
		}
		labels := map[string]string{}
		for _, kv := range strings.Split(labelText, ",") {
			k, v, _ := strings.Cut(kv, "=")
			labels[k] = strings.Trim(v, `"`)
		}
		if labels["verb"] != "WATCH" {
			continue
		}
		n, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil {
			continue
		}
		out[labels["resource"]+" "+labels["scope"]] += n
	}
	return out
}
