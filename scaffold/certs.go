package scaffold

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/generators/manifests"
)

// LocalStateDir holds what must never be committed: private keys, local
// etcd data, kubeconfigs. `aggen init` puts it in .gitignore.
const LocalStateDir = ".aggen"

// CertsOptions are the flags of `aggen certs`.
type CertsOptions struct {
	Dir string
	// Overlay is the config/overlays/<name> the deploy kustomization builds on.
	Overlay string
	// ExtraDNS are added to the serving certificate's names.
	ExtraDNS []string
	// Validity of the serving certificate; the CA lives ten times longer.
	Validity time.Duration
	// Force replaces an existing CA too.
	Force bool
	Out   io.Writer
	now   func() time.Time
}

// Certs makes (or reuses) a CA and issues a serving certificate for the
// apiserver's Service names and localhost, with crypto/x509. Keys go to
// .aggen/certs; .aggen/deploy gets a kustomization that adds the serving
// Secret and the matching caBundle to every APIService:
//
//	kubectl apply -k .aggen/deploy
func Certs(o CertsOptions) error {
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.Overlay == "" {
		o.Overlay = "dev"
	}
	if o.Validity == 0 {
		o.Validity = 365 * 24 * time.Hour
	}
	if o.now == nil {
		o.now = time.Now
	}
	p, err := loader.Load(o.Dir)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(o.Dir, "config", "overlays", o.Overlay, "kustomization.yaml")); err != nil {
		return usagef("--overlay %s: config/overlays/%s/kustomization.yaml not found (run aggen generate)", o.Overlay, o.Overlay)
	}
	certDir := filepath.Join(o.Dir, LocalStateDir, "certs")
	if err := os.MkdirAll(certDir, 0o700); err != nil {
		return err
	}
	caCert, caKey, err := loadCA(certDir)
	if err != nil || o.Force {
		caCert, caKey, err = newCA(p.Name+"-ca", 10*o.Validity, o.now())
		if err != nil {
			return err
		}
		if err := writePair(certDir, "ca", caCert.Raw, caKey); err != nil {
			return err
		}
		fmt.Fprintf(o.Out, "created CA %s/ca.crt\n", filepath.Join(LocalStateDir, "certs"))
	}
	names := append(manifests.DNSNames(p), o.ExtraDNS...)
	servingDER, servingKey, err := issueServing(caCert, caKey, manifests.NamesOf(p).APIServer, names, o.Validity, o.now())
	if err != nil {
		return err
	}
	if err := writePair(certDir, "tls", servingDER, servingKey); err != nil {
		return err
	}
	fmt.Fprintf(o.Out, "issued serving certificate %s/tls.crt for %s\n", filepath.Join(LocalStateDir, "certs"), strings.Join(names, ", "))
	return writeDeploy(o, p.Namespace, manifests.NamesOf(p).ServingCertSecret, len(manifests.APIServices(p)) > 0, certDir)
}

func writeDeploy(o CertsOptions, namespace, secret string, hasAPIServices bool, certDir string) error {
	deploy := filepath.Join(o.Dir, LocalStateDir, "deploy")
	if err := os.MkdirAll(deploy, 0o700); err != nil {
		return err
	}
	ca, err := os.ReadFile(filepath.Join(certDir, "ca.crt"))
	if err != nil {
		return err
	}
	crt, err := os.ReadFile(filepath.Join(certDir, "tls.crt"))
	if err != nil {
		return err
	}
	key, err := os.ReadFile(filepath.Join(certDir, "tls.key"))
	if err != nil {
		return err
	}
	b64 := base64.StdEncoding.EncodeToString
	secretYAML := fmt.Sprintf(`# Made by aggen certs: holds a private key, never commit it.
apiVersion: v1
kind: Secret
type: kubernetes.io/tls
metadata:
  name: %s
  namespace: %s
data:
  tls.crt: %s
  tls.key: %s
`, secret, namespace, b64(crt), b64(key))
	kustomization := fmt.Sprintf(`# Made by aggen certs: the %s overlay plus the serving certificate and
# the caBundle that matches it. Apply with: kubectl apply -k %s/deploy
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- ../../config/overlays/%s
- serving-cert.yaml
`, o.Overlay, LocalStateDir, o.Overlay)
	if hasAPIServices {
		kustomization += fmt.Sprintf(`patches:
- target:
    kind: APIService
  patch: |-
    apiVersion: apiregistration.k8s.io/v1
    kind: APIService
    metadata:
      name: any
    spec:
      caBundle: %s
`, b64(ca))
	}
	if err := os.WriteFile(filepath.Join(deploy, "serving-cert.yaml"), []byte(secretYAML), 0o600); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(deploy, "kustomization.yaml"), []byte(kustomization), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(o.Out, "wrote %s/deploy: kubectl apply -k %s/deploy\n", LocalStateDir, LocalStateDir)
	return nil
}

func newKey() (*ecdsa.PrivateKey, error) { return ecdsa.GenerateKey(elliptic.P256(), rand.Reader) }

func serial() (*big.Int, error) { return rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126)) }

func newCA(cn string, validity time.Duration, now time.Time) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	key, err := newKey()
	if err != nil {
		return nil, nil, err
	}
	sn, err := serial()
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: sn, Subject: pkix.Name{CommonName: cn},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(validity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return cert, key, err
}

func issueServing(ca *x509.Certificate, caKey *ecdsa.PrivateKey, cn string, names []string, validity time.Duration, now time.Time) ([]byte, *ecdsa.PrivateKey, error) {
	key, err := newKey()
	if err != nil {
		return nil, nil, err
	}
	sn, err := serial()
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: sn, Subject: pkix.Name{CommonName: cn},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(validity),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	tmpl.IPAddresses = append(tmpl.IPAddresses, net.ParseIP("127.0.0.1"), net.ParseIP("::1"))
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	return der, key, err
}

func writePair(dir, base string, der []byte, key *ecdsa.PrivateKey) error {
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, base+".crt"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, base+".key"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
}

func loadCA(dir string) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	certPEM, err := os.ReadFile(filepath.Join(dir, "ca.crt"))
	if err != nil {
		return nil, nil, err
	}
	keyPEM, err := os.ReadFile(filepath.Join(dir, "ca.key"))
	if err != nil {
		return nil, nil, err
	}
	cb, _ := pem.Decode(certPEM)
	kb, _ := pem.Decode(keyPEM)
	if cb == nil || kb == nil {
		return nil, nil, errors.New("unreadable CA files")
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, nil, err
	}
	key, err := x509.ParseECPrivateKey(kb.Bytes)
	return cert, key, err
}
