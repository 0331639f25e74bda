package cli_test

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/test/upstream"
)

// TestCerts issues the serving certificate for the example and checks what
// a deployment relies on: it verifies against the CA for the Service's DNS
// name and localhost, the deploy kustomization carries that CA as every
// APIService's caBundle, and the private keys stay in the git-ignored
// .aggen directory, readable by the owner only.
func TestCerts(t *testing.T) {
	dir := t.TempDir()
	if err := upstream.CopyTree("../../examples/insects", dir); err != nil {
		t.Fatal(err)
	}
	mustAggen(t, dir, "certs")
	read := func(rel string) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	caPEM := read(".aggen/certs/ca.crt")
	block, _ := pem.Decode(read(".aggen/certs/tls.crt"))
	if block == nil {
		t.Fatal("tls.crt is not PEM")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(caPEM) {
		t.Fatal("ca.crt is not a certificate")
	}
	for _, name := range []string{"insects-apiserver.insects-system.svc", "localhost"} {
		if _, err := cert.Verify(x509.VerifyOptions{DNSName: name, Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}); err != nil {
			t.Errorf("serving certificate does not verify for %s: %v", name, err)
		}
	}
	// etcd's certificates come from a CA of their own: the serving CA's
	// certificates get no access to etcd.
	etcdCA := read(".aggen/certs/etcd-ca.crt")
	if string(etcdCA) == string(caPEM) {
		t.Fatal("etcd's CA is the serving CA")
	}
	etcdRoots := x509.NewCertPool()
	etcdRoots.AppendCertsFromPEM(etcdCA)
	server := parseCert(t, read(".aggen/certs/etcd-server.crt"))
	for _, name := range []string{"insects-etcd.insects-system.svc", "insects-etcd-2.insects-etcd.insects-system.svc", "localhost"} {
		for _, usage := range []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth} {
			if _, err := server.Verify(x509.VerifyOptions{DNSName: name, Roots: etcdRoots, KeyUsages: []x509.ExtKeyUsage{usage}}); err != nil {
				t.Errorf("etcd's certificate (usage %v) does not verify for %s: %v", usage, name, err)
			}
		}
	}
	client := parseCert(t, read(".aggen/certs/etcd-client.crt"))
	if _, err := client.Verify(x509.VerifyOptions{Roots: etcdRoots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil || client.Subject.CommonName != "insects-apiserver" {
		t.Errorf("etcd client certificate %q: %v", client.Subject.CommonName, err)
	}
	if _, err := client.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err == nil {
		t.Errorf("the etcd client certificate verifies against the serving CA")
	}
	if _, err := cert.Verify(x509.VerifyOptions{DNSName: "localhost", Roots: etcdRoots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err == nil {
		t.Errorf("the serving certificate is accepted by etcd's CA")
	}
	keys := []string{".aggen/certs/ca.key", ".aggen/certs/tls.key", ".aggen/certs/etcd-ca.key", ".aggen/certs/etcd-server.key", ".aggen/certs/etcd-client.key", ".aggen/deploy/certificates.yaml"}
	for _, key := range keys {
		info, err := os.Stat(filepath.Join(dir, key))
		if err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, err %v; want 0600", key, info.Mode().Perm(), err)
		}
	}
	if !strings.Contains(string(read(".gitignore")), "/.aggen/") {
		t.Errorf(".gitignore does not ignore .aggen/")
	}
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl is not installed")
	}
	out, err := exec.Command(kubectl, "kustomize", filepath.Join(dir, ".aggen/deploy")).CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl kustomize .aggen/deploy: %v\n%s", err, out)
	}
	bundle := "caBundle: " + base64.StdEncoding.EncodeToString(caPEM)
	if n := strings.Count(string(out), bundle); n != 2 {
		t.Errorf("%d APIServices carry the CA as caBundle, want 2", n)
	}
	for _, secret := range []string{"insects-apiserver-serving-cert", "insects-etcd-server-cert", "insects-etcd-client-cert"} {
		if !strings.Contains(string(out), "name: "+secret+"\n  namespace: insects-system\ntype: kubernetes.io/tls") {
			t.Errorf("the deploy kustomization lacks the Secret %s", secret)
		}
	}
	if n := strings.Count(string(out), "ca.crt: "+base64.StdEncoding.EncodeToString(etcdCA)); n != 2 {
		t.Errorf("%d etcd Secrets carry etcd's CA, want 2", n)
	}
	// A second run reuses the CA, so a deployed caBundle stays valid.
	mustAggen(t, dir, "certs")
	if string(read(".aggen/certs/ca.crt")) != string(caPEM) || string(read(".aggen/certs/etcd-ca.crt")) != string(etcdCA) {
		t.Errorf("a second aggen certs replaced a CA")
	}

	// --force over key files someone made world-readable: new keys, and
	// the files 0600 again (a key is never written into a file that keeps
	// a looser mode).
	oldKeys := map[string]string{}
	for _, key := range keys {
		if err := os.Chmod(filepath.Join(dir, key), 0o644); err != nil {
			t.Fatal(err)
		}
		oldKeys[key] = string(read(key))
	}
	mustAggen(t, dir, "certs", "--force", "--overlay", "production", "--kube-apiserver-cidr", "10.1.2.3,192.168.0.0/24")
	for _, key := range keys {
		info, err := os.Stat(filepath.Join(dir, key))
		if err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("after --force over a 0644 file, %s: mode %v, err %v; want 0600", key, info.Mode().Perm(), err)
		}
		if string(read(key)) == oldKeys[key] {
			t.Errorf("--force kept %s", key)
		}
	}
	if string(read(".aggen/certs/ca.crt")) == string(caPEM) {
		t.Errorf("--force kept the CA")
	}
	out, err = exec.Command(kubectl, "kustomize", filepath.Join(dir, ".aggen/deploy")).CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl kustomize .aggen/deploy: %v\n%s", err, out)
	}
	for _, cidr := range []string{"10.1.2.3/32", "192.168.0.0/24"} {
		if !strings.Contains(string(out), "- ipBlock:\n        cidr: "+cidr) {
			t.Errorf("the apiserver's NetworkPolicy does not admit %s:\n%s", cidr, out)
		}
	}
	if !strings.Contains(string(out), "replicas: 3") {
		t.Errorf("--overlay production: no etcd cluster in .aggen/deploy")
	}
	if out, code := aggen(t, dir, "certs", "--kube-apiserver-cidr", "not-an-ip"); code == 0 || !strings.Contains(out, "not-an-ip") {
		t.Errorf("a bad --kube-apiserver-cidr: exit %d\n%s", code, out)
	}
}

func parseCert(t *testing.T, pemBytes []byte) *x509.Certificate {
	t.Helper()
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		t.Fatal("not PEM")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}
