package insects

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"

	"k8s.io/apimachinery/pkg/util/yaml"

	"github.com/aggen-dev/aggen/test/e2e/harness"
)

// renderOverlay runs `kubectl kustomize dir` and decodes every document.
// Unlike harness.RenderKustomization it needs no cluster, so overlays with
// kinds the test cluster does not know (cert-manager's) render too.
func renderOverlay(ctx context.Context, dir string) ([]harness.Manifest, error) {
	cmd := exec.CommandContext(ctx, "kubectl", "kustomize", dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("kubectl kustomize %s: %w: %s", dir, err, strings.TrimSpace(stderr.String()))
	}
	dec := yaml.NewYAMLOrJSONDecoder(&stdout, 4096)
	var out []harness.Manifest
	for {
		var m harness.Manifest
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("decoding kubectl kustomize %s: %w", dir, err)
		}
		if len(m) > 0 {
			out = append(out, m)
		}
	}
}

func filterManifests(objs []harness.Manifest, keep func(harness.Manifest) bool) []harness.Manifest {
	var out []harness.Manifest
	for _, o := range objs {
		if keep(o) {
			out = append(out, o)
		}
	}
	return out
}

func ofKind(objs []harness.Manifest, kind string) []harness.Manifest {
	return filterManifests(objs, func(o harness.Manifest) bool { return o.Kind() == kind })
}
