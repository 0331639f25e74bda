#!/usr/bin/env bash
# Builds the real binaries the aggregation end-to-end tests run (etcd,
# kube-apiserver, sample-apiserver) from the Go module proxy, using the helper
# modules under test/e2e/tools/. Each binary lands in a cache directory keyed by
# its version and is built only when missing:
#
#   ${AGGEN_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/aggen/e2e}/<name>-<version>/<name>
#
# Usage: hack/e2e-binaries.sh [etcd|kube-apiserver|sample-apiserver]...
#   With no argument all three are built. For every name, in the order given,
#   the directory holding the binary is printed on stdout, one per line.
#   Progress goes to stderr. Safe to run from any directory and to rerun.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "${script_dir}/.." && pwd)"
tools_dir="${repo_root}/test/e2e/tools"
cache_root="${AGGEN_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/aggen/e2e}"

# The helper modules are standalone; never let a go.work elsewhere take over.
export GOWORK=off

log() { echo "e2e-binaries: $*" >&2; }

# name -> "module|package" built inside test/e2e/tools/<name>.
spec_for() {
	case "$1" in
	etcd) echo "go.etcd.io/etcd/server/v3|go.etcd.io/etcd/server/v3" ;;
	kube-apiserver) echo "k8s.io/kubernetes|k8s.io/kubernetes/cmd/kube-apiserver" ;;
	sample-apiserver) echo "k8s.io/sample-apiserver|k8s.io/sample-apiserver" ;;
	*) return 1 ;;
	esac
}

build_one() {
	local name="$1" spec module pkg helper version dir bin tmp start
	if ! spec="$(spec_for "${name}")"; then
		log "unknown binary '${name}' (want etcd, kube-apiserver or sample-apiserver)"
		return 2
	fi
	module="${spec%%|*}"
	pkg="${spec##*|}"
	helper="${tools_dir}/${name}"
	# The helper module's go.mod is the single source of truth for the version.
	version="$(cd "${helper}" && go list -m -f '{{.Version}}' "${module}")"
	dir="${cache_root}/${name}-${version}"
	bin="${dir}/${name}"
	# A build killed before its mv (a test timeout's SIGKILL) leaves its
	# temporary binary, hundreds of MB; none is older than a build takes
	# unless it is such a leftover.
	if [[ -d "${dir}" ]]; then
		find "${dir}" -maxdepth 1 -type f -name ".${name}.*" -mmin +120 -delete 2>/dev/null || true
	fi
	if [[ -x "${bin}" ]]; then
		log "${name} ${version}: cached at ${bin}"
	else
		mkdir -p "${dir}"
		if [[ "${name}" == kube-apiserver ]]; then
			log "${name} ${version}: building ${pkg} (about 4-8 min on 2 cores with a cold Go build cache)"
		else
			log "${name} ${version}: building ${pkg}"
		fi
		start="${SECONDS}"
		tmp="$(mktemp "${dir}/.${name}.XXXXXX")"
		if ! (cd "${helper}" && go build -o "${tmp}" "${pkg}"); then
			rm -f "${tmp}"
			log "${name} ${version}: build failed"
			return 1
		fi
		chmod 0755 "${tmp}"
		# rename(2) is atomic, so a concurrent run never sees a half-written file.
		mv -f "${tmp}" "${bin}"
		log "${name} ${version}: built in $((SECONDS - start))s -> ${bin}"
	fi
	echo "${dir}"
}

names=("$@")
if [[ ${#names[@]} -eq 0 ]]; then
	names=(etcd kube-apiserver sample-apiserver)
fi
for n in "${names[@]}"; do
	build_one "${n}"
done
