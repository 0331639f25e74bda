package loader

import (
	"sort"

	"github.com/aggen-dev/aggen/generators/model"
)

// hub settles the storage version of a group and the kinds its internal
// (hub) package holds. aggen keeps one storage version per group: the hub
// types are copied from that version, so every kind must exist there.
func (l *load) hub(g *model.Group) {
	var storage *model.Version
	for _, v := range g.Versions {
		for _, k := range v.Kinds {
			if !k.StorageVersion {
				continue
			}
			if storage != nil && storage != v {
				l.errorf(l.storagePosOf(k), "kind %s marks %s as storage version, but %s is already the storage version of group %s (aggen keeps one storage version per group)", k.Name, v.Name, storage.Name, g.Name)
				continue
			}
			storage = v
		}
	}
	if storage == nil {
		// Without a marker the most preferred version is stored; the kinds
		// say so below, so every generator agrees.
		storage = g.Versions[0]
	}
	for _, k := range storage.Kinds {
		k.StorageVersion = true
	}
	seen := map[string]bool{}
	for _, k := range storage.Kinds {
		g.Kinds = append(g.Kinds, k)
		seen[k.Name] = true
	}
	for _, v := range g.Versions {
		if v == storage {
			continue
		}
		for _, k := range v.Kinds {
			if !seen[k.Name] {
				l.errorf(k.Pos, "kind %s is not in %s, the storage version of group %s: add it there too (aggen keeps one storage version per group)", k.Name, storage.Name, g.Name)
				seen[k.Name] = true
			}
			if sk := storage.Kind(k.Name); sk != nil {
				if sk.Namespaced != k.Namespaced {
					l.errorf(k.Pos, "kind %s is namespaced in one version and cluster-scoped in another", k.Name)
				}
				if sk.Plural != k.Plural {
					l.errorf(k.Pos, "kind %s has resource name %s here but %s in %s", k.Name, k.Plural, sk.Plural, storage.Name)
				}
			}
		}
	}
	sort.Slice(g.Kinds, func(i, j int) bool { return g.Kinds[i].Name < g.Kinds[j].Name })
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
