package insects

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	clientset "github.com/aggen-dev/aggen/examples/insects/pkg/generated/clientset/versioned"
	"github.com/aggen-dev/aggen/test/e2e/harness"
)

const group = "insects.example.com"

// localServer is the example's apiserver in --local mode: no kube-apiserver,
// a self-signed certificate and a bearer token kept in its cert dir, and a
// kubeconfig it writes once it listens.
type localServer struct {
	*harness.Process
	Dir        string // cert dir, log, kubeconfig
	Kubeconfig string
	Port       int
	Config     *rest.Config
	Client     *clientset.Clientset

	bin, etcdURL, etcdPrefix string
}

// startLocalServer starts (or, with the same dir, restarts) the apiserver
// with --local on etcd, and waits until it writes its kubeconfig and
// /readyz answers 200.
func startLocalServer(ctx context.Context, bin, dir, etcdURL, etcdPrefix string) (*localServer, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	s := &localServer{Dir: dir, Kubeconfig: filepath.Join(dir, "kubeconfig"), bin: bin, etcdURL: etcdURL, etcdPrefix: etcdPrefix}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		port, err := harness.FreePort()
		if err != nil {
			return nil, err
		}
		// The kubeconfig is written by a post-start hook: its presence
		// says the server listens.
		if err := os.Remove(s.Kubeconfig); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		proc, err := harness.StartProcess(harness.ProcessOptions{
			Name: "insects-apiserver-local", Binary: bin, Dir: dir,
			LogPath: filepath.Join(dir, fmt.Sprintf("apiserver-%d.log", time.Now().UnixNano())),
			Args: []string{
				"--local",
				"--etcd-servers=" + etcdURL,
				"--etcd-prefix=" + etcdPrefix,
				"--bind-address=127.0.0.1",
				"--secure-port=" + strconv.Itoa(port),
				"--cert-dir=" + filepath.Join(dir, "certs"),
				"--local-kubeconfig=" + s.Kubeconfig,
			},
		})
		if err != nil {
			return nil, err
		}
		s.Process, s.Port = proc, port
		if lastErr = s.waitReady(ctx, 90*time.Second); lastErr == nil {
			return s, nil
		}
		_ = proc.Stop()
		b, _ := os.ReadFile(proc.LogPath)
		if !strings.Contains(string(b), "address already in use") {
			break
		}
	}
	return nil, lastErr
}

func (s *localServer) waitReady(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var last error
	for time.Now().Before(deadline) {
		if exited, werr := s.Exited(); exited {
			return fmt.Errorf("apiserver exited (%v):\n%s", werr, s.LogTail(40))
		}
		if _, err := os.Stat(s.Kubeconfig); err != nil {
			last = err
		} else if err := s.loadClients(); err != nil {
			last = err
		} else {
			rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			_, err := s.Client.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(rctx)
			cancel()
			if err == nil {
				return nil
			}
			last = err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return fmt.Errorf("apiserver not ready after %v: %v\n%s", timeout, last, s.LogTail(40))
}

func (s *localServer) loadClients() error {
	cfg, err := clientcmd.BuildConfigFromFlags("", s.Kubeconfig)
	if err != nil {
		return err
	}
	cfg.QPS, cfg.Burst = 200, 400
	cs, err := clientset.NewForConfig(cfg)
	if err != nil {
		return err
	}
	s.Config, s.Client = cfg, cs
	return nil
}

// restart stops the server and starts it again with the same cert dir,
// token and etcd prefix.
func (s *localServer) restart(ctx context.Context) (*localServer, error) {
	if err := s.Stop(); err != nil {
		return nil, fmt.Errorf("stop: %w", err)
	}
	return startLocalServer(ctx, s.bin, s.Dir, s.etcdURL, s.etcdPrefix)
}

// kubectl runs kubectl against kubeconfig and fails the test on error.
func kubectl(ctx context.Context, t *testing.T, kubeconfig string, stdin string, args ...string) string {
	t.Helper()
	var in []byte
	if stdin != "" {
		in = []byte(stdin)
	}
	out, err := harness.Kubectl(ctx, kubeconfig, in, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// kubectlErr runs kubectl and returns its stdout and error without failing.
func kubectlErr(ctx context.Context, kubeconfig string, stdin string, args ...string) (string, error) {
	var in []byte
	if stdin != "" {
		in = []byte(stdin)
	}
	return harness.Kubectl(ctx, kubeconfig, in, args...)
}

// eventually polls f every 200 ms until it returns nil or timeout passes,
// then fails the test with f's last error.
func eventually(t *testing.T, timeout time.Duration, what string, f func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var err error
	for {
		if err = f(); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after %v: %v", what, timeout, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// causeFields returns the field paths of the causes of an Invalid error.
func causeFields(err error) []string {
	var se apierrors.APIStatus
	if !errors.As(err, &se) || se.Status().Details == nil {
		return nil
	}
	var out []string
	for _, c := range se.Status().Details.Causes {
		out = append(out, c.Field)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// headerLine returns the first line of kubectl's table output, with the
// columns separated by single spaces.
func headerLine(out string) string {
	line, _, _ := strings.Cut(out, "\n")
	return strings.Join(strings.Fields(line), " ")
}

// row returns the fields of the table line whose first column is name.
func row(out, name string) []string {
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) > 0 && f[0] == name {
			return f
		}
	}
	return nil
}

// kubectlWatch is a kubectl command left running (get --watch) whose
// output is read while it runs.
type kubectlWatch struct {
	cancel context.CancelFunc
	done   chan struct{}
	out    *syncBuffer
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func startKubectlWatch(ctx context.Context, t *testing.T, kubeconfig string, args ...string) *kubectlWatch {
	t.Helper()
	wctx, cancel := context.WithCancel(ctx)
	w := &kubectlWatch{cancel: cancel, done: make(chan struct{}), out: &syncBuffer{}}
	cmd := exec.CommandContext(wctx, "kubectl", append([]string{"--kubeconfig", kubeconfig}, args...)...)
	cmd.Stdout = w.out
	cmd.Stderr = w.out
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	go func() {
		_ = cmd.Wait()
		close(w.done)
	}()
	return w
}

// waitFor waits until the output contains s and returns the output so far.
func (w *kubectlWatch) waitFor(t *testing.T, timeout time.Duration, s string) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !strings.Contains(w.out.String(), s) {
		select {
		case <-w.done:
			t.Fatalf("kubectl exited before printing %q: %s", s, w.out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("kubectl did not print %q in %v: %s", s, timeout, w.out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	return w.out.String()
}

func (w *kubectlWatch) stop() {
	w.cancel()
	<-w.done
}

// watchEventTypes returns the "type" of each watch event in kubectl's
// --output-watch-events -o json stream.
func watchEventTypes(stream string) []string {
	var types []string
	dec := json.NewDecoder(strings.NewReader(stream))
	for {
		var ev struct {
			Type string `json:"type"`
		}
		if err := dec.Decode(&ev); err != nil {
			return types
		}
		types = append(types, ev.Type)
	}
}
