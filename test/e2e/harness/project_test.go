package harness

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestProjectKindPaths(t *testing.T) {
	bee := ProjectKind{Group: "insects.example.com", Version: "v1beta1", Kind: "Bee", Resource: "bees", Namespaced: true}
	hive := ProjectKind{Group: "insects.example.com", Version: "v1beta1", Kind: "Hive", Resource: "hives"}
	for _, c := range []struct{ got, want string }{
		{bee.GroupVersion(), "insects.example.com/v1beta1"},
		{bee.APIServiceName(), "v1beta1.insects.example.com"},
		{bee.CollectionPath("ns"), "/apis/insects.example.com/v1beta1/namespaces/ns/bees"},
		{bee.ObjectPath("ns", "maya"), "/apis/insects.example.com/v1beta1/namespaces/ns/bees/maya"},
		{hive.CollectionPath("ns"), "/apis/insects.example.com/v1beta1/hives"},
		{hive.ObjectPath("ns", "h"), "/apis/insects.example.com/v1beta1/hives/h"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if m := Manifest(hive.Object("h", "ns")); m.Namespace() != "" || m.Name() != "h" || m.Kind() != "Hive" || m.APIVersion() != "insects.example.com/v1beta1" {
		t.Errorf("cluster-scoped object %v", m)
	}
	if m := Manifest(bee.Object("maya", "ns")); m.Namespace() != "ns" {
		t.Errorf("namespaced object %v", m)
	}
}

func TestParseAPIResources(t *testing.T) {
	// kubectl aligns the columns; SHORTNAMES is empty for most rows.
	table := `NAME    SHORTNAMES   APIVERSION                    NAMESPACED   KIND
bees    bz,bee       insects.example.com/v1beta1   true         Bee
hives                insects.example.com/v1beta1   false        Hive
`
	got, err := ParseAPIResources(table)
	if err != nil {
		t.Fatal(err)
	}
	want := []APIResource{
		{Name: "bees", ShortNames: []string{"bz", "bee"}, APIVersion: "insects.example.com/v1beta1", Namespaced: true, Kind: "Bee"},
		{Name: "hives", APIVersion: "insects.example.com/v1beta1", Kind: "Hive"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if rows, err := ParseAPIResources(""); err != nil || rows != nil {
		t.Errorf("empty output: %v %v", rows, err)
	}
	if _, err := ParseAPIResources("NAME   KIND\nbees   Bee\n"); err == nil {
		t.Error("a table without APIVERSION and NAMESPACED parsed")
	}
	if _, err := ParseAPIResources(strings.Replace(table, "false", "maybe", 1)); err == nil {
		t.Error("NAMESPACED maybe parsed")
	}
}

func TestDecodeManifestsAndDelegator(t *testing.T) {
	// kubectl prints a stream of objects, or one List.
	stream := `{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"p-apiserver","namespace":"p-system"}}
{"apiVersion":"v1","kind":"List","items":[
 {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"p-apiserver:system:auth-delegator"},
  "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"system:auth-delegator"},
  "subjects":[{"kind":"ServiceAccount","name":"p-apiserver","namespace":"p-system"}]},
 {"apiVersion":"apiregistration.k8s.io/v1","kind":"APIService","metadata":{"name":"v1.g.example.com"},
  "spec":{"group":"g.example.com","version":"v1","service":{"name":"p-apiserver","namespace":"p-system"}}}]}
`
	objs, err := DecodeManifests([]byte(stream))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range objs {
		names = append(names, o.String())
	}
	if want := "ServiceAccount p-system/p-apiserver|ClusterRoleBinding p-apiserver:system:auth-delegator|APIService v1.g.example.com"; strings.Join(names, "|") != want {
		t.Errorf("decoded %q, want %q", strings.Join(names, "|"), want)
	}
	sa, err := DelegatorServiceAccount(objs)
	if err != nil || sa != (Subject{Kind: "ServiceAccount", Name: "p-apiserver", Namespace: "p-system"}) {
		t.Errorf("delegator %+v %v", sa, err)
	}
	refs := APIServicesOf(objs)
	if len(refs) != 1 || refs[0] != (APIServiceRef{Name: "v1.g.example.com", Group: "g.example.com", Version: "v1", ServiceNamespace: "p-system", ServiceName: "p-apiserver"}) {
		t.Errorf("APIServices %+v", refs)
	}
	objs[2].Map("spec", "service")["port"] = 8443
	if objs[2].Field("spec", "service", "port") != 8443 || objs[2].Field("spec", "nope", "x") != nil {
		t.Errorf("Map/Field: %v", objs[2])
	}
	if _, err := DelegatorServiceAccount(objs[:1]); err == nil {
		t.Error("no auth-delegator binding, no error")
	}
	if _, err := DecodeManifests([]byte(`{"kind":`)); err == nil {
		t.Error("truncated JSON decoded")
	}
}

func TestEventuallyReportsTheLastRealError(t *testing.T) {
	n := 0
	err := Eventually(context.Background(), 600*time.Millisecond, "the thing", func(ctx context.Context) error {
		n++
		return errors.New("still broken")
	})
	if err == nil || !strings.Contains(err.Error(), "still broken") || n < 2 {
		t.Errorf("after %d tries: %v", n, err)
	}
	n = 0
	err = Eventually(context.Background(), 5*time.Second, "the thing", func(ctx context.Context) error {
		if n++; n < 3 {
			return errors.New("not yet")
		}
		return nil
	})
	if err != nil || n != 3 {
		t.Errorf("after %d tries: %v", n, err)
	}
}

func TestModuleRoot(t *testing.T) {
	root, err := ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	// The harness lives in aggen's root module.
	if _, err := os.Stat(filepath.Join(root, "test", "e2e", "harness", "project.go")); err != nil {
		t.Errorf("ModuleRoot %s is not aggen's root: %v", root, err)
	}
}
