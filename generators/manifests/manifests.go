package manifests

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/aggen-dev/aggen/generators/model"
	"github.com/aggen-dev/aggen/generators/output"
	"github.com/aggen-dev/aggen/templates"
)

// Places are where the manifests live.
var Places = []output.Place{"config/"}

// DefaultGroupPriorityMinimum places the project's groups after the
// built-in ones, as extension servers conventionally do.
const DefaultGroupPriorityMinimum = 1000

// EtcdImage is the image of the etcd the dev and production overlays run.
const EtcdImage = "registry.k8s.io/etcd:3.6.4-0"

// EtcdMembers is the size of the production overlay's etcd cluster: it
// keeps quorum through the loss of one member.
const EtcdMembers = 3

// NonRootUser is the user every container runs as: the distroless
// "nonroot" user the project's Dockerfile sets. The etcd image runs as
// root unless told otherwise, and restricted Pod Security wants a
// non-root user the kubelet can check.
const NonRootUser = 65532

// APIService is one group-version to register with the aggregator.
type APIService struct {
	Group, Version       string
	GroupPriorityMinimum int
	VersionPriority      int
}

type groupRights struct {
	GroupName string
	Resources []string
	// ReadOnlyResources are the computed kinds (+aggen:computed), which
	// serve only get, list and watch.
	ReadOnlyResources []string
	StatusResources   []string
	// Subresources are the rules of the custom subresources: the verb
	// their requests are authorized with (action: create, getter: get,
	// connect: get for GET and create for POST).
	Subresources []subresourceRule
}

type subresourceRule struct {
	Resources []string
	Verbs     []string
}

// subresourceRules groups the custom subresources of a group's kinds by
// the verbs they take, in a stable order.
func subresourceRules(g *model.Group) []subresourceRule {
	byVerbs := map[string][]string{}
	for _, v := range g.Versions {
		for _, k := range v.Kinds {
			for _, s := range k.Subresources {
				verbs := "create"
				switch s.Type {
				case model.GetterSubresource:
					verbs = "get"
				case model.ConnectSubresource:
					verbs = "get,create"
				}
				r := k.Plural + "/" + s.Name
				if !slices.Contains(byVerbs[verbs], r) {
					byVerbs[verbs] = append(byVerbs[verbs], r)
				}
			}
		}
	}
	var out []subresourceRule
	for _, verbs := range []string{"get", "create", "get,create"} {
		if rs := byVerbs[verbs]; len(rs) > 0 {
			sort.Strings(rs)
			out = append(out, subresourceRule{Resources: rs, Verbs: strings.Split(verbs, ",")})
		}
	}
	return out
}

// Names are the object names the manifests use; the e2e harness and
// `aggen certs` use the same.
type Names struct {
	APIServer         string
	ControllerManager string
	Etcd              string
	ServingCertSecret string
	// EtcdServerCertSecret holds etcd's serving and peer certificate,
	// EtcdClientCertSecret the apiserver's client certificate for etcd;
	// both carry the etcd CA as ca.crt.
	EtcdServerCertSecret string
	EtcdClientCertSecret string
}

// NamesOf returns the object names of a project.
func NamesOf(p *model.Project) Names {
	return Names{
		APIServer:            p.Name + "-apiserver",
		ControllerManager:    p.Name + "-controller-manager",
		Etcd:                 p.Name + "-etcd",
		ServingCertSecret:    p.Name + "-apiserver-serving-cert",
		EtcdServerCertSecret: p.Name + "-etcd-server-cert",
		EtcdClientCertSecret: p.Name + "-etcd-client-cert",
	}
}

// EtcdDNSNames are the names etcd's certificate must carry: its
// Service's names and, through the headless Service of the StatefulSet,
// every member's own name (<etcd>-N.<etcd>.<namespace>.svc), which peers
// and the apiserver dial.
func EtcdDNSNames(p *model.Project) []string {
	e, ns := NamesOf(p).Etcd, p.Namespace
	return []string{
		e,
		e + "." + ns,
		e + "." + ns + ".svc",
		e + "." + ns + ".svc.cluster.local",
		"*." + e + "." + ns + ".svc",
		"*." + e + "." + ns + ".svc.cluster.local",
		"localhost",
	}
}

// EtcdMember is one member of an overlay's etcd cluster.
type EtcdMember struct {
	Name               string
	ClientURL, PeerURL string
}

// EtcdCluster lists the members of an etcd StatefulSet of n members: pod
// <etcd>-i, reached through the headless Service <etcd>.
func EtcdCluster(p *model.Project, n int) []EtcdMember {
	e := NamesOf(p).Etcd
	var out []EtcdMember
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("%s-%d", e, i)
		host := name + "." + e + "." + p.Namespace + ".svc"
		out = append(out, EtcdMember{Name: name, ClientURL: "https://" + host + ":2379", PeerURL: "https://" + host + ":2380"})
	}
	return out
}

// DNSNames are the names the serving certificate must carry: the Service's
// cluster names (the aggregator dials <service>.<namespace>.svc) and
// localhost for local runs.
func DNSNames(p *model.Project) []string {
	n := NamesOf(p)
	return []string{
		n.APIServer,
		n.APIServer + "." + p.Namespace,
		n.APIServer + "." + p.Namespace + ".svc",
		n.APIServer + "." + p.Namespace + ".svc.cluster.local",
		"localhost",
	}
}

type data struct {
	Project *model.Project
	Names
	Name         string
	EtcdImage    string
	DNSNames     []string
	EtcdDNSNames []string
	APIServices  []APIService
	Groups       []groupRights
	NonRootUser  int
	// EtcdServers is the base's ETCD_SERVERS: the one member of the dev
	// overlay. ProductionEtcdServers lists the production cluster's.
	EtcdServers           string
	ProductionEtcdServers string
	EtcdMemberCount       int
	// EtcdMembers and EtcdPersistent describe the etcd being rendered.
	EtcdMembers    []EtcdMember
	EtcdPersistent bool
}

func clientURLs(ms []EtcdMember) string {
	var urls []string
	for _, m := range ms {
		urls = append(urls, m.ClientURL)
	}
	return strings.Join(urls, ",")
}

// APIServices lists the group-versions of a project with their
// priorities: versions ordered by maturity, most preferred highest.
func APIServices(p *model.Project) []APIService {
	var out []APIService
	for _, g := range p.Groups {
		n := len(g.Versions)
		for i, v := range g.Versions {
			out = append(out, APIService{
				Group: g.GroupName, Version: v.Name,
				GroupPriorityMinimum: DefaultGroupPriorityMinimum,
				VersionPriority:      10*(n-i) + 5,
			})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Group != out[j].Group {
			return out[i].Group < out[j].Group
		}
		return out[i].VersionPriority > out[j].VersionPriority
	})
	return out
}

// Generate renders config/.
func Generate(r *templates.Renderer, p *model.Project) ([]*output.File, error) {
	d := data{
		Project: p, Names: NamesOf(p), Name: p.Name, EtcdImage: EtcdImage,
		DNSNames: DNSNames(p), EtcdDNSNames: EtcdDNSNames(p), APIServices: APIServices(p),
		NonRootUser:           NonRootUser,
		EtcdServers:           clientURLs(EtcdCluster(p, 1)),
		ProductionEtcdServers: clientURLs(EtcdCluster(p, EtcdMembers)),
		EtcdMemberCount:       EtcdMembers,
	}
	for _, g := range p.Groups {
		gr := groupRights{GroupName: g.GroupName}
		for _, k := range g.Kinds {
			if k.Computed {
				gr.ReadOnlyResources = append(gr.ReadOnlyResources, k.Plural)
				continue
			}
			gr.Resources = append(gr.Resources, k.Plural)
			if k.Status {
				gr.StatusResources = append(gr.StatusResources, k.Plural)
			}
		}
		gr.Subresources = subresourceRules(g)
		d.Groups = append(d.Groups, gr)
	}
	dev, production := d, d
	dev.EtcdMembers = EtcdCluster(p, 1)
	production.EtcdMembers, production.EtcdPersistent = EtcdCluster(p, EtcdMembers), true
	files := []struct {
		tmpl, path string
		data       data
	}{
		{"manifests/base_kustomization.yaml.tmpl", "config/base/kustomization.yaml", d},
		{"manifests/namespace.yaml.tmpl", "config/base/namespace.yaml", d},
		{"manifests/service_account.yaml.tmpl", "config/base/service_account.yaml", d},
		{"manifests/rbac.yaml.tmpl", "config/base/rbac.yaml", d},
		{"manifests/service.yaml.tmpl", "config/base/service.yaml", d},
		{"manifests/network_policy.yaml.tmpl", "config/base/network_policy.yaml", d},
		{"manifests/apiserver.yaml.tmpl", "config/base/apiserver.yaml", d},
		{"manifests/controller_manager.yaml.tmpl", "config/base/controller_manager.yaml", d},
		{"manifests/ha_kustomization.yaml.tmpl", "config/components/ha/kustomization.yaml", d},
		{"manifests/pdb.yaml.tmpl", "config/components/ha/pdb.yaml", d},
		{"manifests/certmanager_component.yaml.tmpl", "config/components/cert-manager/kustomization.yaml", d},
		{"manifests/certificates.yaml.tmpl", "config/components/cert-manager/certificates.yaml", d},
		{"manifests/dev_kustomization.yaml.tmpl", "config/overlays/dev/kustomization.yaml", d},
		{"manifests/etcd.yaml.tmpl", "config/overlays/dev/etcd.yaml", dev},
		{"manifests/production_kustomization.yaml.tmpl", "config/overlays/production/kustomization.yaml", d},
		{"manifests/etcd.yaml.tmpl", "config/overlays/production/etcd.yaml", production},
		{"manifests/local_kustomization.yaml.tmpl", "config/overlays/local/kustomization.yaml", d},
		{"manifests/certmanager_kustomization.yaml.tmpl", "config/overlays/cert-manager/kustomization.yaml", d},
	}
	if len(d.APIServices) > 0 {
		files = append(files, struct {
			tmpl, path string
			data       data
		}{"manifests/apiservice.yaml.tmpl", "config/base/apiservice.yaml", d})
	}
	var out []*output.File
	for _, f := range files {
		b, err := r.Render(f.tmpl, f.data)
		if err != nil {
			return nil, fmt.Errorf("manifests: %w", err)
		}
		out = append(out, &output.File{Path: f.path, Data: b, Owner: output.Generated})
	}
	return out, nil
}
