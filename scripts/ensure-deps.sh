#!/usr/bin/env bash
# Installs a package folder's locked dependencies (`npm ci`) when node_modules is missing or older than the
# lockfile, so a fresh clone needs no manual install step. Usage: scripts/ensure-deps.sh [DIR] (default: the
# project root). Expects a Node >= 22 npm on PATH (scripts/run.sh and policy/install.sh put one there).
set -euo pipefail
dir="${1:-$(dirname "$0")/..}"
cd "$dir"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "$(basename "$PWD"): installing dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund >&2
fi
