package harness

import (
	"fmt"
	"os"
	"path/filepath"
)

// PodSecurityAdmissionArgs writes an admission configuration that makes
// Pod Security admission enforce (and warn and audit) level on every
// namespace, whatever its labels, and returns the kube-apiserver flag that
// loads it. Pods, and the pod templates of workloads (as warnings), are
// then checked against level on every create, server-side dry runs
// included.
func PodSecurityAdmissionArgs(dir, level string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "admission.yaml")
	conf := fmt.Sprintf(`apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: PodSecurity
  configuration:
    apiVersion: pod-security.admission.config.k8s.io/v1
    kind: PodSecurityConfiguration
    defaults:
      enforce: %[1]s
      enforce-version: latest
      audit: %[1]s
      audit-version: latest
      warn: %[1]s
      warn-version: latest
    exemptions:
      usernames: []
      runtimeClasses: []
      namespaces: []
`, level)
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		return nil, err
	}
	return []string{"--admission-control-config-file=" + path}, nil
}
