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
	"time"
)

// StartControlPlaneOnEtcd is StartControlPlane for an etcd the caller
// already runs (and owns): it makes the PKI and starts kube-apiserver on
// etcdURL. The returned ControlPlane has no Etcd, so its Stop stops only
// kube-apiserver. Tests that run several servers on one etcd use it to start
// etcd once; each server keeps its own key prefix.
func StartControlPlaneOnEtcd(ctx context.Context, opts ControlPlaneOptions, etcdURL string) (cp *ControlPlane, err error) {
	if opts.Dir == "" {
		return nil, errors.New("ControlPlaneOptions.Dir is required")
	}
	if etcdURL == "" {
		return nil, errors.New("StartControlPlaneOnEtcd: an etcd URL is required")
	}
	logf := opts.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	if opts.KubeAPIServerBinary == "" {
		if opts.KubeAPIServerBinary, err = ResolveBinary(ctx, BinKubeAPIServer); err != nil {
			return nil, err
		}
	}
	cp = &ControlPlane{Dir: opts.Dir}
	if cp.PKI, err = NewClusterPKI(); err != nil {
		return nil, err
	}
	if err = cp.PKI.WriteFiles(filepath.Join(opts.Dir, "pki")); err != nil {
		return nil, err
	}
	start := time.Now()
	cp.APIServer, err = StartKubeAPIServer(ctx, KubeAPIServerOptions{
		Binary: opts.KubeAPIServerBinary, Dir: filepath.Join(opts.Dir, "kube-apiserver"),
		EtcdURL: etcdURL, PKI: cp.PKI, ExtraArgs: opts.ExtraAPIServerArgs,
	})
	if err != nil {
		return nil, err
	}
	logf("kube-apiserver ready at %s after %v (etcd %s)", cp.APIServer.URL, time.Since(start).Round(time.Millisecond), etcdURL)
	cp.AdminKubeconfig = cp.APIServer.AdminKubeconfig
	cp.Admin = cp.APIServer.Admin
	return cp, nil
}

// GoBuild runs `go build -o outDir/ pkgs...` in moduleDir with GOWORK=off,
// so a project that is its own module (a generated project, say) builds
// with its own go.mod. The binaries are named after their package
// directories. Output of a failed build is in the error.
func GoBuild(ctx context.Context, moduleDir, outDir string, pkgs ...string) error {
	if len(pkgs) == 0 {
		return errors.New("GoBuild: no packages")
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	args := append([]string{"build", "-o", outDir + string(filepath.Separator)}, pkgs...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = moduleDir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s in %s: %w\n%s", strings.Join(pkgs, " "), moduleDir, err, out.String())
	}
	return nil
}

// FindRepoDir returns the directory rel (a path relative to the repository
// root, such as "examples/insects"), found by walking up from the working
// directory.
func FindRepoDir(rel string) (string, error) {
	p, err := findRepoFile(rel)
	if err != nil {
		return "", err
	}
	return filepath.Abs(p)
}
