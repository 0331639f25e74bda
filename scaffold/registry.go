package scaffold

import (
	"github.com/aggen-dev/aggen/generators"
	"github.com/aggen-dev/aggen/generators/hub"
	"github.com/aggen-dev/aggen/generators/manifests"
)

// Generators are aggen's own generators, in the order they run. Each reads
// only the model; the upstream generators run after them.
func Generators() []generators.Generator {
	return []generators.Generator{
		{Name: "hub", Generate: hub.Generate},
		{Name: "manifests", Generate: manifests.Generate},
	}
}
