import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadFleetConfig, type FleetModel } from "../config/load.js";
import { renderFleet, type RenderedCluster } from "./renderFleet.js";
import { readStackFile } from "./stackFile.js";
import { validateManifests, type SchemaProblem } from "./validateManifests.js";

export interface RenderedStack {
  stack: string;
  model: FleetModel;
  clusters: RenderedCluster[];
  /** Config keys encrypted whole, whose contents could not be rendered offline. */
  opaqueSecrets: string[];
  schemaProblems: SchemaProblem[];
}

export function stackFilePath(projectDir: string, stack: string): string {
  return join(projectDir, `Pulumi.${stack}.yaml`);
}

/** Offline: `Pulumi.<stack>.yaml` -> validated model -> redacted manifests, each checked against the schema. */
export async function renderStack(projectDir: string, stack: string): Promise<RenderedStack> {
  const file = stackFilePath(projectDir, stack);
  if (!existsSync(file)) throw new Error(`no stack config ${file}; stacks are Pulumi.<stack>.yaml files in ${projectDir}`);
  const { raw, opaqueSecrets } = readStackFile(file);
  const model = loadFleetConfig(raw);
  const clusters = renderFleet(model);
  const schemaProblems = await validateManifests(clusters.flatMap((cluster) => cluster.manifests));
  return { stack, model, clusters, opaqueSecrets, schemaProblems };
}
