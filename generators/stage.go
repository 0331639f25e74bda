package generators

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/generators/model"
	"github.com/aggen-dev/aggen/generators/output"
)

// stageProject copies what the upstream generators must parse into stage:
// the module files, the boilerplate and the API packages' own files, then
// adds aggen's freshly rendered files under pkg/apis. Previously generated
// files are left out so the parse sees only what this run produces.
//
// gengo's parser reads from disk and honours no overlay, so this copy is
// how derived hub types become visible to conversion-gen without touching
// the user's tree before the run has succeeded.
func stageProject(src, stage string, fresh []*output.File, implied map[string]map[int][]string) error {
	for _, name := range []string{"go.mod", "go.sum", filepath.Join("hack", "boilerplate.go.txt")} {
		if err := copyFile(filepath.Join(src, name), filepath.Join(stage, name)); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	apis := filepath.Join(src, loader.APIsDir)
	err := filepath.WalkDir(apis, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && p == apis {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasPrefix(d.Name(), "zz_generated") {
			return nil
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if tags := implied[filepath.ToSlash(rel)]; tags != nil {
			return copyWithTags(p, filepath.Join(stage, rel), tags)
		}
		return copyFile(p, filepath.Join(stage, rel))
	})
	if err != nil {
		return err
	}
	for _, f := range fresh {
		dst := filepath.Join(stage, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// impliedTags lists, per API file and line, the tags to add above that
// line in the staged copy (see model.Type.ImpliedTags).
func impliedTags(p *model.Project) map[string]map[int][]string {
	out := map[string]map[int][]string{}
	for _, g := range p.Groups {
		for _, v := range g.Versions {
			for _, t := range v.Types {
				if len(t.ImpliedTags) == 0 {
					continue
				}
				if out[t.Pos.File] == nil {
					out[t.Pos.File] = map[int][]string{}
				}
				out[t.Pos.File][t.Pos.Line] = append(out[t.Pos.File][t.Pos.Line], t.ImpliedTags...)
			}
		}
	}
	return out
}

// packageDocs gives every version package's staged doc.go the package
// tags it needs: gengo reads package tags only from a file named doc.go,
// while kubebuilder projects keep theirs in groupversion_info.go, and
// aggen's implied tags (model.Version.ImpliedTags) must be there too.
func packageDocs(stage string, p *model.Project, extra map[*model.Version][]string) error {
	for _, g := range p.Groups {
		for _, v := range g.Versions {
			var lines []string
			for _, m := range p.PackageMarkers[v.Package] {
				if path.Base(m.Pos.File) != "doc.go" {
					lines = append(lines, "// "+m.Raw)
				}
			}
			for _, t := range append(v.ImpliedTags, extra[v]...) {
				lines = append(lines, "// "+t)
			}
			if len(lines) == 0 {
				continue
			}
			doc := filepath.Join(stage, filepath.FromSlash(v.Dir), "doc.go")
			b, err := os.ReadFile(doc)
			switch {
			case os.IsNotExist(err):
				b = []byte("package " + v.Name + "\n")
			case err != nil:
				return err
			}
			text := string(b)
			i := strings.Index(text, "\npackage ")
			if strings.HasPrefix(text, "package ") {
				i = -1
			} else if i < 0 {
				return fmt.Errorf("%s/doc.go has no package clause", v.Dir)
			}
			text = text[:i+1] + strings.Join(lines, "\n") + "\n" + text[i+1:]
			if err := os.WriteFile(doc, []byte(text), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// copyWithTags copies a Go file, adding comment lines with the tags
// above the given lines, where they join the declaration's doc comment.
func copyWithTags(src, dst string, tags map[int][]string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	var out []string
	for i, line := range strings.Split(string(b), "\n") {
		for _, tag := range tags[i+1] {
			out = append(out, "// "+tag)
		}
		out = append(out, line)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, []byte(strings.Join(out, "\n")), 0o644)
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

func sortedKeys(m map[string][]byte) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
