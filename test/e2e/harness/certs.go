package harness

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// certValidity is how long every certificate made here stays valid. Test
// clusters live for minutes; one day leaves room for slow machines and clocks.
const certValidity = 24 * time.Hour

// KeyPair is a certificate with its private key, both PEM encoded.
type KeyPair struct {
	Cert    *x509.Certificate
	Key     crypto.Signer
	CertPEM []byte
	KeyPEM  []byte
}

// WriteFiles writes <dir>/<base>.crt and <dir>/<base>.key and returns their
// paths. The key file is readable by the owner only.
func (kp *KeyPair) WriteFiles(dir, base string) (certFile, keyFile string, err error) {
	certFile = filepath.Join(dir, base+".crt")
	keyFile = filepath.Join(dir, base+".key")
	if err := os.WriteFile(certFile, kp.CertPEM, 0o644); err != nil {
		return "", "", fmt.Errorf("write %s: %w", certFile, err)
	}
	if err := os.WriteFile(keyFile, kp.KeyPEM, 0o600); err != nil {
		return "", "", fmt.Errorf("write %s: %w", keyFile, err)
	}
	return certFile, keyFile, nil
}

// CA is a self-signed certificate authority able to issue leaf certificates.
type CA struct {
	KeyPair
}

// NewCA makes a self-signed CA with the given common name.
func NewCA(commonName string) (*CA, error) {
	key, err := newECKey()
	if err != nil {
		return nil, err
	}
	serial, err := newSerial()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: commonName},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(certValidity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	kp, err := sign(tmpl, tmpl, key, key)
	if err != nil {
		return nil, fmt.Errorf("self-sign CA %q: %w", commonName, err)
	}
	return &CA{KeyPair: *kp}, nil
}

// CertPool returns a pool holding only this CA.
func (ca *CA) CertPool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(ca.Cert)
	return pool
}

// IssueServing issues a TLS server certificate with the given SANs.
func (ca *CA) IssueServing(commonName string, dnsNames []string, ips []net.IP) (*KeyPair, error) {
	if len(dnsNames) == 0 && len(ips) == 0 {
		return nil, errors.New("a serving certificate needs at least one DNS name or IP SAN")
	}
	return ca.issue(pkix.Name{CommonName: commonName}, dnsNames, ips, x509.ExtKeyUsageServerAuth)
}

// IssueServerClient issues a certificate for both ends of TLS, as etcd
// members use one to serve and to dial their peers.
func (ca *CA) IssueServerClient(commonName string, dnsNames []string, ips []net.IP) (*KeyPair, error) {
	return ca.issue(pkix.Name{CommonName: commonName}, dnsNames, ips, x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth)
}

// IssueClient issues a TLS client certificate. Kubernetes reads the common
// name as the user name and every organization as a group.
func (ca *CA) IssueClient(user string, groups ...string) (*KeyPair, error) {
	if user == "" {
		return nil, errors.New("a client certificate needs a user name")
	}
	return ca.issue(pkix.Name{CommonName: user, Organization: groups}, nil, nil, x509.ExtKeyUsageClientAuth)
}

func (ca *CA) issue(subject pkix.Name, dnsNames []string, ips []net.IP, usages ...x509.ExtKeyUsage) (*KeyPair, error) {
	key, err := newECKey()
	if err != nil {
		return nil, err
	}
	serial, err := newSerial()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               subject,
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(certValidity),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:           usages,
		BasicConstraintsValid: true,
		DNSNames:              dnsNames,
		IPAddresses:           ips,
	}
	kp, err := sign(tmpl, ca.Cert, key, ca.Key)
	if err != nil {
		return nil, fmt.Errorf("issue %q: %w", subject.CommonName, err)
	}
	return kp, nil
}

// ExtensionServingCert issues the serving certificate an aggregated API
// server needs. The aggregator dials the server with TLS server name
// "<service>.<namespace>.svc" (whatever the address it resolved), so that name
// is always included, together with localhost and 127.0.0.1 and any extra DNS
// names given.
func ExtensionServingCert(ca *CA, service, namespace string, extraDNS ...string) (*KeyPair, error) {
	if service == "" || namespace == "" {
		return nil, errors.New("service and namespace are required")
	}
	svcName := service + "." + namespace + ".svc"
	dns := append([]string{svcName, "localhost"}, extraDNS...)
	return ca.IssueServing(svcName, dns, []net.IP{net.IPv4(127, 0, 0, 1)})
}

// ServiceAccountKeys is the key pair kube-apiserver signs and verifies service
// account tokens with.
type ServiceAccountKeys struct {
	PrivateKeyPEM []byte // PKCS#1 "RSA PRIVATE KEY"
	PublicKeyPEM  []byte // PKIX "PUBLIC KEY"
}

// NewServiceAccountKeys makes an RSA-2048 service-account key pair.
func NewServiceAccountKeys() (*ServiceAccountKeys, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("generate service-account key: %w", err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("marshal service-account public key: %w", err)
	}
	return &ServiceAccountKeys{
		PrivateKeyPEM: pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}),
		PublicKeyPEM:  pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}),
	}, nil
}

// ClusterPKI is every certificate and key a kube-apiserver serving the
// aggregation layer needs, plus an admin client certificate.
type ClusterPKI struct {
	ClusterCA        *CA      // signs the serving cert and client certs (--client-ca-file)
	APIServer        *KeyPair // kube-apiserver serving cert
	Admin            *KeyPair // CN=aggen-e2e-admin, O=system:masters
	FrontProxyCA     *CA      // --requestheader-client-ca-file
	FrontProxyClient *KeyPair // CN=front-proxy-client, presented by the aggregator
	ServiceAccount   *ServiceAccountKeys

	// Files, filled by WriteFiles.
	Files PKIFiles
}

// PKIFiles are the on-disk locations of a ClusterPKI.
type PKIFiles struct {
	Dir                                       string
	ClusterCACert                             string
	APIServerCert, APIServerKey               string
	AdminCert, AdminKey                       string
	FrontProxyCACert                          string
	FrontProxyClientCert, FrontProxyClientKey string
	ServiceAccountKey, ServiceAccountPub      string
}

// AdminUser is the user name in the admin client certificate.
const AdminUser = "aggen-e2e-admin"

// NewClusterPKI generates a complete ClusterPKI in memory.
func NewClusterPKI() (*ClusterPKI, error) {
	var p ClusterPKI
	var err error
	if p.ClusterCA, err = NewCA("aggen-e2e-cluster-ca"); err != nil {
		return nil, err
	}
	p.APIServer, err = p.ClusterCA.IssueServing("kube-apiserver",
		[]string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc"},
		[]net.IP{net.IPv4(127, 0, 0, 1), net.IPv4(10, 0, 0, 1)})
	if err != nil {
		return nil, err
	}
	if p.Admin, err = p.ClusterCA.IssueClient(AdminUser, "system:masters"); err != nil {
		return nil, err
	}
	if p.FrontProxyCA, err = NewCA("aggen-e2e-front-proxy-ca"); err != nil {
		return nil, err
	}
	if p.FrontProxyClient, err = p.FrontProxyCA.IssueClient("front-proxy-client"); err != nil {
		return nil, err
	}
	if p.ServiceAccount, err = NewServiceAccountKeys(); err != nil {
		return nil, err
	}
	return &p, nil
}

// WriteFiles writes every file of the PKI into dir and records the paths in
// p.Files.
func (p *ClusterPKI) WriteFiles(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f := PKIFiles{Dir: dir}
	var err error
	f.ClusterCACert = filepath.Join(dir, "ca.crt")
	if err = os.WriteFile(f.ClusterCACert, p.ClusterCA.CertPEM, 0o644); err != nil {
		return err
	}
	if f.APIServerCert, f.APIServerKey, err = p.APIServer.WriteFiles(dir, "apiserver"); err != nil {
		return err
	}
	if f.AdminCert, f.AdminKey, err = p.Admin.WriteFiles(dir, "admin"); err != nil {
		return err
	}
	f.FrontProxyCACert = filepath.Join(dir, "front-proxy-ca.crt")
	if err = os.WriteFile(f.FrontProxyCACert, p.FrontProxyCA.CertPEM, 0o644); err != nil {
		return err
	}
	if f.FrontProxyClientCert, f.FrontProxyClientKey, err = p.FrontProxyClient.WriteFiles(dir, "front-proxy-client"); err != nil {
		return err
	}
	f.ServiceAccountKey = filepath.Join(dir, "sa.key")
	f.ServiceAccountPub = filepath.Join(dir, "sa.pub")
	if err = os.WriteFile(f.ServiceAccountKey, p.ServiceAccount.PrivateKeyPEM, 0o600); err != nil {
		return err
	}
	if err = os.WriteFile(f.ServiceAccountPub, p.ServiceAccount.PublicKeyPEM, 0o644); err != nil {
		return err
	}
	p.Files = f
	return nil
}

func newECKey() (*ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate ECDSA key: %w", err)
	}
	return key, nil
}

func newSerial() (*big.Int, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, fmt.Errorf("generate serial number: %w", err)
	}
	return serial, nil
}

func sign(tmpl, parent *x509.Certificate, key *ecdsa.PrivateKey, parentKey crypto.Signer) (*KeyPair, error) {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, err
	}
	return &KeyPair{
		Cert:    cert,
		Key:     key,
		CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		KeyPEM:  pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}),
	}, nil
}
