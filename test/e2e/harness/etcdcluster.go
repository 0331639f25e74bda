package harness

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// EtcdTLS is the PKI of an etcd cluster with mutual TLS: a CA of its own,
// one certificate that serves clients and authenticates members to each
// other (server and client usage, SANs localhost and 127.0.0.1), and a
// client certificate for the apiserver. etcd trusts every client
// certificate its CA signed.
type EtcdTLS struct {
	CA     *CA
	Server *KeyPair
	Client *KeyPair
	// Files, filled by WriteFiles.
	CAFile, ServerCert, ServerKey, ClientCert, ClientKey string
}

// NewEtcdTLS makes an etcd CA and issues the server and client
// certificates; clientName is the client certificate's common name.
func NewEtcdTLS(clientName string) (*EtcdTLS, error) {
	ca, err := NewCA("aggen-e2e-etcd-ca")
	if err != nil {
		return nil, err
	}
	server, err := ca.IssueServerClient("etcd", []string{"localhost"}, []net.IP{net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, err
	}
	client, err := ca.IssueClient(clientName)
	if err != nil {
		return nil, err
	}
	return &EtcdTLS{CA: ca, Server: server, Client: client}, nil
}

// WriteFiles writes the CA, server and client files into dir.
func (e *EtcdTLS) WriteFiles(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	e.CAFile = filepath.Join(dir, "ca.crt")
	if err := os.WriteFile(e.CAFile, e.CA.CertPEM, 0o644); err != nil {
		return err
	}
	var err error
	if e.ServerCert, e.ServerKey, err = e.Server.WriteFiles(dir, "server"); err != nil {
		return err
	}
	e.ClientCert, e.ClientKey, err = e.Client.WriteFiles(dir, "client")
	return err
}

// ClientArgs are the apiserver flags that reach etcd with the client
// certificate.
func (e *EtcdTLS) ClientArgs() []string {
	return []string{"--etcd-cafile=" + e.CAFile, "--etcd-certfile=" + e.ClientCert, "--etcd-keyfile=" + e.ClientKey}
}

// HTTPClient is an HTTP client that trusts the etcd CA and presents cert
// (nil: no client certificate).
func (e *EtcdTLS) HTTPClient(cert *KeyPair) (*http.Client, error) {
	conf := &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: e.CA.CertPool()}
	if cert != nil {
		c, err := tls.X509KeyPair(cert.CertPEM, cert.KeyPEM)
		if err != nil {
			return nil, err
		}
		conf.Certificates = []tls.Certificate{c}
	}
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: conf}}, nil
}

// EtcdClusterOptions configure StartEtcdCluster.
type EtcdClusterOptions struct {
	Binary  string
	Dir     string // member i lives in Dir/member-i
	Members int    // default 3
	TLS     *EtcdTLS
	// ReadyTimeout bounds the wait for every member's /health; default 90 s.
	ReadyTimeout time.Duration
}

// EtcdMember is one member of an EtcdCluster.
type EtcdMember struct {
	Name               string
	ClientURL, PeerURL string
	Dir                string
	args               []string
	mu                 sync.Mutex
	proc               *Process
	starts             int
}

// Process is the member's current process (nil once killed and not
// restarted).
func (m *EtcdMember) Process() *Process {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.proc
}

// EtcdCluster is an etcd cluster on loopback with mutual TLS on its client
// and peer ports, like the production overlay's.
type EtcdCluster struct {
	Members []*EtcdMember
	TLS     *EtcdTLS
	binary  string
	client  *http.Client
}

// StartEtcdCluster starts the members together (as the overlay's
// StatefulSet does, podManagementPolicy Parallel) and waits until each
// answers /health over TLS. On failure nothing is left running.
func StartEtcdCluster(ctx context.Context, opts EtcdClusterOptions) (c *EtcdCluster, err error) {
	if opts.Binary == "" || opts.Dir == "" || opts.TLS == nil || opts.TLS.CAFile == "" {
		return nil, errors.New("StartEtcdCluster: Binary, Dir and TLS (with files written) are required")
	}
	if opts.Members == 0 {
		opts.Members = 3
	}
	if opts.ReadyTimeout == 0 {
		opts.ReadyTimeout = 90 * time.Second
	}
	ports, err := FreePorts(2 * opts.Members)
	if err != nil {
		return nil, err
	}
	c = &EtcdCluster{TLS: opts.TLS, binary: opts.Binary}
	if c.client, err = opts.TLS.HTTPClient(opts.TLS.Client); err != nil {
		return nil, err
	}
	var initial []string
	for i := 0; i < opts.Members; i++ {
		m := &EtcdMember{
			Name:      "etcd-" + strconv.Itoa(i),
			ClientURL: "https://127.0.0.1:" + strconv.Itoa(ports[2*i]),
			PeerURL:   "https://127.0.0.1:" + strconv.Itoa(ports[2*i+1]),
			Dir:       filepath.Join(opts.Dir, "member-"+strconv.Itoa(i)),
		}
		initial = append(initial, m.Name+"="+m.PeerURL)
		c.Members = append(c.Members, m)
	}
	t := opts.TLS
	for _, m := range c.Members {
		if err := os.MkdirAll(m.Dir, 0o700); err != nil {
			return nil, err
		}
		m.args = []string{
			"--name=" + m.Name,
			"--data-dir=" + filepath.Join(m.Dir, "data"),
			"--listen-client-urls=" + m.ClientURL,
			"--advertise-client-urls=" + m.ClientURL,
			"--listen-peer-urls=" + m.PeerURL,
			"--initial-advertise-peer-urls=" + m.PeerURL,
			"--initial-cluster=" + strings.Join(initial, ","),
			"--initial-cluster-state=new",
			"--initial-cluster-token=aggen-e2e",
			"--client-cert-auth=true", "--trusted-ca-file=" + t.CAFile, "--cert-file=" + t.ServerCert, "--key-file=" + t.ServerKey,
			"--peer-client-cert-auth=true", "--peer-trusted-ca-file=" + t.CAFile, "--peer-cert-file=" + t.ServerCert, "--peer-key-file=" + t.ServerKey,
			"--unsafe-no-fsync", // test data: spare the disk
			"--log-level=warn",
		}
	}
	defer func() {
		if err != nil {
			_ = c.Stop()
			c = nil
		}
	}()
	for i := range c.Members {
		if err := c.startMember(i); err != nil {
			return nil, err
		}
	}
	wctx, cancel := context.WithTimeout(ctx, opts.ReadyTimeout)
	defer cancel()
	for i := range c.Members {
		if err := c.WaitHealthy(wctx, i); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (c *EtcdCluster) startMember(i int) error {
	m := c.Members[i]
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.proc != nil {
		if exited, _ := m.proc.Exited(); !exited {
			return fmt.Errorf("%s is running", m.Name)
		}
	}
	m.starts++
	p, err := StartProcess(ProcessOptions{
		Name: m.Name, Binary: c.binary, Args: m.args, Dir: m.Dir,
		LogPath: filepath.Join(m.Dir, fmt.Sprintf("etcd-%d.log", m.starts)),
	})
	if err != nil {
		return err
	}
	m.proc = p
	return nil
}

// ClientURLs is the comma-separated list for --etcd-servers.
func (c *EtcdCluster) ClientURLs() string {
	var urls []string
	for _, m := range c.Members {
		urls = append(urls, m.ClientURL)
	}
	return strings.Join(urls, ",")
}

// WaitHealthy waits until member i answers /health with true.
func (c *EtcdCluster) WaitHealthy(ctx context.Context, i int) error {
	m := c.Members[i]
	return waitUntil(ctx, m.Process(), 100*time.Millisecond, m.Name+" health", func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.ClientURL+"/health", nil)
		if err != nil {
			return err
		}
		resp, err := c.client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		var h struct {
			Health string `json:"health"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
			return err
		}
		if h.Health != "true" {
			return fmt.Errorf("health=%q", h.Health)
		}
		return nil
	})
}

// Leader returns the index of the member that leads, asked of the first
// member that answers.
func (c *EtcdCluster) Leader(ctx context.Context) (int, error) {
	ids := map[string]int{}
	var leader string
	for i, m := range c.Members {
		if p := m.Process(); p == nil {
			continue
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.ClientURL+"/v3/maintenance/status", bytes.NewReader([]byte("{}")))
		if err != nil {
			return -1, err
		}
		resp, err := c.client.Do(req)
		if err != nil {
			continue
		}
		var st struct {
			Header struct {
				MemberID string `json:"member_id"`
			} `json:"header"`
			Leader string `json:"leader"`
		}
		err = json.NewDecoder(resp.Body).Decode(&st)
		resp.Body.Close()
		if err != nil {
			continue
		}
		ids[st.Header.MemberID] = i
		if st.Leader != "" && st.Leader != "0" {
			leader = st.Leader
		}
	}
	if i, ok := ids[leader]; ok && leader != "" {
		return i, nil
	}
	return -1, fmt.Errorf("no member reports a leader among the ones that answer (leader %q)", leader)
}

// Kill sends SIGKILL to member i (kill -9: no shutdown, no flush) and
// waits until it is reaped.
func (c *EtcdCluster) Kill(i int) error {
	p := c.Members[i].Process()
	if p == nil {
		return fmt.Errorf("%s is not running", c.Members[i].Name)
	}
	return p.Kill()
}

// Restart starts member i again on its data directory, as a StatefulSet
// restarts a pod on its volume, and waits until it is healthy.
func (c *EtcdCluster) Restart(ctx context.Context, i int) error {
	if err := c.startMember(i); err != nil {
		return err
	}
	return c.WaitHealthy(ctx, i)
}

// Processes are the members' current processes.
func (c *EtcdCluster) Processes() []*Process {
	var out []*Process
	for _, m := range c.Members {
		if p := m.Process(); p != nil {
			out = append(out, p)
		}
	}
	return out
}

// Stop stops every member. Safe to call more than once.
func (c *EtcdCluster) Stop() error {
	var errs []error
	for _, m := range c.Members {
		if p := m.Process(); p != nil {
			if err := p.Stop(); err != nil && !p.killed() {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}
