package scaffold

import (
	"github.com/aggen-dev/aggen/generators"
	"github.com/aggen-dev/aggen/generators/manifests"
)

// StagedGenerators are aggen's own generators whose output the upstream
// generators must parse.
func StagedGenerators() []generators.Generator {
	return generators.DefaultGenerators()
}

// OtherGenerators are aggen's own generators that nothing parses.
func OtherGenerators() []generators.Generator {
	return []generators.Generator{{Name: "manifests", Generate: manifests.Generate}}
}
