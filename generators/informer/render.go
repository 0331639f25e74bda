package informer

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"k8s.io/code-generator/pkg/apidefinitions"
	codegennamer "k8s.io/code-generator/pkg/namer"
	genutil "k8s.io/code-generator/pkg/util"
	"k8s.io/gengo/v2/namer"
	"k8s.io/gengo/v2/types"

	"github.com/aggen-dev/aggen/generators/clientset"
	"github.com/aggen-dev/aggen/generators/codegen"
	"github.com/aggen-dev/aggen/generators/lister"
)

func unsupported(format string, args ...any) error {
	return &lister.Unsupported{Generator: Name, Reason: fmt.Sprintf(format, args...)}
}

// groupVersion is one input package informer-gen generates for.
type groupVersion struct {
	pkg *types.Package
	// groupPkg is the group's directory name (informer-gen's group
	// package name), group the API group (+groupName, else groupPkg),
	// goName the group's Go name as informer-gen knew it at this package.
	groupPkg, group, version, goName string
	types                            []*types.Type
	namespaced                       map[*types.Type]bool
}

// decide makes informer-gen's choices for inputs: which packages and
// types, the group Go names (final values, as factory.go and generic.go
// see them).
func decide(u types.Universe, inputs []string) ([]*groupVersion, map[string]string, error) {
	var gvs []*groupVersion
	goNames := map[string]string{}
	seenGV := map[[2]string]bool{}
	groupOf := map[string]string{}
	for _, in := range inputs {
		p, ok := u[in]
		if !ok {
			return nil, nil, unsupported("input package %s missing from the parse", in)
		}
		info, err := apidefinitions.Identify(p, apidefinitions.Informer)
		if err != nil {
			return nil, nil, unsupported("package %s: %v", in, err)
		}
		if !info.ShouldGenerate() {
			continue
		}
		generating, found := false, false
		for _, t := range p.Types {
			tags, err := lister.ClientTags(t)
			if err != nil {
				return nil, nil, unsupported("%v", err)
			}
			if !tags.GenerateClient {
				continue
			}
			generating = true
			for _, m := range t.Members {
				if m.Name == "ObjectMeta" {
					if !strings.Contains(m.Tags, "json") {
						return nil, nil, unsupported("internal versions (%s)", in)
					}
					found = true
					break
				}
			}
		}
		if !generating {
			continue
		}
		if !found {
			return nil, nil, unsupported("package %s: no ObjectMeta in its +genclient types", in)
		}
		parts := strings.Split(p.Path, "/")
		if len(parts) < 2 || parts[len(parts)-2] == "" || parts[len(parts)-1] == "" {
			return nil, nil, unsupported("package path %s", p.Path)
		}
		gv := &groupVersion{pkg: p, groupPkg: parts[len(parts)-2], version: parts[len(parts)-1], namespaced: map[*types.Type]bool{}}
		gv.group = gv.groupPkg
		override, ok, err := apidefinitions.GroupNameForPackage(p.Comments)
		if err != nil {
			return nil, nil, unsupported("package %s: %v", in, err)
		}
		if ok {
			gv.group = override
		}
		goNames[gv.groupPkg] = namer.IC(strings.Split(gv.group, ".")[0])
		goName, err := genutil.ExtractCommentTagsWithoutArguments("+", []string{"groupGoName"}, p.Comments)
		if err != nil {
			return nil, nil, unsupported("package %s: %v", in, err)
		}
		if goName["groupGoName"] != nil {
			goNames[gv.groupPkg] = namer.IC(goName["groupGoName"][0])
		}
		gv.goName = goNames[gv.groupPkg]
		var list []*types.Type
		for _, t := range p.Types {
			tags, _ := lister.ClientTags(t)
			if !tags.GenerateClient || tags.NoVerbs || !tags.HasVerb("list") || !tags.HasVerb("watch") {
				continue
			}
			list = append(list, t)
			gv.namespaced[t] = !tags.NonNamespaced
		}
		// informer-gen records the types of a group version before it
		// knows whether the package has any; two packages of one group
		// version would share that record.
		key := [2]string{gv.group, gv.version}
		if seenGV[key] {
			return nil, nil, unsupported("two packages of group version %s/%s", gv.group, gv.version)
		}
		if len(list) > 0 {
			seenGV[key] = true
		}
		if len(list) == 0 {
			continue
		}
		// The first package of a group directory names the group.
		if g, ok := groupOf[gv.groupPkg]; ok && g != gv.group {
			return nil, nil, unsupported("group directory %s with two group names", gv.groupPkg)
		}
		groupOf[gv.groupPkg] = gv.group
		orderer := namer.Orderer{Namer: namer.NewPrivateNamer(0)}
		gv.types = orderer.OrderTypes(list)
		files := map[string]bool{"interface.go": true}
		for _, t := range gv.types {
			f := strings.ToLower(t.Name.Name) + ".go"
			if files[f] {
				return nil, nil, unsupported("types whose file names collide (%s)", t.Name)
			}
			files[f] = true
		}
		gvs = append(gvs, gv)
	}
	// Groups whose names differ only in case sort in no fixed order in
	// generic.go; a group directory named like a package informer-gen
	// writes would share it.
	lower := map[string]string{}
	for _, gv := range gvs {
		l := strings.ToLower(gv.group)
		if d, ok := lower[l]; ok && d != gv.groupPkg {
			return nil, nil, unsupported("groups %s and %s", d, gv.groupPkg)
		}
		lower[l] = gv.groupPkg
		if gv.groupPkg == "internalinterfaces" || strings.HasSuffix(gv.groupPkg, ".go") {
			return nil, nil, unsupported("group directory %s", gv.groupPkg)
		}
	}
	return gvs, goNames, nil
}

// paths are the packages informer-gen's files refer to.
type paths struct {
	out, internal, clientset, listers string
}

func render(u types.Universe, t codegen.Tree, header string, inputs []string, exceptions map[string]string) ([]lister.File, error) {
	gvs, goNames, err := decide(u, inputs)
	if err != nil || len(gvs) == 0 {
		return nil, err
	}
	outRel := path.Join(OutputDir, "externalversions")
	ps := paths{
		out:       t.Pkg(outRel),
		internal:  t.Pkg(path.Join(outRel, "internalinterfaces")),
		clientset: t.Pkg(clientset.OutputDir + "/versioned"),
		listers:   t.Pkg(lister.OutputDir),
	}
	public := namer.NewPublicNamer(0)
	private := namer.NewPrivateNamer(0)
	plural := namer.NewPublicPluralNamer(exceptions)
	resource := codegennamer.NewTagOverrideNamer("resourceName", namer.NewAllLowercasePluralNamer(exceptions))

	var files []lister.File
	add := func(rel string, data []byte) { files = append(files, lister.File{Rel: rel, Data: data}) }

	// Per version: the informers and interface.go.
	groups := map[string][]*groupVersion{}
	var groupOrder []string
	for _, gv := range gvs {
		if _, ok := groups[gv.groupPkg]; !ok {
			groupOrder = append(groupOrder, gv.groupPkg)
		}
		groups[gv.groupPkg] = append(groups[gv.groupPkg], gv)
		version := strings.ToLower(gv.version)
		rel := path.Join(outRel, gv.groupPkg, version)
		pkg := path.Join(ps.out, gv.groupPkg, version)
		listerPkg := ps.listers + "/" + gv.groupPkg + "/" + version
		for _, ty := range gv.types {
			im := lister.NewImports(pkg)
			d := informerData{
				Pub: public.Name(ty), Priv: private.Name(ty), Plural: plural.Name(ty),
				Namespaced:  gv.namespaced[ty],
				Group:       namer.IC(gv.goName),
				Version:     namer.IC(gv.version),
				GroupName:   gv.group,
				VersionName: gv.version,
				Resource:    strings.ToLower(ty.Name.Name) + "s",
			}
			// In the order informer-gen's templates first name them.
			d.Cache = im.Name("k8s.io/client-go/tools/cache")
			d.Lister = im.Ref(listerPkg, ty.Name.Name+"Lister")
			d.Type = im.Ref(ty.Name.Package, ty.Name.Name)
			d.II = im.Name(ps.internal)
			d.Client = im.Name(ps.clientset)
			d.Time = im.Name("time")
			d.Schema = im.Name("k8s.io/apimachinery/pkg/runtime/schema")
			d.Meta = im.Name("k8s.io/apimachinery/pkg/apis/meta/v1")
			d.Runtime = im.Name("k8s.io/apimachinery/pkg/runtime")
			d.Context = im.Name("context")
			d.Watch = im.Name("k8s.io/apimachinery/pkg/watch")
			d.NewLister = im.Ref(listerPkg, "New"+ty.Name.Name+"Lister")
			if strings.ContainsAny(d.GroupName+d.VersionName, "\"\\\n") {
				return nil, unsupported("group version %s/%s", d.GroupName, d.VersionName)
			}
			var b strings.Builder
			if err := typeInformer.Execute(&b, d); err != nil {
				return nil, err
			}
			add(path.Join(rel, strings.ToLower(ty.Name.Name)+".go"), lister.Assemble(header, version, im, b.String()))
		}
		im := lister.NewImports(pkg)
		ii := im.Name(ps.internal)
		var b strings.Builder
		b.WriteString("// Interface provides access to all the informers in this group version.\ntype Interface interface {\n")
		for _, ty := range gv.types {
			b.WriteString("\t// " + plural.Name(ty) + " returns a " + public.Name(ty) + "Informer.\n")
			b.WriteString("\t" + plural.Name(ty) + "() Typed" + public.Name(ty) + "Informer\n")
		}
		b.WriteString("}\n\ntype version struct {\n\tfactory          " + ii + ".SharedInformerFactory\n\tnamespace        string\n\ttweakListOptions " + ii + ".TweakListOptionsFunc\n}\n\n")
		b.WriteString("// New returns a new Interface.\nfunc New(f " + ii + ".SharedInformerFactory, namespace string, tweakListOptions " + ii + ".TweakListOptionsFunc) Interface {\n\treturn &version{factory: f, namespace: namespace, tweakListOptions: tweakListOptions}\n}\n")
		for _, ty := range gv.types {
			ns := ""
			if gv.namespaced[ty] {
				ns = ", namespace: v.namespace"
			}
			b.WriteString("\n// " + plural.Name(ty) + " returns a Typed" + public.Name(ty) + "Informer.\n")
			b.WriteString("func (v *version) " + plural.Name(ty) + "() Typed" + public.Name(ty) + "Informer {\n")
			b.WriteString("\treturn &" + private.Name(ty) + "Informer{factory: v.factory" + ns + ", tweakListOptions: v.tweakListOptions}\n}\n")
		}
		add(path.Join(rel, "interface.go"), lister.Assemble(header, version, im, b.String()))
	}

	// Per group: interface.go.
	for _, g := range groupOrder {
		pkg := path.Join(ps.out, g)
		im := lister.NewImports(pkg)
		type ver struct{ name, iface, pkg string }
		var vs []ver
		for _, gv := range groups[g] {
			vp := path.Join(pkg, strings.ToLower(gv.version))
			vs = append(vs, ver{name: namer.IC(gv.version), iface: im.Ref(vp, "Interface"), pkg: vp})
		}
		ii := im.Name(ps.internal)
		var b strings.Builder
		b.WriteString("// Interface provides access to each of this group's versions.\ntype Interface interface {\n")
		for _, v := range vs {
			b.WriteString("\t// " + v.name + " provides access to shared informers for resources in " + v.name + ".\n")
			b.WriteString("\t" + v.name + "() " + v.iface + "\n")
		}
		b.WriteString("}\n\ntype group struct {\n\tfactory          " + ii + ".SharedInformerFactory\n\tnamespace        string\n\ttweakListOptions " + ii + ".TweakListOptionsFunc\n}\n\n")
		b.WriteString("// New returns a new Interface.\nfunc New(f " + ii + ".SharedInformerFactory, namespace string, tweakListOptions " + ii + ".TweakListOptionsFunc) Interface {\n\treturn &group{factory: f, namespace: namespace, tweakListOptions: tweakListOptions}\n}\n")
		for _, v := range vs {
			b.WriteString("\n// " + v.name + " returns a new " + v.iface + ".\n")
			b.WriteString("func (g *group) " + v.name + "() " + v.iface + " {\n")
			b.WriteString("\treturn " + im.Ref(v.pkg, "New") + "(g.factory, g.namespace, g.tweakListOptions)\n}\n")
		}
		add(path.Join(outRel, g, "interface.go"), lister.Assemble(header, strings.Split(g, ".")[0], im, b.String()))
	}

	// internalinterfaces/factory_interfaces.go
	{
		pkg := ps.internal
		im := lister.NewImports(pkg)
		if err := expect(im, ps.clientset, "versioned", "time", "time", "k8s.io/apimachinery/pkg/runtime", "runtime",
			"k8s.io/client-go/tools/cache", "cache", "k8s.io/apimachinery/pkg/apis/meta/v1", "v1"); err != nil {
			return nil, err
		}
		add(path.Join(outRel, "internalinterfaces", "factory_interfaces.go"), lister.Assemble(header, "internalinterfaces", im, factoryInterfacesText))
	}

	// factory.go and generic.go
	sort.Strings(groupOrder)
	{
		im := lister.NewImports(ps.out)
		if err := expect(im, ps.clientset, "versioned", ps.internal, "internalinterfaces", "sync", "sync", "time", "time",
			"reflect", "reflect", "k8s.io/client-go/tools/cache", "cache", "k8s.io/apimachinery/pkg/apis/meta/v1", "v1",
			"k8s.io/apimachinery/pkg/util/wait", "wait", "context", "context", "k8s.io/apimachinery/pkg/runtime", "runtime",
			"k8s.io/apimachinery/pkg/runtime/schema", "schema"); err != nil {
			return nil, err
		}
		var b strings.Builder
		b.WriteString(factoryText)
		b.WriteString("\n")
		for _, g := range groupOrder {
			b.WriteString("\t" + goNames[g] + "() " + im.Ref(path.Join(ps.out, g), "Interface") + "\n")
		}
		b.WriteString("}\n")
		for _, g := range groupOrder {
			iface := im.Ref(path.Join(ps.out, g), "Interface")
			b.WriteString("\nfunc (f *sharedInformerFactory) " + goNames[g] + "() " + iface + " {\n")
			b.WriteString("\treturn " + im.Ref(path.Join(ps.out, g), "New") + "(f, f.namespace, f.tweakListOptions)\n}\n")
		}
		add(path.Join(outRel, "factory.go"), lister.Assemble(header, "externalversions", im, b.String()))
	}
	{
		im := lister.NewImports(ps.out)
		if err := expect(im, "k8s.io/client-go/tools/cache", "cache", "k8s.io/apimachinery/pkg/runtime/schema", "schema"); err != nil {
			return nil, err
		}
		// Groups by API group name, versions by name, as generic.go sorts them.
		type gen struct {
			name   string
			goName string
			gvs    []*groupVersion
		}
		var gens []gen
		for _, g := range groupOrder {
			vs := append([]*groupVersion(nil), groups[g]...)
			sort.Slice(vs, func(i, j int) bool { return strings.ToLower(vs[i].version) < strings.ToLower(vs[j].version) })
			gens = append(gens, gen{name: groups[g][0].group, goName: goNames[g], gvs: vs})
		}
		sort.SliceStable(gens, func(i, j int) bool { return strings.ToLower(gens[i].name) < strings.ToLower(gens[j].name) })
		var b strings.Builder
		b.WriteString(genericText)
		first := true
		for _, g := range gens {
			for _, gv := range g.gvs {
				if !first {
					b.WriteString("\n\t\t")
				} else {
					b.WriteString("\t")
				}
				first = false
				b.WriteString("// Group=" + g.name + ", Version=" + gv.version + "\n")
				scheme := im.Ref(gv.types[0].Name.Package, "SchemeGroupVersion")
				for _, ty := range gv.types {
					r := resource.Name(ty)
					if strings.ContainsAny(r, "\"\\\n") {
						return nil, unsupported("resource name %q", r)
					}
					b.WriteString("\tcase " + scheme + ".WithResource(\"" + r + "\"):\n")
					b.WriteString("\t\treturn &genericInformer{resource: resource.GroupResource(), informer: f." + g.goName + "()." + namer.IC(gv.version) + "()." + plural.Name(ty) + "().Informer()}, nil\n")
				}
			}
		}
		fmtName := im.Name("fmt")
		if fmtName != "fmt" {
			return nil, unsupported("generic.go's import name %s for fmt", fmtName)
		}
		b.WriteString("\n\t}\n\n\treturn nil, fmt.Errorf(\"no informer found for %v\", resource)\n}\n")
		add(path.Join(outRel, "generic.go"), lister.Assemble(header, "externalversions", im, b.String()))
	}
	return files, nil
}

// expect names packages in a file's Imports in order and checks each
// gets the name the fixed text uses: path, name, path, name ...
func expect(im *lister.Imports, pairs ...string) error {
	for i := 0; i < len(pairs); i += 2 {
		if got := im.Name(pairs[i]); got != pairs[i+1] {
			return unsupported("import name %s for %s (the fixed text says %s)", got, pairs[i], pairs[i+1])
		}
	}
	return nil
}
