import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import type { RenderedCluster } from "./renderFleet.js";

/** The manifests of one cluster as one multi-document YAML stream, in apply order. */
export function manifestsToYaml(cluster: RenderedCluster): string {
  return cluster.manifests.map((manifest) => stringify(manifest, { lineWidth: 0, aliasDuplicateObjects: false })).join("---\n");
}

/** Writes `<dir>/<cluster>.yaml` per cluster, replacing what a previous render left there. */
export function writeRenderedFleet(dir: string, clusters: readonly RenderedCluster[]): string[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return clusters.map((cluster) => {
    const file = join(dir, `${cluster.cluster}.yaml`);
    writeFileSync(file, manifestsToYaml(cluster));
    return file;
  });
}
