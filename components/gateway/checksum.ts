import { createHash } from "node:crypto";
import type { GatewaySettings } from "../config/schema.js";

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Digest of secret values: sorted by key so the order they were configured in does not matter. */
export function secretDigest(values: Readonly<Record<string, string>>): string {
  const sorted = Object.keys(values).sort().map((key) => [key, values[key]]);
  return sha256(JSON.stringify(sorted));
}

/**
 * The pod template annotation that rolls the gateway when its config or its secret changes and at no other
 * time. It hashes a digest of the secret, never the secret itself.
 */
export function podChecksum(configText: string, secretValuesDigest: string): string {
  return sha256(`${sha256(configText)}\n${secretValuesDigest}`);
}

/**
 * The checksum with the agent's managed content in it, so a managed file's change rolls the pod (a seed file's does
 * not: restarting would keep the copy on the volume). Without agent content the checksum is the one above, unchanged.
 */
export function withManagedContent(checksum: string, managedContentDigest: string | undefined): string {
  return managedContentDigest === undefined ? checksum : sha256(`${checksum}\nagent ${managedContentDigest}`);
}

/**
 * The config text that rolls the pod. In `seed` mode the init container keeps the file already on the
 * volume, so a config change cannot take effect by restarting: it does not count.
 */
export function checksummedConfig(configMode: GatewaySettings["configMode"], configText: string): string {
  return configMode === "seed" ? "" : configText;
}
