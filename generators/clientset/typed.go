package clientset

import (
	"path"
	"strings"

	"k8s.io/code-generator/cmd/client-gen/generators/util"
	"k8s.io/gengo/v2/namer"
	"k8s.io/gengo/v2/types"
)

const (
	metav1     = "k8s.io/apimachinery/pkg/apis/meta/v1"
	apitypes   = "k8s.io/apimachinery/pkg/types"
	gentypePkg = "k8s.io/client-go/gentype"
	testingPkg = "k8s.io/client-go/testing"
	restPkg    = "k8s.io/client-go/rest"
)

// method is one +genclient:method extension, resolved as client-gen
// resolves it.
type method struct {
	verb, verbType, sub string
	input, result       *types.Type
	applyConfig         types.Name // for apply
}

func (m *method) isSub() bool { return m.sub != "" }

// typeInfo holds the names of one kind, from client-gen's own namers.
type typeInfo struct {
	p          *plan
	g          *gvPlan
	t          *types.Type
	tags       util.Tags
	namespaced bool
	// public, publicPlural, private, privatePlural, resource
	pub, pubPl, priv, privPl, resource string
	applyConfig                        types.Name
	methods                            []method
}

func (p *plan) typeInfo(g *gvPlan, t *types.Type) *typeInfo {
	tags := g.tags[t]
	ti := &typeInfo{p: p, g: g, t: t, tags: tags, namespaced: !tags.NonNamespaced,
		pub: p.namers["public"].Name(t), pubPl: p.namers["publicPlural"].Name(t),
		priv: p.namers["private"].Name(t), privPl: p.namers["privatePlural"].Name(t),
		resource: p.namers["resource"].Name(t)}
	_, gvString := util.ParsePathGroupVersion(g.input)
	ti.applyConfig = types.Name{Package: path.Join(p.applyPkg, gvString), Name: t.Name.Name + "ApplyConfiguration"}
	for i := range tags.Extensions {
		e := &tags.Extensions[i]
		m := method{verb: e.VerbName, verbType: e.VerbType, sub: e.SubResourcePath}
		in, res := *t, *t
		inGV := gvString
		if len(e.InputTypeOverride) > 0 {
			if name, pkg := e.Input(); len(pkg) > 0 {
				_, inGV = util.ParsePathGroupVersion(pkg)
				in = types.Type{Name: types.Name{Package: pkg, Name: name}}
			} else {
				in.Name.Name = e.InputTypeOverride
			}
		}
		if len(e.ResultTypeOverride) > 0 {
			if name, pkg := e.Result(); len(pkg) > 0 {
				res = types.Type{Name: types.Name{Package: pkg, Name: name}}
			} else {
				res.Name.Name = e.ResultTypeOverride
			}
		}
		m.input, m.result = &in, &res
		m.applyConfig = types.Name{Package: path.Join(p.applyPkg, inGV), Name: in.Name.Name + "ApplyConfiguration"}
		ti.methods = append(ti.methods, m)
	}
	return ti
}

func (ti *typeInfo) privOf(t *types.Type) string  { return ti.p.namers["private"].Name(t) }
func (ti *typeInfo) pubPlOf(t *types.Type) string { return ti.p.namers["publicPlural"].Name(t) }

// renderTyped is typed/<group>/<version>/<kind>.go.
func (ti *typeInfo) renderTyped(pkgPath string) *goFile {
	f := newGoFile(strings.ToLower(ti.g.gv.Version.NonEmpty()), pkgPath)
	t := ti.t
	n := func(t *types.Type) string { return f.n(t.Name.Package, t.Name.Name) }
	ctx := func() string { return f.n("context", "Context") }
	meta := func(name string) string { return f.n(metav1, name) }

	f.w("\n// ", ti.pubPl, "Getter has a method to return a ", ti.pub, "Interface.\n// A group's client should implement this interface.\n")
	if ti.namespaced {
		f.w("type ", ti.pubPl, "Getter interface {\n\t", ti.pubPl, "(namespace string) ", ti.pub, "Interface\n}\n")
	} else {
		f.w("type ", ti.pubPl, "Getter interface {\n\t", ti.pubPl, "() ", ti.pub, "Interface\n}\n")
	}
	f.w("\n// ", ti.pub, "Interface has methods to work with ", ti.pub, " resources.\ntype ", ti.pub, "Interface interface {")
	tags := ti.tags
	if !tags.NoVerbs {
		tags = interfaceTags(t, tags)
		f.w("\n")
		for _, v := range util.SupportedVerbs {
			if !tags.HasVerb(v) {
				continue
			}
			f.w("\t")
			switch v {
			case "create":
				f.w("Create(ctx ", ctx(), ", ", ti.priv, " *", n(t), ", opts ", meta("CreateOptions"), ") (*", n(t), ", error)")
			case "update":
				f.w("Update(ctx ", ctx(), ", ", ti.priv, " *", n(t), ", opts ", meta("UpdateOptions"), ") (*", n(t), ", error)")
			case "updateStatus":
				f.w("// Add a +genclient:noStatus comment above the type to avoid generating UpdateStatus().\n\t")
				f.w("UpdateStatus(ctx ", ctx(), ", ", ti.priv, " *", n(t), ", opts ", meta("UpdateOptions"), ") (*", n(t), ", error)")
			case "delete":
				f.w("Delete(ctx ", ctx(), ", name string, opts ", meta("DeleteOptions"), ") error")
			case "deleteCollection":
				f.w("DeleteCollection(ctx ", ctx(), ", opts ", meta("DeleteOptions"), ", listOpts ", meta("ListOptions"), ") error")
			case "get":
				f.w("Get(ctx ", ctx(), ", name string, opts ", meta("GetOptions"), ") (*", n(t), ", error)")
			case "list":
				f.w("List(ctx ", ctx(), ", opts ", meta("ListOptions"), ") (*", n(t), "List, error)")
			case "watch":
				f.w("Watch(ctx ", ctx(), ", opts ", meta("ListOptions"), ") (", f.n("k8s.io/apimachinery/pkg/watch", "Interface"), ", error)")
			case "patch":
				f.w("Patch(ctx ", ctx(), ", name string, pt ", f.n(apitypes, "PatchType"), ", data []byte, opts ", meta("PatchOptions"), ", subresources ...string) (result *", n(t), ", err error)")
			case "apply":
				f.w("Apply(ctx ", ctx(), ", ", ti.priv, " *", f.n(ti.applyConfig.Package, ti.applyConfig.Name), ", opts ", meta("ApplyOptions"), ") (result *", n(t), ", err error)")
			case "applyStatus":
				f.w("// Add a +genclient:noStatus comment above the type to avoid generating ApplyStatus().\n\t")
				f.w("ApplyStatus(ctx ", ctx(), ", ", ti.priv, " *", f.n(ti.applyConfig.Package, ti.applyConfig.Name), ", opts ", meta("ApplyOptions"), ") (result *", n(t), ", err error)")
			}
			f.w("\n")
		}
		for _, m := range ti.methods {
			in, res := m.input, m.result
			f.w("\t", m.verb, "(ctx ", ctx(), ", ")
			sub := m.isSub() && m.verbType != "patch"
			switch m.verbType {
			case "create", "update":
				if sub {
					f.w(ti.priv, "Name string, ")
				}
				opts := "CreateOptions"
				if m.verbType == "update" {
					opts = "UpdateOptions"
				}
				f.w(ti.privOf(in), " *", n(in), ", opts ", meta(opts), ") (*", n(res), ", error)")
			case "get":
				if sub {
					f.w(ti.priv, "Name string, options ", meta("GetOptions"), ") (*", n(res), ", error)")
				} else {
					f.w("name string, opts ", meta("GetOptions"), ") (*", n(res), ", error)")
				}
			case "list":
				f.w("opts ", meta("ListOptions"), ") (*", n(res), "List, error)")
			case "patch":
				f.w("name string, pt ", f.n(apitypes, "PatchType"), ", data []byte, opts ", meta("PatchOptions"), ", subresources ...string) (result *", n(res), ", err error)")
			case "apply":
				if sub {
					f.w(ti.priv, "Name string, ", ti.privOf(in), " *", f.n(m.applyConfig.Package, m.applyConfig.Name), ", opts ", meta("ApplyOptions"), ") (*", n(res), ", error)")
				} else {
					f.w(ti.privOf(in), " *", f.n(m.applyConfig.Package, m.applyConfig.Name), ", opts ", meta("ApplyOptions"), ") (result *", n(res), ", err error)")
				}
			}
			f.w("\n")
		}
		if len(ti.methods) > 0 {
			f.w("\n")
		}
	} else {
		f.w("\n")
	}
	f.w("\t", ti.pub, "Expansion\n}\n")

	client, typeArgs := ti.gentypeClient(f, false)
	f.w("\n// ", ti.privPl, " implements ", ti.pub, "Interface\ntype ", ti.privPl, " struct {\n\t*", f.n(gentypePkg, client), "[")
	f.w(typeArgs(), "]\n}\n")
	f.w("\n// new", ti.pubPl, " returns a ", ti.pubPl, "\nfunc new", ti.pubPl, "(c *", ti.g.groupGoName, versionGo(ti.g), "Client")
	ns := `""`
	if ti.namespaced {
		f.w(", namespace string")
		ns = "namespace"
	}
	f.w(") *", ti.privPl, " {\n\treturn &", ti.privPl, "{\n\t\t", f.n(gentypePkg, "New"+client), "[")
	f.w(typeArgs(), "](\n\t\t\t\"", ti.resource, "\",\n\t\t\tc.RESTClient(),\n\t\t\t", f.n(path.Join(ti.p.clientsetPkg, "scheme"), "ParameterCodec"), ",\n\t\t\t", ns, ",\n")
	r := n(t)
	f.funcLit("\t\t\t", "func() *"+r, "return &"+r+"{}")
	if ti.verb("list") {
		f.funcLit("\t\t\t", "func() *"+r+"List", "return &"+r+"List{}")
	}
	f.w("\t\t),\n\t}\n}\n")
	if tags.NoVerbs {
		return f
	}

	codec := func() string { return f.n(path.Join(ti.p.clientsetPkg, "scheme"), "ParameterCodec") }
	nsLine := func() {
		if ti.namespaced {
			f.w("\t\tNamespace(c.GetNamespace()).\n")
		}
	}
	for _, m := range ti.methods {
		in, res := m.input, m.result
		sub := m.isSub()
		pin := ti.privOf(in)
		switch m.verbType {
		case "get":
			if sub {
				f.w("\n// ", m.verb, " takes name of the ", ti.priv, ", and returns the corresponding ", n(res), " object, and an error if there is any.\n")
				f.w("func (c *", ti.privPl, ") ", m.verb, "(ctx ", ctx(), ", ", ti.priv, "Name string, options ", meta("GetOptions"), ") (result *", n(res), ", err error) {\n")
			} else {
				f.w("\n// ", m.verb, " takes name of the ", ti.priv, ", and returns the corresponding ", ti.privOf(res), " object, and an error if there is any.\n")
				f.w("func (c *", ti.privPl, ") ", m.verb, "(ctx ", ctx(), ", name string, options ", meta("GetOptions"), ") (result *", n(res), ", err error) {\n")
			}
			f.w("\tresult = &", n(res), "{}\n\terr = c.GetClient().Get().\n")
			nsLine()
			f.w("\t\tResource(\"", ti.resource, "\").\n")
			if sub {
				f.w("\t\tName(", ti.priv, "Name).\n\t\tSubResource(\"", m.sub, "\").\n")
			} else {
				f.w("\t\tName(name).\n")
			}
			f.w("\t\tVersionedParams(&options, ", codec(), ").\n\t\tDo(ctx).\n\t\tInto(result)\n\treturn\n}\n")
		case "list":
			f.w("\n// ", m.verb, " takes label and field selectors, and returns the list of ", ti.pubPlOf(res), " that match those selectors.\n")
			f.w("func (c *", ti.privPl, ") ", m.verb, "(ctx ", ctx(), ", opts ", meta("ListOptions"), ") (result *", n(res), "List, err error) {\n")
			f.w("\tvar timeout ", f.n("time", "Duration"), "\n\tif opts.TimeoutSeconds != nil {\n\t\ttimeout = ", f.n("time", "Duration"), "(*opts.TimeoutSeconds) * ", f.n("time", "Second"), "\n\t}\n")
			f.w("\tresult = &", n(res), "List{}\n\terr = c.GetClient().Get().\n")
			nsLine()
			f.w("\t\tResource(\"", ti.resource, "\").\n\t\tVersionedParams(&opts, ", codec(), ").\n\t\tTimeout(timeout).\n\t\tDo(ctx).\n\t\tInto(result)\n\treturn\n}\n")
		case "create", "update":
			if m.verbType == "create" {
				f.w("\n// ", m.verb, " takes the representation of a ", pin, " and creates it.  Returns the server's representation of the ", ti.privOf(res), ", and an error, if there is any.\n")
			} else if sub {
				f.w("\n// ", m.verb, " takes the top resource name and the representation of a ", pin, " and updates it. Returns the server's representation of the ", ti.privOf(res), ", and an error, if there is any.\n")
			} else {
				f.w("\n// ", m.verb, " takes the representation of a ", pin, " and updates it. Returns the server's representation of the ", ti.privOf(res), ", and an error, if there is any.\n")
			}
			opts, call := "CreateOptions", "Post"
			if m.verbType == "update" {
				opts, call = "UpdateOptions", "Put"
			}
			f.w("func (c *", ti.privPl, ") ", m.verb, "(ctx ", ctx(), ", ")
			if sub {
				f.w(ti.priv, "Name string, ")
			}
			f.w(pin, " *", n(in), ", opts ", meta(opts), ") (result *", n(res), ", err error) {\n")
			f.w("\tresult = &", n(res), "{}\n\terr = c.GetClient().", call, "().\n")
			nsLine()
			f.w("\t\tResource(\"", ti.resource, "\").\n")
			if sub {
				f.w("\t\tName(", ti.priv, "Name).\n\t\tSubResource(\"", m.sub, "\").\n")
			} else if m.verbType == "update" {
				f.w("\t\tName(", pin, ".Name).\n")
			}
			f.w("\t\tVersionedParams(&opts, ", codec(), ").\n\t\tBody(", pin, ").\n\t\tDo(ctx).\n\t\tInto(result)\n\treturn\n}\n")
		case "patch":
			f.w("\n// ", m.verb, " applies the patch and returns the patched ", ti.privOf(res), ".\n")
			f.w("func (c *", ti.privPl, ") ", m.verb, "(ctx ", ctx(), ", name string, pt ", f.n(apitypes, "PatchType"), ", data []byte, opts ", meta("PatchOptions"), ", subresources ...string) (result *", n(res), ", err error) {\n")
			f.w("\tresult = &", n(res), "{}\n\terr = c.GetClient().Patch(pt).\n")
			nsLine()
			f.w("\t\tResource(\"", ti.resource, "\").\n\t\tName(name).\n\t\tSubResource(subresources...).\n\t\tVersionedParams(&opts, ", codec(), ").\n\t\tBody(data).\n\t\tDo(ctx).\n\t\tInto(result)\n\treturn\n}\n")
		case "apply":
			ac := func() string { return f.n(m.applyConfig.Package, m.applyConfig.Name) }
			errf := func() string { return f.n("fmt", "Errorf") }
			if sub {
				f.w("\n// ", m.verb, " takes top resource name and the apply declarative configuration for ", m.sub, ",\n// applies it and returns the applied ", ti.privOf(res), ", and an error, if there is any.\n")
				f.w("func (c *", ti.privPl, ") ", m.verb, "(ctx ", ctx(), ", ", ti.priv, "Name string, ", pin, " *", ac(), ", opts ", meta("ApplyOptions"), ") (result *", n(res), ", err error) {\n")
			} else {
				f.w("\n// ", m.verb, " takes the given apply declarative configuration, applies it and returns the applied ", ti.privOf(res), ".\n")
				f.w("func (c *", ti.privPl, ") ", m.verb, "(ctx ", ctx(), ", ", pin, " *", ac(), ", opts ", meta("ApplyOptions"), ") (result *", n(res), ", err error) {\n")
			}
			f.w("\tif ", pin, " == nil {\n\t\treturn nil, ", errf(), "(\"", pin, " provided to ", m.verb, " must not be nil\")\n\t}\n\tpatchOpts := opts.ToPatchOptions()\n")
			if !sub {
				f.w("\tname := ", pin, ".Name\n\tif name == nil {\n\t\treturn nil, ", errf(), "(\"", pin, ".Name must be provided to ", m.verb, "\")\n\t}\n")
			}
			f.w("\trequest, err := ", f.n("k8s.io/client-go/util/apply", "NewRequest"), "(c.GetClient(), ", pin, ")\n\tif err != nil {\n\t\treturn nil, err\n\t}\n")
			if sub {
				f.w("\n")
			}
			f.w("\tresult = &", n(res), "{}\n\terr = request.\n")
			nsLine()
			f.w("\t\tResource(\"", ti.resource, "\").\n")
			if sub {
				f.w("\t\tName(", ti.priv, "Name).\n\t\tSubResource(\"", m.sub, "\").\n")
			} else {
				f.w("\t\tName(*name).\n")
			}
			f.w("\t\tVersionedParams(&patchOpts, ", codec(), ").\n\t\tDo(ctx).\n\t\tInto(result)\n\treturn\n}\n")
		}
	}
	return f
}

func versionGo(g *gvPlan) string { return namer.IC(g.gv.Version.String()) }

// verb reports whether the kind's client has the default verb v.
func (ti *typeInfo) verb(v string) bool { return !ti.tags.NoVerbs && ti.tags.HasVerb(v) }

// gentypeClient names the k8s.io/client-go/gentype client a kind's typed
// client embeds after its verbs ("Client", "ClientWithList", ...; with
// fake, "FakeClient", ...) and returns its type arguments. These name
// their packages in f only when called: import names follow first use, as
// upstream's templates ask for them.
func (ti *typeInfo) gentypeClient(f *goFile, fake bool) (client string, typeArgs func() string) {
	list, apply := ti.verb("list"), ti.verb("apply")
	client = "Client"
	switch {
	case list && apply:
		client = "ClientWithListAndApply"
	case list:
		client = "ClientWithList"
	case apply:
		client = "ClientWithApply"
	}
	if fake {
		client = "Fake" + client
	}
	return client, func() string {
		s := "*" + f.n(ti.t.Name.Package, ti.t.Name.Name)
		if list {
			s += ", *" + f.n(ti.t.Name.Package, ti.t.Name.Name+"List")
		}
		if apply {
			s += ", *" + f.n(ti.applyConfig.Package, ti.applyConfig.Name)
		}
		return s
	}
}
