/**
 * A self-managed file backend (`file://DIR`) writes a stack's checkpoint in place, so an engine killed during
 * the write leaves it truncated ("failed to load checkpoint: EOF", seen in the end-to-end suite). The backend
 * keeps the previous checkpoint beside it as `<stack>.json.bak`; putting that back makes the stack readable
 * again but loses what the cut write recorded: an object created in that step is then in neither the state
 * nor its pending creates, which is why the recovery imports what `up` would create (interruptedUpdate.ts).
 */
import { copyFileSync, existsSync, renameSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Restores `<stack>.json` from its `.bak` (keeping the broken file aside); false when this is no file backend or there is no backup. */
export function restoreCheckpointBackup(backendUrl: string | undefined, project: string, stack: string, now = new Date()): boolean {
  if (!backendUrl?.startsWith("file://")) return false;
  const checkpoint = join(fileURLToPath(backendUrl.split("?")[0]!), ".pulumi", "stacks", project, `${stack}.json`);
  if (!existsSync(`${checkpoint}.bak`)) return false;
  const aside = `${checkpoint}.broken-${now.toISOString().replace(/[:.]/g, "-")}`;
  if (existsSync(checkpoint)) renameSync(checkpoint, aside);
  copyFileSync(`${checkpoint}.bak`, checkpoint);
  // The blob store's metadata (checksum) travels with the file.
  if (existsSync(`${checkpoint}.bak.attrs`)) copyFileSync(`${checkpoint}.bak.attrs`, `${checkpoint}.attrs`);
  return true;
}
