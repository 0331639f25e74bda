package scaffold

import (
	"github.com/aggen-dev/aggen/generators"
	"github.com/aggen-dev/aggen/generators/apidocs"
	"github.com/aggen-dev/aggen/generators/controller"
	"github.com/aggen-dev/aggen/generators/e2e"
	"github.com/aggen-dev/aggen/generators/hub"
	"github.com/aggen-dev/aggen/generators/manifests"
	"github.com/aggen-dev/aggen/generators/registry"
	"github.com/aggen-dev/aggen/generators/server"
)

// Generators are aggen's own generators, in the order they run. Each reads
// only the model; the upstream generators run after them. A generator's
// Scaffold returns the user-owned files the project should have, which
// are written only when missing.
func Generators() []generators.Generator {
	return []generators.Generator{
		{Name: "hub", Generate: hub.Generate, APIs: true, Places: hub.Places},
		{Name: "registry scheme", Generate: registry.Scheme, APIs: true, Places: registry.Places},
		{Name: "registry", Generate: registry.Generate, Places: registry.Places},
		{Name: "registry scaffold", Generate: registry.Scaffold, Check: registry.Check},
		{Name: "server", Generate: server.Generate, Places: server.Places},
		{Name: "server scaffold", Generate: server.Scaffold},
		{Name: "controller", Generate: controller.Generate, Places: controller.Places},
		{Name: "controller scaffold", Generate: controller.Scaffold, Check: controller.Check},
		{Name: "manifests", Generate: manifests.Generate, Places: manifests.Places},
		{Name: "e2e", Generate: e2e.Generate, Places: e2e.Places},
		{Name: "e2e scaffold", Generate: e2e.Scaffold},
		{Name: "apidocs", Generate: apidocs.Generate, Places: apidocs.Places},
	}
}
