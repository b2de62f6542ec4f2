/**
 * `npm run fleet` as a platform team runs it: three tenant stacks in two rings, their state in a PostgreSQL
 * (scripts/postgres.sh, started for this suite and deleted after), the real engine on the local clusters.
 * The CLI runs as a child process, as in a terminal or a CI job; what it did is read from the API servers.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { V1Deployment } from "@kubernetes/client-node";
import { AppsV1Api } from "@kubernetes/client-node";
import { LocalWorkspace } from "@pulumi/pulumi/automation/index.js";
import { localWorkspaceOptions, projectDir } from "../../components/automation/localPulumi.js";
import type { FleetReport } from "../../components/fleetops/fleetReport.js";
import { connect, testKubeconfigPath, type TestCluster } from "../cluster/kube.js";
import { gridCells, renderedDom } from "../report/chromium.js";
import { E2eStack, namespaceGone, newestReplicaSet, rolledOutAt, type StackShape, runScript } from "./harness.js";

const IMAGE = (version: string) => `ghcr.io/openclaw/openclaw:${version}-slim`;
const postgres = (command: string) => execFileSync(join(projectDir, "scripts/postgres.sh"), [command], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });

// A canary rollout that never completes: requests no node can hold, a short deadline (as in fleet.e2e.test.ts).
const NEVER_READY = {
  resources: { requests: { cpu: "900", memory: "512Mi" }, limits: { cpu: "900", memory: "1Gi" } },
  probes: { startup: { periodSeconds: 5, failureThreshold: 2 } },
  progressDeadlineSeconds: 20,
  terminationGracePeriodSeconds: 30,
};

describe("end to end: npm run fleet rolls a release ring by ring (PostgreSQL state)", function () {
  this.timeout(20 * 60_000);
  const specs = [
    { name: "e2e-ring-canary", tenant: "e2e-rc", ring: 0 },
    { name: "e2e-ring-a", tenant: "e2e-ra", ring: 1 },
    { name: "e2e-ring-b", tenant: "e2e-rb", ring: 1 },
  ];
  const stacks = specs.map((spec) => new E2eStack(spec.name, spec.tenant, ""));
  const canary = stacks[0]!;
  const ringOne = stacks.slice(1);
  const write = (stack: E2eStack, shape: StackShape = {}) => stack.write({ fleet: true, ring: specs.find((spec) => spec.name === stack.name)!.ring, ...shape });
  let clusters: TestCluster[];
  let backend: string;
  // A shared backend takes the user's key, never the repository's passphrase: one for this suite's database.
  const passphrase = randomBytes(32).toString("hex");
  const reports = mkdtempSync(join(tmpdir(), "fleet-e2e-report-"));

  /** `npm run fleet -- ARGS` over this suite's stacks: its exit code, stderr and the JSON report it wrote. */
  async function fleet(...args: string[]) {
    const json = join(reports, `${args[0]}.json`);
    const html = join(reports, `${args[0]}.html`);
    const env = { ...process.env, PULUMI_BACKEND_URL: backend, PULUMI_CONFIG_PASSPHRASE: passphrase, KUBECONFIG: testKubeconfigPath() };
    // A hang (the CLI's PostgreSQL backend can deadlock: localPulumi.ts) fails the test instead of the suite's timeout.
    const outcome = await runScript("fleet.ts", [...args, "--stacks", "e2e-ring-*", "--concurrency", "2", "--json", json, "--html", html], env);
    return { ...outcome, html, report: () => JSON.parse(readFileSync(json, "utf8")) as FleetReport };
  }

  const deployment = (stack: E2eStack, cluster: TestCluster) =>
    cluster.config.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: `openclaw-${stack.tenant}`, namespace: `openclaw-${stack.tenant}` });
  const image = (live: V1Deployment) => live.spec!.template.spec!.containers[0]!.image;

  before(async function () {
    this.timeout(5 * 60_000);
    postgres("start");
    backend = postgres("url").trim();
    for (const stack of stacks) write(stack);
    clusters = canary.model().gateways.map((gateway) => connect(gateway.context!));
    // The state of an earlier run went with its PostgreSQL: start from empty tenants.
    for (const stack of stacks) for (const cluster of clusters) await namespaceGone(cluster, `openclaw-${stack.tenant}`);
  });
  after(() => {
    for (const stack of stacks) rmSync(stack.file, { force: true });
    rmSync(reports, { recursive: true, force: true });
    postgres("stop");
  });

  it("deploys every stack, then rolls a release out: the canary ring complete before ring 1 starts", async () => {
    const first = await fleet("up");
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(first.report().stacks.map((s) => [s.stack, s.result]), specs.map((spec) => [spec.name, "succeeded"]));

    const release = await fleet("up", "--image", "2026.9.5-slim");
    assert.equal(release.code, 0, release.stderr);
    for (const stack of stacks) {
      for (const cluster of clusters) assert.equal(image(await deployment(stack, cluster)), IMAGE("2026.9.5"), `${stack.name} on ${cluster.context}`);
      // The release is in the stack's own config, as `pulumi config set` would have put it.
      assert.match(readFileSync(stack.file, "utf8"), /2026\.9\.5-slim/);
    }
    // From the API servers: the canary's last rollout was available before any ring-1 ReplicaSet was created.
    const canaryDone = Math.max(...(await Promise.all(clusters.map(async (cluster) => rolledOutAt(await deployment(canary, cluster))))));
    for (const stack of ringOne) {
      for (const cluster of clusters) {
        const created = +new Date((await newestReplicaSet(cluster, `openclaw-${stack.tenant}`)).metadata!.creationTimestamp!);
        assert.ok(canaryDone <= created, `${stack.name} on ${cluster.context} started ${new Date(created).toISOString()}, before the canary was done ${new Date(canaryDone).toISOString()}`);
      }
    }
    for (const stack of release.report().stacks) for (const cell of stack.clusters) assert.equal(cell.rollout, "complete", `${stack.stack}/${cell.cluster}`);
    // The progress lines (plain, as in a CI log): each stack's last one counts both clusters' Deployments done.
    for (const spec of specs) assert.match(release.stderr, new RegExp(`ring ${spec.ring}\\s+${spec.name}\\s+clusters 2/2\\s+rollout complete\\s+succeeded`), release.stderr);
  });

  it("stops at a failing canary: exit 1 naming it, ring 1 untouched, and a page Chromium renders with every stack", async () => {
    const ringOneBefore = await Promise.all(ringOne.map(async (stack) => ({ file: readFileSync(stack.file, "utf8"), generations: await Promise.all(clusters.map(async (c) => (await deployment(stack, c)).metadata!.generation)) })));
    write(canary, { gateway: { image: IMAGE("2026.9.5") }, overrides: { "local-1": NEVER_READY } });
    const failed = await fleet("up", "--image", "2026.9.4-slim");
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /e2e-ring-canary \(ring 0\): .*local-1/);
    assert.doesNotMatch(failed.stderr, /e2e-ring-a \(ring|e2e-ring-b \(ring/);
    const report = failed.report();
    assert.deepEqual(report.stacks.map((s) => [s.stack, s.result]), [["e2e-ring-canary", "failed"], ["e2e-ring-a", "skipped"], ["e2e-ring-b", "skipped"]]);
    for (const [index, stack] of ringOne.entries()) {
      assert.equal(readFileSync(stack.file, "utf8"), ringOneBefore[index]!.file, `${stack.name}'s config was changed`);
      for (const [c, cluster] of clusters.entries()) {
        const live = await deployment(stack, cluster);
        assert.equal(image(live), IMAGE("2026.9.5"));
        assert.equal(live.metadata!.generation, ringOneBefore[index]!.generations[c]);
      }
    }

    // The page of that run, in a real browser: a cell for each stack and cluster, the canary's failure listed.
    const dom = renderedDom(failed.html);
    const cells = gridCells(dom).map((cell) => `${cell.stack}/${cell.cluster}`).sort();
    assert.deepEqual(cells, specs.flatMap((spec) => ["local-1", "local-2"].map((cluster) => `${spec.name}/${cluster}`)).sort());
    assert.match(/<table id="failures">([\s\S]*?)<\/table>/.exec(dom)?.[1] ?? "", /e2e-ring-canary/);
  });

  it("writes the status page from the stacks' outputs without updating anything, then destroys the fleet", async () => {
    // Two more (empty) stacks in the backend: with 4 or more, the CLI's stack listing deadlocked its connection pool
    // on this 2-core machine until the engine settings read them with one worker.
    const workspace = await LocalWorkspace.create({ workDir: projectDir, ...(await localWorkspaceOptions({ backendUrl: backend, passphrase })) });
    for (const extra of ["e2e-pg-extra-1", "e2e-pg-extra-2"]) {
      await workspace.createStack(extra);
      rmSync(join(projectDir, `Pulumi.${extra}.yaml`), { force: true });
    }
    const generations = async () => Promise.all(stacks.flatMap((stack) => clusters.map(async (c) => (await deployment(stack, c)).metadata!.generation)));
    const before = await generations();
    const status = await fleet("status");
    assert.equal(status.code, 0, status.stderr);
    assert.deepEqual(await generations(), before);
    const cells = gridCells(renderedDom(status.html));
    assert.equal(cells.length, 6);
    assert.ok(cells.filter((cell) => cell.stack !== "e2e-ring-canary").every((cell) => cell.classes.includes("rollout-complete")), JSON.stringify(cells));

    write(canary, { gateway: { image: IMAGE("2026.9.5") } });
    const destroyed = await fleet("destroy");
    assert.equal(destroyed.code, 0, destroyed.stderr);
    for (const stack of stacks) for (const cluster of clusters) await assert.rejects(() => deployment(stack, cluster), /404|not found/i);
  });
});
