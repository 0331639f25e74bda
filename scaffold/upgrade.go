package scaffold

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"
	"k8s.io/kube-openapi/pkg/util"

	"github.com/aggen-dev/aggen/generators"
	"github.com/aggen-dev/aggen/generators/loader"
	"github.com/aggen-dev/aggen/generators/model"
	"github.com/aggen-dev/aggen/generators/output"
	"github.com/aggen-dev/aggen/scaffold/codemod"
	"github.com/aggen-dev/aggen/scaffold/merge"
	"github.com/aggen-dev/aggen/templates"
)

// UpgradeOptions are the flags of `aggen upgrade`.
type UpgradeOptions struct {
	Dir string
	// DryRun prints what would change and writes nothing.
	DryRun bool
	// SkipTidy skips `go mod tidy` (tests that run offline).
	SkipTidy bool
	Out      io.Writer
	Progress io.Writer
	// Templates is the running template set; nil is the embedded one.
	Templates fs.FS
	// BeforeCommit is Apply's hook; tests use it to fail a run late.
	BeforeCommit func() error
}

// MergeConflictError is returned by Upgrade when some user-owned files
// were written with conflict markers: the rest of the upgrade is applied.
type MergeConflictError struct {
	// Conflicts are "path:line" of each "<<<<<<<" marker, sorted.
	Conflicts []string
	// DryRun is set when nothing was written.
	DryRun bool
}

func (e *MergeConflictError) Error() string {
	if e.DryRun {
		return fmt.Sprintf("%d conflict(s) would be left as markers: %s", len(e.Conflicts), strings.Join(e.Conflicts, ", "))
	}
	return fmt.Sprintf("%d conflict(s) left as markers: %s; resolve them, then run `aggen generate`", len(e.Conflicts), strings.Join(e.Conflicts, ", "))
}

// Merge labels: ours is what the running aggen scaffolds, base what the
// older one did, theirs the user's file.
var mergeLabels = merge.Labels{Ours: "ours (what this aggen scaffolds)", Base: "base (what aggen scaffolded)", Theirs: "theirs (your file)"}

// upgrade is what Upgrade found and plans.
type upgrade struct {
	o    *UpgradeOptions
	sh   *shadow
	cfg  *loader.Config
	rec  *Record
	plan *Plan
	// files are the user files upgrade rewrote, by path: their content for
	// the real tree (with markers where a merge conflicted).
	files map[string][]byte
	// conflicts are "path:line" of each conflict.
	conflicts []string
	// notes are what the report tells beside the plan.
	notes []string
}

// Upgrade moves a project made by an older aggen to the running one, in
// one change: pins, aggen.yaml, three-way merges of the scaffolded
// user-owned files, codemods, every generated file. Everything runs in a
// shadow of the project first; the real tree is written once, at the
// end, or not at all. Merge conflicts are written as markers and
// reported with a *MergeConflictError.
func Upgrade(o UpgradeOptions) error {
	if o.Out == nil {
		o.Out = io.Discard
	}
	u, err := planUpgrade(&o)
	if err != nil {
		return err
	}
	defer u.sh.remove()
	for _, n := range u.notes {
		fmt.Fprintf(o.Out, "%s\n", n)
	}
	if o.DryRun {
		u.printDiffs()
		u.plan.Report(o.Out, "upgrade (dry run, nothing written)")
	} else {
		if err := u.plan.Apply(o.BeforeCommit); err != nil {
			return err
		}
		u.plan.Report(o.Out, "upgrade")
	}
	if len(u.conflicts) > 0 {
		for _, c := range u.conflicts {
			fmt.Fprintf(o.Out, "conflict: %s\n", c)
		}
		return &MergeConflictError{Conflicts: u.conflicts, DryRun: o.DryRun}
	}
	return nil
}

func planUpgrade(o *UpgradeOptions) (*upgrade, error) {
	cfg, err := loader.ReadConfig(o.Dir)
	if err != nil {
		return nil, err
	}
	rec, err := ReadRecord(o.Dir)
	if err != nil {
		return nil, err
	}
	sh, err := newShadow(o.Dir)
	if err != nil {
		return nil, err
	}
	u := &upgrade{o: o, sh: sh, cfg: cfg, rec: rec, files: map[string][]byte{}}
	if err := u.run(); err != nil {
		sh.remove()
		return nil, sh.relocate(err)
	}
	return u, nil
}

func (u *upgrade) run() error {
	o := u.o
	// 1. The project file and the pins, then the module graph they make.
	if err := u.migrateConfig(); err != nil {
		return err
	}
	if err := u.movePins(); err != nil {
		return err
	}
	if !o.SkipTidy {
		if err := goCommand(u.sh.dir, o.Out, "resolving the new pins", "mod", "tidy", "-e"); err != nil {
			return err
		}
	}
	// 2. The model, read from the user's types with the new pins.
	p, err := generators.Load(u.sh.dir, nil)
	if err != nil {
		if loader.IsInputError(err) {
			return loader.Merge(err)
		}
		return err
	}
	// 3. What the running aggen scaffolds (ours) and, where the record
	// lacks it, what the project's aggen did (base), merged with the
	// user's files (theirs).
	ours, err := u.scaffolds(p, o.Templates)
	if err != nil {
		return err
	}
	var older map[string][]byte
	for _, rel := range sortedPaths(ours) {
		theirs, err := os.ReadFile(filepath.Join(o.Dir, filepath.FromSlash(rel)))
		if errors.Is(err, fs.ErrNotExist) {
			// Gone: generate scaffolds what the project still needs.
			continue
		}
		if err != nil {
			return err
		}
		base, ok := u.rec.Files[rel]
		if !ok {
			if older == nil {
				if older, err = u.olderScaffolds(p); err != nil {
					return err
				}
			}
			base, ok = older[rel]
		}
		if !ok {
			if !bytes.Equal(theirs, ours[rel]) {
				u.notes = append(u.notes, fmt.Sprintf("note: %s: no record of what aggen scaffolded; kept yours (compare with `aggen upgrade --dry-run`)", rel))
			}
			continue
		}
		res := merge.Merge(base, ours[rel], theirs, mergeLabels)
		if bytes.Equal(res.Data, theirs) {
			continue
		}
		u.files[rel] = res.Data
		for _, c := range res.Conflicts {
			u.conflicts = append(u.conflicts, fmt.Sprintf("%s:%d", rel, c.Line))
		}
		if res.Clean() {
			if err := u.writeShadow(rel, res.Data); err != nil {
				return err
			}
		}
		// A conflicted file keeps the user's content in the shadow, so
		// that generation and the build see a project that parses.
	}
	// 4. Known API changes in every user-owned Go file.
	if err := u.codemods(); err != nil {
		return err
	}
	// 5. Every generated file, from the merged project.
	res, err := renderFiles(&GenerateOptions{Dir: u.sh.dir, Progress: o.Progress, Templates: o.Templates})
	if err != nil {
		return err
	}
	warn(o.Out, res)
	plan, err := NewPlan(u.sh.dir, res.Files, false)
	if err != nil {
		return err
	}
	if err := u.sh.apply(plan); err != nil {
		return err
	}
	if !o.SkipTidy {
		if err := goCommand(u.sh.dir, o.Out, "tidying go.mod", "mod", "tidy"); err != nil {
			return err
		}
	}
	// 6. One plan for the real tree.
	u.plan, err = NewPlan(o.Dir, res.Files, false)
	if err != nil {
		return err
	}
	for _, rel := range []string{loader.ConfigFile, "go.mod", "go.sum"} {
		if err := u.sh.carry(u.plan, rel); err != nil {
			return err
		}
	}
	for _, rel := range sortedPaths(u.files) {
		if err := u.plan.Put(rel, u.files[rel], 0); err != nil {
			return err
		}
	}
	// 7. The record: what the running aggen scaffolds is the base of the
	// next upgrade, conflicted files included.
	for rel, b := range ours {
		u.rec.Files[rel] = b
	}
	for _, c := range u.plan.Changes {
		if c.Scaffold && c.Action == Create && !unmerged[c.Path] {
			u.rec.Files[c.Path] = c.New
		}
	}
	u.rec.Revision = templates.Revision
	sort.Strings(u.conflicts)
	return u.plan.putRecord(u.rec)
}

// writeShadow writes a user file in the shadow and keeps its content for
// the real tree.
func (u *upgrade) writeShadow(rel string, b []byte) error {
	dst := filepath.Join(u.sh.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	mode := fs.FileMode(0o644)
	if info, err := os.Stat(filepath.Join(u.o.Dir, filepath.FromSlash(rel))); err == nil {
		mode = info.Mode().Perm()
	}
	return os.WriteFile(dst, b, mode)
}

// readShadow reads a file of the shadow.
func (u *upgrade) readShadow(rel string) ([]byte, error) {
	return os.ReadFile(filepath.Join(u.sh.dir, filepath.FromSlash(rel)))
}

// configVersionLine and friends find the keys migrateConfig rewrites,
// leaving every other line (and the user's comments) as it is.
var (
	configVersionLine   = regexp.MustCompile(`(?m)^version:.*$`)
	configTemplatesLine = regexp.MustCompile(`(?m)^templates:.*$`)
	configKubeLine      = regexp.MustCompile(`(?m)^kubernetesVersion:.*$`)
)

// migrateConfig rewrites aggen.yaml to the running format: format 1
// gains templates (the revision its files were scaffolded from becomes
// the running one once merged), and kubernetesVersion follows the pins.
func (u *upgrade) migrateConfig() error {
	b, err := u.readShadow(loader.ConfigFile)
	if err != nil {
		return err
	}
	s := string(b)
	from := u.cfg.Version
	if from == "" {
		from = "1"
	}
	set := func(re *regexp.Regexp, line string) {
		if re.MatchString(s) {
			s = re.ReplaceAllLiteralString(s, line)
			return
		}
		if !strings.HasSuffix(s, "\n") {
			s += "\n"
		}
		s += line + "\n"
	}
	set(configVersionLine, `version: "`+loader.ConfigVersion+`"`)
	set(configKubeLine, "kubernetesVersion: "+KubernetesVersion)
	set(configTemplatesLine, "templates: "+strconv.Itoa(templates.Revision))
	if from != loader.ConfigVersion {
		u.notes = append(u.notes, fmt.Sprintf("aggen.yaml: format %s -> %s", from, loader.ConfigVersion))
	}
	return u.writeShadow(loader.ConfigFile, []byte(s))
}

// pinnedByAggen reports the version the running aggen pins a module to:
// the Kubernetes staging libraries (k8s.io/api, apimachinery, ...) move
// together at KubernetesVersion, kube-openapi and controller-runtime to
// the versions built for it. Others are left to `go mod tidy`.
func pinnedByAggen(mod string) (string, bool) {
	switch {
	case mod == "k8s.io/kube-openapi":
		return KubeOpenAPIVersion, true
	case mod == "sigs.k8s.io/controller-runtime":
		return ControllerRuntimeVersion, true
	case isStaging(mod):
		return KubernetesVersion, true
	}
	return "", false
}

// stagingModules are the k8s.io modules released with every Kubernetes
// version, as v0.<minor>.<patch>.
func isStaging(mod string) bool {
	switch strings.TrimPrefix(mod, "k8s.io/") {
	case "api", "apiextensions-apiserver", "apimachinery", "apiserver", "cli-runtime",
		"client-go", "cloud-provider", "cluster-bootstrap", "code-generator", "component-base", "component-helpers",
		"controller-manager", "cri-api", "csi-translation-lib", "dynamic-resource-allocation", "endpointslice",
		"kms", "kube-aggregator", "kube-controller-manager", "kube-proxy", "kube-scheduler", "kubectl", "kubelet",
		"metrics", "mount-utils", "pod-security-admission", "sample-apiserver":
		return strings.HasPrefix(mod, "k8s.io/")
	}
	return false
}

// movePins moves the requirements aggen pins to the running versions,
// never down, and the go directive up to the running aggen's.
func (u *upgrade) movePins() error {
	b, err := u.readShadow("go.mod")
	if err != nil {
		return err
	}
	f, err := modfile.Parse("go.mod", b, nil)
	if err != nil {
		return &loader.InputError{Pos: model.Position{File: "go.mod", Line: 1, Column: 1}, Msg: err.Error()}
	}
	var moved []string
	for _, r := range f.Require {
		want, ok := pinnedByAggen(r.Mod.Path)
		if !ok || semver.Compare(r.Mod.Version, want) >= 0 {
			continue
		}
		moved = append(moved, fmt.Sprintf("%s %s -> %s", r.Mod.Path, r.Mod.Version, want))
		if err := f.AddRequire(r.Mod.Path, want); err != nil {
			return err
		}
	}
	for _, r := range f.Replace {
		if _, ok := pinnedByAggen(r.Old.Path); ok && r.New.Version != "" {
			u.notes = append(u.notes, fmt.Sprintf("note: go.mod replaces %s; aggen left the replacement as it is", r.Old.Path))
		}
	}
	if f.Go == nil || semver.Compare("v"+f.Go.Version, "v"+GoVersion) < 0 {
		if err := f.AddGoStmt(GoVersion); err != nil {
			return err
		}
	}
	for _, m := range moved {
		u.notes = append(u.notes, "go.mod: "+m)
	}
	f.Cleanup()
	out, err := f.Format()
	if err != nil {
		return err
	}
	return u.writeShadow("go.mod", out)
}

// codemods rewrites every user-owned Go file of the shadow for the known
// API changes; conflicted files are rewritten in the shadow only.
func (u *upgrade) codemods() error {
	mods := codemod.All()
	return filepath.WalkDir(u.sh.dir, func(abs string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(u.sh.dir, abs)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && (skipDirs[d.Name()] || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") {
			return nil
		}
		b, err := os.ReadFile(abs)
		if err != nil {
			return err
		}
		if output.IsGenerated(b) {
			return nil
		}
		out, applied, err := codemod.Apply(rel, b, mods)
		if err != nil || len(applied) == 0 {
			return err
		}
		for _, a := range applied {
			u.notes = append(u.notes, fmt.Sprintf("codemod: %s: %s", rel, a))
		}
		if err := os.WriteFile(abs, out, 0o644); err != nil {
			return err
		}
		if hasConflict(u.files[rel]) {
			return nil
		}
		u.files[rel] = out
		return nil
	})
}

// hasConflict reports whether b holds a conflict marker of a merge.
func hasConflict(b []byte) bool {
	return bytes.HasPrefix(b, []byte(merge.MarkerOurs)) || bytes.Contains(b, []byte("\n"+merge.MarkerOurs))
}

// scaffolds renders, with a template set, every user-owned file aggen
// scaffolds for the project: the project files of init, the API files of
// create api, and the user-owned files of the generators. Files upgrade
// does not merge (unmerged) are left out.
func (u *upgrade) scaffolds(p *model.Project, fsys fs.FS) (map[string][]byte, error) {
	r, err := renderer(fsys)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	set, err := generators.Own(p, r, Generators())
	if err != nil {
		return nil, err
	}
	for _, f := range set.Files() {
		if f.Owner == output.UserOwned {
			out[f.Path] = f.Data
		}
	}
	license := "apache2"
	if b, err := u.readShadow("hack/boilerplate.go.txt"); err == nil && len(bytes.TrimSpace(b)) == 0 {
		license = "none"
	}
	d := projectData{Module: u.cfg.Repo, Domain: u.cfg.Domain, Name: u.cfg.Name, Namespace: u.cfg.Namespace,
		Image: u.cfg.Image, Owner: u.cfg.Owner, License: license}
	proj, err := renderProjectFiles(r, d, projectFiles)
	if err != nil {
		return nil, err
	}
	for _, f := range proj.Files() {
		out[f.Path] = f.Data
	}
	api, err := apiFiles(r, p)
	if err != nil {
		return nil, err
	}
	for rel, b := range api {
		out[rel] = b
	}
	for rel := range unmerged {
		delete(out, rel)
	}
	return out, nil
}

// olderScaffolds renders the scaffolds with the template set of the
// revision the project file records, when aggen still embeds it.
func (u *upgrade) olderScaffolds(p *model.Project) (map[string][]byte, error) {
	fsys, ok := templates.ForRevision(u.cfg.Templates)
	if !ok {
		u.notes = append(u.notes, fmt.Sprintf("note: this aggen no longer has the templates of revision %d that made this project", u.cfg.Templates))
		return map[string][]byte{}, nil
	}
	return u.scaffolds(p, fsys)
}

// apiFiles renders the types file and doc.go create api scaffolds for
// every kind of every version, from what the model says of the kind.
func apiFiles(r *templates.Renderer, p *model.Project) (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, g := range p.Groups {
		for _, v := range g.Versions {
			for i, k := range v.Kinds {
				d := apiData{
					Project: p, Group: g.Name, Version: v.Name, Kind: k.Name, Plural: k.Plural,
					DefaultPlural: loader.Plural(k.Name), GroupName: g.GroupName,
					HubPackage:   path.Join(p.Module, loader.APIsDir, g.Name),
					ModelPackage: util.ToRESTFriendlyName(path.Join(p.Module, loader.APIsDir, g.Name, v.Name)),
					Namespaced:   k.Namespaced, Status: k.Status, Scale: k.Scale != nil,
				}
				dir := path.Join(loader.APIsDir, g.Name, v.Name)
				if i == 0 {
					b, err := r.RenderGo("api/doc.go.tmpl", d)
					if err != nil {
						return nil, err
					}
					out[path.Join(dir, "doc.go")] = b
				}
				b, err := r.RenderGo("api/types.go.tmpl", d)
				if err != nil {
					return nil, err
				}
				out[path.Join(dir, strings.ToLower(k.Name)+"_types.go")] = b
			}
		}
	}
	return out, nil
}

// printDiffs shows, for a dry run, the diff of each user file upgrade
// would rewrite.
func (u *upgrade) printDiffs() {
	for _, rel := range sortedPaths(u.files) {
		old, _ := os.ReadFile(filepath.Join(u.o.Dir, filepath.FromSlash(rel)))
		fmt.Fprint(u.o.Out, indent(diffText(rel, old, u.files[rel], "yours", "upgraded", diffLinesPerFile)))
	}
}

func sortedPaths(m map[string][]byte) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
