/**
 * What a stack file's `config:` section says about secrets, read without the Pulumi CLI: which values are
 * encrypted (`secure:`), and which `apiKeys`/`kubeconfigs` entries are not although they must be.
 */
import { isPlainObject } from "./deepMerge.js";
import { CONFIG_NAMESPACE } from "./errors.js";
import { SECRET_CONFIG_KEYS } from "./load.js";

/** A value `pulumi config set --secret` wrote: `{ secure: <ciphertext> }`. */
export const isSecureValue = (value: unknown): boolean => isPlainObject(value) && Object.keys(value).length === 1 && typeof value.secure === "string";

/**
 * `[key, name]` of every entry under `openclaw-fleet:apiKeys` / `openclaw-fleet:kubeconfigs` held in plaintext,
 * from a stack file's `config:` section. A key encrypted whole has no plaintext entry.
 */
export function plaintextSecretEntries(config: Readonly<Record<string, unknown>>): string[][] {
  const entries: string[][] = [];
  for (const key of SECRET_CONFIG_KEYS) {
    const value = config[`${CONFIG_NAMESPACE}:${key}`];
    if (value === undefined || isSecureValue(value)) continue;
    if (!isPlainObject(value)) entries.push([key]);
    else for (const [name, entry] of Object.entries(value)) if (!isSecureValue(entry)) entries.push([key, name]);
  }
  return entries;
}
