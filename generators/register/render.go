package register

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"k8s.io/code-generator/cmd/register-gen/args"
	"k8s.io/code-generator/pkg/apidefinitions"
	"k8s.io/gengo/v2"
	"k8s.io/gengo/v2/generator"
	"k8s.io/gengo/v2/namer"
	"k8s.io/gengo/v2/types"

	"github.com/aggen-dev/aggen/generators/codegen"
)

const (
	metaPkg    = "k8s.io/apimachinery/pkg/apis/meta/v1"
	schemaPkg  = "k8s.io/apimachinery/pkg/runtime/schema"
	runtimePkg = "k8s.io/apimachinery/pkg/runtime"
)

// Result is what Render made of the tagged packages.
type Result struct {
	// Files are the rendered files, by project-relative slash path, in
	// their final form (gofmt -s formatted).
	Files map[string][]byte
	// Rendered are the import paths of the packages rendered.
	Rendered []string
	// Fallback lists the packages left to the upstream generator, why.
	Fallback []*UnsupportedError
	// rest are the targets left to the upstream generator.
	rest []generator.Target
}

// renderTargets renders the files of register-gen's targets (GetTargets'
// answer on c) it can; the others it returns in rest, why in Fallback.
func renderTargets(c *generator.Context, a *args.Args, dir string, targets []generator.Target) *Result {
	res := &Result{Files: map[string][]byte{}}
	fallback := func(t generator.Target, reason string) {
		res.Fallback = append(res.Fallback, &UnsupportedError{Package: t.Path(), Reason: reason})
		res.rest = append(res.rest, t)
	}
	if len(targets) == 0 {
		return res
	}
	// register-gen's header has the standard build tag whatever its flags say.
	h, err := codegen.Header(a.GoHeaderFile, gengo.StdBuildTag, Name)
	if err != nil || len(a.LintRules) > 0 {
		reason := "lint rules"
		if err != nil {
			reason = err.Error()
		}
		for _, t := range targets {
			fallback(t, reason)
		}
		return res
	}
	for _, t := range targets {
		rel, data, err := renderTarget(c, a, []byte(h), dir, t)
		if err != nil {
			fallback(t, err.Error())
			continue
		}
		res.Files[rel] = data
		res.Rendered = append(res.Rendered, t.Path())
	}
	return res
}

var (
	ident     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	groupName = regexp.MustCompile(`^[A-Za-z0-9._-]*$`)
)

// renderTarget renders one target's file as register-gen's generator
// writes it: the group of +groupName (else the package path's second to
// last element), the version of the path's last, and every type of the
// package (as GetTargets sees it) that embeds TypeMeta.
func renderTarget(c *generator.Context, a *args.Args, header []byte, dir string, tgt generator.Target) (string, []byte, error) {
	fail := func(format string, args ...any) (string, []byte, error) {
		return "", nil, fmt.Errorf(format, args...)
	}
	st, ok := tgt.(*generator.SimpleTarget)
	if !ok {
		return fail("target of type %T", tgt)
	}
	pkg := c.Universe[st.PkgPath]
	if pkg == nil {
		return fail("not in the parse")
	}
	gens := st.GeneratorsFunc(c)
	if len(gens) != 1 || gens[0].Filename() != a.OutputFile || a.OutputFile != OutputFile {
		return fail("%d generators", len(gens))
	}
	parts := strings.Split(pkg.Path, "/")
	if len(parts) < 2 {
		return fail("path without group and version")
	}
	group, version := parts[len(parts)-2], parts[len(parts)-1]
	override, ok, err := apidefinitions.GroupNameForPackage(pkg.Comments)
	if err != nil {
		return fail("%v", err)
	}
	if ok {
		group = override
	}
	if !groupName.MatchString(group) || !ident.MatchString(version) {
		return fail("group %q, version %q", group, version)
	}
	var names []string
	for _, t := range pkg.Types {
		for _, m := range t.Members {
			if m.Name == "TypeMeta" && m.Embedded {
				names = append(names, t.Name.Name)
			}
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return fail("no types to register")
	}
	for _, n := range names {
		if !ident.MatchString(n) {
			return fail("type name %q", n)
		}
	}
	if !ident.MatchString(st.PkgName) {
		return fail("package name %q", st.PkgName)
	}

	// register-gen asks the universe for these (adding those missing),
	// and names them in this order.
	addToGroupVersion := c.Universe.Function(types.Name{Package: metaPkg, Name: "AddToGroupVersion"})
	metaGroupVersion := c.Universe.Type(types.Name{Package: metaPkg, Name: "GroupVersion"})
	schemaGroupVersion := c.Universe.Type(types.Name{Package: schemaPkg, Name: "GroupVersion"})
	schemaGroupResource := c.Universe.Type(types.Name{Package: schemaPkg, Name: "GroupResource"})
	scheme := c.Universe.Type(types.Name{Package: runtimePkg, Name: "Scheme"})
	schemeBuilder := c.Universe.Type(types.Name{Package: runtimePkg, Name: "SchemeBuilder"})
	tracker := generator.NewImportTrackerForPackage(pkg.Path)
	raw := namer.NewRawNamer(pkg.Path, tracker)
	name := func(t *types.Type) string { return raw.Name(t) }
	nMetaGV, nSchemaGV, nSchemaGR := name(metaGroupVersion), name(schemaGroupVersion), name(schemaGroupResource)
	nBuilder, nScheme, nAdd := name(schemeBuilder), name(scheme), name(addToGroupVersion)
	for _, n := range []string{nMetaGV, nSchemaGV, nSchemaGR, nBuilder, nScheme, nAdd} {
		if !qualified.MatchString(n) {
			return fail("name %q", n)
		}
	}

	var out bytes.Buffer
	out.Write(header)
	fmt.Fprintf(&out, "package %s\n\n", st.PkgName)
	imports, self, err := codegen.ImportBlock(tracker.ImportLines(), pkg.Path)
	if err != nil || self {
		return fail("imports %v: %v", tracker.ImportLines(), err)
	}
	out.WriteString(imports)
	fmt.Fprintf(&out, `// GroupName specifies the group name used to register the objects.
const GroupName = %q

// GroupVersion specifies the group and the version used to register the objects.
var GroupVersion = %s{Group: GroupName, Version: %q}

// SchemeGroupVersion is group version used to register these objects
//
// Deprecated: use GroupVersion instead.
var SchemeGroupVersion = %s{Group: GroupName, Version: %q}

// Resource takes an unqualified resource and returns a Group qualified GroupResource
func Resource(resource string) %s {
	return SchemeGroupVersion.WithResource(resource).GroupResource()
}

var (
	// localSchemeBuilder and AddToScheme will stay in k8s.io/kubernetes.
	SchemeBuilder      %s
	localSchemeBuilder = &SchemeBuilder
	// Deprecated: use Install instead
	AddToScheme = localSchemeBuilder.AddToScheme
	Install     = localSchemeBuilder.AddToScheme
)

func init() {
	// We only register manually written functions here. The registration of the
	// generated functions takes place in the generated files. The separation
	// makes the code compile even when the generated files are missing.
	localSchemeBuilder.Register(addKnownTypes)
}

// Adds the list of known types to Scheme.
func addKnownTypes(scheme *%s) error {
	scheme.AddKnownTypes(SchemeGroupVersion,
`, group, nMetaGV, version, nSchemaGV, version, nSchemaGR, nBuilder, nScheme)
	for _, n := range names {
		out.WriteString("\t\t&" + n + "{},\n")
	}
	fmt.Fprintf(&out, `	)
	// AddToGroupVersion allows the serialization of client types like ListOptions.
	%s(scheme, SchemeGroupVersion)
	return nil
}
`, nAdd)
	if st.PkgDir == "" {
		return fail("no directory")
	}
	rel, err := filepath.Rel(dir, filepath.Join(st.PkgDir, OutputFile))
	if err != nil || strings.HasPrefix(rel, "..") {
		return fail("outside the project")
	}
	return filepath.ToSlash(rel), out.Bytes(), nil
}

var qualified = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*\.)?[A-Za-z_][A-Za-z0-9_]*$`)
