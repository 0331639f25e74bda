package cli_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aggen-dev/aggen/test/upstream"
)

// TestRunLocal runs `aggen run local` on a copy of the example the way a
// user does in a terminal, uses kubectl against it, then presses Ctrl-C
// and requires a clean stop. State must survive a second run.
func TestRunLocal(t *testing.T) {
	if os.Getenv("AGGEN_E2E") == "" {
		t.Skip("set AGGEN_E2E=1: builds and runs the example's apiserver, controller manager and an embedded etcd")
	}
	dir := t.TempDir()
	if err := upstream.CopyTree("../../examples/insects", dir); err != nil {
		t.Fatal(err)
	}
	kubeconfig := filepath.Join(dir, ".aggen/local/kubeconfig")
	kubectl := func(stdin string, args ...string) string {
		t.Helper()
		cmd := exec.Command("kubectl", append([]string{"--kubeconfig", kubeconfig}, args...)...)
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("kubectl %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	runOnce(t, dir, func() {
		kubectl(`apiVersion: insects.example.com/v1beta1
kind: Bee
metadata:
  name: maya
  namespace: default
spec:
  description: a honey bee
`, "apply", "-f", "-")
		deadline := time.Now().Add(30 * time.Second)
		for {
			out := kubectl("", "get", "bee", "maya", "-n", "default", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")
			if out == "True" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the controller did not reconcile maya: Ready=%q", out)
			}
			time.Sleep(300 * time.Millisecond)
		}
	})
	runOnce(t, dir, func() {
		if out := kubectl("", "get", "bees", "-A", "-o", "name"); !strings.Contains(out, "bee.insects.example.com/maya") {
			t.Errorf("maya did not survive a restart of aggen run local: %q", out)
		}
	})
}

func runOnce(t *testing.T, dir string, use func()) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, aggenBin, "run", "local")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	var log strings.Builder
	logDone := make(chan struct{})
	go func() {
		defer close(logDone)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			log.WriteString(sc.Text() + "\n")
			if strings.HasPrefix(sc.Text(), "ready:") {
				close(ready)
			}
		}
	}()
	select {
	case <-ready:
	case <-logDone:
		cmd.Wait()
		t.Fatalf("aggen run local exited before it was ready:\n%s", log.String())
	case <-ctx.Done():
		t.Fatalf("aggen run local did not get ready:\n%s", log.String())
	}
	use()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { <-logDone; done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("aggen run local after Ctrl-C: %v\n%s", err, log.String())
		}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("aggen run local did not stop within 60s of Ctrl-C:\n%s", log.String())
	}
	if !strings.Contains(log.String(), "stopping") {
		t.Errorf("aggen run local did not report stopping:\n%s", log.String())
	}
}
