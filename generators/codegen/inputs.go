package codegen

import (
	"bytes"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Tree describes the Go packages under the API directory of the staged
// project, to pick generator inputs the way kube_codegen.sh does: by the
// tags written in the files.
type Tree struct {
	// Dir is the absolute project root, Module its module path, APIs the
	// slash-separated API directory relative to Dir (pkg/apis).
	Dir    string
	Module string
	APIs   string
	// comments holds, per package directory relative to Dir, the comment
	// lines of its Go files: read once, asked by every generator.
	comments map[string][]string
}

// NewTree reads the comment lines of every Go file under dir/apis once.
func NewTree(dir, module, apis string) (Tree, error) {
	t := Tree{Dir: dir, Module: module, APIs: apis, comments: map[string][]string{}}
	err := filepath.WalkDir(t.Abs(apis), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, filepath.Dir(p))
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		for line := range bytes.Lines(b) {
			if line := strings.TrimSpace(string(line)); strings.HasPrefix(line, "//") {
				t.comments[rel] = append(t.comments[rel], line)
			}
		}
		return nil
	})
	return t, err
}

// PackagesWithTag returns the import paths of the packages under the API
// directory with a Go file that has a line matching `^\s*//\s*<tag>`,
// sorted as kube_codegen.sh sorts the directories (LC_ALL=C).
func (t Tree) PackagesWithTag(tag string) ([]string, error) {
	re := regexp.MustCompile(`^//\s*` + regexp.QuoteMeta(tag))
	var rels []string
	for rel, lines := range t.comments {
		for _, line := range lines {
			if re.MatchString(line) {
				rels = append(rels, rel)
				break
			}
		}
	}
	sort.Strings(rels)
	out := make([]string, len(rels))
	for i, r := range rels {
		out[i] = path.Join(t.Module, r)
	}
	return out, nil
}

// Abs returns the absolute path of a project-relative slash path.
func (t Tree) Abs(rel string) string { return filepath.Join(t.Dir, filepath.FromSlash(rel)) }

var versionDir = regexp.MustCompile(`^v[0-9]+((alpha|beta)[0-9]+)?$`)

// ClientInputs returns, as kube_codegen.sh's gen_client computes them, the
// versioned packages that carry +genclient and their "group/version" names.
func (t Tree) ClientInputs() (pkgs, groupVersions []string, err error) {
	all, err := t.PackagesWithTag("+genclient")
	if err != nil {
		return nil, nil, err
	}
	for _, p := range all {
		leaf := path.Base(p)
		if !versionDir.MatchString(leaf) {
			continue
		}
		pkgs = append(pkgs, p)
		groupVersions = append(groupVersions, path.Base(path.Dir(p))+"/"+leaf)
	}
	return pkgs, groupVersions, nil
}

// Generated names the output package tree of the client generators and
// OpenAPI (pkg/generated), relative to the project root.
const Generated = "pkg/generated"

// Pkg is the import path of a project-relative directory.
func (t Tree) Pkg(rel string) string { return path.Join(t.Module, rel) }
