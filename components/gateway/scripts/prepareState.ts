import { strictScript } from "./shell.js";

/**
 * The directory inside the state claim that is the gateway's state (mounted with `subPath` at ~/.openclaw). Not
 * `state`: OpenClaw makes a `state/` of its own in its state directory, so a claim from before would look prepared.
 */
export const STATE_SUBPATH = "openclaw-fleet-state";
/** Where it is assembled while a claim from before this layout is moved in; only this script creates it. */
const PARTIAL = `${STATE_SUBPATH}.partial`;

/**
 * The prepare-state init container's script, run as the pod's user with the claim's root at
 * `$OPENCLAW_FLEET_STATE_CLAIM`. Plain POSIX sh.
 *
 * - A new claim: the directory is made, so it belongs to the user the gateway runs as, whoever owns the claim's root.
 * - A claim from before this layout, whose state is at its root: every entry but `lost+found` (root-owned on ext4)
 *   is moved into it. Renames on one filesystem, into `<name>.partial/` first and renamed at the end, so a
 *   start that stopped midway finishes the move on the next one and the gateway never sees half a state.
 * - The directory owned by another user (made by hand, or by the kubelet for a `subPath` that did not exist): the
 *   gateway could not secure it, so the container fails naming the owner instead of the gateway failing later.
 */
export function prepareStateScript(): string {
  return strictScript("openclaw-fleet prepare-state", `claim="$OPENCLAW_FLEET_STATE_CLAIM"
cd "$claim"
if [ ! -d ${STATE_SUBPATH} ]; then
  mkdir -p ${PARTIAL}
  moved=0
  for entry in * .[!.]* ..?*; do
    [ -e "$entry" ] || [ -L "$entry" ] || continue
    case "$entry" in ${PARTIAL} | lost+found) continue ;; esac
    mv "$entry" ${PARTIAL}/
    moved=$((moved + 1))
  done
  mv ${PARTIAL} ${STATE_SUBPATH}
  echo "openclaw-fleet prepare-state: made $claim/${STATE_SUBPATH} (moved $moved entries from the claim's root into it)"
fi
owner="$(stat -c %u ${STATE_SUBPATH})"
[ "$owner" = "$(id -u)" ] || fail "$claim/${STATE_SUBPATH} belongs to uid $owner, not to uid $(id -u) the gateway runs as: it could not secure its state (chown it once)"
chmod 700 ${STATE_SUBPATH}
`);
}
