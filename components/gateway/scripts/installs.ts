import { shellCommand, strictScript } from "./shell.js";
import { INSTALLS_RECORD } from "./stateFiles.js";

/**
 * The installs init container's script: the stack's `gateway.installs` (one `kind name source` line each in
 * `$OPENCLAW_FLEET_INSTALLS`) installed with the gateway's own installer into the state volume. Plain POSIX sh.
 *
 * - A line already in the record (`$OPENCLAW_STATE_DIR/${INSTALLS_RECORD}`) whose folder is there is skipped
 *   without running the CLI: a restart with the same list makes no network call and changes nothing.
 * - A new or changed line (a new pin) runs `openclaw plugins install --force` (an npm package lands in
 *   `<state>/npm/projects/`, an archive or ClawHub one in `<state>/extensions/<id>`) or `openclaw skills install
 *   --global --force` (`<state>/skills/<slug>`). A plugin's old pin is uninstalled first: OpenClaw 2026.9.6's npm
 *   install over an installed version kept the old one (the contract test).
 * - A line in the record and no longer in the list is removed: `openclaw plugins uninstall` for a plugin, the
 *   skill's folder for a skill. Only what the record names is ever removed.
 * - The installer edits the config it runs with (it enables what it installed): it gets a copy in /tmp, so the
 *   gateway's openclaw.json stays the program's (the platform allows the plugins by name, openclawConfig.ts).
 * - The record is written last: a failed install fails the pod and is tried again on the next start.
 *
 * Env: OPENCLAW_STATE_DIR, OPENCLAW_FLEET_INSTALLS, and the registries' (npm_config_registry, OPENCLAW_CLAWHUB_URL).
 */
export function installsScript(cli: readonly string[]): string {
  const openclaw = shellCommand(cli);
  return strictScript("openclaw-fleet installs", `state="$OPENCLAW_STATE_DIR"
record="$state/${INSTALLS_RECORD}"
wanted="$record.next"
scratch=/tmp/openclaw-fleet-installs
rm -rf "$scratch" && mkdir -p "$scratch"
if [ -f "$state/openclaw.json" ]; then cp "$state/openclaw.json" "$scratch/openclaw.json"; else echo '{}' > "$scratch/openclaw.json"; fi
export OPENCLAW_CONFIG_PATH="$scratch/openclaw.json"
listed() { awk -v k="$1" -v n="$2" '$1 == k && $2 == n { found = 1 } END { exit !found }' "$3"; }
safe() { case "$1" in "" | */* | .* ) return 1 ;; *) return 0 ;; esac; }
# Where the installer put it: a plugin's folder is the one whose openclaw.plugin.json declares the id (an archive or
# ClawHub install lands in extensions/<id>, an npm one in npm/projects/<package>); a skill's is skills/<slug>.
folder() {
  case "$1" in
    skill) [ -d "$state/skills/$2" ] && echo "$state/skills/$2" ;;
    plugin)
      for manifest in "$state"/extensions/*/openclaw.plugin.json "$state"/npm/projects/*/openclaw.plugin.json "$state"/npm/projects/*/node_modules/*/openclaw.plugin.json "$state"/npm/projects/*/node_modules/@*/*/openclaw.plugin.json; do
        if [ -f "$manifest" ] && tr -d ' \\n' < "$manifest" | grep -Fq '"id":"'"$2"'"'; then dirname "$manifest"; return 0; fi
      done ;;
    *) fail "unknown kind $1" ;;
  esac
  return 0
}
: > "$wanted"
installed=0 kept=0 removed=0
while read -r kind name source; do
  [ -n "$kind" ] || continue
  safe "$name" || fail "unsafe name in the install list: $name"
  printf '%s %s %s\\n' "$kind" "$name" "$source" >> "$wanted"
  if [ -f "$record" ] && grep -qxF -- "$kind $name $source" "$record" && [ -n "$(folder "$kind" "$name")" ]; then
    kept=$((kept + 1)); continue
  fi
  echo "openclaw-fleet installs: installing $kind $name from $source"
  case "$kind" in
    plugin)
      # A new pin of a plugin installed before: uninstalled first, since an npm reinstall over it keeps the old version.
      if [ -f "$record" ] && listed "$kind" "$name" "$record" && [ -n "$(folder "$kind" "$name")" ]; then
        ${openclaw} plugins uninstall --force "$name" < /dev/null || fail "openclaw plugins uninstall $name (before installing $source) failed (its output is above)"
      fi
      ${openclaw} plugins install --force --accept-capabilities "$source" < /dev/null || fail "openclaw plugins install $source failed (its output is above); the pod tries again on its next start" ;;
    skill)
      ref="\${source%@*}" version="\${source##*@}"
      ${openclaw} skills install "$ref" --version "$version" --global --force < /dev/null || fail "openclaw skills install $ref --version $version failed (its output is above); the pod tries again on its next start" ;;
    *) fail "unknown kind $kind in the install list" ;;
  esac
  [ -n "$(folder "$kind" "$name")" ] || fail "$source installed, but not as $kind $name (no installed $kind declares that name): the configured id must be the one the package declares"
  installed=$((installed + 1))
done <<OPENCLAW_FLEET_LIST
$OPENCLAW_FLEET_INSTALLS
OPENCLAW_FLEET_LIST
if [ -f "$record" ]; then
  while read -r kind name source; do
    [ -n "$kind" ] || continue
    safe "$name" || fail "$record names an unsafe name: $name"
    if listed "$kind" "$name" "$wanted"; then continue; fi
    echo "openclaw-fleet installs: removing $kind $name (no longer listed)"
    case "$kind" in
      plugin) ${openclaw} plugins uninstall --force "$name" < /dev/null || fail "openclaw plugins uninstall $name failed (its output is above)" ;;
      skill) rm -rf "$state/skills/$name" ;;
    esac
    removed=$((removed + 1))
  done < "$record"
fi
mv -f "$wanted" "$record"
rm -rf "$scratch"
echo "openclaw-fleet installs: $installed installed, $kept already installed, $removed removed"
`);
}
