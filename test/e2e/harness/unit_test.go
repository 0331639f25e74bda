package harness

// Fast tests of the harness pieces that need no external binary; they run in
// every `go test ./...`.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestClusterPKI(t *testing.T) {
	p, err := NewClusterPKI()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := p.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	roots := p.ClusterCA.CertPool()
	if _, err := p.APIServer.Cert.Verify(x509.VerifyOptions{Roots: roots, DNSName: "localhost"}); err != nil {
		t.Errorf("apiserver cert for localhost: %v", err)
	}
	if _, err := p.APIServer.Cert.Verify(x509.VerifyOptions{Roots: roots, DNSName: "127.0.0.1"}); err != nil {
		t.Errorf("apiserver cert for 127.0.0.1: %v", err)
	}
	if _, err := p.Admin.Cert.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
		t.Errorf("admin client cert: %v", err)
	}
	if got := p.Admin.Cert.Subject.Organization; len(got) != 1 || got[0] != "system:masters" {
		t.Errorf("admin O = %v, want [system:masters]", got)
	}
	if p.FrontProxyClient.Cert.Subject.CommonName != "front-proxy-client" {
		t.Errorf("front proxy client CN = %q", p.FrontProxyClient.Cert.Subject.CommonName)
	}
	if _, err := p.FrontProxyClient.Cert.Verify(x509.VerifyOptions{Roots: p.FrontProxyCA.CertPool(), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
		t.Errorf("front proxy client cert: %v", err)
	}
	if _, err := p.FrontProxyClient.Cert.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err == nil {
		t.Error("front proxy client cert must not chain to the cluster CA")
	}
	for _, f := range []string{p.Files.ClusterCACert, p.Files.APIServerCert, p.Files.APIServerKey, p.Files.AdminCert, p.Files.AdminKey,
		p.Files.FrontProxyCACert, p.Files.FrontProxyClientCert, p.Files.FrontProxyClientKey, p.Files.ServiceAccountKey, p.Files.ServiceAccountPub} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	if _, err := tls.LoadX509KeyPair(p.Files.AdminCert, p.Files.AdminKey); err != nil {
		t.Errorf("admin key pair files: %v", err)
	}
	blk, _ := pem.Decode(p.ServiceAccount.PublicKeyPEM)
	if blk == nil || blk.Type != "PUBLIC KEY" {
		t.Fatalf("service-account public key PEM: %v", blk)
	}
	if _, err := x509.ParsePKIXPublicKey(blk.Bytes); err != nil {
		t.Error(err)
	}
}

func TestExtensionServingCert(t *testing.T) {
	ca, err := NewCA("ext-ca")
	if err != nil {
		t.Fatal(err)
	}
	kp, err := ExtensionServingCert(ca, "api", "wardle", "extra.example")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"api.wardle.svc", "localhost", "127.0.0.1", "extra.example"} {
		if _, err := kp.Cert.Verify(x509.VerifyOptions{Roots: ca.CertPool(), DNSName: name}); err != nil {
			t.Errorf("verify for %s: %v", name, err)
		}
	}
	if _, err := ExtensionServingCert(ca, "", "x"); err == nil {
		t.Error("want an error without a service name")
	}
}

// TestKubeconfigAndClient serves TLS with client-cert auth from the harness
// PKI and talks to it through a written and reloaded kubeconfig.
func TestKubeconfigAndClient(t *testing.T) {
	p, err := NewClusterPKI()
	if err != nil {
		t.Fatal(err)
	}
	srvCert, err := tls.X509KeyPair(p.APIServer.CertPEM, p.APIServer.KeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.TLS.PeerCertificates) == 0 {
			http.Error(w, "no client cert", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"user":"` + r.TLS.PeerCertificates[0].Subject.CommonName + `"}`))
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{srvCert}, ClientCAs: p.ClusterCA.CertPool(), ClientAuth: tls.RequireAndVerifyClientCert}
	srv.StartTLS()
	defer srv.Close()

	path := filepath.Join(t.TempDir(), "kc.json")
	kc := Kubeconfig{Server: srv.URL, CAPEM: p.ClusterCA.CertPEM, CertPEM: p.Admin.CertPEM, KeyPEM: p.Admin.KeyPEM}
	if err := WriteKubeconfig(path, AdminUser, kc); err != nil {
		t.Fatal(err)
	}
	got, err := LoadKubeconfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Server != kc.Server || string(got.CAPEM) != string(kc.CAPEM) || string(got.KeyPEM) != string(kc.KeyPEM) {
		t.Fatalf("kubeconfig round trip changed data")
	}
	c, err := NewClient(got)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdle()
	body, err := c.Get(context.Background(), "/anything")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(body), AdminUser) {
		t.Errorf("body %s does not name %s", body, AdminUser)
	}
	lat, err := MeasureGET(context.Background(), c, "/x", 20)
	if err != nil || len(lat) != 20 {
		t.Fatalf("MeasureGET: %d samples, %v", len(lat), err)
	}
	p50, p99, err := MeasureDiscovery(context.Background(), path, "/x", 10)
	if err != nil || p50 <= 0 || p99 < p50 {
		t.Fatalf("MeasureDiscovery: p50=%v p99=%v err=%v", p50, p99, err)
	}

	// kubectl reads the JSON kubeconfig too (when kubectl is installed).
	if _, err := exec.LookPath("kubectl"); err == nil {
		out, err := exec.Command("kubectl", "config", "view", "--kubeconfig", path, "-o", "jsonpath={.clusters[0].cluster.server}").Output()
		if err != nil {
			t.Fatalf("kubectl config view: %v", err)
		}
		if string(out) != srv.URL {
			t.Errorf("kubectl sees server %q, want %q", out, srv.URL)
		}
	}
}

func TestPercentile(t *testing.T) {
	var l Latencies
	for i := 100; i >= 1; i-- {
		l = append(l, time.Duration(i)*time.Millisecond)
	}
	if got := l.Percentile(50); got != 50*time.Millisecond {
		t.Errorf("p50 = %v", got)
	}
	if got := l.Percentile(99); got != 99*time.Millisecond {
		t.Errorf("p99 = %v", got)
	}
	if got := l.Percentile(100); got != 100*time.Millisecond {
		t.Errorf("p100 = %v", got)
	}
	if got := (Latencies{7}).Percentile(99); got != 7 {
		t.Errorf("single sample p99 = %v", got)
	}
	if got := (Latencies{}).Percentile(50); got != 0 {
		t.Errorf("empty p50 = %v", got)
	}
}

func TestFreePorts(t *testing.T) {
	ports, err := FreePorts(5)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, p := range ports {
		if seen[p] || p <= 0 {
			t.Fatalf("bad or repeated port %d in %v", p, ports)
		}
		seen[p] = true
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			t.Fatalf("port %d not free: %v", p, err)
		}
		l.Close()
	}
}

func TestProcessStopAndEarlyExit(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep binary")
	}
	dir := t.TempDir()
	p, err := StartProcess(ProcessOptions{Name: "sleeper", Binary: sleep, Args: []string{"60"}, LogPath: filepath.Join(dir, "s.log")})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := p.Stop(); err != nil {
		t.Errorf("Stop of a running process: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Stop took %v", d)
	}
	if exited, _ := p.Exited(); !exited {
		t.Error("process still running after Stop")
	}
	if err := p.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}

	// A process that dies by itself makes waitUntil fail fast with its log.
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	q, err := StartProcess(ProcessOptions{Name: "crasher", Binary: sh, Args: []string{"-c", "echo boom-marker; exit 3"}, LogPath: filepath.Join(dir, "c.log")})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = waitUntil(ctx, q, 20*time.Millisecond, "never", func(context.Context) error { return errNotYet })
	if err == nil || !strings.Contains(err.Error(), "boom-marker") {
		t.Errorf("want an early-exit error with the log tail, got %v", err)
	}
	if err := q.Stop(); err == nil || !strings.Contains(err.Error(), "exited on its own") {
		t.Errorf("Stop after a crash: want 'exited on its own', got %v", err)
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Error("waitUntil waited for the deadline instead of noticing the exit")
	}
}
