/**
 * A source stack as the promotion gates need it, read through the engine the fleet uses (localPulumi.ts): the
 * backend's stack list, the last update (`pulumi stack history`, without secrets), the `gateways` output (as `fleet
 * status` reads it: never `gatewayTokens`) and a `preview --refresh`, which changes nothing.
 */
import { LocalWorkspace, Stack, type EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { readGatewaysOutput, type EngineWorkspace } from "../fleetops/stackRunner.js";
import type { SourceObservation } from "./sourceGates.js";

/** Operations that leave a resource as it is: anything else in a preview is drift. */
const UNCHANGED = new Set(["same", "read", "refresh"]);

export async function observeSource(stackName: string, workDir: string, engine: EngineWorkspace, deployedStacks: ReadonlySet<string>): Promise<SourceObservation> {
  if (!deployedStacks.has(stackName)) return { deployed: false, drift: [] };
  const stack = await Stack.select(stackName, await LocalWorkspace.create({ workDir, ...engine }));
  const [latest] = (await stack.history(1, 1, false)) ?? [];
  const gateways = await readGatewaysOutput(stackName, workDir, engine);
  const drift: string[] = [];
  const onEvent = (event: EngineEvent) => {
    const metadata = event.resourcePreEvent?.metadata;
    if (metadata && !UNCHANGED.has(metadata.op)) drift.push(`${metadata.op} ${metadata.urn.split("::").pop()}`);
  };
  await stack.preview({ refresh: true, onEvent, color: "never" });
  return {
    deployed: true,
    ...(latest ? { lastUpdate: { kind: latest.kind, result: latest.result } } : {}),
    ...(gateways !== undefined ? { gateways } : {}),
    drift,
  };
}
