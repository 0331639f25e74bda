package aggregate

import (
	"encoding/json"
	"testing"
)

const stream = `# a comment
apiVersion: v1
kind: Namespace
metadata:
  name: ns1
---
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: x:system:auth-delegator
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: system:auth-delegator
subjects:
- kind: ServiceAccount
  name: x-apiserver
  namespace: ns1
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata:
  name: v1.g.example.com
spec:
  group: g.example.com
  version: v1
  service:
    name: x-apiserver
    namespace: ns1
    port: 443
  caBundle: ""
`

func TestDecodeAndHelpers(t *testing.T) {
	objs, err := Decode([]byte(stream))
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 3 {
		t.Fatalf("got %d objects, want 3: %v", len(objs), objs)
	}
	if objs[0].String() != "Namespace ns1" {
		t.Errorf("objs[0] = %s", objs[0])
	}
	sa, err := DelegatorServiceAccount(objs)
	if err != nil {
		t.Fatal(err)
	}
	if sa != (Subject{Kind: "ServiceAccount", Name: "x-apiserver", Namespace: "ns1"}) {
		t.Errorf("delegator = %+v", sa)
	}
	refs := APIServices(objs)
	if len(refs) != 1 || refs[0] != (APIServiceRef{Name: "v1.g.example.com", Group: "g.example.com", Version: "v1", ServiceNamespace: "ns1", ServiceName: "x-apiserver"}) {
		t.Errorf("APIServices = %+v", refs)
	}
	SetAPIServiceEndpoint(objs[2], 12345, []byte("PEM"))
	b, err := ListJSON(objs[2:])
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Items []struct {
			Spec struct {
				CABundle string `json:"caBundle"`
				Service  struct {
					Port int `json:"port"`
				} `json:"service"`
			} `json:"spec"`
		} `json:"items"`
	}
	if err := json.Unmarshal(b, &list); err != nil {
		t.Fatal(err)
	}
	if got := list.Items[0].Spec; got.CABundle != "UEVN" || got.Service.Port != 12345 {
		t.Errorf("patched APIService = %+v, want caBundle base64(PEM)=UEVN and port 12345", got)
	}
}

func TestDelegatorServiceAccountMissing(t *testing.T) {
	objs, err := Decode([]byte("kind: ClusterRoleBinding\nmetadata:\n  name: b\nroleRef:\n  kind: ClusterRole\n  name: view\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DelegatorServiceAccount(objs); err == nil {
		t.Fatal("want an error when nothing is bound to system:auth-delegator")
	}
}
