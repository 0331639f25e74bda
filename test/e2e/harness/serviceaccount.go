package harness

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// ServiceAccountToken asks kube-apiserver's TokenRequest API
// (POST .../serviceaccounts/<name>/token, what `kubectl create token` does)
// for a bound token of the ServiceAccount namespace/name, valid for ttl
// (at least 10 minutes, kube-apiserver's minimum). The ServiceAccount must
// exist.
func (cp *ControlPlane) ServiceAccountToken(ctx context.Context, namespace, name string, ttl time.Duration) (string, error) {
	if namespace == "" || name == "" {
		return "", errors.New("ServiceAccountToken: namespace and name are required")
	}
	if ttl < 10*time.Minute {
		ttl = 10 * time.Minute
	}
	req := map[string]any{
		"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
		"spec": map[string]any{"expirationSeconds": int64(ttl / time.Second)},
	}
	path := "/api/v1/namespaces/" + namespace + "/serviceaccounts/" + name + "/token"
	resp, err := cp.Admin.Do(ctx, http.MethodPost, path, req)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return "", &StatusError{Method: "POST", Path: path, StatusCode: resp.StatusCode, Body: string(resp.Body)}
	}
	var tr struct {
		Status struct {
			Token string `json:"token"`
		} `json:"status"`
	}
	if err := json.Unmarshal(resp.Body, &tr); err != nil {
		return "", fmt.Errorf("decode TokenRequest of %s/%s: %w", namespace, name, err)
	}
	if tr.Status.Token == "" {
		return "", fmt.Errorf("TokenRequest of %s/%s returned no token: %s", namespace, name, resp.Body)
	}
	return tr.Status.Token, nil
}

// ServiceAccountKubeconfig writes a kubeconfig under Dir/users that reaches
// kube-apiserver with a bearer token of the ServiceAccount namespace/name
// (see ServiceAccountToken; valid one hour) and returns its path. A process
// given this kubeconfig is authenticated as
// system:serviceaccount:<namespace>:<name>, so only the RBAC bound to that
// ServiceAccount applies to it.
func (cp *ControlPlane) ServiceAccountKubeconfig(ctx context.Context, namespace, name string) (string, error) {
	token, err := cp.ServiceAccountToken(ctx, namespace, name, time.Hour)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(cp.Dir, "users")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	user := "system:serviceaccount:" + namespace + ":" + name
	path := filepath.Join(dir, safeFileName("sa-"+namespace+"-"+name)+".kubeconfig")
	err = WriteKubeconfig(path, user, Kubeconfig{Server: cp.APIServer.URL, CAPEM: cp.PKI.ClusterCA.CertPEM, Token: token})
	return path, err
}
