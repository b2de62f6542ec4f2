#!/usr/bin/env bash
# Runs a command with the project's toolchain: Node >= 22 on PATH (installed on first use, see
# node-toolchain.sh) and node_modules installed from the lockfile when missing or stale. This is what
# makes `npm start` and `npm test` work on a fresh clone on a machine whose own Node is 20.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(scripts/node-toolchain.sh):$PWD/node_modules/.bin:$PATH"
scripts/ensure-deps.sh .
exec "$@"
