package loader

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"sigs.k8s.io/yaml"
)

// ConfigFile is the name of the project file.
const ConfigFile = "aggen.yaml"

// Config is the content of aggen.yaml: the project-wide settings and
// nothing that can be read from the types.
type Config struct {
	// Version of the project file format.
	Version string `json:"version"`
	Domain  string `json:"domain"`
	Repo    string `json:"repo"`
	Name    string `json:"name"`
	// Namespace the server is deployed to; defaults to <name>-system.
	Namespace string `json:"namespace,omitempty"`
	Image     string `json:"image,omitempty"`
	Owner     string `json:"owner,omitempty"`
	// KubernetesVersion is the k8s.io library version the project is pinned to.
	KubernetesVersion string `json:"kubernetesVersion"`
}

// ErrNoProject is returned when dir holds no aggen.yaml.
var ErrNoProject = errors.New("no aggen project here (aggen.yaml not found); run `aggen init` first")

// ReadConfig reads dir/aggen.yaml.
func ReadConfig(dir string) (*Config, error) {
	b, err := os.ReadFile(filepath.Join(dir, ConfigFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoProject
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", ConfigFile, err)
	}
	var c Config
	if err := yaml.UnmarshalStrict(b, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", ConfigFile, err)
	}
	if c.Domain == "" || c.Repo == "" || c.Name == "" {
		return nil, fmt.Errorf("%s: domain, repo and name are required", ConfigFile)
	}
	if c.Namespace == "" {
		c.Namespace = c.Name + "-system"
	}
	if c.Image == "" {
		c.Image = c.Name + ":latest"
	}
	return &c, nil
}

// Marshal renders the config as aggen.yaml content.
func (c *Config) Marshal() ([]byte, error) {
	b, err := yaml.Marshal(c)
	if err != nil {
		return nil, err
	}
	header := "# aggen project file. Groups, versions and kinds are read from the Go\n# types under pkg/apis every time; only project-wide settings live here.\n"
	return append([]byte(header), b...), nil
}
