import { strictScript } from "./shell.js";
import { AGENT_MANAGED_RECORD } from "./stateFiles.js";
import { INDEX_KEY } from "../../agent/contentIndex.js";

/**
 * The agent-content init container's script: the agent folder's files (the ConfigMap at
 * `$OPENCLAW_FLEET_AGENT_CONTENT`, laid out by agent/contentIndex.ts) written into the gateway's workspace at
 * `$OPENCLAW_FLEET_WORKSPACE`. Plain POSIX sh, run as the pod's user.
 *
 * - `managed` files are written on every start (copied beside, then renamed: never half a file).
 * - `seed` files are written only when missing, so the agent's own edits survive.
 * - The workspace paths written as managed are recorded on the state volume (`$OPENCLAW_STATE_DIR/${AGENT_MANAGED_RECORD}`);
 *   one recorded before and no longer in the folder is removed (with the folders it leaves empty). Nothing else is
 *   ever deleted: files the agent made itself are not in the record. A file that became `seed` stays.
 * - A path with `..` or a leading `/` fails the container: the loader refuses them, so one here is not the program's.
 *
 * Env: OPENCLAW_STATE_DIR, OPENCLAW_FLEET_AGENT_CONTENT, OPENCLAW_FLEET_WORKSPACE.
 */
export function agentContentScript(): string {
  return strictScript("openclaw-fleet agent-content", `content="$OPENCLAW_FLEET_AGENT_CONTENT"
workspace="$OPENCLAW_FLEET_WORKSPACE"
record="$OPENCLAW_STATE_DIR/${AGENT_MANAGED_RECORD}"
managed="$record.next"
seeds="$record.seeds"
safe() { case "$1" in "" | /* | .. | ../* | */.. | */../*) return 1 ;; *) return 0 ;; esac; }
place() { mkdir -p "$(dirname "$2")" && cp "$content/$1" "$2.openclaw-fleet-tmp" && mv -f "$2.openclaw-fleet-tmp" "$2"; }
mkdir -p "$workspace"
: > "$managed"
: > "$seeds"
written=0 seeded=0 kept=0 removed=0
while read -r policy key target; do
  [ -n "$policy" ] || continue
  safe "$target" || fail "the index names an unsafe path: $target"
  case "$policy" in
    managed)
      place "$key" "$workspace/$target"
      printf '%s\\n' "$target" >> "$managed"
      written=$((written + 1)) ;;
    seed)
      printf '%s\\n' "$target" >> "$seeds"
      if [ -e "$workspace/$target" ] || [ -L "$workspace/$target" ]; then kept=$((kept + 1)); else
        place "$key" "$workspace/$target"
        seeded=$((seeded + 1))
      fi ;;
    *) fail "unknown policy $policy in the index (for $target)" ;;
  esac
done < "$content/${INDEX_KEY}"
if [ -f "$record" ]; then
  while IFS= read -r target; do
    [ -n "$target" ] || continue
    safe "$target" || fail "$record names an unsafe path: $target"
    if grep -qxF -- "$target" "$managed" || grep -qxF -- "$target" "$seeds"; then continue; fi
    if [ -f "$workspace/$target" ] || [ -L "$workspace/$target" ]; then
      rm -f "$workspace/$target"
      removed=$((removed + 1))
    fi
    dir=$(dirname "$target")
    while [ "$dir" != "." ] && rmdir "$workspace/$dir" 2>/dev/null; do dir=$(dirname "$dir"); done
  done < "$record"
fi
mv -f "$managed" "$record"
rm -f "$seeds"
echo "openclaw-fleet agent-content: $written managed files written, $removed removed from the workspace, $seeded seed files written, $kept kept"
`);
}
