import { shellCommand, strictScript } from "./shell.js";
import { PRE_RESTORE_PREFIX, RESTORE_RECORD, RESTORE_STAGING } from "./stateFiles.js";

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
 * the loader refuses a slash), OPENCLAW_STATE_DIR (the CLI's scratch state, created here).
 */
export function restoreScript(cli: readonly string[]): string {
  const openclaw = shellCommand(cli);
  return strictScript("openclaw-fleet restore", `volume="$OPENCLAW_FLEET_STATE_VOLUME"
name="$OPENCLAW_FLEET_RESTORE_ARCHIVE"
archive="$OPENCLAW_FLEET_BACKUP_DIR/$name"
record="$volume/${RESTORE_RECORD}"
staging="$volume/${RESTORE_STAGING}"
if [ -f "$record" ] && [ "$(head -n 1 "$record")" = "$name" ]; then
  echo "openclaw-fleet restore: the state was restored from $name before; nothing to do (remove restore from the config whenever you like)"
  exit 0
fi
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
  mv "$entry" "$volume/"
done
printf '%s\\n' "$name" > "$record.tmp" && mv -f "$record.tmp" "$record"
rm -rf "$staging"
echo "openclaw-fleet restore: the state is now $name; the state it replaced is in $aside (delete it when you no longer need it)"
`);
}
