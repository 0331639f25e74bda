package harness

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Kubeconfig is the resolved connection data of one kubeconfig context.
type Kubeconfig struct {
	Server  string // https://host:port
	CAPEM   []byte // certificate-authority-data
	CertPEM []byte // client-certificate-data
	KeyPEM  []byte // client-key-data
	Token   string // bearer token, if any
	// Insecure skips server certificate verification (kubeconfig's
	// insecure-skip-tls-verify).
	Insecure bool
}

// kubeconfig file schema, the subset this package reads and writes. Files are
// written as JSON, which kubectl and client-go accept like YAML.
type kcFile struct {
	APIVersion     string      `json:"apiVersion"`
	Kind           string      `json:"kind"`
	Clusters       []kcCluster `json:"clusters"`
	Users          []kcUser    `json:"users"`
	Contexts       []kcContext `json:"contexts"`
	CurrentContext string      `json:"current-context"`
}

type kcCluster struct {
	Name    string `json:"name"`
	Cluster struct {
		Server   string `json:"server"`
		CAData   []byte `json:"certificate-authority-data,omitempty"`
		CAFile   string `json:"certificate-authority,omitempty"`
		Insecure bool   `json:"insecure-skip-tls-verify,omitempty"`
	} `json:"cluster"`
}

type kcUser struct {
	Name string `json:"name"`
	User struct {
		CertData []byte `json:"client-certificate-data,omitempty"`
		CertFile string `json:"client-certificate,omitempty"`
		KeyData  []byte `json:"client-key-data,omitempty"`
		KeyFile  string `json:"client-key,omitempty"`
		Token    string `json:"token,omitempty"`
	} `json:"user"`
}

type kcContext struct {
	Name    string `json:"name"`
	Context struct {
		Cluster   string `json:"cluster"`
		User      string `json:"user"`
		Namespace string `json:"namespace,omitempty"`
	} `json:"context"`
}

// WriteKubeconfig writes a self-contained kubeconfig (all data inline) with one
// cluster, one user and one current context, readable by the owner only.
func WriteKubeconfig(path, user string, kc Kubeconfig) error {
	if kc.Server == "" {
		return errors.New("kubeconfig needs a server")
	}
	if user == "" {
		user = "user"
	}
	var f kcFile
	f.APIVersion, f.Kind = "v1", "Config"
	var c kcCluster
	c.Name = "aggen-e2e"
	c.Cluster.Server = kc.Server
	c.Cluster.CAData = kc.CAPEM
	c.Cluster.Insecure = kc.Insecure
	var u kcUser
	u.Name = user
	u.User.CertData = kc.CertPEM
	u.User.KeyData = kc.KeyPEM
	u.User.Token = kc.Token
	var x kcContext
	x.Name = user + "@aggen-e2e"
	x.Context.Cluster = c.Name
	x.Context.User = user
	f.Clusters = []kcCluster{c}
	f.Users = []kcUser{u}
	f.Contexts = []kcContext{x}
	f.CurrentContext = x.Name
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("write kubeconfig: %w", err)
	}
	return nil
}

// LoadKubeconfig reads the current context of a kubeconfig file. Files
// written by WriteKubeconfig (JSON) are parsed directly; any other kubeconfig
// (YAML) is first flattened to JSON by `kubectl config view`.
func LoadKubeconfig(path string) (Kubeconfig, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Kubeconfig{}, err
	}
	var f kcFile
	if jerr := json.Unmarshal(raw, &f); jerr != nil {
		cmd := exec.Command("kubectl", "config", "view", "--raw", "--flatten", "--minify", "-o", "json", "--kubeconfig", path)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return Kubeconfig{}, fmt.Errorf("%s is not JSON (%v) and kubectl could not flatten it: %v: %s", path, jerr, err, stderr.String())
		}
		f = kcFile{}
		if err := json.Unmarshal(out, &f); err != nil {
			return Kubeconfig{}, fmt.Errorf("parse flattened %s: %w", path, err)
		}
	}
	return f.resolve(filepath.Dir(path))
}

func (f *kcFile) resolve(baseDir string) (Kubeconfig, error) {
	ctxName := f.CurrentContext
	if ctxName == "" && len(f.Contexts) == 1 {
		ctxName = f.Contexts[0].Name
	}
	var ctx *kcContext
	for i := range f.Contexts {
		if f.Contexts[i].Name == ctxName {
			ctx = &f.Contexts[i]
		}
	}
	if ctx == nil {
		return Kubeconfig{}, fmt.Errorf("kubeconfig has no context %q", ctxName)
	}
	var kc Kubeconfig
	found := false
	for _, c := range f.Clusters {
		if c.Name != ctx.Context.Cluster {
			continue
		}
		found = true
		kc.Server = c.Cluster.Server
		kc.Insecure = c.Cluster.Insecure
		kc.CAPEM = c.Cluster.CAData
		if len(kc.CAPEM) == 0 && c.Cluster.CAFile != "" {
			b, err := os.ReadFile(relTo(baseDir, c.Cluster.CAFile))
			if err != nil {
				return Kubeconfig{}, err
			}
			kc.CAPEM = b
		}
	}
	if !found {
		return Kubeconfig{}, fmt.Errorf("kubeconfig has no cluster %q", ctx.Context.Cluster)
	}
	for _, u := range f.Users {
		if u.Name != ctx.Context.User {
			continue
		}
		kc.Token = u.User.Token
		kc.CertPEM, kc.KeyPEM = u.User.CertData, u.User.KeyData
		if len(kc.CertPEM) == 0 && u.User.CertFile != "" {
			b, err := os.ReadFile(relTo(baseDir, u.User.CertFile))
			if err != nil {
				return Kubeconfig{}, err
			}
			kc.CertPEM = b
		}
		if len(kc.KeyPEM) == 0 && u.User.KeyFile != "" {
			b, err := os.ReadFile(relTo(baseDir, u.User.KeyFile))
			if err != nil {
				return Kubeconfig{}, err
			}
			kc.KeyPEM = b
		}
	}
	return kc, nil
}

func relTo(base, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(base, p)
}
