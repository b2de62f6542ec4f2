#!/usr/bin/env bash
# Measures a cold `.ci/run`: a fresh clone of HEAD with an empty project cache, Go build and module caches and npm
# cache (the Debian packages and ../shared stay as they are). Prints the total and each step's time (`ci: [...]`).
# Needs the machine to itself: the live-pod suite takes the one real node, and the clusters take fixed ports.
#   scripts/cold-ci.sh [KEEP_DIR]    the clone, caches and log go to a temp dir, removed after a green run unless KEEP_DIR
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d /tmp/openclaw-fleet-cold-ci.XXXXXX)}"
mkdir -p "$work"
git clone -q "$repo" "$work/repo"
# .ci/run finds the engine plugins at ../shared from the clone, as from the checkout.
[ -e "$repo/../shared" ] && ln -sfn "$(cd "$repo/../shared" && pwd)" "$work/shared"
export OPENCLAW_FLEET_CACHE="$work/cache" GOCACHE="$work/go-build" GOMODCACHE="$work/go-mod" npm_config_cache="$work/npm"
started=$SECONDS
status=0
(cd "$work/repo" && CI=true bash .ci/run) > "$work/ci.log" 2>&1 || status=$?
echo "cold-ci: exit $status after $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s at $(git -C "$repo" rev-parse --short HEAD); log $work/ci.log"
grep '^ci: \[' "$work/ci.log" || true
# Go's module cache is read-only by design; make it removable.
[ -n "${1:-}" ] || [ "$status" != 0 ] || { chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"; }
exit "$status"
