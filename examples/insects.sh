#!/usr/bin/env bash
# The aggen commands that made examples/insects. A test runs this script in
# a temporary directory and fails when the result differs from the
# committed example, so the example is always what aggen produces today.
#
# Usage: examples/insects.sh <directory>     (AGGEN names the binary; default: aggen)
set -euo pipefail

dir=${1:?usage: examples/insects.sh <directory>}
aggen=${AGGEN:-aggen}

mkdir -p "$dir"
cd "$dir"
"$aggen" init --domain example.com --repo github.com/aggen-dev/aggen/examples/insects \
  --name insects --owner "The aggen Authors" --year 2026
# Bee: namespaced, with /status and /scale, served as v1alpha1 and v1beta1;
# v1beta1, the most preferred version, is the storage version, so Bee's
# reconciler is scaffolded with the v1beta1 types, not the v1alpha1 ones.
"$aggen" create api --group insects --version v1alpha1 --kind Bee --status --scale --controller=false
"$aggen" create api --group insects --version v1beta1 --kind Bee --status --scale
# Hive: cluster-scoped, v1beta1 only.
"$aggen" create api --group insects --version v1beta1 --kind Hive --namespaced=false
