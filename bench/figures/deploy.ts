/**
 * Figures 1 and 2, both a first `pulumi up` from nothing. First deploy: one cluster's gateway by `pulumi up`
 * against `kubectl apply --server-side` of the same rendered objects and `kubectl rollout status`. Fan-out: a
 * stack of several clusters in one wave against the same stack with one. Every repetition starts from a clean
 * cluster and a fresh stack; the destroy, the namespace deletion and the stack's removal are not timed.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { monotonicSeconds, type Side } from "../alternate.js";
import type { Figure } from "../results.js";
import { BENCH_NAMESPACE, BENCH_TENANT, phaseRecorder, type BenchEngine } from "../stacks.js";
import { summarize } from "../stats.js";
import type { BenchContext } from "../context.js";
import { compareSides } from "./compare.js";

const run = promisify(execFile);

/** One side that deploys a fresh stack on these contexts with `pulumi up`, and tears it down untimed. */
export function pulumiUpSide(context: BenchContext, engine: BenchEngine, name: string, stackName: string, contexts: string[], phases?: Record<string, number>[]): Side {
  let stack: Stack | undefined;
  return {
    name,
    prepare: async () => {
      engine.writeStackFile(stackName, contexts);
      stack = await engine.stack(stackName);
    },
    run: async () => {
      const recorder = phaseRecorder(monotonicSeconds);
      const result = await stack!.up({ color: "never", onEvent: recorder.onEvent });
      recorder.end();
      const fleet = result.outputs.fleet?.value as { complete?: boolean } | undefined;
      if (fleet?.complete !== true) throw new Error(`${name}: the fleet's rollout is not complete after pulumi up`);
      phases?.push(recorder.phases);
    },
    cleanup: async () => {
      await stack!.destroy({ color: "never" });
      await engine.remove(stack!);
      // The Namespace and the claim are retained by destroy (by design); a first deploy starts without them.
      await Promise.all(contexts.map((kubeContext) => context.clusters.deleteNamespace(kubeContext, BENCH_NAMESPACE)));
    },
  };
}

/** The rendered objects of a one-cluster stack, as scripts/render.ts writes them (no Secret). */
export async function renderedFile(context: BenchContext, engine: BenchEngine, stackName: string, kubeContext: string): Promise<{ file: string; dispose: () => void }> {
  const stackFile = engine.writeStackFile(stackName, [kubeContext]);
  const out = mkdtempSync(join(tmpdir(), "openclaw-bench-render-"));
  try {
    await run(process.execPath, ["--import", "tsx", join(context.projectDir, "scripts/render.ts"), "--stack", stackName, "--out", out], { cwd: context.projectDir });
  } finally {
    rmSync(stackFile, { force: true });
  }
  const [file] = readdirSync(out).filter((name) => name.endsWith(".yaml"));
  if (!file) throw new Error(`render wrote no manifest into ${out}`);
  return { file: join(out, file), dispose: () => rmSync(out, { recursive: true, force: true }) };
}

/** `kubectl apply --server-side` of the rendered file, the env Secret it leaves out, `rollout status`; the namespace deleted untimed. */
export function kubectlApplySide(context: BenchContext, kubeContext: string, file: string): Side {
  return {
    name: "kubectl apply",
    run: async () => {
      await context.clusters.kubectlRun(kubeContext, ["apply", "--server-side", "-f", file]);
      // The render leaves the env Secret to whoever applies it (docs/operations.md, "Rendering for GitOps").
      await context.clusters.kubectlRun(kubeContext, ["create", "secret", "generic", `openclaw-${BENCH_TENANT}-env`, "-n", BENCH_NAMESPACE, `--from-literal=OPENCLAW_GATEWAY_TOKEN=${randomBytes(32).toString("hex")}`]);
      await context.clusters.kubectlRun(kubeContext, ["rollout", "status", `deployment/openclaw-${BENCH_TENANT}`, "-n", BENCH_NAMESPACE, "--timeout=300s"]);
    },
    cleanup: () => context.clusters.deleteNamespace(kubeContext, BENCH_NAMESPACE),
  };
}

export const phaseSummary = (phases: Record<string, number>[]) =>
  Object.fromEntries([...new Set(phases.flatMap(Object.keys))].map((phase) => [phase, summarize(phases.map((p) => p[phase]!).filter((v) => v !== undefined))]));

export async function firstDeployFigure(context: BenchContext, engine: BenchEngine): Promise<Figure> {
  const [kubeContext] = await context.clusters.ensure(1);
  await context.clusters.deleteNamespace(kubeContext!, BENCH_NAMESPACE);
  const rendered = await renderedFile(context, engine, "bench-render", kubeContext!);
  const phases: Record<string, number>[] = [];
  try {
    const kubectl = kubectlApplySide(context, kubeContext!, rendered.file);
    return await compareSides(context, "first deploy", {
      id: "first-deploy",
      title: "first deploy, 1 cluster",
      measured: pulumiUpSide(context, engine, "pulumi up", "bench-first", [kubeContext!], phases),
      baseline: kubectl,
      target: { kind: "ratio", max: 1.5 },
      breakdown: () => ({ pulumiUpPhasesSeconds: phaseSummary(phases) }),
    });
  } finally {
    rendered.dispose();
  }
}

export async function fanOutFigure(context: BenchContext, engine: BenchEngine): Promise<Figure> {
  const wide = context.options.fanOutClusters;
  const contexts = await context.clusters.ensure(wide);
  await Promise.all(contexts.map((kubeContext) => context.clusters.deleteNamespace(kubeContext, BENCH_NAMESPACE)));
  const widePhases: Record<string, number>[] = [];
  const onePhases: Record<string, number>[] = [];
  const wideName = `${wide} clusters`;
  return compareSides(context, "fan-out", {
    id: "fan-out",
    title: `fan-out, ${wide} clusters in one wave`,
    measured: { ...pulumiUpSide(context, engine, wideName, "bench-fan-out-wide", contexts, widePhases), label: `up, ${wideName}` },
    baseline: { ...pulumiUpSide(context, engine, "1 cluster", "bench-fan-out-one", contexts.slice(0, 1), onePhases), label: "up, 1 cluster" },
    target: { kind: "ratio", max: 1.3 },
    breakdown: () => ({ widePhasesSeconds: phaseSummary(widePhases), onePhasesSeconds: phaseSummary(onePhases) }),
  });
}
