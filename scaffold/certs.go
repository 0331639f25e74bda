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
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/generators/manifests"
	"github.com/aggen-dev/aggen/generators/model"
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
	// KubeAPIServerCIDRs are the addresses kube-apiserver reaches the
	// apiserver from when it runs on its nodes' host network (kubeadm,
	// kind): the deploy kustomization admits them to the apiserver's port
	// in its NetworkPolicy. A bare IP means that address alone.
	KubeAPIServerCIDRs []string
	// Force replaces an existing CA too.
	Force bool
	Out   io.Writer
	now   func() time.Time
	// beforeCommit is Apply's hook; tests use it to fail a run late.
	beforeCommit func() error
}

// Certs makes (or reuses) a CA and issues a serving certificate for the
// apiserver's Service names and localhost, and (from a second CA of
// etcd's own) etcd's server and peer certificate and the apiserver's etcd
// client certificate, with crypto/x509. Keys go to .aggen/certs, 0600;
// .aggen/deploy gets a kustomization that adds the three Secrets and the
// matching caBundle to every APIService:
//
//	kubectl apply -k .aggen/deploy
//
// Everything is written at once, or nothing.
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
	cidrs, err := normalizeCIDRs(o.KubeAPIServerCIDRs)
	if err != nil {
		return err
	}
	o.KubeAPIServerCIDRs = cidrs
	p, err := loader.Load(o.Dir)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(o.Dir, "config", "overlays", o.Overlay, "kustomization.yaml")); err != nil {
		return usagef("--overlay %s: config/overlays/%s/kustomization.yaml not found (run aggen generate)", o.Overlay, o.Overlay)
	}
	// Keys live in directories only their owner can read; everything is
	// written at once, or nothing: a new CA never lands without the
	// certificates it signed.
	plan := &Plan{Root: o.Dir, DirMode: 0o700}
	certDir := path.Join(LocalStateDir, "certs")
	var messages []string
	caCert, caKey, err := loadCA(filepath.Join(o.Dir, filepath.FromSlash(certDir)))
	if err != nil || o.Force {
		caCert, caKey, err = newCA(p.Name+"-ca", 10*o.Validity, o.now())
		if err != nil {
			return err
		}
		if _, _, err := putPair(plan, certDir, "ca", caCert.Raw, caKey); err != nil {
			return err
		}
		messages = append(messages, fmt.Sprintf("created CA %s/ca.crt", certDir))
	}
	names := append(manifests.DNSNames(p), o.ExtraDNS...)
	servingDER, servingKey, err := issueServing(caCert, caKey, manifests.NamesOf(p).APIServer, names, o.Validity, o.now())
	if err != nil {
		return err
	}
	if _, _, err := putPair(plan, certDir, "tls", servingDER, servingKey); err != nil {
		return err
	}
	messages = append(messages, fmt.Sprintf("issued serving certificate %s/tls.crt for %s", certDir, strings.Join(names, ", ")))
	etcdMessages, err := etcdCerts(plan, o, p, certDir)
	if err != nil {
		return err
	}
	messages = append(messages, etcdMessages...)
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caCert.Raw})
	if err := putDeploy(plan, o, p.Namespace, manifests.NamesOf(p), len(manifests.APIServices(p)) > 0, caPEM); err != nil {
		return err
	}
	if err := plan.Apply(o.beforeCommit); err != nil {
		return err
	}
	messages = append(messages, fmt.Sprintf("wrote %s/deploy: kubectl apply -k %s/deploy", LocalStateDir, LocalStateDir))
	for _, m := range messages {
		fmt.Fprintln(o.Out, m)
	}
	return nil
}

// etcdCerts makes (or reuses) a CA of etcd's own and issues etcd's
// serving and peer certificate and the apiserver's client certificate.
// etcd trusts every client certificate its CA signed, so that CA signs
// nothing else: a certificate from the apiserver's serving CA gets no
// access to etcd.
func etcdCerts(plan *Plan, o CertsOptions, p *model.Project, certDir string) ([]string, error) {
	var messages []string
	caCert, caKey, err := loadCAFiles(filepath.Join(o.Dir, filepath.FromSlash(certDir)), "etcd-ca")
	if err != nil || o.Force {
		caCert, caKey, err = newCA(p.Name+"-etcd-ca", 10*o.Validity, o.now())
		if err != nil {
			return nil, err
		}
		if _, _, err := putPair(plan, certDir, "etcd-ca", caCert.Raw, caKey); err != nil {
			return nil, err
		}
		messages = append(messages, fmt.Sprintf("created etcd CA %s/etcd-ca.crt", certDir))
	}
	n := manifests.NamesOf(p)
	names := manifests.EtcdDNSNames(p)
	// One certificate serves clients and authenticates etcd to its peers,
	// which dial each other: it is a server and a client certificate.
	der, key, err := issue(caCert, caKey, n.Etcd, names, o.Validity, o.now(), x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth)
	if err != nil {
		return nil, err
	}
	if _, _, err := putPair(plan, certDir, "etcd-server", der, key); err != nil {
		return nil, err
	}
	der, key, err = issue(caCert, caKey, n.APIServer, nil, o.Validity, o.now(), x509.ExtKeyUsageClientAuth)
	if err != nil {
		return nil, err
	}
	if _, _, err := putPair(plan, certDir, "etcd-client", der, key); err != nil {
		return nil, err
	}
	messages = append(messages, fmt.Sprintf("issued etcd server certificate %s/etcd-server.crt for %s and client certificate etcd-client.crt for %s",
		certDir, strings.Join(names, ", "), n.APIServer))
	return messages, nil
}

// putDeploy plans .aggen/deploy: the overlay plus the certificates'
// Secrets and the APIServices' caBundle. The certificates are the ones
// the plan writes, or those on disk that it keeps.
func putDeploy(plan *Plan, o CertsOptions, namespace string, n manifests.Names, hasAPIServices bool, ca []byte) error {
	deploy := path.Join(LocalStateDir, "deploy")
	read := func(name string) (string, error) {
		rel := path.Join(LocalStateDir, "certs", name)
		for _, c := range plan.Changes {
			if c.Path == rel {
				return base64.StdEncoding.EncodeToString(c.New), nil
			}
		}
		b, err := os.ReadFile(filepath.Join(o.Dir, filepath.FromSlash(rel)))
		return base64.StdEncoding.EncodeToString(b), err
	}
	var secrets strings.Builder
	secrets.WriteString("# Made by aggen certs: holds private keys, never commit it.\n")
	for i, s := range []struct{ name, ca, pair string }{
		{n.ServingCertSecret, "", "tls"},
		{n.EtcdServerCertSecret, "etcd-ca.crt", "etcd-server"},
		{n.EtcdClientCertSecret, "etcd-ca.crt", "etcd-client"},
	} {
		crt, err := read(s.pair + ".crt")
		if err != nil {
			return err
		}
		key, err := read(s.pair + ".key")
		if err != nil {
			return err
		}
		if i > 0 {
			secrets.WriteString("---\n")
		}
		fmt.Fprintf(&secrets, "apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\nmetadata:\n  name: %s\n  namespace: %s\ndata:\n", s.name, namespace)
		if s.ca != "" {
			ca, err := read(s.ca)
			if err != nil {
				return err
			}
			fmt.Fprintf(&secrets, "  ca.crt: %s\n", ca)
		}
		fmt.Fprintf(&secrets, "  tls.crt: %s\n  tls.key: %s\n", crt, key)
	}
	kustomization := fmt.Sprintf(`# Made by aggen certs: the %s overlay plus the serving certificate, etcd's
# certificates and the caBundle that matches the serving certificate.
# Apply with: kubectl apply -k %s/deploy
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- ../../config/overlays/%s
- certificates.yaml
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
`, base64.StdEncoding.EncodeToString(ca))
	}
	if len(o.KubeAPIServerCIDRs) > 0 {
		if !hasAPIServices {
			kustomization += "patches:\n"
		}
		kustomization += fmt.Sprintf(`# kube-apiserver on its nodes' host network comes from these addresses.
- target:
    kind: NetworkPolicy
    name: %s
  patch: |-
`, n.APIServer)
		for _, c := range o.KubeAPIServerCIDRs {
			kustomization += fmt.Sprintf("    - op: add\n      path: /spec/ingress/0/from/-\n      value:\n        ipBlock:\n          cidr: %s\n", c)
		}
	}
	if err := plan.Put(path.Join(deploy, "certificates.yaml"), []byte(secrets.String()), 0o600); err != nil {
		return err
	}
	if err := plan.Put(path.Join(deploy, "kustomization.yaml"), []byte(kustomization), 0o600); err != nil {
		return err
	}
	// Older versions wrote the serving Secret alone under this name.
	return plan.Remove(path.Join(deploy, "serving-cert.yaml"))
}

// normalizeCIDRs checks CIDRs and turns a bare IP into a CIDR of that one
// address.
func normalizeCIDRs(in []string) ([]string, error) {
	var out []string
	for _, c := range in {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if ip := net.ParseIP(c); ip != nil {
			if ip.To4() != nil {
				c += "/32"
			} else {
				c += "/128"
			}
		}
		_, n, err := net.ParseCIDR(c)
		if err != nil {
			return nil, usagef("--kube-apiserver-cidr %s: not an IP address or CIDR", c)
		}
		out = append(out, n.String())
	}
	return out, nil
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
	return issue(ca, caKey, cn, names, validity, now, x509.ExtKeyUsageServerAuth)
}

// issue signs a leaf certificate for cn with the given usages. A
// certificate for names (DNS names or IPs) also holds the loopback
// addresses, for local runs.
func issue(ca *x509.Certificate, caKey *ecdsa.PrivateKey, cn string, names []string, validity time.Duration, now time.Time, usages ...x509.ExtKeyUsage) ([]byte, *ecdsa.PrivateKey, error) {
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
		ExtKeyUsage: usages,
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	if len(names) > 0 {
		tmpl.IPAddresses = append(tmpl.IPAddresses, net.ParseIP("127.0.0.1"), net.ParseIP("::1"))
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	return der, key, err
}

// putPair plans a certificate and its key (readable by the owner only)
// and returns both in PEM.
func putPair(plan *Plan, dir, base string, der []byte, key *ecdsa.PrivateKey) (crtPEM, keyPEM []byte, err error) {
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	crtPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	if err := plan.Put(path.Join(dir, base+".crt"), crtPEM, 0o644); err != nil {
		return nil, nil, err
	}
	if err := plan.Put(path.Join(dir, base+".key"), keyPEM, 0o600); err != nil {
		return nil, nil, err
	}
	return crtPEM, keyPEM, nil
}

func loadCA(dir string) (*x509.Certificate, *ecdsa.PrivateKey, error) { return loadCAFiles(dir, "ca") }

func loadCAFiles(dir, base string) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	certPEM, err := os.ReadFile(filepath.Join(dir, base+".crt"))
	if err != nil {
		return nil, nil, err
	}
	keyPEM, err := os.ReadFile(filepath.Join(dir, base+".key"))
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
