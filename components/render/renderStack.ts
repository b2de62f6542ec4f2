import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { withAgentContent, type FleetWithAgent } from "../agent/load.js";
import { InputError } from "../config/errors.js";
import { loadFleetConfig } from "../config/load.js";
import { renderFleet, type RenderedCluster } from "./renderFleet.js";
import { readStackFile } from "./stackFile.js";
import { validateManifests, type SchemaProblem } from "./validateManifests.js";

export interface RenderedStack {
  stack: string;
  model: FleetWithAgent;
  clusters: RenderedCluster[];
  /** Config keys encrypted whole, whose contents could not be rendered offline. */
  opaqueSecrets: string[];
  schemaProblems: SchemaProblem[];
}

export function stackFilePath(projectDir: string, stack: string): string {
  return join(projectDir, `Pulumi.${stack}.yaml`);
}

function readStack(projectDir: string, stack: string) {
  const file = stackFilePath(projectDir, stack);
  if (!existsSync(file)) throw new InputError(`no stack config ${file}; stacks are Pulumi.<stack>.yaml files in ${projectDir}`);
  const { raw, opaqueSecrets, secretKeys, plaintextEntries } = readStackFile(file);
  // The project names the owner as `pulumi up` does (naming.ts); a file backend has no organization of its own.
  // The agent folder is read from the project directory, as `pulumi up` reads it from its working directory.
  const model = withAgentContent(loadFleetConfig(raw, { secretKeys, plaintextEntries, stack, projectDir }), projectDir);
  return { model: { ...model, project: projectName(projectDir) }, opaqueSecrets };
}

/** The project's name, as `pulumi.getProject()` reports it: `name` in Pulumi.yaml. */
export function projectName(projectDir: string): string {
  const file = join(projectDir, "Pulumi.yaml");
  if (!existsSync(file)) throw new InputError(`no Pulumi.yaml in ${projectDir}: the stack files are read from a Pulumi project directory (its name goes into the owner label)`);
  return String((parse(readFileSync(file, "utf8")) as { name: unknown }).name);
}

/** Offline: `Pulumi.<stack>.yaml` -> the validated fleet model (throws ConfigError on bad input). */
export function loadStackFile(projectDir: string, stack: string): FleetWithAgent {
  return readStack(projectDir, stack).model;
}

/** Offline: `Pulumi.<stack>.yaml` -> validated model -> redacted manifests, each checked against the schema. */
export async function renderStack(projectDir: string, stack: string): Promise<RenderedStack> {
  const { model, opaqueSecrets } = readStack(projectDir, stack);
  const clusters = renderFleet(model);
  const schemaProblems = await validateManifests(clusters.flatMap((cluster) => cluster.manifests));
  return { stack, model, clusters, opaqueSecrets, schemaProblems };
}
