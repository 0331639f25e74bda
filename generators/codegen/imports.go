package codegen

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/aggen-dev/aggen/generators/goformat"
)

// ImportLineError is an import tracker's line that ImportBlock cannot
// write as the upstream generators' files end up with it.
type ImportLineError struct{ Line string }

func (e *ImportLineError) Error() string { return fmt.Sprintf("import line %q", e.Line) }

var importName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// ImportBlock turns the lines of a gengo import tracker (`name "path"`)
// into the import block goimports leaves of them in an upstream
// generator's file: grouped and sorted (goformat.ImportSpecs), then a
// blank line; "" without imports. The renderers of upstream generators'
// files all write their imports with it.
//
// A line importing self, the file's own package, is left out, as the
// upstream generators leave it out; importsSelf reports one. A line of
// another shape, or whose name is not a plain identifier, is an
// *ImportLineError.
func ImportBlock(lines []string, self string) (block string, importsSelf bool, err error) {
	var specs []goformat.Import
	for _, line := range lines {
		if self != "" && (line == self || strings.HasSuffix(line, `"`+self+`"`)) {
			importsSelf = true
			continue
		}
		name, quoted, ok := strings.Cut(line, " ")
		path, uerr := strconv.Unquote(quoted)
		if !ok || uerr != nil || path == self || !importName.MatchString(name) {
			return "", importsSelf, &ImportLineError{Line: line}
		}
		specs = append(specs, goformat.Import{Name: name, Path: path})
	}
	if len(specs) == 0 {
		return "", importsSelf, nil
	}
	return "import (\n" + goformat.ImportSpecs(specs) + ")\n\n", importsSelf, nil
}
