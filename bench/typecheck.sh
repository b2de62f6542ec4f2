#!/usr/bin/env bash
# Measures the type-check of this project: TypeScript 7's native compiler (what `npm test` runs) against
# TypeScript 5.9 (installed into a temporary cache for the comparison). Usage: bench/typecheck.sh [RUNS]
# `bench/typecheck.sh --print-ts5` only installs 5.9 (once) and prints its tsc: `npm run bench` times the two itself.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(scripts/node-toolchain.sh):$PATH"
runs="${1:-5}"
ts5_dir="${OPENCLAW_FLEET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openclaw-fleet}/bench-typescript-5.9"
[ -x "$ts5_dir/node_modules/.bin/tsc" ] || npm install --silent --prefix "$ts5_dir" typescript@5.9 >/dev/null
if [ "$runs" = --print-ts5 ]; then echo "$ts5_dir/node_modules/.bin/tsc"; exit 0; fi

measure() { # label, command...
  local label="$1"; shift
  local total=0 start end
  "$@" >/dev/null # warm the file cache
  for _ in $(seq "$runs"); do
    start=$(date +%s%N); "$@" >/dev/null; end=$(date +%s%N)
    total=$((total + (end - start) / 1000000))
  done
  printf '%-24s %6d ms mean of %d runs\n' "$label" $((total / runs)) "$runs"
}
measure "typescript 7 (native)" node_modules/.bin/tsc -p .
measure "typescript 5.9" "$ts5_dir/node_modules/.bin/tsc" -p .
