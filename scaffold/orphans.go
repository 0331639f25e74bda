package scaffold

import (
	"path/filepath"
	"sort"

	"github.com/aggen-dev/aggen/generators/output"
)

// kindOwnedPatterns are the user-owned files aggen scaffolds per kind.
// When the kind is deleted they stay (they are the user's), but the code
// they call is gone, so the project stops building until they go too.
var kindOwnedPatterns = []string{
	"pkg/registry/*/*/hooks.go",
	"pkg/controller/*/*_controller.go",
}

// orphans lists per-kind user-owned files that no kind produces any more.
func orphans(dir string, files *output.Set) []string {
	var out []string
	for _, pattern := range kindOwnedPatterns {
		matches, _ := filepath.Glob(filepath.Join(dir, filepath.FromSlash(pattern)))
		for _, m := range matches {
			rel, err := filepath.Rel(dir, m)
			if err != nil {
				continue
			}
			rel = filepath.ToSlash(rel)
			if files.Get(rel) == nil {
				out = append(out, rel)
			}
		}
	}
	sort.Strings(out)
	return out
}
