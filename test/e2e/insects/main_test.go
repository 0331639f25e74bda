package insects

// The expensive pieces are set up once per `go test` run of this package and
// shared by both suites: the example's apiserver and controller-manager are
// built once, etcd is started once (each server keeps its own key prefix),
// and kube-apiserver is started once, only when a test needs it. TestMain
// stops everything after the last test.

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aggen-dev/aggen/test/e2e/harness"
)

// requireE2E skips unless AGGEN_E2E=1 (and not -short): these tests build
// the example and run real etcd, apiservers and kube-apiserver.
func requireE2E(t *testing.T) {
	t.Helper()
	if os.Getenv("AGGEN_E2E") != "1" || testing.Short() {
		t.Skip("real end-to-end test: set AGGEN_E2E=1 to run (make test does)")
	}
}

// env is the state shared by every test of the package.
var env struct {
	mu      sync.Mutex
	work    string // temp dir of this run
	stops   []func() error
	timings []string

	repo, project string // repository root, examples/insects

	buildOnce     sync.Once
	buildErr      error
	apiserverBin  string
	controllerBin string
	etcdOnce      sync.Once
	etcdErr       error
	etcd          *harness.Etcd
	cpOnce        sync.Once
	cpErr         error
	cp            *harness.ControlPlane
}

func TestMain(m *testing.M) {
	flag.Parse()
	if os.Getenv("AGGEN_E2E") != "1" || testing.Short() {
		os.Exit(m.Run())
	}
	start := time.Now()
	work, err := os.MkdirTemp("", "aggen-e2e-insects-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	env.work = work
	code := m.Run()
	env.mu.Lock()
	stops := env.stops
	env.mu.Unlock()
	for i := len(stops) - 1; i >= 0; i-- {
		if err := stops[i](); err != nil {
			fmt.Fprintln(os.Stderr, "teardown:", err)
		}
	}
	if code == 0 && os.Getenv("AGGEN_E2E_KEEP") == "" {
		os.RemoveAll(work)
	} else {
		fmt.Fprintf(os.Stderr, "e2e work directory kept (logs): %s\n", work)
	}
	env.timings = append(env.timings, fmt.Sprintf("package wall time %v", time.Since(start).Round(time.Millisecond)))
	for _, line := range env.timings {
		fmt.Println("timing:", line)
	}
	os.Exit(code)
}

// onTeardown registers a stop function for TestMain (run in reverse order).
func onTeardown(f func() error) {
	env.mu.Lock()
	defer env.mu.Unlock()
	env.stops = append(env.stops, f)
}

func timing(format string, args ...any) {
	env.mu.Lock()
	defer env.mu.Unlock()
	env.timings = append(env.timings, fmt.Sprintf(format, args...))
}

// setupContext bounds the shared setup independently of any one test.
func setupContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 20*time.Minute)
}

// binaries builds examples/insects' cmd/apiserver and cmd/controller-manager
// once (go build with GOWORK=off from the example's own module).
func binaries(t *testing.T) (apiserver, controllerManager string) {
	t.Helper()
	env.buildOnce.Do(func() {
		ctx, cancel := setupContext()
		defer cancel()
		var aggenYAML string
		if aggenYAML, env.buildErr = harness.FindRepoDir(filepath.Join("examples", "insects", "aggen.yaml")); env.buildErr != nil {
			return
		}
		env.project = filepath.Dir(aggenYAML)
		env.repo = filepath.Dir(filepath.Dir(env.project))
		out := filepath.Join(env.work, "bin")
		start := time.Now()
		env.buildErr = harness.GoBuild(ctx, env.project, out, "./cmd/apiserver", "./cmd/controller-manager")
		env.apiserverBin = filepath.Join(out, "apiserver")
		env.controllerBin = filepath.Join(out, "controller-manager")
		timing("go build examples/insects cmd/apiserver + cmd/controller-manager: %v", time.Since(start).Round(time.Millisecond))
	})
	if env.buildErr != nil {
		t.Fatalf("build examples/insects: %v", env.buildErr)
	}
	return env.apiserverBin, env.controllerBin
}

// sharedEtcd starts the one etcd of the run.
func sharedEtcd(t *testing.T) *harness.Etcd {
	t.Helper()
	env.etcdOnce.Do(func() {
		ctx, cancel := setupContext()
		defer cancel()
		start := time.Now()
		bin, err := harness.ResolveBinary(ctx, harness.BinEtcd)
		if err != nil {
			env.etcdErr = err
			return
		}
		e, err := harness.StartEtcd(ctx, harness.EtcdOptions{Binary: bin, Dir: filepath.Join(env.work, "etcd")})
		if err != nil {
			env.etcdErr = err
			return
		}
		env.etcd = e
		onTeardown(e.Stop)
		timing("etcd resolve+start: %v", time.Since(start).Round(time.Millisecond))
	})
	if env.etcdErr != nil {
		t.Fatalf("etcd: %v", env.etcdErr)
	}
	return env.etcd
}

// controlPlane starts kube-apiserver once, on the shared etcd.
func controlPlane(t *testing.T) *harness.ControlPlane {
	t.Helper()
	etcd := sharedEtcd(t)
	env.cpOnce.Do(func() {
		ctx, cancel := setupContext()
		defer cancel()
		start := time.Now()
		bin, err := harness.ResolveBinary(ctx, harness.BinKubeAPIServer)
		if err != nil {
			env.cpErr = err
			return
		}
		cp, err := harness.StartControlPlaneOnEtcd(ctx, harness.ControlPlaneOptions{
			Dir: filepath.Join(env.work, "cp"), KubeAPIServerBinary: bin,
		}, etcd.ClientURL)
		if err != nil {
			env.cpErr = err
			return
		}
		env.cp = cp
		onTeardown(cp.Stop)
		timing("kube-apiserver resolve+start (to /readyz): %v", time.Since(start).Round(time.Millisecond))
	})
	if env.cpErr != nil {
		t.Fatalf("kube-apiserver: %v", env.cpErr)
	}
	return env.cp
}

// dumpLogsOnFailure prints the end of each process log if the test failed,
// or always with AGGEN_E2E_LOGS=1.
func dumpLogsOnFailure(t *testing.T, procs ...*harness.Process) {
	t.Helper()
	t.Cleanup(func() {
		if !t.Failed() && os.Getenv("AGGEN_E2E_LOGS") != "1" {
			return
		}
		for _, p := range procs {
			if p != nil {
				t.Logf("---- last lines of %s (%s) ----\n%s", p.Name, p.LogPath, p.LogTail(60))
			}
		}
	})
}
