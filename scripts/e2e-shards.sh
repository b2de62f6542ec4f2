#!/usr/bin/env bash
# The e2e suite in two shards at once (test/e2e/mocharc.shard.cjs), each on its own pair of local clusters. Most of
# the suite's time is waiting on rollouts, deadlines and the engine, so two shards take little more than the longer
# one, even on 2 cores.
#   fleet   the scenarios that run `npm run fleet` / `npm run promote`, on this cache's clusters (brought up and
#           taken down by scripts/with-clusters.sh when they are not up already)
#   engine  every other scenario, on a second pair in a cache of its own ($CACHE/e2e-shard) that shares this
#           cache's tools, Node and engine plugins
# Each line of output is prefixed with its shard's name; exits non-zero when either shard failed.
# With OPENCLAW_FLEET_TEST_KUBECONFIG (your own clusters) there is one pair: the suite runs in one go instead.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${OPENCLAW_FLEET_TEST_KUBECONFIG:-}" ]; then exec scripts/run.sh mocha --config test/e2e/mocharc.json; fi

CACHE_ROOT="${OPENCLAW_FLEET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openclaw-fleet}"
SHARD_CACHE="$CACHE_ROOT/e2e-shard"

# What both shards need, built or installed once before they start (cold, each would otherwise build the Pulumi CLI).
scripts/build-tools.sh >/dev/null
scripts/run.sh true
mkdir -p "$SHARD_CACHE/pulumi-home" "$CACHE_ROOT/pulumi-home/plugins"
ln -sfn "$CACHE_ROOT/tools" "$SHARD_CACHE/tools"
ln -sfn "$CACHE_ROOT/pulumi-home/plugins" "$SHARD_CACHE/pulumi-home/plugins"
for node in "$CACHE_ROOT"/node-*; do [ -d "$node" ] && ln -sfn "$node" "$SHARD_CACHE/$(basename "$node")"; done

pgids=()
stop_shards() { for pgid in "${pgids[@]}"; do kill -TERM -- "-$pgid" 2>/dev/null || true; done; wait || true; }
trap 'stop_shards; exit 143' TERM
trap 'stop_shards; exit 130' INT

# shard <name> <cache>: the shard in a process group of its own (so an interrupt reaches all of it), output prefixed.
shard() {
  local name="$1" cache="$2"
  setsid bash -c 'set -o pipefail; OPENCLAW_FLEET_CACHE="$1" OPENCLAW_E2E_SHARD="$2" scripts/with-clusters.sh \
      scripts/run.sh mocha --config test/e2e/mocharc.shard.cjs 2>&1 | sed -u "s/^/[$2] /"' _ "$cache" "$name" &
  pgids+=("$!")
}

started=$SECONDS
shard fleet "$CACHE_ROOT"
fleet_pid=$!
shard engine "$SHARD_CACHE"
engine_pid=$!
status=0
wait "$fleet_pid" || { status=$?; echo "e2e-shards: the fleet shard failed (exit $status)" >&2; }
fleet_done=$((SECONDS - started))
engine_status=0
wait "$engine_pid" || { engine_status=$?; echo "e2e-shards: the engine shard failed (exit $engine_status)" >&2; }
echo "e2e-shards: fleet shard ${fleet_done} s, both done after $((SECONDS - started)) s"
[ "$status" = 0 ] && [ "$engine_status" = 0 ]
