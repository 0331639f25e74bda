package clientset

import (
	"fmt"
	"os"
	"path"
	"strings"

	clientgentypes "k8s.io/code-generator/cmd/client-gen/types"
)

// file is one rendered file, project-relative.
type file struct {
	rel  string
	data string
}

// render returns every file client-gen writes for p, or Unsupported.
func (p *plan) render() ([]file, error) {
	var out []file
	add := func(rel string, f *goFile) error {
		data, ok := f.assemble(p.header)
		if !ok {
			return unsupported("imports of %s", rel)
		}
		out = append(out, file{rel: rel, data: data})
		return nil
	}
	doc := func(rel, pkg, comment string) {
		out = append(out, file{rel: rel, data: p.header + comment + "package " + pkg + "\n"})
	}

	if err := add(path.Join(p.clientsetRel, "clientset.go"), p.renderClientset()); err != nil {
		return nil, err
	}
	doc(path.Join(p.clientsetRel, "scheme", "doc.go"), "scheme", "// This package contains the scheme of the automatically generated clientset.\n")
	if err := add(path.Join(p.clientsetRel, "scheme", "register.go"), p.renderScheme(path.Join(p.clientsetPkg, "scheme"), "scheme", false)); err != nil {
		return nil, err
	}
	doc(path.Join(p.clientsetRel, "fake", "doc.go"), "fake", "// This package has the automatically generated fake clientset.\n")
	if err := add(path.Join(p.clientsetRel, "fake", "clientset_generated.go"), p.renderFakeClientset()); err != nil {
		return nil, err
	}
	if err := add(path.Join(p.clientsetRel, "fake", "register.go"), p.renderScheme(p.clientsetPkg, "fake", true)); err != nil {
		return nil, err
	}
	for _, g := range p.gvs {
		ver := strings.ToLower(g.gv.Version.NonEmpty())
		sub := path.Join("typed", strings.ToLower(g.pkgName), ver)
		rel := path.Join(p.clientsetRel, sub)
		pkg := path.Join(p.clientsetPkg, sub)
		doc(path.Join(rel, "doc.go"), ver, "// This package has the automatically generated typed clients.\n")
		doc(path.Join(rel, "fake", "doc.go"), "fake", "// Package fake has the automatically generated clients.\n")
		var expansion strings.Builder
		for _, t := range g.types {
			ti := p.typeInfo(g, t)
			file := strings.ToLower(ti.priv) + ".go"
			if err := add(path.Join(rel, file), ti.renderTyped(pkg)); err != nil {
				return nil, err
			}
			if err := add(path.Join(rel, "fake", "fake_"+file), ti.renderFake(path.Join(pkg, "fake"), pkg)); err != nil {
				return nil, err
			}
			if _, err := os.Stat(p.t.Abs(path.Join(rel, strings.ToLower(t.Name.Name+"_expansion.go")))); os.IsNotExist(err) {
				fmt.Fprintf(&expansion, "\ntype %sExpansion interface{}\n", p.namers["public"].Name(t))
			}
		}
		if err := add(path.Join(rel, g.pkgName+"_client.go"), p.renderGroup(g, pkg)); err != nil {
			return nil, err
		}
		exp := newGoFile(ver, pkg)
		exp.w(expansion.String())
		if err := add(path.Join(rel, "generated_expansion.go"), exp); err != nil {
			return nil, err
		}
		if err := add(path.Join(rel, "fake", "fake_"+g.pkgName+"_client.go"), p.renderFakeGroup(g, path.Join(pkg, "fake"), pkg)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// renderGroup is typed/<group>/<version>/<group>_client.go.
func (p *plan) renderGroup(g *gvPlan, pkg string) *goFile {
	f := newGoFile(strings.ToLower(g.gv.Version.NonEmpty()), pkg)
	client := g.groupGoName + versionGo(g) + "Client"
	rest := func(name string) string { return f.n(restPkg, name) }
	schemePkg := path.Join(p.clientsetPkg, "scheme")
	f.w("\ntype ", g.groupGoName, versionGo(g), "Interface interface {\n\tRESTClient() ", rest("Interface"), "\n")
	for _, t := range g.types {
		f.w("\t", p.namers["publicPlural"].Name(t), "Getter\n")
	}
	f.w("}\n")
	f.w("\n// ", client, " is used to interact with features provided by the ", string(g.gv.Group), " group.\ntype ", client, " struct {\n\trestClient ", rest("Interface"), "\n}\n")
	for _, t := range g.types {
		pp := p.namers["publicPlural"].Name(t)
		if g.tags[t].NonNamespaced {
			f.w("\nfunc (c *", client, ") ", pp, "() ", p.namers["public"].Name(t), "Interface {\n\treturn new", pp, "(c)\n}\n")
		} else {
			f.w("\nfunc (c *", client, ") ", pp, "(namespace string) ", p.namers["public"].Name(t), "Interface {\n\treturn new", pp, "(c, namespace)\n}\n")
		}
	}
	f.w("\n// NewForConfig creates a new ", client, " for the given config.\n// NewForConfig is equivalent to NewForConfigAndClient(c, httpClient),\n// where httpClient was generated with rest.HTTPClientFor(c).\n")
	f.w("func NewForConfig(c *", rest("Config"), ") (*", client, ", error) {\n\tconfig := *c\n\tsetConfigDefaults(&config)\n\thttpClient, err := ", rest("HTTPClientFor"), "(&config)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\treturn NewForConfigAndClient(&config, httpClient)\n}\n")
	f.w("\n// NewForConfigAndClient creates a new ", client, " for the given config and http client.\n// Note the http client provided takes precedence over the configured transport values.\n")
	f.w("func NewForConfigAndClient(c *", rest("Config"), ", h *", f.n("net/http", "Client"), ") (*", client, ", error) {\n\tconfig := *c\n\tsetConfigDefaults(&config)\n\tclient, err := ", rest("RESTClientForConfigAndClient"), "(&config, h)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\treturn &", client, "{client}, nil\n}\n")
	f.w("\n// NewForConfigOrDie creates a new ", client, " for the given config and\n// panics if there is an error in the config.\n")
	f.w("func NewForConfigOrDie(c *", rest("Config"), ") *", client, " {\n\tclient, err := NewForConfig(c)\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\treturn client\n}\n")
	f.w("\n// New creates a new ", client, " for the given RESTClient.\nfunc New(c ", rest("Interface"), ") *", client, " {\n\treturn &", client, "{c}\n}\n")
	f.w("\nfunc setConfigDefaults(config *", rest("Config"), ") {\n\tgv := ", f.n(g.input, "SchemeGroupVersion"), "\n\tconfig.GroupVersion = &gv\n\tconfig.APIPath = \"", p.a.ClientsetAPIPath, "\"\n")
	f.w("\tconfig.NegotiatedSerializer = ", rest("CodecFactoryForGeneratedClient"), "(", f.n(schemePkg, "Scheme"), ", ", f.n(schemePkg, "Codecs"), ").WithoutConversion()\n\n")
	f.w("\tif config.UserAgent == \"\" {\n\t\tconfig.UserAgent = ", rest("DefaultKubernetesUserAgent"), "()\n\t}\n}\n")
	f.w("\n// RESTClient returns a RESTClient that is used to communicate\n// with API server by this client implementation.\nfunc (c *", client, ") RESTClient() ", rest("Interface"), " {\n\tif c == nil {\n\t\treturn nil\n\t}\n\treturn c.restClient\n}\n")
	return f
}

// renderFakeGroup is typed/<group>/<version>/fake/fake_<group>_client.go.
func (p *plan) renderFakeGroup(g *gvPlan, pkg, realPkg string) *goFile {
	f := newGoFile("fake", pkg)
	real := strings.ToLower(path.Base(realPkg))
	f.extra = append(f.extra, fmt.Sprintf("%s %q", real, realPkg))
	name := "Fake" + g.groupGoName + versionGo(g)
	f.w("\ntype ", name, " struct {\n\t*", f.n(testingPkg, "Fake"), "\n}\n")
	for _, t := range g.types {
		pp := p.namers["publicPlural"].Name(t)
		if g.tags[t].NonNamespaced {
			f.w("\nfunc (c *", name, ") ", pp, "() ", real, ".", p.namers["public"].Name(t), "Interface {\n\treturn newFake", pp, "(c)\n}\n")
		} else {
			f.w("\nfunc (c *", name, ") ", pp, "(namespace string) ", real, ".", p.namers["public"].Name(t), "Interface {\n\treturn newFake", pp, "(c, namespace)\n}\n")
		}
	}
	f.w("\n// RESTClient returns a RESTClient that is used to communicate\n// with API server by this client implementation.\nfunc (c *", name, ") RESTClient() ", f.n(restPkg, "Interface"), " {\n\tvar ret *", f.n(restPkg, "RESTClient"), "\n\treturn ret\n}\n")
	return f
}

func (p *plan) groupInfos() []clientgentypes.GroupVersionInfo {
	return clientgentypes.ToGroupVersionInfo(p.groups, p.goNames)
}

// typedPkg is the typed client package of a group-version.
func (p *plan) typedPkg(g clientgentypes.GroupVersions, v clientgentypes.PackageVersion) string {
	return path.Join(p.clientsetPkg, "typed", strings.ToLower(g.PackageName), strings.ToLower(v.NonEmpty()))
}

func (p *plan) alias(g clientgentypes.GroupVersions, v clientgentypes.PackageVersion) string {
	return strings.ToLower(p.goNames[clientgentypes.GroupVersion{Group: g.Group, Version: v.Version}]) + strings.ToLower(v.NonEmpty())
}

// renderClientset is clientset.go.
func (p *plan) renderClientset() *goFile {
	f := newGoFile(path.Base(p.clientsetPkg), p.clientsetPkg)
	for _, g := range p.groups {
		for _, v := range g.Versions {
			f.extra = append(f.extra, fmt.Sprintf("%s %q", p.alias(g, v), p.typedPkg(g, v)))
		}
	}
	infos := p.groupInfos()
	disc := func(name string) string { return f.n("k8s.io/client-go/discovery", name) }
	rest := func(name string) string { return f.n(restPkg, name) }
	f.w("\ntype Interface interface {\n\tDiscovery() ", disc("DiscoveryInterfaces"), "\n")
	for _, g := range infos {
		f.w("\t", g.GroupGoName, string(g.Version), "() ", g.PackageAlias, ".", g.GroupGoName, string(g.Version), "Interface\n")
	}
	f.w("}\n")
	f.w("\n// Clientset contains the clients for groups.\ntype Clientset struct {\n\t*", disc("DiscoveryClient"), "\n")
	width := 0
	for _, g := range infos {
		if l := len(g.LowerCaseGroupGoName + string(g.Version)); l > width {
			width = l
		}
	}
	for _, g := range infos {
		field := g.LowerCaseGroupGoName + string(g.Version)
		f.w("\t", field, strings.Repeat(" ", width-len(field)+1), "*", g.PackageAlias, ".", g.GroupGoName, string(g.Version), "Client\n")
	}
	f.w("}\n")
	for _, g := range infos {
		gv := g.GroupGoName + string(g.Version)
		f.w("\n// ", gv, " retrieves the ", gv, "Client\nfunc (c *Clientset) ", gv, "() ", g.PackageAlias, ".", gv, "Interface {\n\treturn c.", g.LowerCaseGroupGoName, string(g.Version), "\n}\n")
	}
	f.w("\n// Discovery retrieves the DiscoveryClient\nfunc (c *Clientset) Discovery() ", disc("DiscoveryInterfaces"), " {\n\tif c == nil {\n\t\treturn nil\n\t}\n\treturn c.DiscoveryClient\n}\n")
	f.w("\n// NewForConfig creates a new Clientset for the given config.\n// If config's RateLimiter is not set and QPS and Burst are acceptable,\n// NewForConfig will generate a rate-limiter in configShallowCopy.\n// NewForConfig is equivalent to NewForConfigAndClient(c, httpClient),\n// where httpClient was generated with rest.HTTPClientFor(c).\n")
	f.w("func NewForConfig(c *", rest("Config"), ") (*Clientset, error) {\n\tconfigShallowCopy := *c\n\n\tif configShallowCopy.UserAgent == \"\" {\n\t\tconfigShallowCopy.UserAgent = ", rest("DefaultKubernetesUserAgent"), "()\n\t}\n\n")
	f.w("\t// share the transport between all clients\n\thttpClient, err := ", rest("HTTPClientFor"), "(&configShallowCopy)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\n\treturn NewForConfigAndClient(&configShallowCopy, httpClient)\n}\n")
	f.w("\n// NewForConfigAndClient creates a new Clientset for the given config and http client.\n// Note the http client provided takes precedence over the configured transport values.\n// If config's RateLimiter is not set and QPS and Burst are acceptable,\n// NewForConfigAndClient will generate a rate-limiter in configShallowCopy.\n")
	f.w("func NewForConfigAndClient(c *", rest("Config"), ", httpClient *", f.n("net/http", "Client"), ") (*Clientset, error) {\n\tconfigShallowCopy := *c\n\tif configShallowCopy.RateLimiter == nil && configShallowCopy.QPS > 0 {\n\t\tif configShallowCopy.Burst <= 0 {\n")
	f.w("\t\t\treturn nil, ", f.n("fmt", "Errorf"), "(\"burst is required to be greater than 0 when RateLimiter is not set and QPS is set to greater than 0\")\n\t\t}\n")
	f.w("\t\tconfigShallowCopy.RateLimiter = ", f.n("k8s.io/client-go/util/flowcontrol", "NewTokenBucketRateLimiter"), "(configShallowCopy.QPS, configShallowCopy.Burst)\n\t}\n\n\tvar cs Clientset\n\tvar err error\n")
	for _, g := range infos {
		f.w("\tcs.", g.LowerCaseGroupGoName, string(g.Version), ", err = ", g.PackageAlias, ".NewForConfigAndClient(&configShallowCopy, httpClient)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n")
	}
	f.w("\n\tcs.DiscoveryClient, err = ", disc("NewDiscoveryClientForConfigAndClient"), "(&configShallowCopy, httpClient)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\treturn &cs, nil\n}\n")
	f.w("\n// NewForConfigOrDie creates a new Clientset for the given config and\n// panics if there is an error in the config.\nfunc NewForConfigOrDie(c *", rest("Config"), ") *Clientset {\n\tcs, err := NewForConfig(c)\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\treturn cs\n}\n")
	f.w("\n// New creates a new Clientset for the given RESTClient.\nfunc New(c ", rest("Interface"), ") *Clientset {\n\tvar cs Clientset\n")
	for _, g := range infos {
		f.w("\tcs.", g.LowerCaseGroupGoName, string(g.Version), " = ", g.PackageAlias, ".New(c)\n")
	}
	f.w("\n\tcs.DiscoveryClient = ", disc("NewDiscoveryClient"), "(c)\n\treturn &cs\n}\n")
	return f
}

// renderScheme is scheme/register.go, or with private fake/register.go.
func (p *plan) renderScheme(trackerPkg, pkgName string, private bool) *goFile {
	f := newGoFile(pkgName, trackerPkg)
	for _, g := range p.groups {
		for _, v := range g.Versions {
			f.extra = append(f.extra, fmt.Sprintf("%s %q", p.alias(g, v), v.Package))
		}
	}
	scheme, codecs := "Scheme", "Codecs"
	if private {
		scheme, codecs = "scheme", "codecs"
	}
	rt := func(name string) string { return f.n("k8s.io/apimachinery/pkg/runtime", name) }
	f.w("\nvar ", scheme, " = ", rt("NewScheme"), "()\nvar ", codecs, " = ", f.n("k8s.io/apimachinery/pkg/runtime/serializer", "NewCodecFactory"), "(", scheme, ")\n")
	if private {
		f.w("\n")
	} else {
		f.w("var ParameterCodec = ", rt("NewParameterCodec"), "(", scheme, ")\n")
	}
	f.w("var localSchemeBuilder = ", rt("SchemeBuilder"), "{\n")
	for _, g := range p.groupInfos() {
		f.w("\t", g.PackageAlias, ".AddToScheme,\n")
	}
	f.w("}\n")
	f.w(`
// AddToScheme adds all types of this clientset into the given scheme. This allows composition
// of clientsets, like in:
//
//	import (
//	  "k8s.io/client-go/kubernetes"
//	  clientsetscheme "k8s.io/client-go/kubernetes/scheme"
//	  aggregatorclientsetscheme "k8s.io/kube-aggregator/pkg/client/clientset_generated/clientset/scheme"
//	)
//
//	kclientset, _ := kubernetes.NewForConfig(c)
//	_ = aggregatorclientsetscheme.AddToScheme(clientsetscheme.Scheme)
//
// After this, RawExtensions in Kubernetes types will serialize kube-aggregator types
// correctly.
var AddToScheme = localSchemeBuilder.AddToScheme
`)
	f.w("\nfunc init() {\n\t", f.n("k8s.io/apimachinery/pkg/apis/meta/v1", "AddToGroupVersion"), "(", scheme, ", ", f.n("k8s.io/apimachinery/pkg/runtime/schema", "GroupVersion"), "{Version: \"v1\"})\n")
	f.w("\t", f.n("k8s.io/apimachinery/pkg/util/runtime", "Must"), "(AddToScheme(", scheme, "))\n}\n")
	return f
}

// renderFakeClientset is fake/clientset_generated.go.
func (p *plan) renderFakeClientset() *goFile {
	f := newGoFile("fake", p.clientsetPkg)
	for _, g := range p.groups {
		for _, v := range g.Versions {
			typed := p.typedPkg(g, v)
			f.extra = append(f.extra, fmt.Sprintf("%s %q", p.alias(g, v), typed), fmt.Sprintf("fake%s %q", p.alias(g, v), path.Join(typed, "fake")))
		}
	}
	f.extra = append(f.extra, fmt.Sprintf("clientset %q", p.clientsetPkg),
		"k8s.io/client-go/testing", "k8s.io/client-go/discovery", `fakediscovery "k8s.io/client-go/discovery/fake"`,
		"k8s.io/apimachinery/pkg/runtime", "k8s.io/apimachinery/pkg/watch", `metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"`)
	const reactors = `	cs := &Clientset{tracker: o}
	cs.discovery = &fakediscovery.FakeDiscovery{Fake: &cs.Fake}
	cs.AddReactor("*", "*", testing.ObjectReaction(o))
	cs.AddWatchReactor("*", func(action testing.Action) (handled bool, ret watch.Interface, err error) {
		var opts metav1.ListOptions
		if watchAction, ok := action.(testing.WatchActionImpl); ok {
			opts = watchAction.ListOptions
		}
		gvr := action.GetResource()
		ns := action.GetNamespace()
		watch, err := o.Watch(gvr, ns, opts)
		if err != nil {
			return false, nil, err
		}
		return true, watch, nil
	})

	return cs
}
`
	const add = `	for _, obj := range objects {
		if err := o.Add(obj); err != nil {
			panic(err)
		}
	}

`
	f.w(`
// NewSimpleClientset returns a clientset that will respond with the provided objects.
// It's backed by a very simple object tracker that processes creates, updates and deletions as-is,
// without applying any field management, validations and/or defaults. It shouldn't be considered a replacement
// for a real clientset and is mostly useful in simple unit tests.
func NewSimpleClientset(objects ...runtime.Object) *Clientset {
	o := testing.NewObjectTracker(scheme, codecs.UniversalDecoder())
`, add, reactors, `
// Clientset implements clientset.Interface. Meant to be embedded into a
// struct to get a default implementation. This makes faking out just the method
// you want to test easier.
type Clientset struct {
	testing.Fake
	discovery *fakediscovery.FakeDiscovery
	tracker   testing.ObjectTracker
}

func (c *Clientset) Discovery() discovery.DiscoveryInterfaces {
	return c.discovery
}

func (c *Clientset) Tracker() testing.ObjectTracker {
	return c.tracker
}

// IsWatchListSemanticsUnSupported informs the reflector that this client
// doesn't support WatchList semantics.
//
// This is a synthetic method whose sole purpose is to satisfy the optional
// interface check performed by the reflector.
// Returning true signals that WatchList can NOT be used.
// No additional logic is implemented here.
func (c *Clientset) IsWatchListSemanticsUnSupported() bool {
	return true
}

// NewClientset returns a clientset that will respond with the provided objects.
// It's backed by a very simple object tracker that processes creates, updates and deletions as-is,
// without applying any validations and/or defaults. It shouldn't be considered a replacement
// for a real clientset and is mostly useful in simple unit tests.
//
// Compared to NewSimpleClientset, the Clientset returned here supports field tracking and thus
// server-side apply. Beware though that support in that for CRDs is missing
// (https://github.com/kubernetes/kubernetes/issues/126850).
func NewClientset(objects ...runtime.Object) *Clientset {
	o := testing.NewFieldManagedObjectTracker(
		scheme,
		codecs.UniversalDecoder(),
		`, f.n(p.applyPkg, "NewTypeConverter"), `(scheme),
	)
`, add, reactors, `
var (
	_ clientset.Interface = &Clientset{}
	_ testing.FakeClient  = &Clientset{}
)
`)
	for _, g := range p.groupInfos() {
		gv := g.GroupGoName + string(g.Version)
		f.w("\n// ", gv, " retrieves the ", gv, "Client\nfunc (c *Clientset) ", gv, "() ", g.PackageAlias, ".", gv, "Interface {\n\treturn &fake", g.PackageAlias, ".Fake", gv, "{Fake: &c.Fake}\n}\n")
	}
	return f
}
