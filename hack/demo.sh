#!/usr/bin/env bash
# make demo: aggen's main job, start to finish, in a temporary directory.
# Makes the example project with examples/insects.sh (aggen init, create api,
# create subresource, a computed kind), verifies and builds it, runs it with
# `aggen run local` (embedded etcd, apiserver, controller) and shows kubectl
# at work against it: the kinds, a computed one, an action and a stream.
# Cleans up after itself.
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

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$work"
step "examples/insects.sh: the aggen commands that make the example"
sed -e ':a' -e '/\\$/{N;s/\\\n */ /;ba' -e '}' "$repo/examples/insects.sh" | sed -n 's/^"\$aggen" /aggen /p'
AGGEN="$aggen" bash "$repo/examples/insects.sh" "$work/insects" > generate.log 2>&1 || { cat generate.log; exit 1; }
cd "$work/insects"
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
export KUBECONFIG=$work/insects/.aggen/local/kubeconfig

step "kubectl api-resources --api-group insects.example.com"
kubectl api-resources --api-group insects.example.com
step "kubectl apply two Hives and two Bees of hive meadow"
kubectl apply -f - <<'YAML'
apiVersion: insects.example.com/v1beta1
kind: Hive
metadata:
  name: meadow
spec:
  description: by the meadow
---
apiVersion: insects.example.com/v1beta1
kind: Hive
metadata:
  name: orchard
---
apiVersion: insects.example.com/v1beta1
kind: Bee
metadata:
  name: maya
  namespace: default
  labels:
    insects.example.com/hive: meadow
spec:
  description: a honey bee
---
apiVersion: insects.example.com/v1beta1
kind: Bee
metadata:
  name: willy
  namespace: default
  labels:
    insects.example.com/hive: meadow
YAML
step "kubectl scale bee maya --replicas=3"
kubectl scale bee maya --replicas=3
sleep 2
step "kubectl get bees,hives -A -o wide"
kubectl get bees,hives -A -o wide
step "kubectl get hivesummaries -o wide (computed from the Hives and Bees on every read, stored nowhere)"
kubectl get hivesummaries -o wide
step "kubectl delete hivesummary meadow (read only: 405)"
kubectl delete hivesummary meadow || true
step "kubectl create --raw .../bees/maya/feed (an action)"
echo '{"apiVersion":"insects.example.com/v1beta1","kind":"BeeFeed","reason":"demo"}' |
  kubectl create --raw /apis/insects.example.com/v1beta1/namespaces/default/bees/maya/feed -f -
echo
step "kubectl get --raw .../bees/maya/log (a stream)"
kubectl get --raw /apis/insects.example.com/v1beta1/namespaces/default/bees/maya/log
printf '\n\033[1mdemo done\033[0m: the project lived in %s (removed now)\n' "$work"
