// `npm run bench`: the five figures of docs/performance.md, each a ratio of two sides measured in turns in this
// run, as a table on stdout and bench/results.json. Exits non-zero only when a benchmark is broken, never on a time.
import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { installedPackageVersion } from "../components/automation/localPulumi.js";
import { HELM_FIGURES, parseBenchArgs, UsageError, type BenchOptions } from "./args.js";
import { LocalClusters } from "./clusters.js";
import type { BenchContext } from "./context.js";
import { fanOutFigure, firstDeployFigure } from "./figures/deploy.js";
import { helmFirstDeployFigures, helmFleetFigure, helmNoOpFigure } from "./figures/helm.js";
import { fleetBreakdownFigures } from "./figures/fleetBreakdown.js";
import { helmVersion } from "./helm/helmCli.js";
import { mocksFigures } from "./figures/mocks.js";
import { noOpFigures } from "./figures/noop.js";
import { typecheckFigure } from "./figures/typecheck.js";
import { formatProcessCpu, formatTable, resultsSchema, type Figure, type Results } from "./results.js";
import { BenchEngine } from "./stacks.js";

const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

let options: BenchOptions;
try {
  options = parseBenchArgs(process.argv.slice(2), join(projectDir, "bench/results.json"));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(error.message);
  process.exit(2);
}

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
const clusters = new LocalClusters(projectDir);
const context: BenchContext = {
  projectDir,
  options,
  clusters,
  progress: (figure) => (side, repetition) => log(`${figure}: ${side} (repetition ${repetition + 1}/${options.repetitions})`),
};
const needsClusters = options.figures.some((figure) => figure !== "mocks" && figure !== "typecheck");

let engine: BenchEngine | undefined;
const figures: Figure[] = [];
let failed = false;
try {
  if (needsClusters) engine = new BenchEngine(projectDir, clusters.kubeconfig);
  for (const figure of options.figures) {
    log(`${figure}: starting`);
    if (figure === "first-deploy") figures.push(await firstDeployFigure(context, engine!));
    if (figure === "fan-out") figures.push(await fanOutFigure(context, engine!));
    if (figure === "no-op") figures.push(...(await noOpFigures(context, engine!)));
    if (figure === "mocks") figures.push(...(await mocksFigures(context)));
    if (figure === "typecheck") figures.push(await typecheckFigure(context));
    if (figure === "helm-first-deploy") figures.push(...(await helmFirstDeployFigures(context, engine!)));
    if (figure === "helm-no-op") figures.push(await helmNoOpFigure(context, engine!));
    if (figure === "helm-fleet") figures.push(await helmFleetFigure(context, engine!));
    if (figure === "fleet-cpu") figures.push(...(await fleetBreakdownFigures(context)));
  }
  const results: Results = resultsSchema.parse({
    generatedAt: new Date().toISOString(),
    quick: options.quick,
    repetitions: options.repetitions,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? "unknown", memoryBytes: totalmem(), platform: `${process.platform} ${process.arch}` },
    versions: {
      node: process.versions.node,
      pulumiCli: engine ? await engine.version() : "not used",
      pulumiSdk: installedPackageVersion("@pulumi/pulumi"),
      pulumiKubernetes: installedPackageVersion("@pulumi/kubernetes"),
      kubernetes: needsClusters ? await clusters.serverVersion((await clusters.ensure(1))[0]!) : "not used",
      ...(options.figures.some((figure) => HELM_FIGURES.includes(figure)) ? { helm: await helmVersion(clusters.kubeconfig) } : {}),
    },
    figures,
  });
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(formatTable(figures));
  const cpu = formatProcessCpu(figures);
  if (cpu) console.log(`\n${cpu}`);
  console.log(`\n${options.quick ? "quick run (1 repetition, small sizes): times prove the benchmark runs, they judge nothing. " : ""}results: ${options.out}`);
} catch (error) {
  failed = true;
  console.error(`bench: broken benchmark: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  await clusters.release().catch((error) => {
    failed = true;
    console.error(`bench: could not take down the clusters it started: ${String(error)}`);
  });
  engine?.dispose();
}
process.exit(failed ? 1 : 0);
