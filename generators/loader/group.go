package loader

import (
	"sort"

	"github.com/aggen-dev/aggen/generators/model"
)

// hub settles the storage version of every kind of a group: the version
// marked +kubebuilder:storageversion, or else the most preferred version
// that serves the kind. Kinds may live in some versions only, and each
// may be stored in a version of its own.
func (l *load) hub(g *model.Group) {
	byName := map[string][]*model.Kind{}
	var names []string
	for _, v := range g.Versions {
		for _, k := range v.Kinds {
			if byName[k.Name] == nil {
				names = append(names, k.Name)
			}
			byName[k.Name] = append(byName[k.Name], k)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		kinds := byName[name] // most preferred version first
		var storage *model.Kind
		for _, k := range kinds {
			if !k.StorageVersion {
				continue
			}
			if storage != nil {
				l.errorf(l.storagePosOf(k), "kind %s marks both %s (at %s) and %s as its storage version: keep +kubebuilder:storageversion on one", name, storage.Version, l.storagePosOf(storage), k.Version)
				k.StorageVersion = false
				continue
			}
			storage = k
		}
		if storage == nil {
			storage = kinds[0]
			storage.StorageVersion = true
		}
		for _, k := range kinds {
			if k == storage {
				continue
			}
			if storage.Namespaced != k.Namespaced {
				l.errorf(k.Pos, "kind %s is namespaced in one version and cluster-scoped in another", k.Name)
			}
			if storage.Plural != k.Plural {
				l.errorf(k.Pos, "kind %s has resource name %s here but %s in %s", k.Name, k.Plural, storage.Plural, storage.Version)
			}
		}
		l.storageBackend(kinds)
		g.Kinds = append(g.Kinds, storage)
	}
}

// storageBackend settles where a kind's objects are stored, the same in
// every version: its +aggen:storage (the versions that carry one must
// agree), else the project's default, else etcd.
func (l *load) storageBackend(kinds []*model.Kind) {
	var marked *model.Kind
	for _, k := range kinds {
		if k.Storage == "" {
			continue
		}
		if marked != nil && marked.Storage != k.Storage {
			l.errorf(k.StoragePos, "kind %s is stored in %s here but in %s in %s (at %s): a kind has one storage backend; keep +aggen:storage on one version", k.Name, k.Storage, marked.Storage, marked.Version, marked.StoragePos)
			continue
		}
		if marked == nil {
			marked = k
		}
	}
	backend, pos := l.project.Storage, model.Position{}
	if marked != nil {
		backend, pos = marked.Storage, marked.StoragePos
	}
	if backend == "" {
		backend = model.EtcdStorage
	}
	for _, k := range kinds {
		k.Storage, k.StoragePos = backend, pos
	}
}

// checkDuplicates rejects resource names, short names and group names that
// collide.
func (l *load) checkDuplicates() {
	groups := map[string]string{}
	for _, g := range l.project.Groups {
		if other, ok := groups[g.GroupName]; ok {
			l.errorf(g.Versions[0].DocPos, "groups %s and %s both serve API group %s", other, g.Name, g.GroupName)
		}
		groups[g.GroupName] = g.Name
		plurals := map[string]*model.Kind{}
		shorts := map[string]*model.Kind{}
		for _, k := range g.Kinds {
			if other, ok := plurals[k.Plural]; ok {
				l.errorf(k.Pos, "kinds %s and %s both use resource name %s", other.Name, k.Name, k.Plural)
			}
			plurals[k.Plural] = k
			for _, s := range k.ShortNames {
				if other, ok := shorts[s]; ok {
					l.errorf(k.Pos, "kinds %s and %s both use short name %s", other.Name, k.Name, s)
				}
				shorts[s] = k
			}
		}
	}
}

// storagePosOf is where a kind is marked +kubebuilder:storageversion.
func (l *load) storagePosOf(k *model.Kind) model.Position {
	if p, ok := l.storagePos[k]; ok {
		return p
	}
	return k.Pos
}
