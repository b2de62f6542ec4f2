#!/usr/bin/env bash
# Installs the policy pack's locked dependencies (policy/node_modules) when they are missing or stale, the way
# scripts/run.sh does for the program: `npm test` works on a fresh clone. The pack has its own lockfile because
# `pulumi preview --policy-pack policy` and `pulumi policy publish` load this folder on its own.
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$(../scripts/node-toolchain.sh):$PATH"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "policy: installing dependencies (npm ci)" >&2
  npm ci --no-audit --no-fund >&2
fi
