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
	for _, key := range []string{".aggen/certs/ca.key", ".aggen/certs/tls.key"} {
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
	if !strings.Contains(string(out), "name: insects-apiserver-serving-cert") || !strings.Contains(string(out), "type: kubernetes.io/tls") {
		t.Errorf("the deploy kustomization lacks the serving Secret")
	}
	// A second run reuses the CA, so a deployed caBundle stays valid.
	mustAggen(t, dir, "certs")
	if string(read(".aggen/certs/ca.crt")) != string(caPEM) {
		t.Errorf("a second aggen certs replaced the CA")
	}
}
