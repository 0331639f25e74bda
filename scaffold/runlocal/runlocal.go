// Package runlocal is `aggen run local`: the development loop of a
// generated project with nothing but this machine — an embedded etcd, the
// project's apiserver in its --local mode, the controller manager, and a
// kubeconfig for kubectl. State lives in .aggen/local, which the user may
// delete at any time to start over.
package runlocal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"

	"github.com/aggen-dev/aggen/generators/loader"
)

// Options are the flags of `aggen run local`.
type Options struct {
	Dir string
	// Port is the apiserver's secure port; 0 picks a free one.
	Port int
	// NoController skips the controller manager.
	NoController bool
	Out          io.Writer
	// Ready, when not nil, is called with the kubeconfig path once the
	// apiserver answers; tests use it.
	Ready func(kubeconfig string)
}

// StateDir is where run local keeps etcd data, binaries, certificates and
// the kubeconfig, relative to the project.
const StateDir = ".aggen/local"

// Run runs until ctx is cancelled (Ctrl-C), then stops everything.
func Run(ctx context.Context, o Options) error {
	if o.Out == nil {
		o.Out = io.Discard
	}
	cfg, err := loader.ReadConfig(o.Dir)
	if err != nil {
		return err
	}
	state, err := filepath.Abs(filepath.Join(o.Dir, StateDir))
	if err != nil {
		return err
	}
	for _, d := range []string{"etcd", "bin", "certs"} {
		if err := os.MkdirAll(filepath.Join(state, d), 0o700); err != nil {
			return err
		}
	}
	binaries := []string{"apiserver", "controller-manager"}
	if o.NoController {
		binaries = binaries[:1]
	}
	for _, b := range binaries {
		fmt.Fprintf(o.Out, "building cmd/%s\n", b)
		if err := build(ctx, o.Dir, filepath.Join(state, "bin", b), "./cmd/"+b); err != nil {
			return err
		}
	}
	etcdLog := newEtcdLogger(o.Out)
	etcd, etcdURL, err := startEtcd(filepath.Join(state, "etcd"), etcdLog)
	if err != nil {
		return err
	}
	defer func() {
		etcdLog.stop()
		etcd.Close()
	}()
	fmt.Fprintf(o.Out, "etcd serving %s (data in %s/etcd)\n", etcdURL, StateDir)

	port := o.Port
	if port == 0 {
		if port, err = freePort(); err != nil {
			return err
		}
	}
	kubeconfig := filepath.Join(state, "kubeconfig")
	os.Remove(kubeconfig)
	apiserver, err := start(ctx, o.Out, "apiserver", filepath.Join(state, "bin", "apiserver"),
		"--local",
		"--etcd-servers="+etcdURL,
		"--bind-address=127.0.0.1",
		"--secure-port="+strconv.Itoa(port),
		"--cert-dir="+filepath.Join(state, "certs"),
		"--local-kubeconfig="+kubeconfig,
	)
	if err != nil {
		return err
	}
	defer stop(apiserver)
	if err := waitForFile(ctx, kubeconfig, apiserver, 60*time.Second); err != nil {
		return err
	}
	fmt.Fprintf(o.Out, "%s apiserver serving https://127.0.0.1:%d\n", cfg.Name, port)
	if !o.NoController {
		cm, err := start(ctx, o.Out, "controller-manager", filepath.Join(state, "bin", "controller-manager"),
			"--kubeconfig="+kubeconfig,
			"--health-probe-bind-address=127.0.0.1:0",
			"--metrics-bind-address=0",
		)
		if err != nil {
			return err
		}
		defer stop(cm)
	}
	rel, _ := filepath.Rel(mustGetwd(), kubeconfig)
	fmt.Fprintf(o.Out, "\nready: export KUBECONFIG=%s\n       kubectl api-resources\nCtrl-C stops everything; rm -rf %s starts over.\n", rel, StateDir)
	if o.Ready != nil {
		o.Ready(kubeconfig)
	}
	select {
	case <-ctx.Done():
		fmt.Fprintln(o.Out, "stopping")
		return nil
	case <-apiserver.done:
		return fmt.Errorf("apiserver exited: %v", apiserver.err)
	}
}

func mustGetwd() string {
	wd, _ := os.Getwd()
	return wd
}

func build(ctx context.Context, dir, out, pkg string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %w\n%s", pkg, err, b)
	}
	return nil
}

func startEtcd(dir string, log *etcdLogger) (*embed.Etcd, string, error) {
	ports := make([]int, 2)
	for i := range ports {
		p, err := freePort()
		if err != nil {
			return nil, "", err
		}
		ports[i] = p
	}
	cfg := embed.NewConfig()
	cfg.Dir = dir
	cfg.Name = "aggen-local"
	client := url.URL{Scheme: "http", Host: "127.0.0.1:" + strconv.Itoa(ports[0])}
	peer := url.URL{Scheme: "http", Host: "127.0.0.1:" + strconv.Itoa(ports[1])}
	cfg.ListenClientUrls = []url.URL{client}
	cfg.AdvertiseClientUrls = []url.URL{client}
	cfg.ListenPeerUrls = []url.URL{peer}
	cfg.AdvertisePeerUrls = []url.URL{peer}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.LogLevel = "error"
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(log.logger)
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, "", fmt.Errorf("starting etcd: %w", err)
	}
	select {
	case <-e.Server.ReadyNotify():
	case <-time.After(60 * time.Second):
		e.Close()
		return nil, "", errors.New("etcd did not become ready in 60s")
	}
	return e, client.String(), nil
}

type process struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

func start(ctx context.Context, out io.Writer, name, bin string, args ...string) (*process, error) {
	cmd := exec.Command(bin, args...)
	cmd.Stdout = prefixWriter(out, name)
	cmd.Stderr = prefixWriter(out, name)
	// Own process group: Ctrl-C reaches aggen, which stops the children
	// in order instead of the terminal killing them all at once.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

func stop(p *process) {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

func waitForFile(ctx context.Context, path string, p *process, timeout time.Duration) error {
	deadline := time.After(timeout)
	for {
		if _, err := os.Stat(path); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-p.done:
			return fmt.Errorf("%s exited before it was ready: %v", p.name, p.err)
		case <-deadline:
			return fmt.Errorf("%s did not write %s within %s", p.name, path, timeout)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
