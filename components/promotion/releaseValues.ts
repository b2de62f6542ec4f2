/**
 * A stack file's release (the values of RELEASE_KEYS under `openclaw-fleet:gateway`), the readable diff between two
 * releases, and the stack file with another release written in: as `pulumi config set --path` would write it, into
 * the file's YAML document, so every other key, and the comments the `yaml` library keeps, stay as they were.
 */
import { createHash } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { isMap, parseDocument, type Document } from "yaml";
import { isPlainObject } from "../config/deepMerge.js";
import { GATEWAY_DEFAULTS } from "../config/defaults.js";
import { CONFIG_NAMESPACE, InputError } from "../config/errors.js";
import { isSecureValue } from "../config/stackFileSecrets.js";
import { ALL_RELEASE_KEYS, RELEASE_KEYS, releaseKeyName, type ReleaseKey } from "../releases/releaseKeys.js";

const GATEWAY = `${CONFIG_NAMESPACE}:gateway`;

/** Release key path -> the value the stack runs: the stack file's, else the program's default (GATEWAY_DEFAULTS). */
export type Release = Record<string, unknown>;

export interface ReleaseChange {
  key: ReleaseKey;
  from: unknown;
  to: unknown;
}

function document(file: string, text: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new InputError(`${file}: not valid YAML: ${doc.errors[0]!.message}`);
  return doc;
}

function gatewayOf(file: string, doc: Document): Record<string, unknown> {
  const gateway = doc.getIn(["config", GATEWAY]);
  if (gateway === undefined || gateway === null) return {};
  // `pulumi config set --path` writes a map; a JSON string (what a plain `config set` writes) could not be edited key by key.
  if (!isMap(gateway)) throw new InputError(`${file}: ${GATEWAY} is not a YAML map; write it as one (pulumi config set --path '${GATEWAY}.image' ...)`);
  return gateway.toJSON() as Record<string, unknown>;
}

const containsSecure = (value: unknown): boolean =>
  isSecureValue(value) || (Array.isArray(value) ? value.some(containsSecure) : isPlainObject(value) && Object.values(value).some(containsSecure));

/** The release a stack file names, every key filled in; a secret among them is refused (secrets belong to an environment). */
export function readRelease(file: string, text: string): Release {
  const doc = document(file, text);
  const gateway = gatewayOf(file, doc);
  const config = (doc.toJSON() as { config?: Record<string, unknown> } | null)?.config ?? {};
  const release: Release = {};
  for (const key of ALL_RELEASE_KEYS) {
    const value = key.scope === "stack" ? config[`${CONFIG_NAMESPACE}:${key.path}`] : gateway[key.path];
    // Unset is the program's default: a stack that pins the default already runs the same release. A stack key's
    // default is none (no agent folder).
    if (value === undefined) {
      release[key.path] = key.scope === "stack" ? undefined : structuredClone(GATEWAY_DEFAULTS[key.path as keyof typeof GATEWAY_DEFAULTS]);
      continue;
    }
    if (containsSecure(value)) {
      throw new InputError(`${file}: ${CONFIG_NAMESPACE}:${releaseKeyName(key)} holds a secret; secrets belong to an environment and are not promoted: move it to apiKeys or apiKeysSecret`);
    }
    release[key.path] = value;
  }
  return release;
}

/** `clusters[i].overrides.<release key>` entries of a stack file: a cluster that pins its own release. */
export function clusterReleasePins(file: string, text: string): string[] {
  const config = (document(file, text).toJSON() as { config?: Record<string, unknown> } | null)?.config ?? {};
  const clusters = config[`${CONFIG_NAMESPACE}:clusters`];
  if (!Array.isArray(clusters)) return [];
  return clusters.flatMap((cluster, index) =>
    isPlainObject(cluster) && isPlainObject(cluster.overrides)
      ? RELEASE_KEYS.filter((key) => (cluster.overrides as Record<string, unknown>)[key.path] !== undefined).map(
          (key) => `${CONFIG_NAMESPACE}:clusters[${index}].overrides.${key.path}${typeof cluster.name === "string" ? ` (${cluster.name})` : ""}`,
        )
      : [],
  );
}

/** The changes that make `target` the `source` release, in ALL_RELEASE_KEYS order; empty when they are the same. */
export function releaseChanges(target: Release, source: Release): ReleaseChange[] {
  return ALL_RELEASE_KEYS.filter((key) => !isDeepStrictEqual(target[key.path], source[key.path])).map((key) => ({ key, from: target[key.path], to: source[key.path] }));
}

/** Canonical JSON (keys sorted at every level), so the same content has the same hash whatever its key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isPlainObject(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  return JSON.stringify(value);
}

export function contentHash(value: unknown): string {
  return `sha256:${createHash("sha256").update(canonical(value)).digest("hex").slice(0, 12)}`;
}

function shown(key: ReleaseKey, value: unknown): string {
  if (value === undefined) return "(unset)";
  if (key.shown === "contentHash") return contentHash(value);
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** One stack file's changes, readable: `  openclaw-fleet:gateway.image: A -> B`. */
export function formatChanges(targetFile: string, source: string, changes: readonly ReleaseChange[]): string {
  const lines = changes.map((change) => `  ${CONFIG_NAMESPACE}:${releaseKeyName(change.key)}: ${shown(change.key, change.from)} -> ${shown(change.key, change.to)}`);
  return `${targetFile} (from ${source}):\n${lines.join("\n")}`;
}

/** The stack file's text with `release` written in: the release keys that differ set explicitly, nothing else touched. */
export function writeRelease(file: string, text: string, release: Release): string {
  const doc = document(file, text);
  const current = gatewayOf(file, doc);
  // Only what differs is written: an unchanged key keeps its node, its style and its comments.
  for (const key of ALL_RELEASE_KEYS) {
    if (key.scope === "stack") {
      const path = ["config", `${CONFIG_NAMESPACE}:${key.path}`];
      const runs = (doc.getIn(path) as { toJSON?: () => unknown } | undefined)?.toJSON?.() ?? doc.getIn(path);
      if (isDeepStrictEqual(runs, release[key.path])) continue;
      // A release without the key (no agent folder) removes it from the target.
      if (release[key.path] === undefined) doc.deleteIn(path);
      else doc.setIn(path, doc.createNode(release[key.path]));
      continue;
    }
    const path = ["config", GATEWAY, key.path];
    const runs = current[key.path] ?? GATEWAY_DEFAULTS[key.path as keyof typeof GATEWAY_DEFAULTS];
    if (release[key.path] !== undefined && !isDeepStrictEqual(runs, release[key.path])) {
      doc.setIn(path, doc.createNode(release[key.path]));
    }
  }
  return doc.toString();
}
