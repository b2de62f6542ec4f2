import { createHash } from "node:crypto";

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
