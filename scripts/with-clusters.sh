#!/usr/bin/env bash
# Runs a command against real Kubernetes. With OPENCLAW_FLEET_TEST_KUBECONFIG set (your own kind/k3d
# clusters, see the README) it just runs it. Otherwise it builds the control-plane tools (warm: seconds),
# brings the two local clusters up if they are not, and takes them down afterwards if it brought them up.
# OPENCLAW_LOCAL_REAL_NODE=1: with the real node in cluster 1 (scripts/real-node.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${OPENCLAW_FLEET_TEST_KUBECONFIG:-}" ]; then exec "$@"; fi

running="$(scripts/clusters.sh status 2>/dev/null | awk '$2 == "up"' | wc -l)"
if [ "$running" -ge 2 ]; then
  # Clusters someone else brought up: add the real node if asked (OPENCLAW_LOCAL_REAL_NODE=1), leave both up.
  if [ "${OPENCLAW_LOCAL_REAL_NODE:-}" = 1 ]; then scripts/real-node.sh up; fi
  exec "$@"
fi

trap 'scripts/clusters.sh down' EXIT
# A signal ends the script through its EXIT trap, so the clusters it brought up go down (scripts/e2e-shards.sh).
trap 'exit 143' TERM
trap 'exit 130' INT
scripts/clusters.sh up 2 >/dev/null
"$@"
