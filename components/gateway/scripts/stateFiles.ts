/**
 * Names the init scripts give to what they keep on the volumes. Hidden files at the state volume's root:
 * OpenClaw ignores them, and `openclaw backup create` archives them with the rest of the state, so a
 * restored state carries the version it came from (and is backed up before a newer version migrates it).
 */

/** The OpenClaw version the state volume was last started with (one line), written by the backup init container. */
export const VERSION_MARKER = ".openclaw-fleet-version";
/** The archive name the state was last restored from (one line), so a restore happens once per archive. */
export const RESTORE_RECORD = ".openclaw-fleet-restored";
/** The workspace paths the agent-content init container last wrote as managed files (one a line). */
export const AGENT_MANAGED_RECORD = ".openclaw-fleet-agent-files";
/** Where a restore extracts the archive, on the state volume (a rename away from its place). */
export const RESTORE_STAGING = ".restore-staging";
/** The state a restore replaced, `.pre-restore-<UTC timestamp>`: never deleted by the program. */
export const PRE_RESTORE_PREFIX = ".pre-restore-";

/**
 * Archives the backup init container writes: the UTC time first, so names sort by age (like OpenClaw's own
 * default names), then the version the state came from. Pruning only ever touches names of this shape, so an
 * archive copied onto the volume by hand (a tenant moved from elsewhere) is never pruned.
 */
export const ARCHIVE_NAME_PATTERN = /^[0-9]{8}T[0-9]{6}Z-openclaw-[0-9A-Za-z.+-]+\.tar\.gz$/;


/** What the installs init container last installed, `kind name source` a line: the idempotence check and what removal may touch. */
export const INSTALLS_RECORD = ".openclaw-fleet-installs";
