package clientset

import (
	"k8s.io/gengo/v2/types"
)

// renderFake is typed/<group>/<version>/fake/fake_<kind>.go.
func (ti *typeInfo) renderFake(pkgPath, realClientPkg string) *goFile {
	f := newGoFile("fake", pkgPath)
	t := ti.t
	n := func(t *types.Type) string { return f.n(t.Name.Package, t.Name.Name) }
	ctx := func() string { return f.n("context", "Context") }
	meta := func(name string) string { return f.n(metav1, name) }
	tst := func(name string) string { return f.n(testingPkg, name) }
	tags := ti.tags
	client, typeArgs := ti.gentypeClient(f, true)
	group := ti.g.groupGoName + versionGo(ti.g)
	f.w("\n// fake", ti.pubPl, " implements ", ti.pub, "Interface\ntype fake", ti.pubPl, " struct {\n\t*", f.n(gentypePkg, client), "[", typeArgs(), "]\n\tFake *Fake", group, "\n}\n")
	f.w("\nfunc newFake", ti.pubPl, "(fake *Fake", group)
	ns := `""`
	if ti.namespaced {
		f.w(", namespace string")
		ns = "namespace"
	}
	f.w(") ", f.n(realClientPkg, t.Name.Name+"Interface"), " {\n\treturn &fake", ti.pubPl, "{\n\t\t", f.n(gentypePkg, "New"+client), "[", typeArgs(), "](\n")
	f.w("\t\t\tfake.Fake,\n\t\t\t", ns, ",\n")
	sgv := func() string { return f.n(t.Name.Package, "SchemeGroupVersion") }
	f.w("\t\t\t", sgv(), ".WithResource(\"", ti.resource, "\"),\n")
	f.w("\t\t\t", sgv(), ".WithKind(\"", ti.p.namers["singularKind"].Name(t), "\"),\n")
	r := n(t)
	f.funcLit("\t\t\t", "func() *"+r, "return &"+r+"{}")
	if ti.verb("list") {
		f.funcLit("\t\t\t", "func() *"+r+"List", "return &"+r+"List{}")
		f.funcLit("\t\t\t", "func(dst, src *"+r+"List)", "dst.ListMeta = src.ListMeta")
		f.funcLit("\t\t\t", "func(list *"+r+"List) []*"+r, "return gentype.ToPointerSlice(list.Items)")
		f.funcLit("\t\t\t", "func(list *"+r+"List, items []*"+r+")", "list.Items = gentype.FromPointerSlice(items)")
	}
	f.w("\t\t),\n\t\tfake,\n\t}\n}\n")
	if tags.NoVerbs {
		return f
	}

	// invokes writes the call to the fake, namespaced or at the root, and
	// the blank line client-gen's template leaves after the namespaced one.
	invokes := func(nsCall, rootCall func() string) {
		if ti.namespaced {
			f.w("\t\tInvokes(", nsCall(), ")\n\n")
		} else {
			f.w("\t\tInvokes(", rootCall(), ")\n")
		}
	}
	tail := func(res string) {
		f.w("\tif obj == nil {\n\t\treturn emptyResult, err\n\t}\n\treturn obj.(*", res, "), err\n}\n")
	}
	for _, m := range ti.methods {
		in, res := m.input, m.result
		sub := m.isSub()
		pin := ti.privOf(in)
		recv := "func (c *fake" + ti.pubPl + ") " + m.verb + "(ctx "
		switch m.verbType {
		case "get":
			f.w("\n// ", m.verb, " takes name of the ", ti.priv, ", and returns the corresponding ", ti.privOf(res), " object, and an error if there is any.\n")
			if sub {
				f.w(recv, ctx(), ", ", ti.priv, "Name string, options ", meta("GetOptions"), ") (result *", n(res), ", err error) {\n")
			} else {
				f.w(recv, ctx(), ", name string, options ", meta("GetOptions"), ") (result *", n(res), ", err error) {\n")
			}
			f.w("\temptyResult := &", n(res), "{}\n\tobj, err := c.Fake.\n")
			if sub {
				invokes(func() string {
					return tst("NewGetSubresourceActionWithOptions") + "(c.Resource(), c.Namespace(), \"" + m.sub + "\", " + ti.priv + "Name, options), emptyResult"
				}, func() string {
					return tst("NewRootGetSubresourceActionWithOptions") + "(c.Resource(), \"" + m.sub + "\", " + ti.priv + "Name, options), emptyResult"
				})
			} else {
				invokes(func() string {
					return tst("NewGetActionWithOptions") + "(c.Resource(), c.Namespace(), name, options), emptyResult"
				}, func() string {
					return tst("NewRootGetActionWithOptions") + "(c.Resource(), name, options), emptyResult"
				})
			}
			tail(n(res))
		case "list":
			f.w("\n// ", m.verb, " takes label and field selectors, and returns the list of ", ti.pubPl, " that match those selectors.\n")
			f.w(recv, ctx(), ", opts ", meta("ListOptions"), ") (result *", n(t), "List, err error) {\n")
			f.w("\temptyResult := &", n(t), "List{}\n\tobj, err := c.Fake.\n")
			invokes(func() string {
				return tst("NewListActionWithOptions") + "(c.Resource(), c.Kind(), c.Namespace(), opts), emptyResult"
			}, func() string {
				return tst("NewRootListActionWithOptions") + "(c.Resource(), c.Kind(), opts), emptyResult"
			})
			tail(n(t) + "List")
		case "create", "update":
			opts := "CreateOptions"
			if m.verbType == "create" {
				f.w("\n// ", m.verb, " takes the representation of a ", pin, " and creates it.  Returns the server's representation of the ", ti.privOf(res), ", and an error, if there is any.\n")
			} else {
				opts = "UpdateOptions"
				f.w("\n// ", m.verb, " takes the representation of a ", pin, " and updates it. Returns the server's representation of the ", ti.privOf(res), ", and an error, if there is any.\n")
			}
			f.w(recv, ctx(), ", ")
			if sub {
				f.w(ti.priv, "Name string, ")
			}
			f.w(pin, " *", n(in), ", opts ", meta(opts), ") (result *", n(res), ", err error) {\n")
			f.w("\temptyResult := &", n(res), "{}\n\tobj, err := c.Fake.\n")
			switch {
			case m.verbType == "create" && sub:
				invokes(func() string {
					return tst("NewCreateSubresourceActionWithOptions") + "(c.Resource(), " + ti.priv + "Name, \"" + m.sub + "\", c.Namespace(), " + pin + ", opts), emptyResult"
				}, func() string {
					return tst("NewRootCreateSubresourceActionWithOptions") + "(c.Resource(), " + ti.priv + "Name, \"" + m.sub + "\", " + pin + ", opts), emptyResult"
				})
			case m.verbType == "create":
				invokes(func() string {
					return tst("NewCreateActionWithOptions") + "(c.Resource(), c.Namespace(), " + pin + ", opts), emptyResult"
				}, func() string {
					return tst("NewRootCreateActionWithOptions") + "(c.Resource(), " + pin + ", opts), emptyResult"
				})
			case sub:
				invokes(func() string {
					fn := tst("NewUpdateSubresourceActionWithOptions")
					return fn + "(c.Resource(), \"" + m.sub + "\", c.Namespace(), " + pin + ", opts), &" + n(in) + "{}"
				}, func() string {
					return tst("NewRootUpdateSubresourceActionWithOptions") + "(c.Resource(), \"" + m.sub + "\", " + pin + ", opts), emptyResult"
				})
			default:
				invokes(func() string {
					return tst("NewUpdateActionWithOptions") + "(c.Resource(), c.Namespace(), " + pin + ", opts), emptyResult"
				}, func() string {
					return tst("NewRootUpdateActionWithOptions") + "(c.Resource(), " + pin + ", opts), emptyResult"
				})
			}
			tail(n(res))
		case "patch":
			f.w("\n// ", m.verb, " applies the patch and returns the patched ", ti.privOf(res), ".\n")
			f.w(recv, ctx(), ", name string, pt ", f.n(apitypes, "PatchType"), ", data []byte, opts ", meta("PatchOptions"), ", subresources ...string) (result *", n(res), ", err error) {\n")
			f.w("\temptyResult := &", n(res), "{}\n\tobj, err := c.Fake.\n")
			invokes(func() string {
				return tst("NewPatchSubresourceActionWithOptions") + "(c.Resource(), c.Namespace(), name, pt, data, opts, subresources...), emptyResult"
			}, func() string {
				return tst("NewRootPatchSubresourceActionWithOptions") + "(c.Resource(), name, pt, data, opts, subresources...), emptyResult"
			})
			tail(n(res))
		case "apply":
			ac := func() string { return f.n(m.applyConfig.Package, m.applyConfig.Name) }
			errf := func() string { return f.n("fmt", "Errorf") }
			if sub {
				f.w("\n// ", m.verb, " takes top resource name and the apply declarative configuration for ", m.sub, ",\n// applies it and returns the applied ", ti.privOf(res), ", and an error, if there is any.\n")
				f.w(recv, ctx(), ", ", ti.priv, "Name string, ", pin, " *", ac(), ", opts ", meta("ApplyOptions"), ") (result *", n(res), ", err error) {\n")
			} else {
				f.w("\n// ", m.verb, " takes the given apply declarative configuration, applies it and returns the applied ", ti.privOf(res), ".\n")
				f.w(recv, ctx(), ", ", pin, " *", ac(), ", opts ", meta("ApplyOptions"), ") (result *", n(res), ", err error) {\n")
			}
			f.w("\tif ", pin, " == nil {\n\t\treturn nil, ", errf(), "(\"", pin, " provided to ", m.verb, " must not be nil\")\n\t}\n")
			f.w("\tdata, err := ", f.n("encoding/json", "Marshal"), "(", pin, ")\n\tif err != nil {\n\t\treturn nil, err\n\t}\n")
			if !sub {
				f.w("\tname := ", pin, ".Name\n\tif name == nil {\n\t\treturn nil, ", errf(), "(\"", pin, ".Name must be provided to ", m.verb, "\")\n\t}\n")
			}
			f.w("\temptyResult := &", n(res), "{}\n\tobj, err := c.Fake.\n")
			if sub {
				invokes(func() string {
					fn := tst("NewPatchSubresourceActionWithOptions")
					return fn + "(c.Resource(), c.Namespace(), " + ti.priv + "Name, " + f.n(apitypes, "ApplyPatchType") + ", data, opts.ToPatchOptions(), \"" + pin + "\"), emptyResult"
				}, func() string {
					fn := tst("NewRootPatchSubresourceActionWithOptions")
					return fn + "(c.Resource(), " + ti.priv + "Name, " + f.n(apitypes, "ApplyPatchType") + ", data, opts.ToPatchOptions(), \"" + pin + "\"), emptyResult"
				})
			} else {
				invokes(func() string {
					fn := tst("NewPatchSubresourceActionWithOptions")
					return fn + "(c.Resource(), c.Namespace(), *name, " + f.n(apitypes, "ApplyPatchType") + ", data, opts.ToPatchOptions()), emptyResult"
				}, func() string {
					fn := tst("NewRootPatchSubresourceActionWithOptions")
					return fn + "(c.Resource(), *name, " + f.n(apitypes, "ApplyPatchType") + ", data, opts.ToPatchOptions()), emptyResult"
				})
			}
			tail(n(res))
		}
	}
	return f
}
