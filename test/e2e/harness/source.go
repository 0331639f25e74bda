package harness

import "embed"

// Source is this package's own Go source. aggen's e2e generator
// (generators/e2e) copies every file of it but the tests and this one into
// each generated project's test/e2e/harness, so the harness aggen tests
// itself with and the one users get are the same code.
//
//go:embed *.go
var Source embed.FS
