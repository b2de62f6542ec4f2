// `npm run bench:fleet-scale -- [--runs 10x1,10x4,50x4,50x8] [--clusters 2] [--out FILE]`: how `npm run fleet --
// up` grows with the number of tenant stacks and with --concurrency, on the local clusters with a PostgreSQL state
// backend. Each run NxK generates N tenant stacks (`Pulumi.scale-<i>.yaml`, two canaries in ring 0, the rest in
// ring 1, each on --clusters local clusters: the first in wave 0, the others in wave 1), times `fleet up` of all of
// them (wall clock, as a CI job sees it, and the CPU seconds of every process it starts), counts what it asked of
// each cluster's API server (`apiserver_request_total`) and of the state backend (rows and WAL bytes written, the
// checkpoints' size), then times `fleet destroy`. The claims and Namespaces a destroy leaves are adopted by the next
// run's stacks of the same name, which is what a redeploy does. Writes a table on stdout and bench/fleet-scale.json:
// the per-stack costs docs/fleet.md's scale plan is computed from.
import { execFileSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parse, stringify } from "yaml";
import { projectDir } from "../components/automation/localPulumi.js";
import { readRequestCounts, requestsBetween, type RequestCounts } from "./apiserverRequests.js";
import { LocalClusters } from "./clusters.js";
import { runCpuTimed } from "./cpuTime.js";

const STACK_PREFIX = "scale-";
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] ? args[index + 1]! : fallback;
};
const runs = option("runs", "10x1,10x4,50x4,50x8").split(",").map((run) => {
  const match = /^(\d+)x(\d+)$/.exec(run.trim());
  if (!match) {
    console.error(`bench:fleet-scale: --runs takes STACKSxCONCURRENCY pairs such as 10x4,50x8, not "${run}"`);
    process.exit(2);
  }
  return { stacks: Number(match[1]), concurrency: Number(match[2]) };
});
const out = option("out", join(projectDir, "bench/fleet-scale.json"));
const clusterCount = Number(option("clusters", "2"));
if (!Number.isInteger(clusterCount) || clusterCount < 1 || clusterCount > 4) {
  console.error(`bench:fleet-scale: --clusters takes 1 to 4 (local clusters per stack), not "${option("clusters", "2")}"`);
  process.exit(2);
}

// The bench's own cluster handling: up if needed (taken down at the end only if this run started them), kubectl,
// and namespace deletion that also removes the claims' hostPath directories.
const clusters = new LocalClusters(projectDir);
const contexts = await clusters.ensure(clusterCount);
const env = { ...process.env, KUBECONFIG: clusters.kubeconfig };
const script = (name: string, ...scriptArgs: string[]) => execFileSync(join(projectDir, "scripts", name), scriptArgs, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
const localConfig = (parse(readFileSync(join(projectDir, "Pulumi.local.yaml"), "utf8")) as { config: Record<string, unknown> }).config;

function writeStacks(count: number): void {
  removeStacks();
  const stackClusters = contexts.map((context, index) => ({ name: `local-${index + 1}`, context, region: "loopback", wave: index === 0 ? 0 : 1 }));
  for (let i = 1; i <= count; i++) {
    const name = `${STACK_PREFIX}${String(i).padStart(3, "0")}`;
    const config = { ...structuredClone(localConfig), "openclaw-fleet:tenant": name, "openclaw-fleet:fleet": true, "openclaw-fleet:ring": i <= 2 ? 0 : 1, "openclaw-fleet:clusters": stackClusters };
    writeFileSync(join(projectDir, `Pulumi.${name}.yaml`), stringify({ config }));
  }
}
function removeStacks(): void {
  for (const file of readdirSync(projectDir)) if (file.startsWith(`Pulumi.${STACK_PREFIX}`)) rmSync(join(projectDir, file));
}

/** `npm run fleet -- COMMAND` over the generated stacks: wall-clock and CPU seconds; throws with its stderr's tail. */
function fleet(command: string, concurrency: number, env: NodeJS.ProcessEnv) {
  return runCpuTimed(
    process.execPath,
    ["--import", "tsx", join(projectDir, "scripts/fleet.ts"), command, "--stacks", `${STACK_PREFIX}*`, "--concurrency", String(concurrency), "--json", "/dev/null", "--html", "/dev/null"],
    { cwd: projectDir, env },
  );
}

/** What the state backend has taken in so far (PostgreSQL's own statistics): rows written, and WAL bytes (every byte written, compressed as stored). */
async function backendWrites(): Promise<{ rowsWritten: number; walBytes: number }> {
  // The statistics reach the views when a server process flushes them (about a second after its transaction).
  await sleep(2000);
  const [rows, wal] = script("postgres.sh", "query", "select (select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) from pg_stat_user_tables), (select wal_bytes from pg_stat_wal)").trim().split("|");
  return { rowsWritten: Number(rows), walBytes: Number(wal) };
}

/** The stacks' checkpoints as they stand, in the Pulumi DIY backend's table (created by the first stack). */
function checkpointBytes(): number {
  return Number(script("postgres.sh", "query", "select coalesce(sum(octet_length(data::text)), 0) from pulumi_state where key like '%/stacks/%' and key not like '%.bak'").trim());
}

const readAllRequests = () => Promise.all(contexts.map((context) => readRequestCounts(clusters, context)));

// A run that was cut short left tenants whose state went with its PostgreSQL: start from none.
await deleteTenantNamespaces(Math.max(...runs.map((run) => run.stacks)));
script("postgres.sh", "start");
const backend = script("postgres.sh", "url").trim();
// A shared backend needs a key of the user's (never the repository's passphrase): one for this throwaway database.
const fleetEnv = { ...env, PULUMI_BACKEND_URL: backend, PULUMI_CONFIG_PASSPHRASE: randomBytes(32).toString("hex") };
const results: Record<string, unknown>[] = [];
try {
  for (const run of runs) {
    writeStacks(run.stacks);
    const [requestsBefore, stateBefore] = [await readAllRequests(), await backendWrites()];
    const up = await fleet("up", run.concurrency, fleetEnv);
    const [requestsAfter, stateAfter, checkpoints] = [await readAllRequests(), await backendWrites(), checkpointBytes()];
    const destroy = await fleet("destroy", Math.max(run.concurrency, 4), fleetEnv);
    // Per stack and per cluster: each stack has one gateway on every cluster.
    const perCluster = requestsAfter.map((after, index) => requestsBetween(requestsBefore[index]!, after));
    const mean = (pick: (counts: RequestCounts) => number) => Math.round(perCluster.reduce((sum, counts) => sum + pick(counts), 0) / perCluster.length / run.stacks);
    const row = {
      stacks: run.stacks,
      concurrency: run.concurrency,
      clustersPerStack: clusterCount,
      gateways: run.stacks * clusterCount,
      upSeconds: round(up.seconds),
      secondsPerStack: round(up.seconds / run.stacks),
      cpuSecondsPerStack: round(up.cpuSeconds / run.stacks),
      apiRequestsPerStackPerCluster: { total: mean((counts) => counts.total), writes: mean((counts) => counts.writes) },
      stateRowsWrittenPerStack: round((stateAfter.rowsWritten - stateBefore.rowsWritten) / run.stacks),
      stateWalBytesPerStack: Math.round((stateAfter.walBytes - stateBefore.walBytes) / run.stacks),
      checkpointBytesPerStack: Math.round(checkpoints / run.stacks),
      destroySeconds: round(destroy.seconds),
    };
    results.push(row);
    console.log(
      `${String(row.stacks).padStart(4)} stacks x ${String(row.concurrency).padStart(2)} at once, ${clusterCount} clusters each: up ${row.upSeconds.toFixed(1).padStart(7)} s (${row.secondsPerStack.toFixed(1)} s and ${row.cpuSecondsPerStack.toFixed(1)} CPU s per stack; per stack and cluster ${row.apiRequestsPerStackPerCluster.total} API requests, ${row.apiRequestsPerStackPerCluster.writes} of them writes; ${row.stateRowsWrittenPerStack} state rows and ${(row.stateWalBytesPerStack / 2 ** 20).toFixed(1)} MiB of WAL written per stack, checkpoint ${Math.round(row.checkpointBytesPerStack / 1024)} KiB), destroy ${row.destroySeconds.toFixed(1)} s`,
    );
  }
} finally {
  removeStacks();
  script("postgres.sh", "stop");
  await deleteTenantNamespaces(Math.max(...runs.map((run) => run.stacks)));
  await clusters.release();
}
writeFileSync(out, `${JSON.stringify({ measuredAt: new Date().toISOString(), machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30) }, node: process.version, runs: results }, null, 2)}\n`);
console.log(`written: ${out}`);

/** The retained Namespaces (and with them the claims) the destroys left, on every local cluster, ten at a time. */
async function deleteTenantNamespaces(count: number): Promise<void> {
  const names = Array.from({ length: count }, (_, i) => `openclaw-${STACK_PREFIX}${String(i + 1).padStart(3, "0")}`);
  for (let start = 0; start < names.length; start += 10) {
    await Promise.all(contexts.flatMap((context) => names.slice(start, start + 10).map((name) => clusters.deleteNamespace(context, name))));
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
