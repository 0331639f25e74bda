// Package staged generates a project and keeps the staged copy aggen
// generated it from, for tests that run other generators on that copy.
package staged

import (
	"os"
	"strings"
	"testing"

	"github.com/aggen-dev/aggen/generators"
)

// Generate generates the project at dir with opts and keeps the
// staged copy aggen generated it from (its internal hub types and implied
// tags), removed when the test ends; it returns the result and the stage.
func Generate(t *testing.T, dir string, opts generators.Options) (*generators.Result, string) {
	t.Helper()
	var progress strings.Builder
	opts.KeepStage, opts.Progress = true, &progress
	res, err := generators.Generate(dir, opts)
	stage := ""
	for _, l := range strings.Split(progress.String(), "\n") {
		if rest, ok := strings.CutPrefix(l, "staging directory kept at "); ok {
			stage = rest
			t.Cleanup(func() { os.RemoveAll(rest) })
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	if stage == "" {
		t.Fatal("no staging directory")
	}
	return res, stage
}
