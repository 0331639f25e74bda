package harness

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// ExtensionServerOptions start any aggregated API server binary on loopback.
type ExtensionServerOptions struct {
	Name   string // used for the log file name and errors
	Binary string
	Dir    string // working directory; the log goes to Dir/<Name>.log
	// Args returns the full argument list for a given secure port. It is a
	// function so that a lost port race can be retried with a new port.
	Args func(port int) []string
	// CAPEM verifies the server's certificate during the readiness probe,
	// with ServerName as the expected name (e.g. "api.wardle.svc").
	CAPEM      []byte
	ServerName string
	// ReadyPath is probed over HTTPS without credentials; default /readyz
	// (always allowed by delegated authorization).
	ReadyPath    string
	ReadyTimeout time.Duration // default 60 s
	// Env are KEY=VALUE entries added to the environment the server
	// inherits (GOGC, GODEBUG, ...).
	Env []string
}

// ExtensionServer is a running aggregated API server.
type ExtensionServer struct {
	*Process
	Port int
	URL  string // https://127.0.0.1:<port>
}

// StartExtensionServer starts the server on a free loopback port and waits
// until ReadyPath answers 200. On failure nothing is left running.
func StartExtensionServer(ctx context.Context, opts ExtensionServerOptions) (*ExtensionServer, error) {
	if opts.Args == nil || opts.Binary == "" || opts.Name == "" {
		return nil, errors.New("StartExtensionServer: Name, Binary and Args are required")
	}
	if opts.ReadyPath == "" {
		opts.ReadyPath = "/readyz"
	}
	if opts.ReadyTimeout == 0 {
		opts.ReadyTimeout = 60 * time.Second
	}
	if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
		return nil, err
	}
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: opts.ServerName}
	if len(opts.CAPEM) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(opts.CAPEM) {
			return nil, errors.New("StartExtensionServer: CAPEM holds no certificate")
		}
		tlsConf.RootCAs = pool
	}
	hc := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: tlsConf}}
	defer hc.CloseIdleConnections()

	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		port, err := FreePort()
		if err != nil {
			return nil, err
		}
		url := "https://127.0.0.1:" + strconv.Itoa(port)
		proc, err := StartProcess(ProcessOptions{
			Name: opts.Name, Binary: opts.Binary, Args: opts.Args(port), Dir: opts.Dir,
			LogPath: filepath.Join(opts.Dir, opts.Name+".log"),
			Env:     opts.Env,
		})
		if err != nil {
			return nil, err
		}
		wctx, cancel := context.WithTimeout(ctx, opts.ReadyTimeout)
		err = waitUntil(wctx, proc, 200*time.Millisecond, opts.Name+" "+opts.ReadyPath, func(ctx context.Context) error {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+opts.ReadyPath, nil)
			if err != nil {
				return err
			}
			resp, err := hc.Do(req)
			if err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("%s: HTTP %d", opts.ReadyPath, resp.StatusCode)
			}
			return nil
		})
		cancel()
		if err == nil {
			return &ExtensionServer{Process: proc, Port: port, URL: url}, nil
		}
		_ = proc.Stop()
		lastErr = err
		if !proc.portInUse() {
			break
		}
	}
	return nil, lastErr
}

// SampleAPIServerOptions start k8s.io/sample-apiserver (wardle.example.com).
type SampleAPIServerOptions struct {
	Binary string // "" means ResolveBinary(BinSampleAPIServer)
	Dir    string
	// EtcdURL is the etcd it stores flunders in (kube-apiserver's etcd is
	// fine: sample-apiserver uses its own key prefix).
	EtcdURL string
	// Kubeconfig is used for --kubeconfig, --authentication-kubeconfig and
	// --authorization-kubeconfig (delegated auth against kube-apiserver).
	Kubeconfig string
	// Serving is the server's certificate; CAPEM the CA that signed it.
	Serving *KeyPair
	CAPEM   []byte
	// ServerName is a DNS SAN of Serving used by the readiness probe.
	ServerName string
	ExtraArgs  []string
}

// StartSampleAPIServer starts sample-apiserver with delegated authentication
// and authorization against kube-apiserver.
func StartSampleAPIServer(ctx context.Context, opts SampleAPIServerOptions) (*ExtensionServer, error) {
	if opts.Serving == nil || opts.Kubeconfig == "" || opts.EtcdURL == "" {
		return nil, errors.New("StartSampleAPIServer: Serving, Kubeconfig and EtcdURL are required")
	}
	if opts.Binary == "" {
		bin, err := ResolveBinary(ctx, BinSampleAPIServer)
		if err != nil {
			return nil, err
		}
		opts.Binary = bin
	}
	if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
		return nil, err
	}
	certFile, keyFile, err := opts.Serving.WriteFiles(opts.Dir, "serving")
	if err != nil {
		return nil, err
	}
	return StartExtensionServer(ctx, ExtensionServerOptions{
		Name: BinSampleAPIServer, Binary: opts.Binary, Dir: opts.Dir,
		CAPEM: opts.CAPEM, ServerName: opts.ServerName,
		Args: func(port int) []string {
			return append([]string{
				"--etcd-servers=" + opts.EtcdURL,
				"--secure-port=" + strconv.Itoa(port),
				"--bind-address=127.0.0.1",
				"--tls-cert-file=" + certFile,
				"--tls-private-key-file=" + keyFile,
				"--kubeconfig=" + opts.Kubeconfig,
				"--authentication-kubeconfig=" + opts.Kubeconfig,
				"--authorization-kubeconfig=" + opts.Kubeconfig,
			}, opts.ExtraArgs...)
		},
	})
}
