/**
 * One stack of this project driven by the real engine for the end-to-end tests: its `Pulumi.<stack>.yaml`
 * written from the local stack's config (own tenant, so it never touches what `npm run demo` deployed),
 * updates recorded from the engine's own events, and what is on the clusters read with client-node.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { LocalWorkspace, type EngineEvent, type Stack } from "@pulumi/pulumi/automation/index.js";
import { AppsV1Api, CoreV1Api, type KubernetesObject, type V1Deployment, type V1ReplicaSet } from "@kubernetes/client-node";
import { parse, stringify } from "yaml";
import { localStack, localWorkspaceOptions, projectDir } from "../../components/automation/localPulumi.js";
import { projectCopy } from "../../components/automation/projectCopy.js";
import type { FleetModel } from "../../components/config/load.js";
import type { GatewayOutput } from "../../components/fleet/outputs.js";
import { renderFleet } from "../../components/render/renderFleet.js";
import { loadStackFile } from "../../components/render/renderStack.js";
import { connect, deleteNamespace, read, testKubeconfigPath, waitFor, type Manifest, type TestCluster } from "../cluster/kube.js";

const run = promisify(execFile);
const localConfig = (parse(readFileSync(join(projectDir, "Pulumi.local.yaml"), "utf8")) as { config: Record<string, unknown> }).config;

export interface StackShape {
  environment?: "dev" | "staging" | "prod";
  /** Deep settings for every gateway (shallow-merged over the local stack's `gateway`). */
  gateway?: Record<string, unknown>;
  /** Per cluster `overrides`. */
  overrides?: Record<string, Record<string, unknown>>;
  /** Per cluster keys of its entry in `clusters` (e.g. `wave`, `decommission`). */
  clusters?: Record<string, Record<string, unknown>>;
  /** Clusters left out of the stack (a cluster removed from it). */
  without?: string[];
  /** The stack's rollout ring for `npm run fleet`. */
  ring?: number;
  /** `retainState` (false: a throwaway stack). */
  retainState?: boolean;
  /** `openclaw-fleet:fleet`: whether `npm run fleet` takes the stack (the local stack's `false` when unset). */
  fleet?: boolean;
  /** Further top-level keys, without the namespace (e.g. `access`, `agent`). */
  keys?: Record<string, unknown>;
}

/** What one engine operation did: per-resource operations, every engine event, and the text it printed. */
export interface Recorded {
  operations: { urn: string; type: string; op: string }[];
  events: EngineEvent[];
  output: string[];
}

const managedType = (type: string) => type.startsWith("kubernetes:") || type.startsWith("random:");

export class E2eStack {
  readonly file: string;
  stack!: Stack;
  clusters!: TestCluster[];
  /** Every event and line the engine produced for this stack, across operations (for the secret checks). */
  readonly history: Recorded[] = [];

  constructor(
    readonly name: string,
    readonly tenant: string,
    /** The stacks' file backend; set by `useStacks` when its describe runs. */
    public stateDir: string,
  ) {
    this.file = join(projectDir, `Pulumi.${name}.yaml`);
  }

  /**
   * Writes the stack file. Keeps whatever the engine wrote there that is not plain config (the passphrase
   * provider's `encryptionsalt`) and the secret `apiKeys` set through `setSecretApiKey`.
   */
  write(shape: StackShape = {}): void {
    const previous = existsSync(this.file) ? ((parse(readFileSync(this.file, "utf8")) ?? {}) as Record<string, unknown>) : {};
    const previousConfig = (previous.config ?? {}) as Record<string, unknown>;
    const config: Record<string, unknown> = structuredClone(localConfig);
    config["openclaw-fleet:tenant"] = this.tenant;
    if (shape.environment) config["openclaw-fleet:environment"] = shape.environment;
    if (shape.ring !== undefined) config["openclaw-fleet:ring"] = shape.ring;
    if (shape.retainState !== undefined) config["openclaw-fleet:retainState"] = shape.retainState;
    if (shape.fleet !== undefined) config["openclaw-fleet:fleet"] = shape.fleet;
    for (const [key, value] of Object.entries(shape.keys ?? {})) config[`openclaw-fleet:${key}`] = value;
    config["openclaw-fleet:gateway"] = { ...(config["openclaw-fleet:gateway"] as object), ...shape.gateway };
    // Your own clusters instead of the local ones: OPENCLAW_FLEET_TEST_CONTEXTS names their contexts in order.
    const contexts = process.env.OPENCLAW_FLEET_TEST_CONTEXTS?.split(",");
    config["openclaw-fleet:clusters"] = (config["openclaw-fleet:clusters"] as { name: string; context: string }[])
      .map((cluster, index) => ({
        ...cluster,
        context: contexts?.[index] ?? cluster.context,
        ...shape.clusters?.[cluster.name],
        ...(shape.overrides?.[cluster.name] ? { overrides: shape.overrides[cluster.name] } : {}),
      }))
      .filter((cluster) => !shape.without?.includes(cluster.name));
    if (previousConfig["openclaw-fleet:apiKeys"]) config["openclaw-fleet:apiKeys"] = previousConfig["openclaw-fleet:apiKeys"];
    writeFileSync(this.file, stringify({ ...previous, config }));
  }

  async open(shape: StackShape = {}): Promise<void> {
    this.write(shape);
    this.stack = await localStack(this.name, { kubeconfig: testKubeconfigPath(), stateDir: this.stateDir });
    this.clusters = this.model().gateways.map((gateway) => connect(gateway.context!));
    this.clusterNames = this.model().gateways.map((gateway) => gateway.cluster);
  }

  /** The tenant's Namespaces deleted from every cluster and gone: for scenarios that leave objects no state owns. */
  async freshTenant(): Promise<void> {
    for (const gateway of this.model().gateways) await namespaceGone(this.cluster(gateway.cluster), gateway.namespace);
  }

  /** Sets one API key as a secret, as `pulumi config set --secret --path apiKeys.NAME` does. */
  async setSecretApiKey(name: string, value: string): Promise<void> {
    await this.stack.setConfig(`openclaw-fleet:apiKeys.${name}`, { value, secret: true }, true);
  }

  async removeApiKey(name: string): Promise<void> {
    await this.stack.removeConfig(`openclaw-fleet:apiKeys.${name}`, true);
  }

  model(): FleetModel {
    return loadStackFile(projectDir, this.name);
  }

  /** The stack's clusters as opened (a cluster later removed from the stack stays reachable here). */
  private clusterNames: string[] = [];

  cluster(name: string): TestCluster {
    return this.clusters[this.clusterNames.indexOf(name)]!;
  }

  /** The object of `kind` this stack renders for `cluster` (its name and namespace, to read it live). */
  object(cluster: string, kind: string): Manifest {
    const rendered = renderFleet(this.model()).find((each) => each.cluster === cluster)!;
    // The render leaves the env Secret out (it would carry a placeholder); `pulumi up` creates it under this name.
    if (kind === "Secret") return { apiVersion: "v1", kind, metadata: { name: rendered.secret.name, namespace: rendered.secret.namespace } } as Manifest;
    return rendered.manifests.find((manifest) => manifest.kind === kind)! as Manifest;
  }

  async live<T extends KubernetesObject>(cluster: string, kind: string): Promise<T> {
    return read<T>(this.cluster(cluster), this.object(cluster, kind));
  }

  private recorder(): Recorded & { onEvent: (event: EngineEvent) => void; onOutput: (line: string) => void } {
    const recorded: Recorded = { operations: [], events: [], output: [] };
    this.history.push(recorded);
    return {
      ...recorded,
      onEvent: (event) => {
        recorded.events.push(event);
        const metadata = event.resOutputsEvent?.metadata;
        if (metadata) recorded.operations.push({ urn: metadata.urn, type: metadata.type, op: metadata.op });
      },
      onOutput: (line) => recorded.output.push(line),
    };
  }

  async up(options: { continueOnError?: boolean } = {}) {
    const { onEvent, onOutput, ...recorded } = this.recorder();
    const result = await this.stack.up({ color: "never", onEvent, onOutput, ...options });
    return {
      result,
      ...recorded,
      changed: () => recorded.operations.filter((o) => o.op !== "same" && managedType(o.type)),
      gateways: result.outputs.gateways!.value as Record<string, GatewayOutput>,
    };
  }

  async destroy() {
    const { onEvent, onOutput, ...recorded } = this.recorder();
    const result = await this.stack.destroy({ color: "never", onEvent, onOutput });
    return { result, ...recorded };
  }

  /** Runs the Pulumi CLI on this stack, as a user would in a shell (e.g. `state unprotect`). */
  async cli(args: string[]): Promise<string> {
    const { stdout } = await run(this.stack.workspace.pulumiCommand.command, [...args, "--stack", this.name], {
      cwd: projectDir,
      env: { ...process.env, ...this.stack.workspace.envVars },
    });
    return stdout;
  }

  /** Removes the stack from the backend and its file; what is on the clusters stays (the retained state). */
  async remove(): Promise<void> {
    try {
      await this.stack?.workspace.removeStack(this.name, { force: true });
    } finally {
      rmSync(this.file, { force: true });
    }
  }
}

/** The newest of a namespace's ReplicaSets: the one its Deployment's last rollout created. */
/**
 * One of the project's scripts (`npm run fleet`, `npm run promote`) as a child process, as in a terminal or a CI job:
 * its exit code and output. A hang fails the test at `timeoutMs` rather than the suite at its timeout.
 */
export async function runScript(script: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 8 * 60_000): Promise<{ code: number; stdout: string; stderr: string }> {
  const argv = ["--import", "tsx", join(projectDir, "scripts", script), ...args];
  return run(process.execPath, argv, { cwd: projectDir, env, maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? "", stderr: error.stderr ?? "" }),
  );
}

export async function newestReplicaSet(cluster: TestCluster, namespace: string): Promise<V1ReplicaSet> {
  const sets = await cluster.config.makeApiClient(AppsV1Api).listNamespacedReplicaSet({ namespace });
  return sets.items.sort((a, b) => +new Date(b.metadata!.creationTimestamp!) - +new Date(a.metadata!.creationTimestamp!))[0]!;
}

/** When a Deployment's current ReplicaSet became available (its Progressing condition), in ms since the epoch. */
export function rolledOutAt(deployment: V1Deployment): number {
  return +new Date(deployment.status!.conditions!.find((c) => c.type === "Progressing" && c.reason === "NewReplicaSetAvailable")!.lastUpdateTime!);
}

/** Deletes a namespace and waits until the API server no longer has it. */
export async function namespaceGone(cluster: TestCluster, namespace: string): Promise<void> {
  await deleteNamespace(cluster, namespace);
  await waitFor(`namespace ${namespace} gone from ${cluster.context}`, 120_000, async () =>
    (await cluster.config.makeApiClient(CoreV1Api).readNamespace({ name: namespace }).then(() => false, () => true)) ? true : undefined,
  );
}

/**
 * Registers, in the calling `describe`, the life of its stacks: one state dir for them, each opened before the
 * tests (the first may wait for a cold build of the Pulumi CLI), then destroyed (unless `destroyAfter` is false;
 * their claims and Namespaces stay, and the next run adopts them) and removed with its file.
 */
export function useStacks(specs: readonly { name: string; tenant: string; shape?: StackShape }[], options: { destroyAfter?: boolean } = {}): E2eStack[] {
  const stacks = specs.map((spec) => new E2eStack(spec.name, spec.tenant, ""));
  let stateDir: string | undefined;
  before(async function () {
    this.timeout(30 * 60_000);
    // Made here, not when the file loads: a describe that --grep leaves out runs no hook, and would leave its dir behind.
    stateDir = mkdtempSync(join(tmpdir(), "openclaw-e2e-state-"));
    for (const stack of stacks) stack.stateDir = stateDir;
    for (const [index, stack] of stacks.entries()) await stack.open(specs[index]!.shape);
  });
  after(async () => {
    try {
      for (const stack of stacks) {
        if (options.destroyAfter !== false) await stack.destroy().catch(() => undefined);
        await stack.remove();
      }
    } finally {
      if (stateDir) rmSync(stateDir, { recursive: true, force: true });
    }
  });
  return stacks;
}

/** What the engine did (or, in a preview, would do) to each resource: from the step events of a preview or an update. */
export function operations(events: EngineEvent[]): { urn: string; type: string; op: string }[] {
  return events.flatMap((event) => {
    const metadata = event.resourcePreEvent?.metadata;
    return metadata ? [{ urn: metadata.urn, type: metadata.type, op: metadata.op }] : [];
  });
}
const DESTRUCTIVE = ["create", "create-replacement", "replace", "delete", "delete-replaced", "discard", "discard-replaced", "import-replacement"];
export const destructive = (events: EngineEvent[]) => operations(events).filter((o) => DESTRUCTIVE.includes(o.op));

/**
 * `stack` as the earlier program in `baseDir` (a `checkoutAt`) runs it: the same backend and passphrase salt (the
 * stack file), less the config keys that program did not know yet (it refuses unknown keys).
 */
export async function stackRunBy(baseDir: string, stack: E2eStack, unknownKeys: readonly string[] = []): Promise<Stack> {
  const stackFile = parse(readFileSync(stack.file, "utf8")) as { config: Record<string, unknown> };
  for (const key of unknownKeys) delete stackFile.config[key];
  writeFileSync(join(baseDir, `Pulumi.${stack.name}.yaml`), stringify(stackFile));
  return LocalWorkspace.selectStack(
    { stackName: stack.name, workDir: baseDir },
    await localWorkspaceOptions({ kubeconfig: testKubeconfigPath(), stateDir: stack.stateDir }),
  );
}

/**
 * An agent folder for a stack: a temp copy of the project (its entries linked) whose `folder` is a real folder of the
 * copy, so the scenario writes files there and no tracked file changes. `run` points the stack at the copy.
 */
export class AgentFolderCopy {
  readonly dir: string;

  constructor(readonly folder: string, stackName: string, tempPrefix: string) {
    this.dir = projectCopy(projectDir, mkdtempSync(join(tmpdir(), tempPrefix)), stackName);
  }

  /** A file of the agent folder, by its path in the folder. */
  path(file: string): string {
    return join(this.dir, this.folder, file);
  }

  write(file: string, text: string): void {
    mkdirSync(dirname(this.path(file)), { recursive: true });
    writeFileSync(this.path(file), text);
  }

  /** Runs `stack` from the copy, with this folder as its `agent.path` and `seed` as its seed files. */
  async run(stack: E2eStack, seed: readonly string[]): Promise<void> {
    stack.stack = await stackRunBy(this.dir, stack);
    await stack.stack.setConfig("openclaw-fleet:agent.path", { value: this.folder }, true);
    for (const [index, file] of seed.entries()) await stack.stack.setConfig(`openclaw-fleet:agent.seed[${index}]`, { value: file }, true);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The project's files at a commit, in a temp dir, running on this checkout's node_modules: the program a stack
 * "deployed before the change" ran. `overrideVariable` names the variable that picks another commit.
 */
export function checkoutAt(commit: string, overrideVariable = "OPENCLAW_FLEET_E2E_BASE_COMMIT"): string {
  const dir = mkdtempSync(join(tmpdir(), "openclaw-e2e-base-"));
  try {
    const archive = execFileSync("git", ["-C", projectDir, "archive", "--format=tar", commit], { maxBuffer: 256 * 1024 * 1024 });
    execFileSync("tar", ["-x", "-C", dir], { input: archive });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`the base commit ${commit} is not in this clone (a shallow clone? fetch it, or set ${overrideVariable}): ${String(error)}`);
  }
  symlinkSync(join(projectDir, "node_modules"), join(dir, "node_modules"));
  return dir;
}
