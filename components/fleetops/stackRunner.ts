/**
 * One fleet command on one stack through the Automation API, with the engine `npm run demo` uses
 * (localPulumi.ts). Reads the `gateways` output only: `gatewayTokens` is secret and no fleet command needs it
 * (the Automation API's own `stack.outputs()` would fetch it in plaintext, so it is not used here). `up` runs the
 * CLI itself (engineUp.ts): its outputs and end come from its events, with no CLI run after it.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { KubeConfig } from "@kubernetes/client-node";
import { LocalWorkspace, Stack, type EngineEvent, type PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { CONFIG_NAMESPACE } from "../config/errors.js";
import type { ClusterGateway, FleetModel } from "../config/load.js";
import { loadStackFile } from "../render/renderStack.js";
import { engineUp, EngineUpError, type EngineUpResult } from "./engineUp.js";
import { clusterKubeConfig, liveGateways } from "./liveRollout.js";
import type { StackObservation } from "./fleetReport.js";
import { incompleteClusters, notReadyPodWarnings, podWarningsSummary, type PodWarning } from "./podWarnings.js";
import { releaseImage } from "./releaseImage.js";
import { clearRollbackRestores, deployedImage, rollbackSummary, rollbackWrites, type RollbackRecord } from "./rollback.js";
import { StackFailure } from "./ringSchedule.js";
import type { FleetStack } from "./stackDiscovery.js";

export const FLEET_COMMANDS = ["status", "preview", "up", "refresh", "destroy"] as const;
export type FleetCommand = (typeof FLEET_COMMANDS)[number];

/** Commands that change state: a failure in a ring stops the rollout there. */
export const MUTATING_COMMANDS: ReadonlySet<FleetCommand> = new Set(["up", "refresh", "destroy"]);

export interface StackProgress {
  /** What the runner is doing: `selecting`, `setting image`, the command, `reading outputs`. */
  phase: string;
  /** Gateways whose Deployment the engine has finished with in this run. */
  clustersDone: number;
  /** The stack's rollout, summed over its gateways, once known. */
  rollout?: string;
}

export interface EngineWorkspace {
  pulumiCommand: PulumiCommand;
  envVars: Record<string, string>;
  /** The key service new stacks are created with (`pulumi stack init --secrets-provider`). */
  secretsProvider?: string;
}

export interface StackRunnerOptions {
  command: FleetCommand;
  /** The project directory (Pulumi.yaml and the stack files). */
  workDir: string;
  engine: EngineWorkspace;
  /** Stack names the backend has: a stack not there has nothing to show, refresh or destroy. */
  deployedStacks: ReadonlySet<string>;
  /** `--image`: the release `up` rolls out (a tag or a full reference). */
  release?: string;
  /** `--rollback-on-failure`: a stack whose release failed goes back, with its data (rollback.ts), in at most this many `up` runs. */
  rollbackAttempts?: number;
  /** Policy packs (folders) `preview` and `up` run; a mandatory violation fails the stack. */
  policyPacks?: string[];
  onProgress?: (stack: string, progress: StackProgress) => void;
}

const execFileAsync = promisify(execFile);

const DEPLOYMENT_TYPE = "kubernetes:apps/v1:Deployment";

/** The names of the stacks the backend holds for this project. */
export async function backendStacks(workDir: string, engine: EngineWorkspace): Promise<Set<string>> {
  const workspace = await LocalWorkspace.create({ workDir, ...engine });
  // Self-managed backends may list `organization/project/stack`; the stack files use the bare name.
  return new Set((await workspace.listStacks()).map((summary) => summary.name.split("/").pop()!));
}

/** The fleet's stack runner for `runRingByRing`: returns what it observed, throws a StackFailure carrying it. */
export function automationStackRunner(options: StackRunnerOptions): (stack: FleetStack) => Promise<StackObservation> {
  const workspace = LocalWorkspace.create({ workDir: options.workDir, ...options.engine });
  return async (fleetStack) => {
    const progress: StackProgress = { phase: "selecting", clustersDone: 0 };
    const report = (update: Partial<StackProgress>) => options.onProgress?.(fleetStack.name, Object.assign(progress, update));
    report({});
    const deployed = options.deployedStacks.has(fleetStack.name);
    if (!deployed && options.command !== "up" && options.command !== "preview") {
      report({ phase: "not deployed", rollout: "not-deployed" });
      return { deployed: false };
    }
    const ws = await workspace;
    const stack = deployed ? await Stack.select(fleetStack.name, ws) : await Stack.createOrSelect(fleetStack.name, ws);
    const release = options.command === "up" && options.release ? releaseImage(fleetStack.image, options.release) : undefined;
    // What a rollback goes back to: the image of the last successful update (read before the release changes anything).
    const rollbackTo = release && options.rollbackAttempts && deployed ? (deployedImage(await gatewaysOutput(stack, options)) ?? fleetStack.image) : undefined;
    if (release) {
      report({ phase: "setting image" });
      for (const key of clearRollbackRestores(fleetStack.clusters, fleetStack.clustersUndoingUpgrade)) await stack.removeConfig(key, true);
      // `pulumi config set --path`: the release lands in the stack file like any other config change.
      await stack.setConfig(`${CONFIG_NAMESPACE}:gateway.image`, { value: release }, true);
    }
    // The model and kubeconfigs for reading the clusters (status, pod warnings): read once per stack, when first needed.
    let access: Promise<ClusterAccess> | undefined;
    const clusters = () => (access ??= clusterAccess(stack, fleetStack, options));
    const firstError = firstErrorCollector();
    const onEvent = (event: EngineEvent) => {
      firstError.observe(event);
      const outputs = event.resOutputsEvent;
      // The refresh before an update reads each Deployment too (op `refresh`): only the update's own step counts.
      if (outputs?.metadata.type === DEPLOYMENT_TYPE && outputs.metadata.op !== "refresh") report({ clustersDone: progress.clustersDone + 1 });
    };
    report({ phase: options.command });
    let failure: unknown;
    let updated: EngineUpResult | undefined;
    try {
      const common = { onEvent, color: "never" as const };
      const policy = options.policyPacks?.length ? { policyPacks: options.policyPacks } : {};
      if (options.command === "preview") await stack.preview({ ...common, ...policy });
      // Refresh first: the engine otherwise trusts its state, and the rollout outputs computed from it reported gateways
      // `complete` that the cluster no longer had (recreated clusters); with the refresh, what drifted away is recreated.
      else if (options.command === "up") updated = await engineUp(stack.name, options.workDir, options.engine, { ...policy, refresh: true, onEvent });
      else if (options.command === "refresh") await stack.refresh({ ...common, runProgram: true });
      else if (options.command === "destroy") await stack.destroy(common);
    } catch (error) {
      failure = error;
      if (error instanceof EngineUpError) updated = error.result;
    }
    report({ phase: "reading outputs" });
    const observation: StackObservation = {
      deployed: true,
      gateways:
        options.command === "status"
          ? await liveStackGateways(stack, options, clusters)
          : !failure && updated?.outputs && "gateways" in updated.outputs
            ? updated.outputs.gateways
            : await gatewaysOutput(stack, options),
      ...(updated?.endTime ? { lastUpdate: updated.endTime.toISOString() } : await lastUpdate(stack)),
      ...(firstError.resource ? { failedResource: firstError.resource } : {}),
      // A failed update records no outputs: what the checkpoint holds is the last successful update's.
      ...(failure && MUTATING_COMMANDS.has(options.command) ? { outputsStale: true } : {}),
    };
    const notRolledOut = failure ? undefined : rolloutGateError(options.command, observation.gateways);
    // Why a gateway is not ready, read from its cluster (podWarnings.ts): after a failed `up` or rollout gate, and by `status`.
    // Read before any rollback, whose new pods would replace the ones that explain the failure.
    if (options.command === "status" || (options.command === "up" && (failure || notRolledOut))) {
      const podWarnings = await stackPodWarnings(options, observation.gateways, clusters);
      if (Object.keys(podWarnings).length > 0) observation.podWarnings = podWarnings;
    }
    const warnings = observation.podWarnings ? `; ${podWarningsSummary(observation.podWarnings)}` : "";
    const why = failure ? `${firstError.message ?? commandErrorSummary(failure)}${warnings}` : notRolledOut !== undefined ? `${notRolledOut}${warnings}` : undefined;
    if (why !== undefined && release && rollbackTo !== undefined && rollbackTo !== release) {
      // The release failed on this stack: put it back (image and data) before the fleet stops.
      report({ phase: "rolling back", clustersDone: 0 });
      const { record: rollback, gateways, endTime } = await rollBack(stack, fleetStack, options, { to: rollbackTo, from: release }, onEvent);
      observation.rollback = rollback;
      if (gateways !== undefined) {
        observation.gateways = gateways;
        delete observation.outputsStale;
        Object.assign(observation, endTime ? { lastUpdate: endTime.toISOString() } : await lastUpdate(stack));
      }
      report({ phase: "failed", rollout: stackRollout(observation.gateways) });
      throw new StackFailure(`${why}; ${rollbackSummary(rollback)}`, observation);
    }
    report({ phase: why !== undefined ? "failed" : "done", rollout: stackRollout(observation.gateways) });
    if (why !== undefined && release && options.rollbackAttempts && rollbackTo === undefined) {
      throw new StackFailure(`${why}; not rolled back: the stack had no successful update to go back to`, observation);
    }
    if (why !== undefined) throw new StackFailure(why, observation);
    return observation;
  };
}

/**
 * Puts a stack whose release failed back on the image it ran, every gateway with backups restoring the archive taken
 * before the upgrade (rollback.ts), then `up` (refreshed, policy-checked) until the rollout is complete, at most
 * `rollbackAttempts` times. Never throws: what happened is the record, with the `gateways` output the successful
 * attempt's rollout gate read and when that update ended (undefined when it failed).
 */
async function rollBack(
  stack: Stack,
  fleetStack: FleetStack,
  options: StackRunnerOptions,
  images: { to: string; from: string },
  onEvent: (event: EngineEvent) => void,
): Promise<{ record: RollbackRecord; gateways?: unknown; endTime?: Date }> {
  const attempts = options.rollbackAttempts ?? 1;
  const model = loadStackFile(options.workDir, fleetStack.name);
  const writes = rollbackWrites(model, fleetStack.clusters, images.to, images.from);
  const record = (result: RollbackRecord["result"], made: number, error?: string): RollbackRecord => ({
    ...images,
    restored: writes.restored,
    imageOnly: writes.imageOnly,
    attempts: made,
    result,
    ...(error !== undefined ? { error } : {}),
  });
  try {
    for (const key of writes.remove) await stack.removeConfig(key, true);
    for (const { key, value } of writes.set) await stack.setConfig(key, { value }, true);
  } catch (error) {
    return { record: record("failed", 0, `writing the stack config: ${commandErrorSummary(error)}`) };
  }
  const policy = options.policyPacks?.length ? { policyPacks: options.policyPacks } : {};
  let error = "";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const collector = firstErrorCollector();
    try {
      const updated = await engineUp(stack.name, options.workDir, options.engine, { onEvent: (event) => (collector.observe(event), onEvent(event)), ...policy, refresh: true });
      const gateways = updated.outputs && "gateways" in updated.outputs ? updated.outputs.gateways : await gatewaysOutput(stack, options);
      const gate = rolloutGateError("up", gateways);
      if (gate === undefined) return { record: record("rolled-back", attempt), gateways, ...(updated.endTime ? { endTime: updated.endTime } : {}) };
      error = gate;
    } catch (failure) {
      error = collector.message ?? commandErrorSummary(failure);
    }
  }
  return { record: record("failed", attempts, error) };
}

/**
 * `status`: the `gateways` output with every rollout read from its cluster (liveRollout.ts). The clusters and their
 * kubeconfigs come from the stack's config as the program reads it; inline kubeconfigs are decrypted by the CLI and
 * held in memory only.
 */
async function liveStackGateways(stack: Stack, options: StackRunnerOptions, clusters: () => Promise<ClusterAccess>): Promise<unknown> {
  const recorded = await gatewaysOutput(stack, options);
  const { model, configFor } = await clusters();
  return liveGateways(model, recorded, configFor);
}

/** The stack's model and, per gateway, the KubeConfig its providers use. */
interface ClusterAccess {
  model: FleetModel;
  configFor: (gateway: ClusterGateway) => KubeConfig;
}

async function clusterAccess(stack: Stack, fleetStack: FleetStack, options: StackRunnerOptions): Promise<ClusterAccess> {
  const model = loadStackFile(options.workDir, fleetStack.name);
  const inline = model.gateways.some((gateway) => gateway.hasInlineKubeconfig)
    ? (JSON.parse((await stack.getConfig(`${CONFIG_NAMESPACE}:kubeconfigs`)).value) as Record<string, string>)
    : undefined;
  const env = { ...process.env, ...options.engine.envVars };
  return { model, configFor: (gateway: ClusterGateway) => clusterKubeConfig(gateway, inline, env) };
}

/**
 * The pod warnings of the stack's gateways that are not complete: for `status` those its live read found so, after an
 * `up` those whose Deployment the cluster says is not (the outputs may be stale). Never a failure of its own: a stack
 * whose config or kubeconfigs cannot be read has no warnings.
 */
async function stackPodWarnings(options: StackRunnerOptions, gateways: unknown, clusters: () => Promise<ClusterAccess>): Promise<Record<string, PodWarning[]>> {
  const incomplete = options.command === "status" ? incompleteClusters(gateways) : undefined;
  if (incomplete?.length === 0) return {};
  try {
    // For `status`, the model and kubeconfigs its live read already has (no second decrypt of inline kubeconfigs).
    const { model, configFor } = await clusters();
    return await notReadyPodWarnings(model.gateways, model.tenant, configFor, incomplete);
  } catch {
    return {};
  }
}

async function gatewaysOutput(stack: Stack, options: StackRunnerOptions): Promise<unknown> {
  return stackGatewaysOutput(stack.name, options.workDir, options.engine);
}

/** The `gateways` output alone (`pulumi stack output gateways --json`); undefined when the stack has none (destroyed, never deployed) or it cannot be read. */
export async function stackGatewaysOutput(stackName: string, workDir: string, engine: EngineWorkspace): Promise<unknown> {
  return readGatewaysOutput(stackName, workDir, engine).catch(() => undefined);
}

/**
 * The `gateways` output; undefined only when the stack has no such output (destroyed, or never updated). A failure to
 * read it (the backend, the checkpoint) throws: a caller that falls back to the config must not do so for that.
 * Without `--show-secrets` the CLI blinds secret outputs, so no secret is read.
 */
export async function readGatewaysOutput(stackName: string, workDir: string, engine: EngineWorkspace): Promise<unknown> {
  try {
    const { stdout } = await execFileAsync(engine.pulumiCommand.command, ["stack", "output", "gateways", "--json", "--non-interactive", "--stack", stackName], {
      cwd: workDir,
      env: { ...process.env, ...engine.envVars },
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(stdout);
  } catch (error) {
    if (/does not have output property 'gateways'/.test((error as { stderr?: string }).stderr ?? "")) return undefined;
    throw error;
  }
}

async function lastUpdate(stack: Stack): Promise<{ lastUpdate?: string }> {
  // showSecrets false: the history carries the stack's config, secrets included.
  const [latest] = (await stack.history(1, 1, false)) ?? [];
  return latest?.endTime ? { lastUpdate: new Date(latest.endTime).toISOString() } : {};
}

/** The first error diagnostic or mandatory policy violation of a run, as one line, with the resource it names. */
export function firstErrorCollector() {
  const collector = {
    message: undefined as string | undefined,
    resource: undefined as string | undefined,
    observe(event: EngineEvent) {
      const violation = event.policyEvent;
      if (collector.message === undefined && violation?.enforcementLevel === "mandatory") {
        const resource = violation.resourceUrn?.split("::").pop();
        const text = `policy ${violation.policyPackName}/${violation.policyName}: ${violation.message.replace(/\s+/g, " ").trim()}`;
        collector.resource = resource;
        collector.message = resource ? `${resource}: ${text}` : text;
        return;
      }
      const diagnostic = event.diagnosticEvent;
      if (collector.message !== undefined || diagnostic?.severity !== "error") return;
      const resource = diagnostic.urn?.split("::").pop();
      const text = diagnostic.message.replace(/\s+/g, " ").trim();
      collector.resource = resource;
      collector.message = resource ? `${resource}: ${text}` : text;
    },
  };
  return collector;
}

/** A CLI failure without an engine diagnostic (a missing stack, a lock): its first `error:` line. */
export function commandErrorSummary(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split("\n").find((l) => /\berror:/i.test(l));
  return (line ?? text.split("\n").find((l) => l.trim() !== "") ?? "failed").replace(/^.*?\berror:\s*/i, "").trim();
}

/**
 * Why a stack whose `up` succeeded still does not count as rolled out: a gateway whose `rollout.status` is not
 * `complete` (the engine's await ended before the controller finished, or the output was computed from a state the
 * cluster no longer matches). The next ring must not start on it. Undefined for other commands and complete stacks.
 */
export function rolloutGateError(command: FleetCommand, gateways: unknown): string | undefined {
  if (command !== "up") return undefined;
  if (typeof gateways !== "object" || gateways === null) return "up succeeded but the stack has no gateways output: its rollout cannot be confirmed";
  const incomplete = Object.entries(gateways as Record<string, { rollout?: { status?: unknown } }>)
    .map(([cluster, gateway]) => [cluster, String(gateway?.rollout?.status ?? "unknown")] as const)
    .filter(([, status]) => status !== "complete");
  if (incomplete.length === 0) return undefined;
  return `up succeeded but the rollout is not complete: ${incomplete.map(([cluster, status]) => `${cluster} ${status}`).join(", ")} (gateways.*.rollout.status)`;
}

const ROLLOUT_RANK = ["failed", "missing", "progressing", "unknown", "complete"];

/** A stack's gateways' rollouts as one word: the worst of them (`failed` over `missing` over `progressing` over `unknown`). */
export function stackRollout(gateways: unknown): string {
  if (typeof gateways !== "object" || gateways === null) return "not-deployed";
  const states = Object.values(gateways as Record<string, { rollout?: { status?: unknown } }>).map((g) => String(g?.rollout?.status ?? "unknown"));
  if (states.length === 0) return "not-deployed";
  return ROLLOUT_RANK.find((state) => states.includes(state)) ?? "unknown";
}
