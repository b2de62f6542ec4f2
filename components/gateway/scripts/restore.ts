import { imageVersionLines } from "./imageVersion.js";
import { shellCommand, strictScript } from "./shell.js";
import { PRE_RESTORE_PREFIX, RESTORE_RECORD, RESTORE_STAGING, VERSION_MARKER } from "./stateFiles.js";

/**
 * Prints the state directory inside an extracted archive. `openclaw backup restore` keeps the archive's
 * layout (`<root>/payload/posix/<original absolute path>/...`) and its manifest names each asset's path,
 * so the manifest is the source of truth (OpenClaw's restore docs), not a guess from the layout. Only an
 * archive of one state directory is accepted: in the pod everything (workspace, agents, credentials) lives
 * on the state volume, and an archive whose workspace lived elsewhere would come back without it.
 * Run with the image's node; double quotes only, it is embedded in single quotes.
 */
const FIND_STATE_ASSET = `
const fs = require("fs"), path = require("path");
const staging = path.resolve(process.argv[1]);
const roots = fs.readdirSync(staging);
if (roots.length !== 1) { console.error("expected one archive root in " + staging + ", found " + roots.length); process.exit(1); }
const manifest = JSON.parse(fs.readFileSync(path.join(staging, roots[0], "manifest.json"), "utf8"));
const assets = Array.isArray(manifest.assets) ? manifest.assets : [];
const states = assets.filter((asset) => asset.kind === "state");
const others = assets.filter((asset) => asset.kind !== "state");
if (states.length !== 1 || others.length > 0) {
  console.error("the archive must hold exactly one state directory and nothing outside it; it holds: " + assets.map((asset) => asset.kind + " " + asset.sourcePath).join(", "));
  process.exit(1);
}
const asset = path.resolve(staging, states[0].archivePath);
if (!asset.startsWith(staging + path.sep) || !fs.statSync(asset).isDirectory()) { console.error("the state path the manifest names is not a directory in the archive"); process.exit(1); }
process.stdout.write(asset);
`.trim();
if (FIND_STATE_ASSET.includes("'")) throw new Error("FIND_STATE_ASSET is embedded in single quotes and must not contain one");

/** `restore.archive`: that file; `restore.beforeUpgrade`: the archive taken before the upgrade to that image. */
export type RestoreMode = "archive" | "beforeUpgrade";

/** Sets name, archive, record, staging for `restore.archive`; done when that archive was restored before. */
const NAMED_ARCHIVE = `name="$OPENCLAW_FLEET_RESTORE_ARCHIVE"
archive="$OPENCLAW_FLEET_BACKUP_DIR/$name"
record="$volume/${RESTORE_RECORD}"
staging="$volume/${RESTORE_STAGING}"
if [ -f "$record" ] && [ "$(head -n 1 "$record")" = "$name" ]; then
  echo "openclaw-fleet restore: the state was restored from $name before; nothing to do (remove restore from the config whenever you like)"
  exit 0
fi`;

/**
 * Sets the same for `restore.beforeUpgrade` (a rollback): the archive is found here, not named in the config, because
 * only the pod knows it. The backup init container names the archive it takes before an upgrade after the version the
 * state was on (`<UTC time>-openclaw-<version>.tar.gz`) and then marks the state with the new version. So when the
 * state is marked with a version other than this (older) image's, the newest archive of this image's version is the
 * one taken before the upgrade being undone. When the marker already says this image's version, the upgrade never
 * migrated the state (its backup did not finish, or its pod never started): nothing is restored. Either way the
 * outcome is recorded once per image undone, so a restart, or this config left in place, never restores again.
 */
function archiveBeforeUpgrade(cli: readonly string[]): string {
  return `undo="$OPENCLAW_FLEET_RESTORE_BEFORE_UPGRADE"
key="before-upgrade $undo"
record="$volume/${RESTORE_RECORD}"
staging="$volume/${RESTORE_STAGING}"
if [ -f "$record" ] && [ "$(head -n 1 "$record")" = "$key" ]; then
  echo "openclaw-fleet restore: the upgrade to $undo was undone before ($(sed -n 2p "$record")); nothing to do"
  exit 0
fi
${imageVersionLines(cli)}
nothing_to_restore() {
  printf '%s\\n%s\\n' "$key" "nothing restored: $1" > "$record.tmp" && mv -f "$record.tmp" "$record"
  echo "openclaw-fleet restore: undoing the upgrade to $undo: $1; nothing to restore"
  exit 0
}
[ -f "$volume/${VERSION_MARKER}" ] || nothing_to_restore "the state has no version marker, so no upgrade of it was backed up"
previous=$(head -n 1 "$volume/${VERSION_MARKER}")
[ "$previous" != "$starting" ] || nothing_to_restore "the state is still marked OpenClaw $starting, the version this image runs: the upgrade never migrated it"
name=""
for candidate in "$OPENCLAW_FLEET_BACKUP_DIR"/[0-9]*Z-openclaw-"$starting".tar.gz; do
  if [ -f "$candidate" ]; then name="\${candidate##*/}"; fi
done
[ -n "$name" ] || fail "undoing the upgrade to $undo: the state is marked OpenClaw $previous and this image runs $starting, but the backup volume holds no archive of $starting (<UTC time>-openclaw-$starting.tar.gz); it holds: $(ls -1 "$OPENCLAW_FLEET_BACKUP_DIR" | tr '\\n' ' '). Restore one by name (restore.archive) or run the version the state is marked with"
archive="$OPENCLAW_FLEET_BACKUP_DIR/$name"
echo "openclaw-fleet restore: undoing the upgrade to $undo: the state is marked OpenClaw $previous, this image runs $starting; $name is the archive taken before that upgrade"`;
}

/**
 * The restore init container's script: the state volume's content replaced by an archive from the backup
 * volume, before the gateway (and the backup and config copy) start. Plain POSIX sh.
 *
 * - Once per archive name: the name is recorded on the state volume after the swap; a later start with the
 *   same name does nothing, and removing `restore` from the config changes nothing on the volume.
 * - `openclaw backup restore` verifies the archive (and its SQLite snapshots) and extracts it into a staging
 *   directory on the state volume; only then is anything moved. A corrupt or missing archive fails the
 *   container with the reason on stderr and the current state untouched.
 * - The current state is moved aside into `.pre-restore-<UTC timestamp>` on the same volume (renames, no
 *   copy), never deleted; the restored entries are moved into place. `lost+found` (root-owned on ext4) stays.
 * - OpenClaw refuses a restore target inside the state directory it considers live, so the CLI runs with its
 *   own OPENCLAW_STATE_DIR off the volume (in /tmp), and the volume's path comes in OPENCLAW_FLEET_STATE_VOLUME.
 *
 * Env: OPENCLAW_FLEET_STATE_VOLUME, OPENCLAW_FLEET_BACKUP_DIR, OPENCLAW_FLEET_RESTORE_ARCHIVE (a file name;
 * the loader refuses a slash) or OPENCLAW_FLEET_RESTORE_BEFORE_UPGRADE (an image reference), OPENCLAW_STATE_DIR (the CLI's scratch state, created here).
 */
export function restoreScript(cli: readonly string[], mode: RestoreMode = "archive"): string {
  const openclaw = shellCommand(cli);
  const record = mode === "archive" ? `printf '%s\\n' "$name"` : `printf '%s\\n%s\\n' "$key" "$name"`;
  return strictScript("openclaw-fleet restore", `volume="$OPENCLAW_FLEET_STATE_VOLUME"
${mode === "archive" ? NAMED_ARCHIVE : archiveBeforeUpgrade(cli)}
[ -f "$archive" ] || fail "no archive $name on the backup volume; it holds: $(ls -1 "$OPENCLAW_FLEET_BACKUP_DIR" | tr '\\n' ' ')"
# A staging directory left by an attempt that stopped midway: only this script creates it.
rm -rf "$staging"
mkdir -p "$OPENCLAW_STATE_DIR"
echo "openclaw-fleet restore: verifying and extracting $name"
if ! ${openclaw} backup restore "$archive" --target "$staging"; then
  rm -rf "$staging"
  fail "openclaw backup restore refused $name (the reason is above); the current state is untouched"
fi
if ! asset=$(node -e '${FIND_STATE_ASSET}' "$staging"); then
  rm -rf "$staging"
  fail "$name is not an archive of one state directory (see above); the current state is untouched"
fi
aside="$volume/${PRE_RESTORE_PREFIX}$(date -u +%Y%m%dT%H%M%SZ)"
mkdir "$aside"
for entry in "$volume"/* "$volume"/.[!.]* "$volume"/..?*; do
  [ -e "$entry" ] || [ -L "$entry" ] || continue
  case "\${entry##*/}" in ${PRE_RESTORE_PREFIX}* | ${RESTORE_STAGING} | lost+found) continue ;; esac
  mv "$entry" "$aside/"
done
for entry in "$asset"/* "$asset"/.[!.]* "$asset"/..?*; do
  [ -e "$entry" ] || [ -L "$entry" ] || continue
  # An archive of a state restored before carries the state kept aside then, which is still on the volume.
  case "\${entry##*/}" in ${PRE_RESTORE_PREFIX}*) if [ -e "$volume/\${entry##*/}" ]; then continue; fi ;; esac
  mv "$entry" "$volume/"
done
${record} > "$record.tmp" && mv -f "$record.tmp" "$record"
rm -rf "$staging"
echo "openclaw-fleet restore: the state is now $name; the state it replaced is in $aside (delete it when you no longer need it)"
`);
}
