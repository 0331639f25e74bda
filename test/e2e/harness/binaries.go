package harness

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Names of the binaries hack/e2e-binaries.sh builds.
const (
	BinEtcd            = "etcd"
	BinKubeAPIServer   = "kube-apiserver"
	BinSampleAPIServer = "sample-apiserver"
)

// binaryEnv maps a binary name to the environment variable that overrides it.
var binaryEnv = map[string]string{
	BinEtcd:            "AGGEN_E2E_ETCD",
	BinKubeAPIServer:   "AGGEN_E2E_KUBE_APISERVER",
	BinSampleAPIServer: "AGGEN_E2E_SAMPLE_APISERVER",
}

// BinaryEnvVar returns the environment variable naming the binary's path.
func BinaryEnvVar(name string) string { return binaryEnv[name] }

// ResolveBinary returns the path of one of the e2e binaries. The environment
// variable for it (AGGEN_E2E_ETCD, AGGEN_E2E_KUBE_APISERVER,
// AGGEN_E2E_SAMPLE_APISERVER) wins when set; otherwise hack/e2e-binaries.sh
// (found by walking up from the working directory) builds it or returns the
// cached copy. A cold kube-apiserver build takes minutes.
func ResolveBinary(ctx context.Context, name string) (string, error) {
	env, ok := binaryEnv[name]
	if !ok {
		return "", fmt.Errorf("unknown e2e binary %q", name)
	}
	if p := os.Getenv(env); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s=%s: %w", env, p, err)
		}
		return p, nil
	}
	script, err := findRepoFile(filepath.Join("hack", "e2e-binaries.sh"))
	if err != nil {
		return "", fmt.Errorf("%s is unset and %w", env, err)
	}
	cmd := exec.CommandContext(ctx, "bash", script, name)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = os.Stderr // progress of a long build stays visible
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s %s: %w", script, name, err)
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	dir := strings.TrimSpace(lines[len(lines)-1])
	if dir == "" {
		return "", fmt.Errorf("%s %s printed no directory", script, name)
	}
	bin := filepath.Join(dir, name)
	if _, err := os.Stat(bin); err != nil {
		return "", fmt.Errorf("%s %s: %w", script, name, err)
	}
	return bin, nil
}

// findRepoFile walks up from the working directory looking for rel.
func findRepoFile(rel string) (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, rel)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New(rel + " was not found above the working directory")
		}
		dir = parent
	}
}
