package harness

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// KubeAPIServerOptions configure StartKubeAPIServer.
type KubeAPIServerOptions struct {
	Binary  string      // path of the kube-apiserver binary (required)
	Dir     string      // work directory: log, admin kubeconfig
	EtcdURL string      // etcd client URL
	PKI     *ClusterPKI // with files written (PKI.WriteFiles)
	// ExtraArgs are appended after the defaults (a later flag wins).
	ExtraArgs []string
	// ReadyTimeout bounds the wait for /readyz; default 120 s.
	ReadyTimeout time.Duration
}

// KubeAPIServer is a running kube-apiserver with the aggregation layer on.
type KubeAPIServer struct {
	*Process
	URL             string // https://127.0.0.1:<port>
	Port            int
	AdminKubeconfig string // path of a kubeconfig for the system:masters admin
	Admin           *Client
}

// kubeAPIServerArgs are the flags that run kube-apiserver with the
// aggregation layer on loopback (see shared/docs/aggregation-e2e.md).
func kubeAPIServerArgs(port int, etcdURL string, f PKIFiles) []string {
	return []string{
		"--etcd-servers=" + etcdURL,
		"--secure-port=" + strconv.Itoa(port),
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		// Endpoints may not hold loopback addresses.
		"--endpoint-reconciler-type=none",
		"--service-cluster-ip-range=10.0.0.0/24",
		"--authorization-mode=RBAC",
		"--client-ca-file=" + f.ClusterCACert,
		"--tls-cert-file=" + f.APIServerCert,
		"--tls-private-key-file=" + f.APIServerKey,
		"--service-account-key-file=" + f.ServiceAccountPub,
		"--service-account-signing-key-file=" + f.ServiceAccountKey,
		"--service-account-issuer=https://kubernetes.default.svc",
		"--requestheader-client-ca-file=" + f.FrontProxyCACert,
		"--requestheader-allowed-names=front-proxy-client",
		"--requestheader-username-headers=X-Remote-User",
		"--requestheader-group-headers=X-Remote-Group",
		"--requestheader-extra-headers-prefix=X-Remote-Extra-",
		"--proxy-client-cert-file=" + f.FrontProxyClientCert,
		"--proxy-client-key-file=" + f.FrontProxyClientKey,
	}
}

// StartKubeAPIServer starts kube-apiserver on a free loopback port, writes
// Dir/admin.kubeconfig and waits until /readyz answers 200. On failure
// nothing is left running.
func StartKubeAPIServer(ctx context.Context, opts KubeAPIServerOptions) (*KubeAPIServer, error) {
	if opts.PKI == nil || opts.PKI.Files.Dir == "" {
		return nil, fmt.Errorf("kube-apiserver: PKI with written files is required")
	}
	if opts.ReadyTimeout == 0 {
		opts.ReadyTimeout = 120 * time.Second
	}
	if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
		return nil, err
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		s, retry, err := startKubeAPIServerOnce(ctx, opts)
		if err == nil {
			return s, nil
		}
		lastErr = err
		if !retry {
			break
		}
	}
	return nil, lastErr
}

func startKubeAPIServerOnce(ctx context.Context, opts KubeAPIServerOptions) (*KubeAPIServer, bool, error) {
	port, err := FreePort()
	if err != nil {
		return nil, false, err
	}
	url := "https://127.0.0.1:" + strconv.Itoa(port)
	kcPath := filepath.Join(opts.Dir, "admin.kubeconfig")
	adminKC := Kubeconfig{Server: url, CAPEM: opts.PKI.ClusterCA.CertPEM, CertPEM: opts.PKI.Admin.CertPEM, KeyPEM: opts.PKI.Admin.KeyPEM}
	if err := WriteKubeconfig(kcPath, AdminUser, adminKC); err != nil {
		return nil, false, err
	}
	admin, err := NewClient(adminKC)
	if err != nil {
		return nil, false, err
	}
	args := append(kubeAPIServerArgs(port, opts.EtcdURL, opts.PKI.Files), opts.ExtraArgs...)
	proc, err := StartProcess(ProcessOptions{
		Name: "kube-apiserver", Binary: opts.Binary, Args: args, Dir: opts.Dir,
		LogPath: filepath.Join(opts.Dir, "kube-apiserver.log"),
	})
	if err != nil {
		return nil, false, err
	}
	wctx, cancel := context.WithTimeout(ctx, opts.ReadyTimeout)
	defer cancel()
	err = waitUntil(wctx, proc, 250*time.Millisecond, "kube-apiserver /readyz", func(ctx context.Context) error {
		rctx, rcancel := context.WithTimeout(ctx, 5*time.Second)
		defer rcancel()
		resp, err := admin.Do(rctx, http.MethodGet, "/readyz", nil)
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("/readyz: HTTP %d", resp.StatusCode)
		}
		return nil
	})
	if err != nil {
		admin.CloseIdle()
		_ = proc.Stop()
		return nil, proc.portInUse(), err
	}
	return &KubeAPIServer{Process: proc, URL: url, Port: port, AdminKubeconfig: kcPath, Admin: admin}, false, nil
}
