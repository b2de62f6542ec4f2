/**
 * Where a fleet release's CPU goes, per stack and per kind of process (bench/processCpu.ts): the same image change on
 * the same tenant stacks (2 clusters each) by three sides in turns:
 *   - `npm run fleet -- up --image` (the runner: refresh, the Automation API's and its own reads after the update);
 *   - `pulumi config set` + `pulumi up --refresh` per stack by hand (what the fleet's update itself needs);
 *   - the same without `--refresh`.
 * Two figures from the same samples: the fleet against the refreshed update by hand (what the runner adds), and the
 * refresh against none (what truthful rollout outputs cost).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { localPulumiEnv } from "../../components/automation/localPulumi.js";
import { runInTurns, type Side } from "../alternate.js";
import type { BenchContext } from "../context.js";
import { ProcessCpuSampler, type ProcessCpuReport } from "../processCpu.js";
import { makeFigure, type Figure } from "../results.js";
import { summarize } from "../stats.js";

/** Per side: each repetition's report, per stack. */
type Reports = Record<string, ProcessCpuReport[]>;

async function run(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<void> {
  const stderr: Buffer[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "ignore", "pipe"] });
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", reject);
    child.on("close", resolve);
  });
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited ${code}:\n${Buffer.concat(stderr).toString().split("\n").slice(-12).join("\n")}`);
}

/** The medians over repetitions of each kind's CPU seconds and process count, per stack. */
export function kindMedians(reports: readonly ProcessCpuReport[], stacks: number): Record<string, { processes: number; cpuSeconds: number }> {
  const kinds = [...new Set(reports.flatMap((report) => report.byKind.map((kind) => kind.kind)))];
  const median = (values: number[]) => summarize(values).median;
  const entries = kinds.map((kind) => {
    const of = (report: ProcessCpuReport) => report.byKind.find((k) => k.kind === kind);
    return [kind, { processes: median(reports.map((r) => (of(r)?.processes ?? 0) / stacks)), cpuSeconds: median(reports.map((r) => (of(r)?.cpuSeconds ?? 0) / stacks)) }] as const;
  });
  entries.sort((a, b) => b[1].cpuSeconds - a[1].cpuSeconds);
  return Object.fromEntries([
    ...entries,
    ["(not sampled)", { processes: 0, cpuSeconds: median(reports.map((r) => r.unsampledCpuSeconds / stacks)) }],
    ["total", { processes: 0, cpuSeconds: median(reports.map((r) => Math.max(r.waitedCpuSeconds, r.byKind.reduce((sum, k) => sum + k.cpuSeconds, 0)) / stacks)) }],
  ]);
}

export async function fleetBreakdownFigures(context: BenchContext): Promise<Figure[]> {
  const { breakdownStacks: stackCount, fleetConcurrency: concurrency } = context.options;
  const contexts = await context.clusters.ensure(2);
  const stacks = Array.from({ length: stackCount }, (_, index) => `bench-cpu-${String(index + 1).padStart(2, "0")}`);
  const namespaces = stacks.map((name) => `openclaw-${name}`);
  const deleteNamespaces = async () => {
    for (const kubeContext of contexts) for (const namespace of namespaces) await context.clusters.deleteNamespace(kubeContext, namespace);
  };
  await deleteNamespaces();

  const local = parse(readFileSync(join(context.projectDir, "Pulumi.local.yaml"), "utf8")) as { config: Record<string, unknown> };
  const clusters = (local.config["openclaw-fleet:clusters"] as { context: string }[]).slice(0, 2).map((cluster, index) => ({ ...cluster, context: contexts[index]! }));
  const stackFile = (name: string) => join(context.projectDir, `Pulumi.${name}.yaml`);
  for (const name of stacks) {
    writeFileSync(stackFile(name), stringify({ config: { ...local.config, "openclaw-fleet:tenant": name, "openclaw-fleet:fleet": true, "openclaw-fleet:ring": 0, "openclaw-fleet:clusters": clusters } }));
  }
  const stateDir = mkdtempSync(join(tmpdir(), "openclaw-bench-cpu-state-"));
  const backendUrl = `file://${stateDir}`;
  const passphrase = randomBytes(32).toString("hex");
  const fleetEnv = { ...process.env, KUBECONFIG: context.clusters.kubeconfig, PULUMI_BACKEND_URL: backendUrl, PULUMI_CONFIG_PASSPHRASE: passphrase };
  const fleet = (command: string, ...args: string[]) =>
    run(process.execPath, ["--import", "tsx", join(context.projectDir, "scripts/fleet.ts"), command, "--stacks", "bench-cpu-*", "--concurrency", String(concurrency), "--json", "/dev/null", "--html", "/dev/null", ...args], { cwd: context.projectDir, env: fleetEnv });
  const cliEnv = { ...process.env, ...localPulumiEnv({ kubeconfig: context.clusters.kubeconfig, backendUrl, passphrase }) };
  const pulumi = (...args: string[]) => run("pulumi", [...args, "--non-interactive"], { cwd: context.projectDir, env: cliEnv });

  // Every timed run changes the image of every gateway: the sides share one sequence of tags.
  const tags = ["bench-cpu-a", "bench-cpu-b"];
  let runs = 0;
  const image = () => `ghcr.io/openclaw/openclaw:${tags[runs++ % 2]}`;
  const reports: Reports = {};
  const sampled = (name: string, work: () => Promise<void>): Side => ({
    name,
    run: async () => {
      const sampler = new ProcessCpuSampler();
      sampler.start();
      try {
        await work();
      } finally {
        (reports[name] ??= []).push(sampler.stop());
      }
    },
  });
  const byHand = (refresh: boolean) => async () => {
    const next = image();
    // As the fleet does: the stacks `concurrency` at a time, each its config then its update.
    const queue = [...stacks];
    const worker = async () => {
      for (let stack = queue.shift(); stack !== undefined; stack = queue.shift()) {
        await pulumi("config", "set", "--path", "openclaw-fleet:gateway.image", next, "--stack", stack);
        await pulumi("up", "--yes", "--skip-preview", ...(refresh ? ["--refresh"] : []), "--stack", stack);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, stacks.length) }, worker));
  };
  const fleetSide = sampled("fleet up --image", () => fleet("up", "--image", image()));
  const refreshed = sampled("pulumi up --refresh", byHand(true));
  const plain = sampled("pulumi up", byHand(false));
  try {
    await fleet("up");
    const samples = await runInTurns([fleetSide, refreshed, plain], { repetitions: context.options.repetitions, onRun: context.progress("fleet release, CPU by process") });
    const side = (s: Side) => ({ name: s.name, samples: samples[s.name]! });
    const cpu = (s: Side) => kindMedians(reports[s.name]!, stacks.length);
    const common = { stacks: stacks.length, clustersPerStack: 2, concurrency };
    return [
      makeFigure("fleet-cpu-runner", `fleet release vs pulumi up --refresh by hand, ${stacks.length} stacks x 2 clusters`, side(fleetSide), side(refreshed), undefined, {
        ...common,
        processCpuSecondsPerStack: { [fleetSide.name]: cpu(fleetSide), [refreshed.name]: cpu(refreshed) },
      }),
      makeFigure("fleet-cpu-refresh", `pulumi up --refresh vs without, ${stacks.length} stacks x 2 clusters`, side(refreshed), side(plain), undefined, {
        ...common,
        processCpuSecondsPerStack: { [plain.name]: cpu(plain) },
      }),
    ];
  } finally {
    await fleet("destroy").catch((error: unknown) => console.error(`bench: fleet destroy of the bench's stacks failed: ${String(error)}`));
    for (const name of stacks) rmSync(stackFile(name), { force: true });
    rmSync(stateDir, { recursive: true, force: true });
    await deleteNamespaces();
  }
}
