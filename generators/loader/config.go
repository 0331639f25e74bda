package loader

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/mod/module"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/yaml"

	"github.com/aggen-dev/aggen/generators/model"
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
	// Templates is the revision of aggen's templates the project's files
	// were scaffolded from (format 2); format 1 files were revision 1.
	Templates int `json:"templates,omitempty"`
	// Storage is the storage backend of every kind without +aggen:storage
	// (one of model.StorageBackends); etcd when unset.
	Storage string `json:"storage,omitempty"`
}

// ConfigVersion is the format of aggen.yaml the running aggen writes.
// Format 1 lacks templates; `aggen upgrade` migrates it.
const ConfigVersion = "2"

// ErrNoProject is returned when dir holds no aggen.yaml.
var ErrNoProject = errors.New("no aggen project here (aggen.yaml not found); run `aggen init` first")

// ReadConfig reads dir/aggen.yaml. Problems with its content are
// InputErrors positioned in aggen.yaml.
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
		return nil, configError(b, err)
	}
	var errs Errors
	switch c.Version {
	case "", "1":
		c.Templates = 1
	case ConfigVersion:
		if c.Templates == 0 {
			c.Templates = 1
		}
	default:
		errs = append(errs, &InputError{Pos: keyPos(b, "version", true), Msg: fmt.Sprintf("version %q: this aggen reads formats 1 and %s of aggen.yaml; a newer aggen made this project", c.Version, ConfigVersion)})
	}
	for _, req := range []struct{ key, value string }{{"domain", c.Domain}, {"repo", c.Repo}, {"name", c.Name}} {
		if req.value == "" {
			errs = append(errs, &InputError{Pos: model.Position{File: ConfigFile, Line: 1, Column: 1}, Msg: fmt.Sprintf("%s is required", req.key)})
		}
	}
	if c.Domain != "" {
		if problems := validation.IsDNS1123Subdomain(c.Domain); len(problems) > 0 {
			errs = append(errs, &InputError{Pos: keyPos(b, "domain", true), Msg: fmt.Sprintf("domain %q is not a lower-case DNS subdomain such as example.com", c.Domain)})
		}
	}
	if c.Repo != "" {
		if err := module.CheckPath(c.Repo); err != nil {
			errs = append(errs, &InputError{Pos: keyPos(b, "repo", true), Msg: fmt.Sprintf("repo %q is not a valid Go module path: %v", c.Repo, err)})
		}
	}
	if c.Storage != "" && !slices.Contains(model.StorageBackendNames(), c.Storage) {
		errs = append(errs, &InputError{Pos: keyPos(b, "storage", true), Msg: fmt.Sprintf("storage %q is not one of %s", c.Storage, strings.Join(model.StorageBackendNames(), ", "))})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if c.Namespace == "" {
		c.Namespace = c.Name + "-system"
	}
	if c.Image == "" {
		c.Image = c.Name + ":latest"
	}
	return &c, nil
}

var (
	yamlLine     = regexp.MustCompile(`yaml: line (\d+): (.*)$`)
	unknownField = regexp.MustCompile(`unknown field "([^"]+)"`)
	fieldType    = regexp.MustCompile(`json: cannot unmarshal (\w+) into Go struct field \w+\.(\w+) of type (\S+)`)
)

// configError turns a YAML decoding error into an InputError at its line.
func configError(b []byte, err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &InputError{Pos: model.Position{File: ConfigFile, Line: line, Column: 1}, Msg: m[2]}
	}
	if m := unknownField.FindStringSubmatch(msg); m != nil {
		e := &InputError{Pos: keyPos(b, m[1], false), Msg: fmt.Sprintf("unknown setting %q", m[1])}
		if s := suggestKey(m[1]); s != "" {
			e.Msg += fmt.Sprintf(" (did you mean %s?)", s)
		}
		return e
	}
	if m := fieldType.FindStringSubmatch(msg); m != nil {
		return &InputError{Pos: keyPos(b, m[2], true), Msg: fmt.Sprintf("%s must be a %s, not a YAML %s", m[2], m[3], m[1])}
	}
	return &InputError{Pos: model.Position{File: ConfigFile, Line: 1, Column: 1}, Msg: msg}
}

// keyPos finds a top-level key in aggen.yaml: the position of the key, or
// of its value when value is set.
func keyPos(b []byte, key string, value bool) model.Position {
	for i, line := range strings.Split(string(b), "\n") {
		rest, ok := strings.CutPrefix(line, key+":")
		if !ok {
			continue
		}
		col := 1
		if value && strings.TrimSpace(rest) != "" {
			col = len(key) + 2 + len(rest) - len(strings.TrimLeft(rest, " \t"))
		}
		return model.Position{File: ConfigFile, Line: i + 1, Column: col}
	}
	return model.Position{File: ConfigFile, Line: 1, Column: 1}
}

// suggestKey returns the setting closest to a misspelled one, or "".
func suggestKey(key string) string {
	var names []string
	t := reflect.TypeOf(Config{})
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		names = append(names, name)
	}
	sort.Strings(names)
	best, bestDist := "", len(key)/2+1
	for _, n := range names {
		if d := editDistance(strings.ToLower(key), strings.ToLower(n)); d < bestDist {
			best, bestDist = n, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
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
