package lister

import (
	"errors"
	"os"
	"path"
	"path/filepath"
	"strings"

	"k8s.io/code-generator/cmd/client-gen/generators/util"
	"k8s.io/code-generator/pkg/apidefinitions"
	"k8s.io/gengo/v2/namer"
	"k8s.io/gengo/v2/types"

	"github.com/aggen-dev/aggen/generators/codegen"
)

// File is a rendered file: its project-relative slash path and final
// bytes.
type File struct {
	Rel  string
	Data []byte
}

// kinds is what lister-gen decides for one input package: the types it
// writes listers for, in its order, and where they go.
type kinds struct {
	// Pkg is the input package, Group its directory name and Version its
	// leaf (lister-gen's package names, before any +groupName).
	Pkg            *types.Package
	Group, Version string
	Types          []*types.Type
	// NonNamespaced holds the types marked +genclient:nonNamespaced.
	NonNamespaced map[*types.Type]bool
}

// ClientTags parses a type's +genclient tags as the client generators do;
// a tag they would panic on is unsupported.
func ClientTags(t *types.Type) (util.Tags, error) {
	tags, err := util.ParseClientGenTags(append(append([]string(nil), t.SecondClosestCommentLines...), t.CommentLines...))
	if err != nil {
		return tags, unsupported("the +genclient tags of %s: %v", t.Name, err)
	}
	return tags, nil
}

// listedKinds returns, per input package in order, the types lister-gen
// generates for: the +genclient types with the list and get verbs, in
// packages lister-gen does not skip. A package lister-gen would fail on,
// or treat as an internal version, is unsupported.
func listedKinds(u types.Universe, inputs []string) ([]kinds, error) {
	var out []kinds
	for _, in := range inputs {
		p, ok := u[in]
		if !ok {
			return nil, unsupported("input package %s missing from the parse", in)
		}
		info, err := apidefinitions.Identify(p, apidefinitions.Lister)
		if err != nil {
			return nil, unsupported("package %s: %v", in, err)
		}
		if !info.ShouldGenerate() {
			continue
		}
		generating, found := false, false
		for _, t := range p.Types {
			tags, err := ClientTags(t)
			if err != nil {
				return nil, err
			}
			if !tags.GenerateClient {
				continue
			}
			generating = true
			for _, m := range t.Members {
				if m.Name == "ObjectMeta" {
					if !strings.Contains(m.Tags, "json") {
						return nil, unsupported("internal versions (%s)", in)
					}
					found = true
					break
				}
			}
		}
		if generating && !found {
			return nil, unsupported("package %s: no ObjectMeta in its +genclient types", in)
		}
		if !generating {
			continue
		}
		parts := strings.Split(p.Path, "/")
		if len(parts) < 2 {
			return nil, unsupported("package path %s", p.Path)
		}
		if _, _, err := apidefinitions.GroupNameForPackage(p.Comments); err != nil {
			return nil, unsupported("package %s: %v", in, err)
		}
		k := kinds{Pkg: p, Group: parts[len(parts)-2], Version: parts[len(parts)-1], NonNamespaced: map[*types.Type]bool{}}
		var list []*types.Type
		for _, t := range p.Types {
			tags, _ := ClientTags(t)
			if !tags.GenerateClient || !tags.HasVerb("list") || !tags.HasVerb("get") {
				continue
			}
			list = append(list, t)
			if tags.NonNamespaced {
				k.NonNamespaced[t] = true
			}
		}
		if len(list) == 0 {
			continue
		}
		orderer := namer.Orderer{Namer: namer.NewPrivateNamer(0)}
		list = orderer.OrderTypes(list)
		seen := map[string]bool{}
		for _, t := range list {
			low := strings.ToLower(t.Name.Name)
			if seen[low] || low == "expansion_generated" {
				return nil, unsupported("types whose file names collide (%s)", t.Name)
			}
			seen[low] = true
		}
		k.Types = list
		out = append(out, k)
	}
	return out, nil
}

// render writes lister-gen's files for inputs, or reports the shape it
// does not support; it adds nothing to any session.
func render(u types.Universe, t codegen.Tree, header string, inputs []string, exceptions map[string]string) ([]File, error) {
	ks, err := listedKinds(u, inputs)
	if err != nil {
		return nil, err
	}
	public := namer.NewPublicNamer(0)
	private := namer.NewPrivateNamer(0)
	plural := namer.NewPublicPluralNamer(exceptions)
	var files []File
	for _, k := range ks {
		group := strings.ToLower(k.Group)
		version := strings.ToLower(k.Version)
		rel := path.Join(OutputDir, group, version)
		outPkg := t.Pkg(rel)
		var expansions []string
		for _, ty := range k.Types {
			manual := filepath.Join(t.Abs(rel), strings.ToLower(ty.Name.Name+"_expansion.go"))
			if _, err := os.Stat(manual); err == nil {
				continue
			} else if !errors.Is(err, os.ErrNotExist) {
				return nil, err
			}
			pub := public.Name(ty)
			expansions = append(expansions, "// "+pub+"ListerExpansion allows custom methods to be added to\n// "+pub+"Lister.\ntype "+pub+"ListerExpansion interface{}\n")
			if !k.NonNamespaced[ty] {
				expansions = append(expansions, "// "+pub+"NamespaceListerExpansion allows custom methods to be added to\n// "+pub+"NamespaceLister.\ntype "+pub+"NamespaceListerExpansion interface{}\n")
			}
		}
		files = append(files, File{path.Join(rel, "expansion_generated.go"), Assemble(header, version, nil, Decls(expansions))})
		for _, ty := range k.Types {
			im := NewImports(outPkg)
			files = append(files, File{path.Join(rel, strings.ToLower(ty.Name.Name)+".go"),
				Assemble(header, version, im, listerBody(im, ty, k.NonNamespaced[ty], public.Name(ty), private.Name(ty), plural.Name(ty)))})
		}
	}
	return files, nil
}

// listerBody is a lister file's declarations; im learns the imports in
// the order lister-gen's templates name them.
func listerBody(im *Imports, ty *types.Type, nonNamespaced bool, pub, priv, plural string) string {
	selector := im.Ref("k8s.io/apimachinery/pkg/labels", "Selector")
	typ := im.Ref(ty.Name.Package, ty.Name.Name)
	var d []string
	if nonNamespaced {
		d = append(d, "// "+pub+"Lister helps list "+plural+".\n"+
			"// All objects returned here must be treated as read-only.\n"+
			"type "+pub+"Lister interface {\n"+
			"\t// List lists all "+plural+" in the indexer.\n"+
			"\t// Objects returned here must be treated as read-only.\n"+
			"\tList(selector "+selector+") (ret []*"+typ+", err error)\n"+
			"\t// Get retrieves the "+pub+" from the index for a given name.\n"+
			"\t// Objects returned here must be treated as read-only.\n"+
			"\tGet(name string) (*"+typ+", error)\n"+
			"\t"+pub+"ListerExpansion\n}\n")
	} else {
		d = append(d, "// "+pub+"Lister helps list "+plural+".\n"+
			"// All objects returned here must be treated as read-only.\n"+
			"type "+pub+"Lister interface {\n"+
			"\t// List lists all "+plural+" in the indexer.\n"+
			"\t// Objects returned here must be treated as read-only.\n"+
			"\tList(selector "+selector+") (ret []*"+typ+", err error)\n"+
			"\t// "+plural+" returns an object that can list and get "+plural+".\n"+
			"\t"+plural+"(namespace string) "+pub+"NamespaceLister\n"+
			"\t"+pub+"ListerExpansion\n}\n")
	}
	indexer := im.Ref("k8s.io/client-go/listers", "ResourceIndexer")
	d = append(d, "// "+priv+"Lister implements the "+pub+"Lister interface.\n"+
		"type "+priv+"Lister struct {\n\t"+indexer+"[*"+typ+"]\n}\n")
	cacheIndexer := im.Ref("k8s.io/client-go/tools/cache", "Indexer")
	newLister := im.Ref("k8s.io/client-go/listers", "New")
	resource := im.Ref(ty.Name.Package, "Resource")
	d = append(d, "// New"+pub+"Lister returns a new "+pub+"Lister.\n"+
		"func New"+pub+"Lister(indexer "+cacheIndexer+") "+pub+"Lister {\n"+
		"\treturn &"+priv+"Lister{"+newLister+"[*"+typ+"](indexer, "+resource+"(\""+strings.ToLower(ty.Name.Name)+"\"))}\n}\n")
	if nonNamespaced {
		return Decls(d)
	}
	newNamespaced := im.Ref("k8s.io/client-go/listers", "NewNamespaced")
	d = append(d, "// "+plural+" returns an object that can list and get "+plural+".\n"+
		"func (s *"+priv+"Lister) "+plural+"(namespace string) "+pub+"NamespaceLister {\n"+
		"\treturn "+priv+"NamespaceLister{"+newNamespaced+"[*"+typ+"](s.ResourceIndexer, namespace)}\n}\n")
	d = append(d, "// "+pub+"NamespaceLister helps list and get "+plural+".\n"+
		"// All objects returned here must be treated as read-only.\n"+
		"type "+pub+"NamespaceLister interface {\n"+
		"\t// List lists all "+plural+" in the indexer for a given namespace.\n"+
		"\t// Objects returned here must be treated as read-only.\n"+
		"\tList(selector "+selector+") (ret []*"+typ+", err error)\n"+
		"\t// Get retrieves the "+pub+" from the indexer for a given namespace and name.\n"+
		"\t// Objects returned here must be treated as read-only.\n"+
		"\tGet(name string) (*"+typ+", error)\n"+
		"\t"+pub+"NamespaceListerExpansion\n}\n")
	d = append(d, "// "+priv+"NamespaceLister implements the "+pub+"NamespaceLister\n// interface.\n"+
		"type "+priv+"NamespaceLister struct {\n\t"+indexer+"[*"+typ+"]\n}\n")
	return Decls(d)
}
