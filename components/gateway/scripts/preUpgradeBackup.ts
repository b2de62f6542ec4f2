import { imageVersionLines } from "./imageVersion.js";
import { shellCommand, shellWord, strictScript } from "./shell.js";
import { ARCHIVE_NAME_PATTERN, VERSION_MARKER } from "./stateFiles.js";

/**
 * The backup init container's script: before a different OpenClaw version starts on the state volume, an
 * archive of that state (`openclaw backup create --verify`) on the backup volume. Plain POSIX sh (the image
 * has no bash guarantee).
 *
 * - The version starting is the image's own answer (`openclaw --version`), not the image tag: prod may pin
 *   a digest and dev a moving tag, neither of which names a version, and a moving tag's version changes
 *   under the same name.
 * - The version the state comes from is the marker this script wrote on the last successful start. No marker
 *   (the first start with backups on): the marker is written, nothing backed up. The same version: nothing.
 * - A failed backup exits non-zero with the reason on stderr (the pod shows Init:Error, then
 *   Init:CrashLoopBackOff, and the kubelet's termination message carries the log tail), removes its partial
 *   archive and leaves the marker alone, so the gateway never starts a new version on state without a backup
 *   and the next try backs up again.
 * - After a backup, archives of this program's naming beyond the `keep` newest are pruned; the marker is
 *   advanced last (by this script: the gateway itself knows nothing of it).
 *
 * Env: OPENCLAW_STATE_DIR (the state volume), OPENCLAW_FLEET_BACKUP_DIR (the backup volume).
 */
export function preUpgradeBackupScript(cli: readonly string[], keep: number): string {
  const openclaw = shellCommand(cli);
  return strictScript("openclaw-fleet backup", `state="$OPENCLAW_STATE_DIR"
backups="$OPENCLAW_FLEET_BACKUP_DIR"
marker="$state/${VERSION_MARKER}"
${imageVersionLines(cli)}
record_version() { printf '%s\\n' "$starting" > "$marker.tmp" && mv -f "$marker.tmp" "$marker"; }
if [ ! -f "$marker" ]; then
  mkdir -p "$state"
  record_version
  echo "openclaw-fleet backup: no version marker (first start with backups): recorded $starting, nothing to back up"
  exit 0
fi
previous=$(head -n 1 "$marker")
case "$previous" in
  "" | *[!0-9A-Za-z.+-]*) fail "the version marker $marker holds \\"$previous\\", not a version; delete it to start without a backup" ;;
esac
if [ "$previous" = "$starting" ]; then
  echo "openclaw-fleet backup: the state is from OpenClaw $starting, the version starting: no backup needed"
  exit 0
fi
name="$(date -u +%Y%m%dT%H%M%SZ)-openclaw-$previous.tar.gz"
[ ! -e "$backups/$name" ] || fail "$backups/$name exists already; try again in a second"
echo "openclaw-fleet backup: OpenClaw $previous -> $starting: writing $name to the backup volume"
if ! ${openclaw} backup create --verify --output "$backups/$name"; then
  rm -f "$backups/$name" 2>/dev/null || true
  fail "openclaw backup create failed (its output is above); OpenClaw $starting did not start and the marker still says $previous. Fix the cause (a full backup volume: raise backup.size or delete old archives) and the pod tries again"
fi
ls -1 "$backups" | grep -E ${shellWord(ARCHIVE_NAME_PATTERN.source)} | sort -r | tail -n +${keep + 1} | while IFS= read -r old; do
  rm -f "$backups/$old" && echo "openclaw-fleet backup: pruned $old (keep: ${keep})"
done
record_version
echo "openclaw-fleet backup: $name verified; the state is now marked as OpenClaw $starting"
`);
}
