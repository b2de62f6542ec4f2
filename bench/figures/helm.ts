/**
 * The Helm sides (issue 22): what a platform team would deploy OpenClaw with instead of this program, measured on
 * the same cluster, with the same objects, in the same run. The chart is generated from the render of each gateway
 * (bench/helm/chart.ts) and checked against what `npm run render` wrote before anything is timed.
 *   - first deploy: `pulumi up` vs `helm upgrade --install --wait` vs `kubectl apply --server-side` + `rollout
 *     status`, in turns; two figures from the same samples (ours against Helm, Helm against kubectl);
 *   - no-op release: an unchanged `pulumi up` vs `helm upgrade --wait` of the same values;
 *   - fleet release: `npm run fleet -- up --image` over N tenant stacks of 2 clusters vs a Helm loop doing the same
 *     image change at the same concurrency (a tenant's clusters in order, as a stack's waves go), wall clock and
 *     CPU seconds of every process each side starts.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { parse, parseAllDocuments, stringify } from "yaml";
import { releaseImage } from "../../components/fleetops/releaseImage.js";
import type { RenderedCluster } from "../../components/render/renderFleet.js";
import { renderStack } from "../../components/render/renderStack.js";
import { runInTurns, type Side } from "../alternate.js";
import { runCpuTimed } from "../cpuTime.js";
import type { BenchContext } from "../context.js";
import { helmChart } from "../helm/chart.js";
import { HelmCli, type WrittenChart } from "../helm/helmCli.js";
import { makeFigure, type Figure } from "../results.js";
import { BENCH_NAMESPACE, BENCH_TENANT, type BenchEngine } from "../stacks.js";
import { summarize } from "../stats.js";
import { compareSides } from "./compare.js";
import { kubectlApplySide, phaseSummary, pulumiUpSide, renderedFile } from "./deploy.js";

/** The in-process render of a stack file written for these contexts (the same function `npm run render` runs). */
async function renderGateways(context: BenchContext, engine: BenchEngine, stackName: string, contexts: string[], tenant: string): Promise<RenderedCluster[]> {
  const file = engine.writeStackFile(stackName, contexts, tenant);
  try {
    const rendered = await renderStack(context.projectDir, stackName);
    if (rendered.schemaProblems.length > 0) throw new Error(`the render of ${stackName} fails the schema: ${rendered.schemaProblems.map((p) => p.message).join("; ")}`);
    return rendered.clusters;
  } finally {
    rmSync(file, { force: true });
  }
}

/** The objects of a file `npm run render` wrote (its leading comment on the Secret aside). */
function renderedObjects(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, "utf8")).map((document) => document.toJSON() as unknown).filter((object) => object !== null);
}

export async function helmFirstDeployFigures(context: BenchContext, engine: BenchEngine): Promise<Figure[]> {
  const [kubeContext] = await context.clusters.ensure(1);
  await context.clusters.deleteNamespace(kubeContext!, BENCH_NAMESPACE);
  const helm = new HelmCli(context.clusters.kubeconfig);
  const rendered = await renderedFile(context, engine, "bench-render", kubeContext!);
  try {
    const [gateway] = await renderGateways(context, engine, "bench-render", [kubeContext!], BENCH_TENANT);
    const written = helm.write(helmChart(BENCH_TENANT, gateway!), gateway!.secret.keys);
    await helm.assertTemplatesAreTheRender(written, renderedObjects(rendered.file), gateway!.secret.name);
    const phases: Record<string, number>[] = [];
    const helmSide: Side = {
      name: "helm upgrade --install",
      run: () => helm.upgrade(written, kubeContext!, written.chart.image),
      cleanup: async () => {
        await helm.uninstall(written, kubeContext!);
        await context.clusters.deleteNamespace(kubeContext!, BENCH_NAMESPACE);
      },
    };
    const pulumi = pulumiUpSide(context, engine, "pulumi up", "bench-first-helm", [kubeContext!], phases);
    const kubectl = kubectlApplySide(context, kubeContext!, rendered.file);
    const samples = await runInTurns([pulumi, helmSide, kubectl], { repetitions: context.options.repetitions, onRun: context.progress("first deploy, Helm") });
    const side = (s: Side) => ({ name: s.name, samples: samples[s.name]! });
    return [
      makeFigure("helm-first-deploy", "first deploy vs Helm, 1 cluster", side(pulumi), side(helmSide), { kind: "ratio", max: 1.5 }, { pulumiUpPhasesSeconds: phaseSummary(phases), kubectlApplySeconds: summarize(samples[kubectl.name]!) }),
      makeFigure("helm-vs-kubectl-first-deploy", "first deploy, Helm vs kubectl", side(helmSide), side(kubectl), undefined),
    ];
  } finally {
    rendered.dispose();
    helm.dispose();
    await context.clusters.deleteNamespace(kubeContext!, BENCH_NAMESPACE);
  }
}

export async function helmNoOpFigure(context: BenchContext, engine: BenchEngine): Promise<Figure> {
  const [kubeContext] = await context.clusters.ensure(1);
  const helmTenant = `${BENCH_TENANT}-helm`;
  const namespaces = [BENCH_NAMESPACE, `openclaw-${helmTenant}`];
  await Promise.all(namespaces.map((namespace) => context.clusters.deleteNamespace(kubeContext!, namespace)));
  const helm = new HelmCli(context.clusters.kubeconfig);
  const [gateway] = await renderGateways(context, engine, "bench-helm-no-op", [kubeContext!], helmTenant);
  const written = helm.write(helmChart(helmTenant, gateway!), gateway!.secret.keys);
  engine.writeStackFile("bench-no-op-helm", [kubeContext!]);
  const program: Stack = await engine.stack("bench-no-op-helm");
  try {
    await program.up({ color: "never" });
    await helm.upgrade(written, kubeContext!, written.chart.image);
    return await compareSides(context, "no-op, Helm", {
      id: "helm-no-op",
      title: "no-op release vs Helm, 1 cluster",
      measured: {
        name: "pulumi up",
        run: async () => {
          const changes = (await program.up({ color: "never" })).summary.resourceChanges ?? {};
          const changed = Object.entries(changes).filter(([op, count]) => op !== "same" && count > 0);
          if (changed.length > 0) throw new Error(`no-op up of ${program.name} changed something: ${JSON.stringify(changes)}`);
        },
      },
      baseline: { name: "helm upgrade", run: () => helm.upgrade(written, kubeContext!, written.chart.image) },
      target: { kind: "ratio", max: 2 },
    });
  } finally {
    await program.destroy({ color: "never" }).catch(() => undefined);
    await engine.remove(program).catch(() => undefined);
    await helm.uninstall(written, kubeContext!).catch(() => undefined);
    helm.dispose();
    await Promise.all(namespaces.map((namespace) => context.clusters.deleteNamespace(kubeContext!, namespace)));
  }
}

/** Runs `work` on every item, `concurrency` at a time; rejects with the first failure once all have settled. */
async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item).catch((error: unknown) => void failures.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failures.length > 0) throw failures[0];
}

export async function helmFleetFigure(context: BenchContext, engine: BenchEngine): Promise<Figure> {
  const { fleetTenants: tenants, fleetConcurrency: concurrency } = context.options;
  const contexts = await context.clusters.ensure(2);
  const numbers = Array.from({ length: tenants }, (_, index) => String(index + 1).padStart(2, "0"));
  const fleetStacks = numbers.map((number) => `bench-fleet-${number}`);
  const helmTenants = numbers.map((number) => `bench-helm-${number}`);
  const namespaces = [...fleetStacks, ...helmTenants].map((tenant) => `openclaw-${tenant}`);
  const deleteNamespaces = () => pool(contexts.flatMap((kubeContext) => namespaces.map((namespace) => ({ kubeContext, namespace }))), 8, ({ kubeContext, namespace }) => context.clusters.deleteNamespace(kubeContext, namespace));
  await deleteNamespaces();

  // The fleet's tenants: the local stack's config and clusters (waves 0 and 1), each a tenant of `npm run fleet`, one ring.
  const local = parse(readFileSync(join(context.projectDir, "Pulumi.local.yaml"), "utf8")) as { config: Record<string, unknown> };
  const localClusters = local.config["openclaw-fleet:clusters"] as { context: string }[];
  const clusters = localClusters.slice(0, 2).map((cluster, index) => ({ ...cluster, context: contexts[index]! }));
  const stackFile = (name: string) => join(context.projectDir, `Pulumi.${name}.yaml`);
  for (const name of fleetStacks) {
    writeFileSync(stackFile(name), stringify({ config: { ...local.config, "openclaw-fleet:tenant": name, "openclaw-fleet:fleet": true, "openclaw-fleet:ring": 0, "openclaw-fleet:clusters": clusters } }));
  }
  const stateDir = mkdtempSync(join(tmpdir(), "openclaw-bench-fleet-state-"));
  const fleetEnv = { ...process.env, KUBECONFIG: context.clusters.kubeconfig, PULUMI_BACKEND_URL: `file://${stateDir}`, PULUMI_CONFIG_PASSPHRASE: randomBytes(32).toString("hex") };
  const fleet = (command: string, ...args: string[]) =>
    runCpuTimed(process.execPath, ["--import", "tsx", join(context.projectDir, "scripts/fleet.ts"), command, "--stacks", "bench-fleet-*", "--concurrency", String(concurrency), "--json", "/dev/null", "--html", "/dev/null", ...args], { cwd: context.projectDir, env: fleetEnv });

  // Helm's tenants: a chart per gateway from the render of the same config under the tenant's own name.
  const helm = new HelmCli(context.clusters.kubeconfig);
  const releases: { tenant: string; charts: { written: WrittenChart; kubeContext: string }[] }[] = [];
  for (const tenant of helmTenants) {
    const file = stackFile(tenant);
    writeFileSync(file, stringify({ config: { ...local.config, "openclaw-fleet:tenant": tenant, "openclaw-fleet:clusters": clusters } }));
    try {
      const rendered = await renderStack(context.projectDir, tenant);
      releases.push({ tenant, charts: rendered.clusters.map((gateway, index) => ({ written: helm.write(helmChart(tenant, gateway), gateway.secret.keys), kubeContext: contexts[index]! })) });
    } finally {
      rmSync(file, { force: true });
    }
  }
  const initialImage = releases[0]!.charts[0]!.written.chart.image;
  // Each side releases these tags in turn from its own last one: every timed run changes the image of every gateway.
  const tags = ["bench-release-a", "bench-release-b"];
  const fleetCpu: number[] = [];
  const helmCpu: number[] = [];
  let fleetRuns = 0;
  let helmRuns = 0;
  try {
    await fleet("up");
    await pool(releases, concurrency, async ({ charts }) => {
      for (const { written, kubeContext } of charts) await helm.upgrade(written, kubeContext, initialImage);
    });
    const fleetSide: Side = {
      name: "fleet up --image",
      run: async () => {
        const timed = await fleet("up", "--image", tags[fleetRuns++ % 2]!);
        fleetCpu.push(timed.cpuSeconds);
        return timed.seconds;
      },
    };
    const helmSide: Side = {
      name: "Helm loop",
      run: async () => {
        const image = releaseImage(initialImage, tags[helmRuns++ % 2]!);
        let cpuSeconds = 0;
        const start = process.hrtime.bigint();
        await pool(releases, concurrency, async ({ charts }) => {
          // A tenant's clusters one after the other, as the stack's waves go.
          for (const { written, kubeContext } of charts) cpuSeconds += (await runCpuTimed(helm.binary, helm.upgradeArgs(written, kubeContext, image), { env: helm.env })).cpuSeconds;
        });
        helmCpu.push(cpuSeconds);
        return Number(process.hrtime.bigint() - start) / 1e9;
      },
    };
    const figure = await compareSides(context, "fleet release, Helm", {
      id: "helm-fleet",
      title: `fleet release, ${tenants} tenants x 2 clusters, concurrency ${concurrency}`,
      measured: fleetSide,
      baseline: helmSide,
      target: { kind: "ratio", max: 1.5 },
      breakdown: () => ({
        tenants,
        concurrency,
        fleetCpuSecondsPerTenant: summarize(fleetCpu.map((cpu) => cpu / tenants)),
        helmCpuSecondsPerTenant: summarize(helmCpu.map((cpu) => cpu / tenants)),
      }),
    });
    return {
      ...figure,
      breakdown: { ...figure.breakdown, fleetSecondsPerTenant: summarize(figure.measured.samples.map((s) => s / tenants)), helmSecondsPerTenant: summarize(figure.baseline.samples.map((s) => s / tenants)) },
    };
  } finally {
    await fleet("destroy").catch((error: unknown) => console.error(`bench: fleet destroy of the bench's tenants failed: ${String(error)}`));
    await pool(releases, 4, async ({ charts }) => {
      for (const { written, kubeContext } of charts) await helm.uninstall(written, kubeContext);
    }).catch((error: unknown) => console.error(`bench: helm uninstall failed: ${String(error)}`));
    for (const name of fleetStacks) rmSync(stackFile(name), { force: true });
    rmSync(stateDir, { recursive: true, force: true });
    helm.dispose();
    await deleteNamespaces();
  }
}
