/**
 * How the agent's files are laid out in the ConfigMap the init container reads. A ConfigMap key cannot hold a `/`,
 * so each file is stored under a key made from a digest of its workspace path (stable when other files come and go)
 * and its base name (readable in `kubectl get configmap -o yaml`), and the `index` entry maps keys to paths.
 */
import { createHash } from "node:crypto";
import type { AgentContent, AgentFile } from "./content.js";

/** The ConfigMap key listing `<policy> <key> <workspace path>`, one file a line (paths hold no spaces: folder.ts). */
export const INDEX_KEY = "index";

/** The API server refuses a ConfigMap whose keys and values add up to more than 1 MiB. */
export const CONFIGMAP_DATA_LIMIT_BYTES = 1024 * 1024;

export function contentKey(file: Pick<AgentFile, "target">): string {
  const digest = createHash("sha256").update(file.target).digest("hex").slice(0, 12);
  const base = file.target.slice(file.target.lastIndexOf("/") + 1);
  return `${digest}-${base}`;
}

export function contentIndex(content: AgentContent): string {
  return content.files.map((file) => `${file.policy} ${contentKey(file)} ${file.target}\n`).join("");
}

/** The ConfigMap's `data`: the index and every file by its key. */
export function contentData(content: AgentContent): Record<string, string> {
  return { [INDEX_KEY]: contentIndex(content), ...Object.fromEntries(content.files.map((file) => [contentKey(file), file.text])) };
}

/** The bytes the API server counts against its limit: every key and value, UTF-8. */
export function contentDataBytes(data: Readonly<Record<string, string>>): number {
  return Object.entries(data).reduce((total, [key, value]) => total + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
}
