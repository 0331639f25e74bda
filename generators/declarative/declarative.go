package declarative

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/aggen-dev/aggen/generators/markers"
	"github.com/aggen-dev/aggen/generators/model"
)

// Name is the upstream generator's name, as its files' header says it.
const Name = "validation-gen"

// OutputFile is the file validation-gen writes into each package.
const OutputFile = "zz_generated.validations.go"

// module is the module validation-gen is built from.
const module = "k8s.io/code-generator"

// Versions returns the version packages that carry declarative tags.
func Versions(p *model.Project) []*model.Version {
	var out []*model.Version
	for _, g := range p.Groups {
		for _, v := range g.Versions {
			if carriesTags(v) {
				out = append(out, v)
			}
		}
	}
	return out
}

func carriesTags(v *model.Version) bool {
	for _, t := range v.Types {
		if hasDeclarative(t.Parsed) {
			return true
		}
		for _, f := range t.Fields {
			if hasDeclarative(f.Parsed) {
				return true
			}
		}
	}
	return false
}

func hasDeclarative(ms []*model.Marker) bool {
	for _, m := range ms {
		if m.Vocabulary == model.DeclarativeVocabulary {
			return true
		}
	}
	return false
}

// optionTag finds the option of a +k8s:ifEnabled or +k8s:ifDisabled tag,
// alone or carried by another tag (+k8s:item(...)=+k8s:ifEnabled(X)=...).
var optionTag = regexp.MustCompile(`k8s:if(?:Enabled|Disabled)\(([^)]*)\)`)

// Options returns the validation options (feature gate names) that the
// +k8s:ifEnabled and +k8s:ifDisabled tags of the versions of g serving
// kind name refer to, sorted. validation-gen's output treats an option
// the request does not define as an internal error, so the strategy
// defines each of them.
func Options(g *model.Group, kind string) []string {
	seen := map[string]bool{}
	scan := func(ms []*model.Marker) {
		for _, m := range ms {
			if m.Vocabulary != model.DeclarativeVocabulary {
				continue
			}
			for _, sub := range optionTag.FindAllStringSubmatch(m.Raw, -1) {
				if name := strings.TrimSpace(sub[1]); name != "" {
					seen[name] = true
				}
			}
		}
	}
	for _, v := range g.Versions {
		if v.Kind(kind) == nil {
			continue
		}
		for _, t := range v.Types {
			scan(t.Parsed)
			for _, f := range t.Fields {
				scan(f.Parsed)
			}
		}
	}
	if len(seen) == 0 {
		return nil
	}
	out := make([]string, 0, len(seen))
	for name := range seen {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Tags are the tags to add, per file and line, to the staged copy of the
// packages validation-gen runs on: they go above the given line.
func Tags(p *model.Project) map[string]map[int][]string {
	out := map[string]map[int][]string{}
	add := func(pos model.Position, tag string) {
		if out[pos.File] == nil {
			out[pos.File] = map[int][]string{}
		}
		out[pos.File][pos.Line] = append(out[pos.File][pos.Line], tag)
	}
	for _, v := range Versions(p) {
		for _, k := range v.Kinds {
			if k.Status && model.Find(k.Type.Parsed, "k8s:supportsSubresource") == nil {
				add(k.Type.Pos, `+k8s:supportsSubresource="/status"`)
			}
		}
		for _, t := range v.Types {
			for _, f := range t.Fields {
				if tag := opaque(f.Ref); tag != "" && !mentionsOpaque(f.Parsed) {
					add(f.Pos, tag)
				}
				// Only a field validation-gen validates needs it: its
				// v0.37 linter crashes (nil Member in hasZeroDefault) on
				// a nested struct whose fields are only +k8s:optional,
				// as the +optional fields of k8s.io/api shapes would be.
				if hasDeclarative(f.Parsed) && model.Find(f.Parsed, markers.Optional) != nil && model.Find(f.Parsed, "k8s:optional") == nil &&
					model.Find(f.Parsed, "k8s:required") == nil && model.Find(f.Parsed, "k8s:forbidden") == nil && !structValue(f.Ref) {
					add(f.Pos, "+k8s:optional")
				}
			}
		}
	}
	return out
}

// mentionsOpaque reports a field whose own tags already say how
// validation-gen treats the types it holds (+k8s:opaqueType, also under
// +k8s:eachVal or +k8s:alpha).
func mentionsOpaque(ms []*model.Marker) bool {
	for _, m := range ms {
		if m.Vocabulary == model.DeclarativeVocabulary && strings.Contains(m.Raw, "k8s:opaqueType") {
			return true
		}
	}
	return false
}

// structValue reports a field that holds a struct by value, which
// validation-gen does not let be +k8s:optional.
func structValue(r *model.TypeRef) bool {
	u := r.Underlying()
	return r.Kind != model.PointerRef && u != nil && u.Kind == model.StructRef
}

// PackageTags are the package tags that switch validation-gen on for the
// packages that need it, where they lack them (see generators.packageDocs,
// which puts them in the staged doc.go, where gengo reads package tags).
func PackageTags(p *model.Project) map[*model.Version][]string {
	out := map[*model.Version][]string{}
	for _, v := range Versions(p) {
		have := p.PackageMarkers[v.Package]
		if model.Find(have, markers.ValidationGen) == nil {
			out[v] = append(out[v], "+"+markers.ValidationGen+"=TypesWithField=TypeMeta")
		}
		if model.Find(have, markers.ValidationGenSchemeRegistry) == nil {
			out[v] = append(out[v], "+"+markers.ValidationGenSchemeRegistry+"=k8s.io/apimachinery/pkg/runtime.Scheme")
		}
	}
	return out
}

// opaque is the tag that keeps validation-gen out of the types of other
// packages a field holds, or "": their constraints are the schema's, and
// validation-gen would otherwise need every package they reach, down to
// hand-written validation functions that live in k8s.io/kubernetes.
func opaque(r *model.TypeRef) string {
	switch {
	case r == nil:
		return ""
	case r.Kind == model.PointerRef:
		return opaque(r.Elem)
	case r.Kind == model.NamedRef:
		if r.Named != nil && r.Named.External {
			return "+k8s:opaqueType"
		}
		return ""
	case r.Kind == model.SliceRef || r.Kind == model.ArrayRef:
		if inner := opaque(r.Elem); inner != "" {
			return "+k8s:eachVal=" + inner
		}
	case r.Kind == model.MapRef:
		if inner := opaque(r.Elem); inner != "" {
			return "+k8s:eachVal=" + inner
		}
		if opaque(r.Key) != "" {
			return "+k8s:eachKey=+k8s:opaqueType"
		}
	}
	return ""
}

// Binary returns the path of the pinned validation-gen, building it into
// the user's cache directory the first time.
func Binary() (string, error) {
	version, err := codeGeneratorVersion()
	if err != nil {
		return "", err
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("finding the cache directory for %s: %w", Name, err)
	}
	dir := filepath.Join(base, "aggen", "tools", Name+"-"+version)
	bin := filepath.Join(dir, Name)
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	// Build into a private directory, then rename: a concurrent run never
	// sees half a binary.
	tmp, err := os.MkdirTemp(dir, ".build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command("go", "install", module+"/cmd/"+Name+"@"+version)
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOBIN="+tmp, "GOWORK=off", "GOFLAGS=-mod=mod")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building %s %s: %v\n%s", Name, version, err, strings.TrimSpace(stderr.String()))
	}
	if err := os.Rename(filepath.Join(tmp, Name), bin); err != nil {
		return "", err
	}
	return bin, nil
}

// codeGeneratorVersion is the k8s.io/code-generator version aggen is
// built with, so validation-gen matches the other generators.
func codeGeneratorVersion() (string, error) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", errors.New("aggen was built without module information: cannot tell which validation-gen to use")
	}
	for _, d := range info.Deps {
		if d.Path == module {
			if d.Replace != nil {
				d = d.Replace
			}
			return d.Version, nil
		}
	}
	if len(info.Deps) == 0 {
		// A test binary records no dependencies; it runs inside aggen's
		// module, whose go.mod has the version.
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Version}}", module).Output()
		if v := strings.TrimSpace(string(out)); err == nil && v != "" {
			return v, nil
		}
	}
	return "", fmt.Errorf("aggen was built without %s", module)
}

// Run runs validation-gen on the staged packages and returns the files it
// wrote, by path relative to the stage.
func Run(bin, stage, header string, p *model.Project, versions []*model.Version) (map[string][]byte, error) {
	args := []string{"--output-file", OutputFile, "--go-header-file", header}
	for _, v := range versions {
		args = append(args, "./"+v.Dir)
		_ = os.Remove(filepath.Join(stage, filepath.FromSlash(v.Dir), OutputFile))
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = stage
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, translate(p, versions, stderr.String(), err)
	}
	out := map[string][]byte{}
	for _, v := range versions {
		rel := path.Join(v.Dir, OutputFile)
		b, err := os.ReadFile(filepath.Join(stage, filepath.FromSlash(rel)))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[rel] = b
	}
	return out, nil
}

var (
	// klog's fatal line: "F1202 17:45:17.449794   27643 targets.go:551] msg".
	fatalLine = regexp.MustCompile(`^F\d{4} [\d:.]+\s+\d+ [\w.]+:\d+\] (.*)$`)
	typeLine  = regexp.MustCompile(`^\s+type ([^:]+):$`)
	fieldLine = regexp.MustCompile(`^\s+field ([^:]+): (.*)$`)
	// "example.com/x/pkg/apis/g/v1.Bee.spec: message" or ".Bee.Spec: ..."
	qualified = regexp.MustCompile(`^(?:field )?([\w./-]+)\.(\w+)\.(\w+): (.*)$`)
)

// translate turns validation-gen's failure into errors at the types and
// fields it names.
func translate(p *model.Project, versions []*model.Version, stderr string, runErr error) error {
	var errs []error
	lines := strings.Split(stderr, "\n")
	var typ *model.Type
	for _, line := range lines {
		if m := fatalLine.FindStringSubmatch(line); m != nil {
			line = m[1]
		}
		if m := typeLine.FindStringSubmatch(line); m != nil {
			typ = lookup(p, m[1])
			continue
		}
		if m := fieldLine.FindStringSubmatch(line); m != nil && typ != nil {
			errs = append(errs, &model.Problem{Pos: fieldPos(typ, m[1]), Msg: fmt.Sprintf("%s: field %s: %s", Name, m[1], m[2])})
			continue
		}
		if rest, ok := strings.CutPrefix(line, "failed to generate validations: "); ok {
			if m := qualified.FindStringSubmatch(rest); m != nil {
				if t := p.LookupType(m[1], m[2]); t != nil {
					errs = append(errs, &model.Problem{Pos: fieldPos(t, m[3]), Msg: Name + ": " + m[4]})
					continue
				}
			}
			errs = append(errs, &model.Problem{Pos: versions[0].DocPos, Msg: Name + ": " + rest})
		}
	}
	if len(errs) == 0 {
		return fmt.Errorf("%s: %v\n%s", Name, runErr, strings.TrimSpace(stderr))
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errors.Join(errs...)
}

// lookup finds a type by its qualified name, "<import path>.<Name>".
func lookup(p *model.Project, qualifiedName string) *model.Type {
	i := strings.LastIndexByte(qualifiedName, '.')
	if i < 0 {
		return nil
	}
	return p.LookupType(qualifiedName[:i], qualifiedName[i+1:])
}

// fieldPos is where a type's field, named by Go or JSON name, is.
func fieldPos(t *model.Type, name string) model.Position {
	for _, f := range t.Fields {
		if f.GoName == name || f.JSONName == name {
			return f.Pos
		}
	}
	return t.Pos
}
