package manifests

import (
	"fmt"
	"sort"

	"github.com/aggen-dev/aggen/generators/model"
	"github.com/aggen-dev/aggen/generators/output"
	"github.com/aggen-dev/aggen/templates"
)

// DefaultGroupPriorityMinimum places the project's groups after the
// built-in ones, as extension servers conventionally do.
const DefaultGroupPriorityMinimum = 1000

// EtcdImage is the image of the development etcd.
const EtcdImage = "registry.k8s.io/etcd:3.6.4-0"

// APIService is one group-version to register with the aggregator.
type APIService struct {
	Group, Version       string
	GroupPriorityMinimum int
	VersionPriority      int
}

type groupRights struct {
	GroupName       string
	Resources       []string
	StatusResources []string
}

// Names are the object names the manifests use; the e2e harness and
// `aggen certs` use the same.
type Names struct {
	APIServer         string
	ControllerManager string
	Etcd              string
	ServingCertSecret string
}

// NamesOf returns the object names of a project.
func NamesOf(p *model.Project) Names {
	return Names{
		APIServer:         p.Name + "-apiserver",
		ControllerManager: p.Name + "-controller-manager",
		Etcd:              p.Name + "-etcd",
		ServingCertSecret: p.Name + "-apiserver-serving-cert",
	}
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
	Name        string
	EtcdImage   string
	DNSNames    []string
	APIServices []APIService
	Groups      []groupRights
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
	d := data{Project: p, Names: NamesOf(p), Name: p.Name, EtcdImage: EtcdImage, DNSNames: DNSNames(p), APIServices: APIServices(p)}
	for _, g := range p.Groups {
		gr := groupRights{GroupName: g.GroupName}
		for _, k := range g.Kinds {
			gr.Resources = append(gr.Resources, k.Plural)
			if k.Status {
				gr.StatusResources = append(gr.StatusResources, k.Plural)
			}
		}
		d.Groups = append(d.Groups, gr)
	}
	files := []struct{ tmpl, path string }{
		{"manifests/base_kustomization.yaml.tmpl", "config/base/kustomization.yaml"},
		{"manifests/namespace.yaml.tmpl", "config/base/namespace.yaml"},
		{"manifests/service_account.yaml.tmpl", "config/base/service_account.yaml"},
		{"manifests/rbac.yaml.tmpl", "config/base/rbac.yaml"},
		{"manifests/service.yaml.tmpl", "config/base/service.yaml"},
		{"manifests/apiserver.yaml.tmpl", "config/base/apiserver.yaml"},
		{"manifests/controller_manager.yaml.tmpl", "config/base/controller_manager.yaml"},
		{"manifests/dev_kustomization.yaml.tmpl", "config/overlays/dev/kustomization.yaml"},
		{"manifests/etcd.yaml.tmpl", "config/overlays/dev/etcd.yaml"},
		{"manifests/local_kustomization.yaml.tmpl", "config/overlays/local/kustomization.yaml"},
		{"manifests/certmanager_kustomization.yaml.tmpl", "config/overlays/cert-manager/kustomization.yaml"},
		{"manifests/certificate.yaml.tmpl", "config/overlays/cert-manager/certificate.yaml"},
	}
	if len(d.APIServices) > 0 {
		files = append(files, struct{ tmpl, path string }{"manifests/apiservice.yaml.tmpl", "config/base/apiservice.yaml"})
	}
	var out []*output.File
	for _, f := range files {
		b, err := r.Render(f.tmpl, d)
		if err != nil {
			return nil, fmt.Errorf("manifests: %w", err)
		}
		out = append(out, &output.File{Path: f.path, Data: b, Owner: output.Generated})
	}
	return out, nil
}
