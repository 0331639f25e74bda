// Package goenv reads the go command's configuration once per run.
//
// Three parts of a generate key caches on it (the stamp of a generated
// tree, the loader's export data lookup, the declarations the upstream
// generators parse), and `go env` costs 70-90 ms of wall time each: one
// reading, passed to all three, replaces three.
package goenv

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
)

// names are the variables read: the toolchain, the target platform and
// everything else that changes what the go command builds or where it
// finds modules.
var names = []string{
	"GOVERSION", "GOROOT", "GOOS", "GOARCH", "GOFLAGS", "GOEXPERIMENT", "CGO_ENABLED",
	"GOAMD64", "GOARM", "GOARM64", "GO386", "GOMIPS", "GOPPC64", "GORISCV64", "GOWASM",
	"GOMODCACHE",
}

// Env is the go command's configuration as seen from one module.
type Env struct {
	vars map[string]string
	// flags is GOFLAGS from the process environment, which the reading
	// leaves out (see Read).
	flags string
}

// ErrDevelopment is returned for a development toolchain, whose version
// does not name its contents: nothing may be cached on it.
var ErrDevelopment = errors.New("development toolchain")

// Read runs `go env` in dir, the module's root, so that its go.mod
// selects the toolchain. GOWORK is off, as for every go command aggen
// runs. GOFLAGS from the environment is kept out of the reading (each
// caller runs the go command with flags of its own, and a malformed value
// would fail `go env` itself) and reported by Flags.
func Read(dir string) (*Env, error) {
	cmd := exec.Command("go", append([]string{"env", "-json"}, names...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go env: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	vars := map[string]string{}
	if err := json.Unmarshal(out, &vars); err != nil {
		return nil, fmt.Errorf("go env: %w", err)
	}
	return &Env{vars: vars, flags: os.Getenv("GOFLAGS")}, nil
}

// Get returns a variable; "" for one not read.
func (e *Env) Get(name string) string { return e.vars[name] }

// Flags is GOFLAGS of the process environment.
func (e *Env) Flags() string { return e.flags }

// Development reports a development toolchain (see ErrDevelopment).
func (e *Env) Development() bool { return strings.Contains(e.vars["GOVERSION"], "devel") }

// Key is the reading as bytes for a cache key: every variable but those
// excluded (a caller leaves out GOFLAGS when it sets its own), in a fixed
// order.
func (e *Env) Key(exclude ...string) []byte {
	skip := map[string]bool{}
	for _, n := range exclude {
		skip[n] = true
	}
	keys := make([]string, 0, len(e.vars))
	for k := range e.vars {
		if !skip[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b bytes.Buffer
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%q\n", k, e.vars[k])
	}
	return b.Bytes()
}
