package cli_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fleetTypes is a kind shaped like apps/v1 Deployment: a pod template, a
// label selector, int-or-strings and quantities from k8s.io packages, with
// a default, an enum, CEL rules (one a transition rule) and conditions.
const fleetTypes = `package v1

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// FleetSpec is the desired state of a Fleet.
type FleetSpec struct {
	// Replicas is the desired number of pods.
	// +kubebuilder:default=1
	// +kubebuilder:validation:Minimum=0
	// +optional
	Replicas *int32 ` + "`json:\"replicas,omitempty\"`" + `

	// Selector selects the pods.
	// +optional
	Selector *metav1.LabelSelector ` + "`json:\"selector,omitempty\"`" + `

	// Template is the pod template.
	Template corev1.PodTemplateSpec ` + "`json:\"template\"`" + `

	// MaxSurge is how many pods may be added during a rollout.
	// +optional
	MaxSurge *intstr.IntOrString ` + "`json:\"maxSurge,omitempty\"`" + `

	// MaxUnavailable is how many pods may be missing during a rollout.
	// +optional
	MaxUnavailable *intstr.IntOrString ` + "`json:\"maxUnavailable,omitempty\"`" + `

	// Budget is what the fleet may spend.
	// +optional
	Budget resource.Quantity ` + "`json:\"budget,omitempty\"`" + `

	// Strategy is how pods are replaced.
	// +kubebuilder:default=Rolling
	// +kubebuilder:validation:Enum=Rolling;Recreate
	// +optional
	Strategy string ` + "`json:\"strategy,omitempty\"`" + `

	// Window bounds the ready pods.
	// +optional
	Window *Window ` + "`json:\"window,omitempty\"`" + `

	// Shards is at least 1: a +k8s: tag that is also in the schema.
	// +k8s:minimum=1
	// +optional
	Shards int32 ` + "`json:\"shards,omitempty\"`" + `

	// Zone is a short name: a +k8s: tag only validation-gen enforces.
	// +k8s:format=k8s-short-name
	// +optional
	Zone string ` + "`json:\"zone,omitempty\"`" + `

	// Pool cannot change once set.
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="pool is immutable"
	// +optional
	Pool string ` + "`json:\"pool,omitempty\"`" + `
}

// Window is a pair of bounds.
// +kubebuilder:validation:XValidation:rule="self.minReady <= self.maxReady",message="minReady must not exceed maxReady"
type Window struct {
	MinReady int32 ` + "`json:\"minReady\"`" + `
	MaxReady int32 ` + "`json:\"maxReady\"`" + `
}

// FleetStatus is the observed state of a Fleet.
type FleetStatus struct {
	// ObservedGeneration is the generation the controller last acted on.
	// +optional
	ObservedGeneration int64 ` + "`json:\"observedGeneration,omitempty\"`" + `

	// Conditions describe the state of the Fleet.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition ` + "`json:\"conditions,omitempty\"`" + `
}

// Fleet is a set of pods.
//
// +genclient
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
// +kubebuilder:resource:scope=Namespaced
// +kubebuilder:subresource:status
// +kubebuilder:printcolumn:name="Strategy",type=string,JSONPath=.spec.strategy
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=.metadata.creationTimestamp
type Fleet struct {
	metav1.TypeMeta   ` + "`json:\",inline\"`" + `
	metav1.ObjectMeta ` + "`json:\"metadata,omitempty\"`" + `

	Spec   FleetSpec   ` + "`json:\"spec,omitempty\"`" + `
	Status FleetStatus ` + "`json:\"status,omitempty\"`" + `
}

// FleetList is a list of Fleet objects.
//
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
type FleetList struct {
	metav1.TypeMeta ` + "`json:\",inline\"`" + `
	metav1.ListMeta ` + "`json:\"metadata,omitempty\"`" + `

	Items []Fleet ` + "`json:\"items\"`" + `
}
`

// fleet is a full Deployment-shaped object; quantities and int-or-strings
// are written in their canonical forms, which must come back unchanged.
const fleet = `apiVersion: apps.example.com/v1
kind: Fleet
metadata:
  name: web
  namespace: default
spec:
  selector:
    matchLabels: {app: web}
  maxSurge: 25%
  maxUnavailable: 1
  budget: 500m
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
        resources:
          limits: {cpu: 500m, memory: 128Mi}
          requests: {cpu: "1", memory: 1Gi, ephemeral-storage: 2G}
        readinessProbe:
          httpGet: {path: /healthz, port: http}
      - name: sidecar
        image: busybox
        args: [sleep, infinity]
`

// TestRealAPITypes serves a kind shaped like apps/v1 Deployment with
// `aggen run local` (one build of the project, etcd and the generated
// apiserver) and checks with kubectl that it behaves like a CRD made from
// the same types: every reachable type served and explained, apply and
// server-side apply, exact round trips, and kube-apiserver's CRD
// validation and defaulting.
func TestRealAPITypes(t *testing.T) {
	if os.Getenv("AGGEN_E2E") == "" || testing.Short() {
		t.Skip("set AGGEN_E2E=1: builds and runs a project with k8s.io/api types")
	}
	dir := t.TempDir()
	mustAggen(t, dir, "init", "--domain", "example.com", "--repo", "example.com/fleet")
	mustAggen(t, dir, "create", "api", "--group", "apps", "--version", "v1", "--kind", "Fleet", "--controller=false")
	if err := os.WriteFile(filepath.Join(dir, "pkg/apis/apps/v1/fleet_types.go"), []byte(fleetTypes), 0o644); err != nil {
		t.Fatal(err)
	}
	mustAggen(t, dir, "generate")
	goCmd(t, dir, "mod", "tidy")
	mustAggen(t, dir, "verify")

	kubeconfig := filepath.Join(dir, ".aggen/local/kubeconfig")
	kubectl := func(stdin string, args ...string) (string, error) {
		cmd := exec.Command("kubectl", append([]string{"--kubeconfig", kubeconfig}, args...)...)
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	mustKubectl := func(stdin string, args ...string) string {
		t.Helper()
		out, err := kubectl(stdin, args...)
		if err != nil {
			t.Fatalf("kubectl %v: %v\n%s", args, err, out)
		}
		return out
	}
	// invalid requires a 422 whose text has every one of want.
	invalid := func(what, stdin string, args []string, want ...string) {
		t.Helper()
		out, err := kubectl(stdin, args...)
		if err == nil {
			t.Errorf("%s: accepted, want 422\n%s", what, out)
			return
		}
		if !strings.Contains(out, "is invalid") && !strings.Contains(out, "Invalid") {
			t.Errorf("%s: want 422 Invalid, got\n%s", what, out)
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: the error lacks %q:\n%s", what, w, out)
			}
		}
		t.Logf("%s: %s", what, strings.TrimSpace(out))
	}
	named := func(name string) string { return strings.Replace(fleet, "name: web", "name: "+name, 1) }

	runOnce(t, dir, nil, []string{aggenBin, "run", "local"}, func() {
		mustKubectl(fleet, "apply", "-f", "-")
		mustKubectl(fleet, "apply", "--server-side", "--field-manager=ssa-test", "--force-conflicts", "-f", "-")

		var got struct {
			Metadata struct {
				ManagedFields []struct{ Manager string } `json:"managedFields"`
			} `json:"metadata"`
			Spec map[string]any `json:"spec"`
		}
		if err := json.Unmarshal([]byte(mustKubectl("", "get", "fleet", "web", "-n", "default", "-o", "json", "--show-managed-fields")), &got); err != nil {
			t.Fatal(err)
		}
		managers := fmt.Sprint(got.Metadata.ManagedFields)
		if !strings.Contains(managers, "ssa-test") {
			t.Errorf("no managedFields entry of the server-side apply: %s", managers)
		}
		spec, _ := json.Marshal(got.Spec)
		for _, want := range []string{
			`"maxSurge":"25%"`, `"maxUnavailable":1`, `"budget":"500m"`,
			`"limits":{"cpu":"500m","memory":"128Mi"}`, `"requests":{"cpu":"1","ephemeral-storage":"2G","memory":"1Gi"}`,
			`"port":"http"`,
			// Defaults: the schema's where the request had no value, and
			// core/v1's own (+default) inside the template.
			`"replicas":1`, `"strategy":"Rolling"`, `"protocol":"TCP"`,
		} {
			if !strings.Contains(string(spec), want) {
				t.Errorf("the stored spec lacks %s:\n%s", want, spec)
			}
		}

		// A value that is present is not defaulted.
		mustKubectl(strings.Replace(named("zero"), "spec:\n", "spec:\n  replicas: 0\n  strategy: Recreate\n", 1), "apply", "-f", "-")
		if out := mustKubectl("", "get", "fleet", "zero", "-n", "default", "-o", "jsonpath={.spec.replicas} {.spec.strategy}"); out != "0 Recreate" {
			t.Errorf("replicas 0 and strategy Recreate came back as %q", out)
		}

		// Every reachable type is in the OpenAPI kubectl reads.
		out := mustKubectl("", "explain", "fleets.spec.template.spec.containers.resources")
		for _, want := range []string{"ResourceRequirements", "limits", "requests"} {
			if !strings.Contains(out, want) {
				t.Errorf("kubectl explain fleets.spec.template.spec.containers.resources lacks %q:\n%s", want, out)
			}
		}
		out = mustKubectl("", "explain", "fleets.spec.maxSurge")
		if !strings.Contains(out, "IntOrString") {
			t.Errorf("kubectl explain fleets.spec.maxSurge:\n%s", out)
		}

		// The published OpenAPI carries what the server enforces.
		v3 := mustKubectl("", "get", "--raw", "/openapi/v3/apis/apps.example.com/v1")
		for _, want := range []string{`"rule":"self == oldSelf"`, `"message":"pool is immutable"`, `"enum":["Rolling","Recreate"]`, `"default":"Rolling"`} {
			if !strings.Contains(v3, want) {
				t.Errorf("/openapi/v3 lacks %s", want)
			}
		}

		// One AGE column, the kind's own.
		header := strings.SplitN(mustKubectl("", "get", "fleets", "-n", "default"), "\n", 2)[0]
		if strings.Count(header, "AGE") != 1 {
			t.Errorf("kubectl get fleets header %q: want one AGE column", header)
		}

		// ObjectMeta as kube-apiserver validates a custom resource's.
		invalid("name Bad_Name", named("Bad_Name"), []string{"create", "-f", "-"}, "metadata.name", "RFC 1123")
		invalid("a 300-character name", named(strings.Repeat("a", 300)), []string{"create", "-f", "-"}, "metadata.name", "must be no more than 253 characters")
		escaped, _ := json.Marshal(map[string]any{
			"apiVersion": "apps.example.com/v1", "kind": "Fleet",
			"metadata": map[string]any{"name": "esc\x1b[31mred", "namespace": "default"},
			"spec":     map[string]any{"template": map[string]any{"spec": map[string]any{"containers": []any{map[string]any{"name": "c", "image": "i"}}}}},
		})
		invalid("a name with a control character", string(escaped), []string{"create", "-f", "-"}, "metadata.name")

		// list-type map keys are unique.
		dup := named("dup") + "      - name: nginx\n        image: nginx:2\n"
		invalid("duplicate container names", dup, []string{"create", "-f", "-"}, "spec.template.spec.containers[2]", "Duplicate value")

		// CEL rules, with their field path and message.
		window := strings.Replace(named("window"), "spec:\n", "spec:\n  window: {minReady: 5, maxReady: 2}\n", 1)
		invalid("a CEL rule", window, []string{"create", "-f", "-"}, "spec.window", "minReady must not exceed maxReady")
		mustKubectl("", "patch", "fleet", "web", "-n", "default", "--type=merge", "-p", `{"spec":{"pool":"a"}}`)
		invalid("a CEL transition rule", "", []string{"patch", "fleet", "web", "-n", "default", "--type=merge", "-p", `{"spec":{"pool":"b"}}`}, "spec.pool", "pool is immutable")

		// Schema validation with the schema's messages.
		invalid("an enum", "", []string{"patch", "fleet", "web", "-n", "default", "--type=merge", "-p", `{"spec":{"strategy":"Bogus"}}`}, "spec.strategy", `Unsupported value: "Bogus"`)
		invalid("a minimum", "", []string{"patch", "fleet", "web", "-n", "default", "--type=merge", "-p", `{"spec":{"replicas":-1}}`}, "spec.replicas")

		// The upstream declarative tags, as kube-apiserver enforces them
		// for built-in types: validation-gen's output, called by the
		// strategy; one error for a tag the schema has too.
		out, _ = kubectl("", "patch", "fleet", "web", "-n", "default", "--type=merge", "-p", `{"spec":{"shards":-1}}`)
		if strings.Count(out, "spec.shards:") != 1 {
			t.Errorf("+k8s:minimum: want one error at spec.shards, got\n%s", out)
		}
		invalid("+k8s:minimum", "", []string{"patch", "fleet", "web", "-n", "default", "--type=merge", "-p", `{"spec":{"shards":-1}}`}, "spec.shards")
		invalid("+k8s:format", "", []string{"patch", "fleet", "web", "-n", "default", "--type=merge", "-p", `{"spec":{"zone":"Not_Short"}}`}, "spec.zone")
		mustKubectl("", "patch", "fleet", "web", "-n", "default", "--type=merge", "-p", `{"spec":{"shards":3,"zone":"eu-west"}}`)

		// /status is validated too, against metav1.Condition's schema.
		condition := func(status string) string {
			return fmt.Sprintf(`{"status":{"conditions":[{"type":"Ready","status":%q,"reason":"Tested","message":"m","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}`, status)
		}
		invalid("a condition with status Maybe", "", []string{"patch", "fleet", "web", "-n", "default", "--subresource=status", "--type=merge", "-p", condition("Maybe")},
			"status.conditions[0].status", `Unsupported value: "Maybe"`)
		mustKubectl("", "patch", "fleet", "web", "-n", "default", "--subresource=status", "--type=merge", "-p", condition("True"))
		invalid("duplicate condition types", "", []string{"patch", "fleet", "web", "-n", "default", "--subresource=status", "--type=json", "-p",
			`[{"op":"add","path":"/status/conditions/-","value":{"type":"Ready","status":"False","reason":"Again","message":"m","lastTransitionTime":"2026-01-01T00:00:00Z"}}]`},
			"status.conditions[1]", "Duplicate value")
	})
}
