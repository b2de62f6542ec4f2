/**
 * Reads a stack's config straight from `Pulumi.<stack>.yaml`, without the Pulumi CLI, for offline
 * rendering. Encrypted `secure:` values cannot be decrypted here and become placeholders.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { isPlainObject } from "../config/deepMerge.js";
import { CONFIG_NAMESPACE } from "../config/errors.js";
import { isSecureValue, plaintextSecretEntries } from "../config/stackFileSecrets.js";

export const SECRET_PLACEHOLDER = "<secret>";

export interface StackFileConfig {
  /** `openclaw-fleet:` values keyed without the namespace, as raw strings the way Pulumi hands them over. */
  raw: Record<string, string>;
  /** Keys whose whole value is encrypted, so even its key names are unknown offline. */
  opaqueSecrets: string[];
  /** Keys holding any encrypted value (whole or under `--path`), as Pulumi would mark them secret. */
  secretKeys: string[];
  /** The stack's `secretsprovider` (`awskms://...`, `passphrase`), when the file names one. */
  secretsProvider?: string;
  /** `apiKeys`/`kubeconfigs` entries held in plaintext (the loader refuses them). */
  plaintextEntries: string[][];
}

const isSecure = isSecureValue;

const containsSecure = (value: unknown): boolean =>
  isSecure(value) || (Array.isArray(value) ? value.some(containsSecure) : isPlainObject(value) && Object.values(value).some(containsSecure));

function replaceSecure(value: unknown): unknown {
  if (isSecure(value)) return SECRET_PLACEHOLDER;
  if (Array.isArray(value)) return value.map(replaceSecure);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceSecure(v)]));
  return value;
}

export function readStackFile(path: string): StackFileConfig {
  return parseStackFile(readFileSync(path, "utf8"));
}

/** A stack file's text (`Pulumi.<stack>.yaml`) as `readStackFile` reads it. */
export function parseStackFile(text: string): StackFileConfig {
  const document = parse(text) as unknown;
  const config = isPlainObject(document) && isPlainObject(document.config) ? document.config : {};
  const raw: Record<string, string> = {};
  const opaqueSecrets: string[] = [];
  const secretKeys: string[] = [];
  const prefix = `${CONFIG_NAMESPACE}:`;
  for (const [fullKey, value] of Object.entries(config)) {
    if (!fullKey.startsWith(prefix)) continue;
    const key = fullKey.slice(prefix.length);
    if (containsSecure(value)) secretKeys.push(key);
    if (isSecure(value)) {
      // A whole-object secret (`pulumi config set --secret apiKeys '{...}'`): its names are encrypted too.
      opaqueSecrets.push(key);
      continue;
    }
    // Pulumi hands plain strings over as they are and everything else as JSON.
    raw[key] = typeof value === "string" ? value : JSON.stringify(replaceSecure(value));
  }
  const secretsProvider = isPlainObject(document) && typeof document.secretsprovider === "string" ? document.secretsprovider : undefined;
  return { raw, opaqueSecrets, secretKeys, plaintextEntries: plaintextSecretEntries(config), ...(secretsProvider !== undefined ? { secretsProvider } : {}) };
}
