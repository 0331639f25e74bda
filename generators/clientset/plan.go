package clientset

import (
	"errors"
	"fmt"
	"os"
	"path"
	"strings"

	"k8s.io/code-generator/cmd/client-gen/args"
	"k8s.io/code-generator/cmd/client-gen/generators"
	"k8s.io/code-generator/cmd/client-gen/generators/util"
	clientgentypes "k8s.io/code-generator/cmd/client-gen/types"
	"k8s.io/code-generator/pkg/apidefinitions"
	genutil "k8s.io/code-generator/pkg/util"
	"k8s.io/gengo/v2/namer"
	"k8s.io/gengo/v2/types"

	"github.com/aggen-dev/aggen/generators/codegen"
)

// Unsupported is returned, before any file is added, when the project has
// a shape aggen's renderer does not reproduce; Run then runs client-gen.
type Unsupported struct{ Reason string }

func (u *Unsupported) Error() string { return "clientset renderer: unsupported: " + u.Reason }

func unsupported(format string, a ...any) error {
	return &Unsupported{Reason: fmt.Sprintf(format, a...)}
}

// IsUnsupported reports whether err is the renderer declining a shape.
func IsUnsupported(err error) bool {
	var u *Unsupported
	return errors.As(err, &u)
}

// gvPlan is one group-version's typed client.
type gvPlan struct {
	gv          clientgentypes.GroupVersion
	pkgName     string // the group's package name (its directory)
	groupGoName string
	input       string // the API package
	// types with +genclient, in upstream's order (by private name).
	types []*types.Type
	tags  map[*types.Type]util.Tags
}

// plan is what client-gen would generate, decided as client-gen decides.
type plan struct {
	a            *args.Args
	t            codegen.Tree
	header       string // formatted header with the generated-by line
	clientsetPkg string
	clientsetRel string // project-relative directory of the clientset
	applyPkg     string
	groups       []clientgentypes.GroupVersions
	goNames      map[clientgentypes.GroupVersion]string
	gvs          []*gvPlan
	namers       namer.NameSystems
}

func tagsOf(t *types.Type) (util.Tags, error) {
	lines := append(append([]string(nil), t.SecondClosestCommentLines...), t.CommentLines...)
	return util.ParseClientGenTags(lines)
}

// newPlan decides the clientset from the parsed arguments a, as
// client-gen's GetTargets does, or says why it cannot.
func newPlan(s *codegen.Session, t codegen.Tree, a *args.Args, exceptions map[string]string) (*plan, error) {
	u, err := s.Universe()
	if err != nil {
		return nil, err
	}
	if a.ClientsetOnly || !a.FakeClient || a.PrefersProtobuf || len(a.IncludedTypesOverrides) > 0 ||
		a.ClientsetAPIPath != "/apis" || a.ApplyConfigurationPackage == "" || len(a.LintRules) > 0 {
		return nil, unsupported("client-gen options")
	}
	p := &plan{a: a, t: t, applyPkg: a.ApplyConfigurationPackage,
		goNames: map[clientgentypes.GroupVersion]string{},
		namers:  generators.NameSystems(exceptions)}
	p.clientsetPkg = path.Join(a.OutputPkg, a.ClientsetName)
	p.clientsetRel = path.Join(OutputDir, a.ClientsetName)
	if a.OutputPkg != t.Pkg(OutputDir) {
		return nil, unsupported("output package")
	}
	header, err := formattedHeader(s.HeaderFile)
	if err != nil {
		return nil, err
	}
	p.header = header

	// The inputs must be packages of the parse (sanitizePackagePaths).
	for _, g := range a.Groups {
		for _, v := range g.Versions {
			if v.Version == "" {
				return nil, unsupported("internal version")
			}
			if pk := u[v.Package]; pk == nil || pk.Name == "" {
				return nil, unsupported("input %s not in the parse", v.Package)
			}
		}
	}
	// +groupName overrides the group (applyGroupOverrides).
	for _, g := range a.Groups {
		ng := g
		pk := u.Package(g.Versions[0].Package)
		// client-gen looks the override up per group-version and keys it
		// by the first version's; the packages of one group agree here.
		override, ok, err := apidefinitions.GroupNameForPackage(pk.Comments)
		if err != nil {
			return nil, unsupported("+groupName: %v", err)
		}
		for _, v := range g.Versions[1:] {
			o2, ok2, err := apidefinitions.GroupNameForPackage(u.Package(v.Package).Comments)
			if err != nil || ok2 != ok || o2 != override {
				return nil, unsupported("versions of group %s disagree on +groupName", g.Group)
			}
		}
		if ok {
			ng.Group = clientgentypes.Group(override)
		}
		p.groups = append(p.groups, ng)
	}
	orderer := namer.Orderer{Namer: namer.NewPrivateNamer(0)}
	for _, g := range p.groups {
		for _, v := range g.Versions {
			gv := clientgentypes.GroupVersion{Group: g.Group, Version: v.Version}
			if g.Group == "" {
				// The core group: client-gen's /api path.
				return nil, unsupported("the empty group")
			}
			pk := u.Package(v.Package)
			info, err := apidefinitions.Identify(pk, apidefinitions.Client)
			if err != nil {
				return nil, unsupported("%s: %v", v.Package, err)
			}
			if !info.ShouldGenerate() {
				return nil, unsupported("%s is not generated", v.Package)
			}
			goName := namer.IC(strings.Split(gv.Group.NonEmpty(), ".")[0])
			override, err := genutil.ExtractCommentTagsWithoutArguments("+", []string{"groupGoName"}, pk.Comments)
			if err != nil {
				return nil, unsupported("+groupGoName: %v", err)
			}
			if override["groupGoName"] != nil {
				goName = namer.IC(override["groupGoName"][0])
			}
			p.goNames[gv] = goName
			gp := &gvPlan{gv: gv, pkgName: g.PackageName, groupGoName: goName, input: v.Package, tags: map[*types.Type]util.Tags{}}
			var list []*types.Type
			for _, ty := range pk.Types {
				tags, err := tagsOf(ty)
				if err != nil {
					return nil, unsupported("%s: %v", ty.Name, err)
				}
				if !tags.GenerateClient {
					continue
				}
				gp.tags[ty] = tags
				list = append(list, ty)
			}
			if len(list) == 0 {
				// client-gen's group interface would end in a blank line.
				return nil, unsupported("%s has no kind with +genclient", v.Package)
			}
			gp.types = orderer.OrderTypes(list)
			for _, ty := range gp.types {
				if err := checkType(ty, gp.tags[ty]); err != nil {
					return nil, err
				}
			}
			p.gvs = append(p.gvs, gp)
		}
	}
	if len(p.gvs) == 0 {
		return nil, unsupported("no typed clients")
	}
	if _, err := os.Stat(t.Abs(path.Join(p.clientsetRel, "scheme", "register_custom.go"))); err == nil {
		return nil, unsupported("scheme/register_custom.go")
	}
	return p, nil
}

// interfaceTags are the tags client-gen's typed client interface is
// written from: without a status (genStatus), no UpdateStatus nor
// ApplyStatus.
func interfaceTags(t *types.Type, tags util.Tags) util.Tags {
	status := false
	for _, m := range t.Members {
		if m.Name == "Status" {
			status = true
			break
		}
	}
	if !status || tags.NoStatus {
		tags.SkipVerbs = append(append([]string(nil), tags.SkipVerbs...), "updateStatus", "applyStatus")
	}
	return tags
}

// extVerbs are the +genclient:method verb types rendered here.
var extVerbs = map[string]bool{"get": true, "list": true, "create": true, "update": true, "patch": true, "apply": true}

func checkType(t *types.Type, tags util.Tags) error {
	if !tags.NoVerbs {
		// An interface with no default verb opens with a blank line
		// client-gen leaves to gofmt.
		tags = interfaceTags(t, tags)
		anyDefault := false
		for _, v := range util.SupportedVerbs {
			if tags.HasVerb(v) {
				anyDefault = true
			}
		}
		if !anyDefault {
			return unsupported("%s: no default verbs", t.Name)
		}
	}
	for i := range tags.Extensions {
		e := &tags.Extensions[i]
		if !extVerbs[e.VerbType] {
			return unsupported("%s: +genclient:method verb %s", t.Name, e.VerbType)
		}
		if e.VerbType == "list" && e.IsSubresource() {
			return unsupported("%s: +genclient:method list of a subresource", t.Name)
		}
		if e.VerbName == "" || strings.ContainsAny(e.VerbName, " \t") {
			return unsupported("%s: +genclient:method name", t.Name)
		}
	}
	return nil
}

// formattedHeader is gengo's boilerplate for client-gen, as gofmt prints
// it at the top of a file.
func formattedHeader(headerFile string) (string, error) {
	h, err := codegen.Header(headerFile, "", Name)
	if errors.Is(err, codegen.ErrHeaderShape) {
		return "", unsupported("header")
	}
	return h, err
}
