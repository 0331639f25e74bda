// Package storage makes and runs a project whose kinds are stored on
// different backends, for the storage test and the storage benchmark
// (test/bench/storage): Order in sqlite, Cart in memory, Invoice in etcd.
package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/aggen-dev/aggen/scaffold"
	"github.com/aggen-dev/aggen/test/e2e/harness"
)

// Kind is one kind of the project and where it is stored.
type Kind struct {
	Name, Plural, Backend string
	Namespaced            bool
}

// Kinds are the project's kinds on the backends every machine has.
var Kinds = []Kind{
	{Name: "Order", Plural: "orders", Backend: "sqlite", Namespaced: true},
	{Name: "Cart", Plural: "carts", Backend: "memory"},
	{Name: "Invoice", Plural: "invoices", Backend: "etcd", Namespaced: true},
}

// PostgresKind is the kind stored in PostgreSQL, for machines that have
// it (see StartPostgres).
var PostgresKind = Kind{Name: "Receipt", Plural: "receipts", Backend: "postgres", Namespaced: true}

// Collection is the path of the kind's objects (in namespace default).
func (k Kind) Collection() string {
	if k.Namespaced {
		return "/apis/shop.example.com/v1/namespaces/default/" + k.Plural
	}
	return "/apis/shop.example.com/v1/" + k.Plural
}

// Manifest is an object of the kind as JSON.
func (k Kind) Manifest(name, description string) []byte {
	ns := ""
	if k.Namespaced {
		ns = `,"namespace":"default"`
	}
	return fmt.Appendf(nil, `{"apiVersion":"shop.example.com/v1","kind":%q,"metadata":{"name":%q%s},"spec":{"description":%q}}`, k.Name, name, ns, description)
}

// run runs a command in dir and returns its combined output.
func run(ctx context.Context, dir, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// Build makes the project in dir with the aggen binary as a user does
// (init, create api, the markers, generate, go get kine) and builds its
// apiserver. It returns the binary and what the first generate printed.
func Build(ctx context.Context, aggen, dir string, kinds []Kind) (bin, generateOut string, err error) {
	if _, err := run(ctx, dir, aggen, "init", "--domain", "example.com", "--repo", "example.com/shop"); err != nil {
		return "", "", err
	}
	for _, k := range kinds {
		if _, err := run(ctx, dir, aggen, "create", "api", "--group", "shop", "--version", "v1", "--kind", k.Name,
			"--namespaced="+strconv.FormatBool(k.Namespaced), "--controller=false"); err != nil {
			return "", "", err
		}
	}
	// The markers once every kind is there: create api's go mod tidy would
	// otherwise add kine itself.
	for _, k := range kinds {
		if k.Backend == "etcd" {
			continue // the default
		}
		file := filepath.Join(dir, "pkg/apis/shop/v1", strings.ToLower(k.Name)+"_types.go")
		b, err := os.ReadFile(file)
		if err != nil {
			return "", "", err
		}
		decl := []byte("type " + k.Name + " struct")
		if !bytes.Contains(b, decl) {
			return "", "", fmt.Errorf("%s has no %s", file, decl)
		}
		b = bytes.Replace(b, decl, append([]byte("// +aggen:storage="+k.Backend+"\n"), decl...), 1)
		if err := os.WriteFile(file, b, 0o644); err != nil {
			return "", "", err
		}
	}
	if generateOut, err = run(ctx, dir, aggen, "generate"); err != nil {
		return "", "", err
	}
	for _, args := range [][]string{{"get", "github.com/k3s-io/kine@" + scaffold.KineVersion}, {"mod", "tidy"}} {
		if _, err := run(ctx, dir, "go", args...); err != nil {
			return "", "", err
		}
	}
	bin = filepath.Join(dir, "bin", "apiserver")
	if _, err := run(ctx, dir, "go", "build", "-o", bin, "./cmd/apiserver"); err != nil {
		return "", "", err
	}
	return bin, generateOut, nil
}

// Aggen runs an aggen command in dir.
func Aggen(ctx context.Context, aggen, dir string, args ...string) (string, error) {
	return run(ctx, dir, aggen, args...)
}

// Server is the project's apiserver running in local mode.
type Server struct {
	*harness.Process
	HTTP  *http.Client
	URL   string
	token string
}

// Start starts the apiserver in --local mode with its state under
// dir/.state and the extra flags, and waits until it is ready. Local mode
// refuses anonymous requests, so readiness is asked with its token, once
// it has written its kubeconfig.
func Start(ctx context.Context, dir, bin string, extra ...string) (*Server, error) {
	state := filepath.Join(dir, ".state")
	kubeconfig := filepath.Join(state, "kubeconfig")
	os.Remove(kubeconfig)
	if err := os.MkdirAll(state, 0o700); err != nil {
		return nil, err
	}
	port, err := harness.FreePort()
	if err != nil {
		return nil, err
	}
	p, err := harness.StartProcess(harness.ProcessOptions{
		Name: "apiserver", Binary: bin, Dir: state, LogPath: filepath.Join(state, "apiserver.log"),
		Args: append([]string{
			"--local",
			"--bind-address=127.0.0.1",
			"--secure-port=" + strconv.Itoa(port),
			"--cert-dir=" + filepath.Join(state, "certs"),
			"--local-kubeconfig=" + kubeconfig,
		}, extra...),
	})
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*Server, error) {
		p.Stop()
		return nil, fmt.Errorf("%w\n%s", err, p.LogTail(40))
	}
	deadline := time.Now().Add(120 * time.Second)
	for {
		if _, err := os.Stat(kubeconfig); err == nil {
			break
		}
		if exited, _ := p.Exited(); exited {
			return fail(errors.New("the apiserver exited"))
		}
		if time.Now().After(deadline) {
			return fail(fmt.Errorf("no kubeconfig at %s", kubeconfig))
		}
		time.Sleep(100 * time.Millisecond)
	}
	kc, err := harness.LoadKubeconfig(kubeconfig)
	if err != nil {
		return fail(err)
	}
	token := kc.Token
	kc.Token = ""
	c, err := harness.NewClient(kc)
	if err != nil {
		return fail(err)
	}
	s := &Server{Process: p, HTTP: c.HTTP, URL: c.Server, token: token}
	for {
		code, body, err := s.Do(ctx, http.MethodGet, "/readyz", "", nil)
		if err == nil && code == http.StatusOK {
			return s, nil
		}
		if time.Now().After(deadline) {
			return fail(fmt.Errorf("/readyz: %d %s %v", code, body, err))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// Do sends one request with the server's token and returns the status
// and body.
func (s *Server) Do(ctx context.Context, method, path, contentType string, body []byte) (int, []byte, error) {
	req, err := s.Request(ctx, method, path, contentType, body)
	if err != nil {
		return 0, nil, err
	}
	resp, err := s.HTTP.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// Request builds a request with the server's token.
func (s *Server) Request(ctx context.Context, method, path, contentType string, body []byte) (*http.Request, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.URL+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	return req, nil
}

// ErrNoPostgres is returned by StartPostgres on a machine without
// PostgreSQL's server programs.
var ErrNoPostgres = errors.New("no PostgreSQL server programs (initdb, pg_ctl) found")

// Postgres is a throwaway PostgreSQL cluster on loopback.
type Postgres struct {
	// Endpoint is its connection string for --storage-postgres-endpoint.
	Endpoint string
	pgCtl    []string
	dir      string
}

// StartPostgres makes a cluster in a new temporary directory (which Stop
// removes) and starts it on a free loopback port, as user postgres when
// run as root (PostgreSQL refuses root).
func StartPostgres(ctx context.Context) (*Postgres, error) {
	bindir := ""
	if matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb"); len(matches) > 0 {
		bindir = filepath.Dir(matches[len(matches)-1])
	} else if p, err := exec.LookPath("initdb"); err == nil {
		bindir = filepath.Dir(p)
	} else {
		return nil, ErrNoPostgres
	}
	// Its own directory: a test's temporary directories are root's alone.
	dir, err := os.MkdirTemp("", "aggen-postgres-")
	if err != nil {
		return nil, err
	}
	var as []string
	if os.Geteuid() == 0 {
		if _, err := user.Lookup("postgres"); err != nil {
			return nil, fmt.Errorf("running as root and no user postgres: %w", ErrNoPostgres)
		}
		as = []string{"runuser", "-u", "postgres", "--"}
		if out, err := exec.CommandContext(ctx, "chown", "postgres", dir).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("chown postgres %s: %w\n%s", dir, err, out)
		}
	}
	command := func(prog string, args ...string) *exec.Cmd {
		full := append(append(append([]string(nil), as...), filepath.Join(bindir, prog)), args...)
		return exec.CommandContext(ctx, full[0], full[1:]...)
	}
	data := filepath.Join(dir, "data")
	if out, err := command("initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %w\n%s", err, out)
	}
	port, err := harness.FreePort()
	if err != nil {
		return nil, err
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", port, dir)
	if out, err := command("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "postgres.log"), "-w", "start").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pg_ctl start: %w\n%s", err, out)
	}
	return &Postgres{
		Endpoint: fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port),
		pgCtl:    append(append(append([]string(nil), as...), filepath.Join(bindir, "pg_ctl")), "-D", data, "-m", "fast", "stop"),
		dir:      dir,
	}, nil
}

// Stop stops the cluster and removes its directory.
func (p *Postgres) Stop() error {
	out, err := exec.Command(p.pgCtl[0], p.pgCtl[1:]...).CombinedOutput()
	os.RemoveAll(p.dir)
	if err != nil {
		return fmt.Errorf("pg_ctl stop: %w\n%s", err, out)
	}
	return nil
}
