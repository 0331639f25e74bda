package registry

import (
	"fmt"

	"github.com/aggen-dev/aggen/generators/model"
)

// MarkerError reports a marker whose value the registry generator cannot
// turn into code, at the position of the declaration that carries it.
type MarkerError struct {
	Pos     model.Position
	Marker  string
	Message string
}

func (e *MarkerError) Error() string {
	return fmt.Sprintf("%s: %s: %s", e.Pos, e.Marker, e.Message)
}

// RenderError wraps a template failure with the file being rendered.
type RenderError struct {
	Path string
	Err  error
}

func (e *RenderError) Error() string { return fmt.Sprintf("rendering %s: %v", e.Path, e.Err) }

func (e *RenderError) Unwrap() error { return e.Err }

// Position is where the problem is.
func (e *MarkerError) Position() model.Position { return e.Pos }
