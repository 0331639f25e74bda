#!/usr/bin/env bash
# make demo: aggen's main job, start to finish, in a temporary directory.
# Builds a new project with aggen init + create api, generates, builds it,
# runs it with `aggen run local` (embedded etcd, apiserver, controller) and
# shows kubectl at work against it. Cleans up after itself.
set -euo pipefail

aggen=$(cd "$(dirname "${1:?usage: hack/demo.sh <aggen binary>}")" && pwd)/$(basename "$1")
work=$(mktemp -d -t aggen-demo-XXXXXX)
runner=""
cleanup() {
  if [[ -n "$runner" ]]; then kill -INT "$runner" 2>/dev/null || true; wait "$runner" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

cd "$work"
step "aggen init --domain example.com --repo example.com/insects"
"$aggen" init --domain example.com --repo example.com/insects
step "aggen create api --group insects --version v1alpha1 --kind Bee --scale"
"$aggen" create api --group insects --version v1alpha1 --kind Bee --scale
step "aggen create api --group insects --version v1alpha1 --kind Hive --namespaced=false"
"$aggen" create api --group insects --version v1alpha1 --kind Hive --namespaced=false
step "aggen verify"
"$aggen" verify
step "go build ./..."
GOWORK=off go build ./...

step "aggen run local (embedded etcd, apiserver --local, controller manager)"
"$aggen" run local > run.log 2>&1 &
runner=$!
for _ in $(seq 1 240); do
  if grep -q '^ready:' run.log; then break; fi
  if ! kill -0 "$runner" 2>/dev/null; then cat run.log; echo "aggen run local exited" >&2; exit 1; fi
  sleep 0.5
done
grep -q '^ready:' run.log || { cat run.log; echo "aggen run local did not get ready" >&2; exit 1; }
export KUBECONFIG=$work/.aggen/local/kubeconfig

step "kubectl api-resources --api-group insects.example.com"
kubectl api-resources --api-group insects.example.com
step "kubectl apply a Bee and a Hive"
kubectl apply -f - <<'YAML'
apiVersion: insects.example.com/v1alpha1
kind: Bee
metadata:
  name: maya
  namespace: default
spec:
  description: a honey bee
---
apiVersion: insects.example.com/v1alpha1
kind: Hive
metadata:
  name: meadow
spec:
  description: by the meadow
YAML
step "kubectl scale bee maya --replicas=3"
kubectl scale bee maya --replicas=3
sleep 2
step "kubectl get bees,hives -A -o wide"
kubectl get bees,hives -A -o wide
step "kubectl get bee maya -o yaml (status written by the generated controller)"
kubectl get bee maya -o yaml
printf '\n\033[1mdemo done\033[0m: the project lived in %s (removed now)\n' "$work"
