/**
 * The stacks the cluster figures deploy, through the project's engine setup (localPulumiEnv: the locally built
 * CLI, the unpacked plugins, a file backend, no downloads). Each lives in a state directory of its own and a
 * `Pulumi.bench-*.yaml` written from the local stack's config (tenant `bench`, the given contexts, one wave),
 * removed again with the stack.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { LocalWorkspace, PulumiCommand, type EngineEvent, type Stack } from "@pulumi/pulumi/automation/index.js";
import { parse, stringify } from "yaml";
import { localPulumiEnv } from "../components/automation/localPulumi.js";

export const BENCH_TENANT = "bench";
export const BENCH_NAMESPACE = `openclaw-${BENCH_TENANT}`;

export class BenchEngine {
  readonly stateDir = mkdtempSync(join(tmpdir(), "openclaw-bench-state-"));
  private readonly env: Record<string, string>;
  private command?: PulumiCommand;

  constructor(
    private readonly projectDir: string,
    kubeconfig: string,
  ) {
    this.env = localPulumiEnv({ kubeconfig, stateDir: this.stateDir });
  }

  async pulumiCommand(): Promise<PulumiCommand> {
    this.command ??= await PulumiCommand.get({ root: dirname(this.env.PATH!.split(":")[0]!), skipVersionCheck: false });
    return this.command;
  }

  /** The project's stack file for these contexts: the local stack's config, tenant `bench` (or another), every cluster in wave 0. */
  writeStackFile(stackName: string, contexts: string[], tenant = BENCH_TENANT): string {
    const local = parse(readFileSync(join(this.projectDir, "Pulumi.local.yaml"), "utf8")) as { config: Record<string, unknown> };
    const config = {
      ...local.config,
      "openclaw-fleet:tenant": tenant,
      "openclaw-fleet:clusters": contexts.map((context, index) => ({ name: `local-${index + 1}`, context, region: "loopback", wave: 0 })),
    };
    const file = join(this.projectDir, `Pulumi.${stackName}.yaml`);
    writeFileSync(file, stringify({ config }));
    return file;
  }

  /** A fresh stack of the project (or of another program directory, for the floor). */
  async stack(stackName: string, workDir = this.projectDir): Promise<Stack> {
    return LocalWorkspace.createOrSelectStack({ stackName, workDir }, { pulumiCommand: await this.pulumiCommand(), envVars: this.env });
  }

  /** Removes the stack from the backend and its stack file (what it deployed must be destroyed first). */
  async remove(stack: Stack): Promise<void> {
    try {
      await stack.workspace.removeStack(stack.name, { force: true });
    } finally {
      rmSync(join(stack.workspace.workDir, `Pulumi.${stack.name}.yaml`), { force: true });
    }
  }

  async version(): Promise<string> {
    return (await this.pulumiCommand()).version?.toString() ?? "unknown";
  }

  dispose(): void {
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}

/**
 * Where an `up`'s time goes, from the engine's events as they arrive (their own timestamps have 1 s
 * resolution): seconds from the call to the prelude (CLI and engine start), to the first resource (the
 * program's start through tsx), to the last Deployment's outputs (its rollout awaited), to the summary.
 */
export function phaseRecorder(clock: () => number) {
  const start = clock();
  const phases: Record<string, number> = {};
  const mark = (name: string, always = false) => {
    if (always || phases[name] === undefined) phases[name] = clock() - start;
  };
  return {
    phases,
    onEvent: (event: EngineEvent) => {
      if (event.preludeEvent) mark("prelude");
      if (event.resourcePreEvent) {
        mark("firstResource");
        if (event.resourcePreEvent.metadata.type === "kubernetes:apps/v1:Deployment") mark("deploymentStart");
      }
      if (event.resOutputsEvent?.metadata.type === "kubernetes:apps/v1:Deployment") mark("deploymentsDone", true);
      if (event.summaryEvent) mark("summary");
    },
    end: () => mark("end"),
  };
}
