package cli_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/util/version"

	"github.com/aggen-dev/aggen/test/aggentest"
	"github.com/aggen-dev/aggen/test/upstream"
)

// TestRunLocal runs `aggen run local` on a copy of the example the way a
// user does in a terminal, uses kubectl against it, then presses Ctrl-C
// and requires a clean stop. The copy is a git checkout, so the server
// reports the version the go command stamps from it. State must survive
// a second run, with --no-controller, and a third, through `make run`.
func TestRunLocal(t *testing.T) {
	if os.Getenv("AGGEN_E2E") == "" {
		t.Skip("set AGGEN_E2E=1: builds and runs the example's apiserver, controller manager and an embedded etcd")
	}
	dir := t.TempDir()
	if err := upstream.CopyTree("../../examples/insects", dir); err != nil {
		t.Fatal(err)
	}
	// The scaffolded admission plugin, filled in the way sample-apiserver's
	// BanFlunder is: a mutation in Admit, a refusal in Validate.
	pluginFile := filepath.Join(dir, "pkg/admission/plugin/admission.go")
	plugin, err := os.ReadFile(pluginFile)
	if err != nil {
		t.Fatal(err)
	}
	edited := string(plugin)
	for old, new := range map[string]string{
		`	"k8s.io/apiserver/pkg/admission"`: `	"errors"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apiserver/pkg/admission"`,
		"func (p *Plugin) Admit(ctx context.Context, a admission.Attributes, o admission.ObjectInterfaces) error {\n\treturn nil\n}": `func (p *Plugin) Admit(ctx context.Context, a admission.Attributes, o admission.ObjectInterfaces) error {
	obj, err := meta.Accessor(a.GetObject())
	if err != nil || a.GetOperation() != admission.Create || a.GetSubresource() != "" {
		return err
	}
	labels := obj.GetLabels()
	if labels == nil {
		labels = map[string]string{}
	}
	labels["admitted"] = "true"
	obj.SetLabels(labels)
	return nil
}`,
		"func (p *Plugin) Validate(ctx context.Context, a admission.Attributes, o admission.ObjectInterfaces) error {\n\treturn nil\n}": `func (p *Plugin) Validate(ctx context.Context, a admission.Attributes, o admission.ObjectInterfaces) error {
	if a.GetName() == "banned" {
		return admission.NewForbidden(a, errors.New("this name may not be used"))
	}
	return nil
}`,
	} {
		if !strings.Contains(edited, old) {
			t.Fatalf("the scaffolded admission plugin lacks %q", old)
		}
		edited = strings.Replace(edited, old, new, 1)
	}
	if err := os.WriteFile(pluginFile, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=aggen test", "-c", "user.email=test@example.com"}, args...)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	git("add", "-A")
	git("commit", "-q", "-m", "the example")
	commit := git("rev-parse", "HEAD")

	kubeconfig := filepath.Join(dir, ".aggen/local/kubeconfig")
	kubectl := func(stdin string, args ...string) string {
		t.Helper()
		cmd := exec.Command("kubectl", append([]string{"--kubeconfig", kubeconfig}, args...)...)
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("kubectl %v: %v\n%s%s", args, err, out, stderrOf(err))
		}
		return string(out)
	}
	// reconciled creates a Bee and waits until the controller marks it Ready.
	reconciled := func(name string) {
		t.Helper()
		kubectl(`apiVersion: insects.example.com/v1beta1
kind: Bee
metadata:
  name: `+name+`
  namespace: default
spec:
  description: a honey bee
`, "apply", "-f", "-")
		deadline := time.Now().Add(30 * time.Second)
		for {
			out := kubectl("", "get", "bee", name, "-n", "default", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")
			if out == "True" {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("the controller did not reconcile %s: Ready=%q", name, out)
			}
			time.Sleep(300 * time.Millisecond)
		}
	}
	// The build records the commit whatever GOFLAGS the machine has.
	env := []string{aggentest.GoFlags("-buildvcs=true")}
	log := runOnce(t, dir, env, []string{aggenBin, "run", "local"}, func() {
		// kubectl version fails on a version it cannot parse.
		if out := kubectl("", "version"); !strings.Contains(out, "Server Version: v0.0.0-") {
			t.Errorf("kubectl version:\n%s", out)
		}
		var sv struct {
			GitVersion, GitCommit, GitTreeState, EmulationMajor, EmulationMinor string
		}
		if err := json.Unmarshal([]byte(kubectl("", "get", "--raw", "/version")), &sv); err != nil {
			t.Fatal(err)
		}
		if _, err := version.ParseSemantic(sv.GitVersion); err != nil {
			t.Errorf("the server reports version %q, which kubectl cannot parse: %v", sv.GitVersion, err)
		}
		if !strings.HasPrefix(sv.GitVersion, "v0.0.0-") || !strings.HasSuffix(sv.GitVersion, commit[:12]) || sv.GitCommit != commit || sv.GitTreeState != "clean" {
			t.Errorf("the server reports %+v, want the pseudo-version of commit %s", sv, commit)
		}
		if sv.EmulationMajor != "1" || sv.EmulationMinor != "37" {
			t.Errorf("the server emulates Kubernetes %s.%s, want 1.37", sv.EmulationMajor, sv.EmulationMinor)
		}

		reconciled("maya")
		if out := kubectl("", "get", "bee", "maya", "-n", "default", "-o", "jsonpath={.metadata.labels.admitted}"); out != "true" {
			t.Errorf("the admission plugin's Admit did not label maya: %q", out)
		}
		cmd := exec.Command("kubectl", "--kubeconfig", kubeconfig, "create", "-f", "-")
		cmd.Stdin = strings.NewReader("apiVersion: insects.example.com/v1beta1\nkind: Bee\nmetadata:\n  name: banned\n  namespace: default\n")
		if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "this name may not be used") {
			t.Errorf("the admission plugin's Validate did not refuse bee banned: %v\n%s", err, out)
		}
	})
	for _, want := range []string{"building cmd/apiserver\n", "building cmd/controller-manager\n", "[controller-manager] "} {
		if !strings.Contains(log, want) {
			t.Errorf("aggen run local: the log lacks %q", want)
		}
	}

	log = runOnce(t, dir, env, []string{aggenBin, "run", "local", "--no-controller"}, func() {
		if out := kubectl("", "get", "bees", "-A", "-o", "name"); !strings.Contains(out, "bee.insects.example.com/maya") {
			t.Errorf("maya did not survive a restart of aggen run local: %q", out)
		}
	})
	if strings.Contains(log, "controller-manager") {
		t.Errorf("aggen run local --no-controller built or ran the controller manager:\n%s", log)
	}

	// make run, the generated Makefile's way to the same loop.
	runOnce(t, dir, env, []string{"make", "run", "AGGEN=" + aggenBin}, func() {
		if out := kubectl("", "get", "bees", "-A", "-o", "name"); !strings.Contains(out, "bee.insects.example.com/maya") {
			t.Errorf("make run does not serve maya: %q", out)
		}
		reconciled("willy")
	})
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

// runOnce starts command in dir in a process group of its own, as a shell
// starts a foreground job, waits until it is ready, calls use, then
// presses Ctrl-C: SIGINT to the whole group, as a terminal sends it. The
// run must stop within a minute, say it is stopping, and print nothing at
// error level (etcd's logger adds a stack trace to every error). It
// returns the log.
func runOnce(t *testing.T, dir string, env, command []string, use func()) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, command[0], command[1:]...)
	cmd.Dir = dir
	cmd.Env = append(append(shellEnv(), "GOWORK=off"), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	ready := make(chan struct{})
	var log strings.Builder
	logDone := make(chan struct{})
	go func() {
		defer close(logDone)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			log.WriteString(sc.Text() + "\n")
			if strings.HasPrefix(sc.Text(), "ready:") {
				close(ready)
			}
		}
	}()
	what := strings.Join(command[1:], " ")
	select {
	case <-ready:
	case <-logDone:
		cmd.Wait()
		t.Fatalf("%s exited before it was ready:\n%s", what, log.String())
	case <-ctx.Done():
		t.Fatalf("%s did not get ready:\n%s", what, log.String())
	}
	use()
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { <-logDone; done <- cmd.Wait() }()
	select {
	case err := <-done:
		// make reports the interrupt of its recipe and exits non-zero;
		// aggen itself stops cleanly and exits 0.
		if err != nil && command[0] != "make" {
			t.Errorf("%s after Ctrl-C: %v\n%s", what, err, log.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("%s did not stop within 60s of Ctrl-C:\n%s", what, log.String())
	}
	if !strings.Contains(log.String(), "\nstopping\n") {
		t.Errorf("%s did not report stopping:\n%s", what, log.String())
	}
	for _, line := range strings.Split(log.String(), "\n") {
		if strings.Contains(line, `"level":"error"`) || strings.Contains(line, "stacktrace") || strings.HasPrefix(line, "[etcd]") ||
			strings.Contains(line, "\tERROR\t") ||
			(strings.HasPrefix(line, "[apiserver] E") && len(line) > 13 && line[13] >= '0' && line[13] <= '9') {
			t.Errorf("%s printed an error: %s", what, line)
		}
	}
	return log.String()
}
