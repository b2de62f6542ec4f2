#!/usr/bin/env bash
# Prints the Prometheus Operator CRD files the local clusters install (ServiceMonitor, PrometheusRule), one path a
# line. They come from the operator's Go module (its example/prometheus-operator-crd/ holds the CRDs it releases),
# fetched through the Go module proxy into the module cache once: no release download or registry is reachable here.
# scripts/clusters.sh applies them server-side on `up`, so the cluster tests apply the program's ServiceMonitor and
# PrometheusRule against the real schema.
set -euo pipefail

# The operator release whose CRDs the clusters get (the newest the module proxy lists for the root module).
VERSION="${PROMETHEUS_OPERATOR_VERSION:-v0.85.0}"
MODULE=github.com/prometheus-operator/prometheus-operator
CRDS=(monitoring.coreos.com_servicemonitors.yaml monitoring.coreos.com_prometheusrules.yaml)

command -v go >/dev/null 2>&1 || PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null 2>&1 || { echo "prometheus-operator-crds: go not found (needed to fetch $MODULE@$VERSION)" >&2; exit 1; }
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
dir="$(cd "${TMPDIR:-/tmp}" && go mod download -json "$MODULE@$VERSION" | sed -n 's/^[ \t]*"Dir": "\(.*\)",$/\1/p')"
[ -n "$dir" ] || { echo "prometheus-operator-crds: go mod download $MODULE@$VERSION gave no directory" >&2; exit 1; }
for crd in "${CRDS[@]}"; do
  [ -f "$dir/example/prometheus-operator-crd/$crd" ] || { echo "prometheus-operator-crds: $crd missing in $dir" >&2; exit 1; }
  echo "$dir/example/prometheus-operator-crd/$crd"
done
