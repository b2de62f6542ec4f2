import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { InputError } from "../config/errors.js";
import type { RenderedCluster, SuppliedSecret } from "./renderFleet.js";

/** The manifests of one cluster as one multi-document YAML stream, in apply order, after a note on the Secret. */
export function manifestsToYaml(cluster: RenderedCluster): string {
  return suppliedSecretNote(cluster.secret) + cluster.manifests.map((manifest) => stringify(manifest, { lineWidth: 0, aliasDuplicateObjects: false })).join("---\n");
}

/**
 * The Secret the render leaves out, as YAML comments: its name, namespace and keys, and one way to create it. A
 * rendered Secret would carry a placeholder, and applied as is the gateway would take the placeholder as its token.
 */
export function suppliedSecretNote(secret: SuppliedSecret): string {
  const [token, ...apiKeys] = secret.keys;
  const literals = [`--from-literal=${token}="$(openssl rand -hex 32)"`, ...apiKeys.map((key) => `--from-literal=${key}="$${key}"`)];
  return [
    `# Not rendered: Secret ${secret.namespace}/${secret.name}, the gateway's env (envFrom). A placeholder value applied`,
    `# as is would become the gateway's token, so whoever applies these objects supplies it, with the keys:`,
    `#   ${secret.keys.join(", ")}`,
    `# for example (or an ExternalSecret / SealedSecret of that name; see docs/operations.md, "Rendering for GitOps"):`,
    `#   kubectl create secret generic ${secret.name} -n ${secret.namespace} ${literals.join(" ")}`,
    "",
  ].join("\n");
}

/** Marks a directory as the renderer's own, so a later render may clear it and no other directory is ever cleared. */
const MARKER = ".openclaw-fleet-render";

/**
 * Writes `<dir>/<cluster>.yaml` per cluster. A directory a previous render made is cleared first (so a removed
 * cluster's file goes too); any other non-empty directory is refused rather than touched.
 */
export function writeRenderedFleet(dir: string, clusters: readonly RenderedCluster[]): string[] {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!existsSync(join(dir, MARKER))) throw new InputError(`refusing to write into ${dir}: it is not empty and not an earlier render's output`);
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MARKER), "Written by `npm run render`; the next render clears this directory.\n");
  return clusters.map((cluster) => {
    const file = join(dir, `${cluster.cluster}.yaml`);
    writeFileSync(file, manifestsToYaml(cluster));
    return file;
  });
}
