// Package aggregate serves an aggen-generated project through a real
// kube-apiserver the way a cluster would, with the project's own manifests:
// it renders a kustomize overlay of the project's config/ (the local overlay,
// whose Service is an ExternalName for localhost), issues a serving
// certificate for the Service's DNS name, applies the manifests, runs the
// project's apiserver with delegated authentication and authorization as the
// project's ServiceAccount, points every APIService at it and waits until
// each is Available.
//
// It builds on the harness package (which starts etcd and kube-apiserver)
// and is shared by the end-to-end tests and the discovery benchmark.
package aggregate

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"

	"sigs.k8s.io/yaml"
)

// Object is one rendered manifest, decoded from YAML into JSON values
// (numbers are float64).
type Object map[string]any

// Kind is the object's kind.
func (o Object) Kind() string { s, _ := o["kind"].(string); return s }

// APIVersion is the object's apiVersion.
func (o Object) APIVersion() string { s, _ := o["apiVersion"].(string); return s }

// Name is metadata.name.
func (o Object) Name() string { return o.str("metadata", "name") }

// Namespace is metadata.namespace.
func (o Object) Namespace() string { return o.str("metadata", "namespace") }

// String names the object as kind namespace/name.
func (o Object) String() string {
	if ns := o.Namespace(); ns != "" {
		return o.Kind() + " " + ns + "/" + o.Name()
	}
	return o.Kind() + " " + o.Name()
}

// Field returns the value at the path of map keys, or nil.
func (o Object) Field(path ...string) any {
	var cur any = map[string]any(o)
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}

func (o Object) str(path ...string) string {
	s, _ := o.Field(path...).(string)
	return s
}

// Map returns the map at path, creating missing maps on the way.
func (o Object) Map(path ...string) map[string]any {
	cur := map[string]any(o)
	for _, p := range path {
		next, ok := cur[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[p] = next
		}
		cur = next
	}
	return cur
}

// Subject is an RBAC subject.
type Subject struct {
	Kind, Name, Namespace string
}

// Subjects returns the subjects of a RoleBinding or ClusterRoleBinding.
func (o Object) Subjects() []Subject {
	list, _ := o["subjects"].([]any)
	var out []Subject
	for _, s := range list {
		m, _ := s.(map[string]any)
		kind, _ := m["kind"].(string)
		name, _ := m["name"].(string)
		ns, _ := m["namespace"].(string)
		out = append(out, Subject{Kind: kind, Name: name, Namespace: ns})
	}
	return out
}

// RoleRef returns the kind and name a binding refers to.
func (o Object) RoleRef() (kind, name string) {
	return o.str("roleRef", "kind"), o.str("roleRef", "name")
}

// Render runs `kubectl kustomize dir` and decodes every document.
func Render(ctx context.Context, dir string) ([]Object, error) {
	cmd := exec.CommandContext(ctx, "kubectl", "kustomize", dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("kubectl kustomize %s: %w: %s", dir, err, strings.TrimSpace(stderr.String()))
	}
	return Decode(stdout.Bytes())
}

// Decode splits a multi-document YAML stream and decodes every non-empty
// document.
func Decode(stream []byte) ([]Object, error) {
	var out []Object
	for i, doc := range splitYAML(string(stream)) {
		j, err := yaml.YAMLToJSON([]byte(doc))
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", i, err)
		}
		if bytes.Equal(bytes.TrimSpace(j), []byte("null")) {
			continue
		}
		var o Object
		if err := json.Unmarshal(j, &o); err != nil {
			return nil, fmt.Errorf("document %d: %w", i, err)
		}
		out = append(out, o)
	}
	return out, nil
}

func splitYAML(s string) []string {
	var docs []string
	var cur []string
	for _, line := range strings.Split(s, "\n") {
		if strings.TrimRight(line, " \t\r") == "---" {
			docs = append(docs, strings.Join(cur, "\n"))
			cur = nil
			continue
		}
		cur = append(cur, line)
	}
	docs = append(docs, strings.Join(cur, "\n"))
	var out []string
	for _, d := range docs {
		if strings.TrimSpace(d) != "" {
			out = append(out, d)
		}
	}
	return out
}

// ListJSON encodes objects as one v1 List, which kubectl apply -f - takes.
func ListJSON(objs []Object) ([]byte, error) {
	items := make([]any, len(objs))
	for i, o := range objs {
		items[i] = map[string]any(o)
	}
	return json.Marshal(map[string]any{"apiVersion": "v1", "kind": "List", "items": items})
}

// Filter returns the objects for which keep is true.
func Filter(objs []Object, keep func(Object) bool) []Object {
	var out []Object
	for _, o := range objs {
		if keep(o) {
			out = append(out, o)
		}
	}
	return out
}

// OfKind returns the objects of one kind.
func OfKind(objs []Object, kind string) []Object {
	return Filter(objs, func(o Object) bool { return o.Kind() == kind })
}

// APIServiceRef is what an APIService manifest says.
type APIServiceRef struct {
	Name, Group, Version          string
	ServiceNamespace, ServiceName string
}

// APIServices returns the APIServices of the manifests.
func APIServices(objs []Object) []APIServiceRef {
	var out []APIServiceRef
	for _, o := range OfKind(objs, "APIService") {
		out = append(out, APIServiceRef{
			Name: o.Name(), Group: o.str("spec", "group"), Version: o.str("spec", "version"),
			ServiceNamespace: o.str("spec", "service", "namespace"), ServiceName: o.str("spec", "service", "name"),
		})
	}
	return out
}

// DelegatorServiceAccount returns the ServiceAccount the manifests bind to
// the ClusterRole system:auth-delegator: the identity of the apiserver.
func DelegatorServiceAccount(objs []Object) (Subject, error) {
	var found []Subject
	for _, o := range OfKind(objs, "ClusterRoleBinding") {
		if kind, name := o.RoleRef(); kind != "ClusterRole" || name != "system:auth-delegator" {
			continue
		}
		for _, s := range o.Subjects() {
			if s.Kind == "ServiceAccount" {
				found = append(found, s)
			}
		}
	}
	if len(found) != 1 {
		return Subject{}, fmt.Errorf("want exactly one ServiceAccount bound to system:auth-delegator in the manifests, found %v", found)
	}
	return found[0], nil
}
