/**
 * Why a gateway is not ready, as data (issue 20 item 5), on the real engine and the local clusters: a canary whose
 * pod no node can hold (it requests 900 CPUs; the one kwok node has 32), so the real kube-scheduler reports
 * FailedScheduling. `npm run fleet -- up` fails that stack and its error, the report and the page name the event;
 * `npm run fleet -- status` names it too. Nothing here writes an event: the scheduler does. The CLI runs as a child
 * process with a `file://` backend in a temp dir under a passphrase of this suite's.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { CoreV1Api } from "@kubernetes/client-node";
import { projectDir } from "../../components/automation/localPulumi.js";
import type { FleetReport } from "../../components/fleetops/fleetReport.js";
import { TOKEN_ENV_NAME } from "../../components/gateway/openclawConfig.js";
import { connect, testKubeconfigPath, type TestCluster } from "../cluster/kube.js";
import { gridCells, renderedDom } from "../report/chromium.js";
import { E2eStack, namespaceGone } from "./harness.js";

const run = promisify(execFile);

// Requests no node can hold, and a short deadline so the engine's await gives up soon (as in fleetRings.e2e.test.ts).
const UNSCHEDULABLE = {
  resources: { requests: { cpu: "900", memory: "512Mi" }, limits: { cpu: "900", memory: "1Gi" } },
  probes: { startup: { periodSeconds: 5, failureThreshold: 2 } },
  progressDeadlineSeconds: 20,
  terminationGracePeriodSeconds: 30,
};
// What the scheduler says about such a pod (its wording since Kubernetes 1.x: "0/1 nodes are available: 1 Insufficient cpu.").
const INSUFFICIENT_CPU = /0\/1 nodes are available: 1 Insufficient cpu/;

describe("end to end: a failed canary says why its gateway is not ready (its pods' warning events)", function () {
  this.timeout(20 * 60_000);
  const canary = new E2eStack("e2e-nrw-canary", "e2e-nrw", "");
  const namespace = `openclaw-${canary.tenant}`;
  const backendDir = mkdtempSync(join(tmpdir(), "fleet-nrw-backend-"));
  const passphrase = randomBytes(32).toString("hex");
  const scratch = mkdtempSync(join(tmpdir(), "fleet-nrw-e2e-"));
  let clusters: TestCluster[];

  /** `npm run fleet -- ARGS` over this suite's stack: exit code, stderr, the JSON report and the page it wrote. */
  async function fleet(...args: string[]) {
    const json = join(scratch, `${args[0]}.json`);
    const html = join(scratch, `${args[0]}.html`);
    rmSync(json, { force: true });
    const argv = ["--import", "tsx", join(projectDir, "scripts/fleet.ts"), ...args, "--stacks", "e2e-nrw-*", "--json", json, "--html", html];
    const env = { ...process.env, PULUMI_BACKEND_URL: `file://${backendDir}`, PULUMI_CONFIG_PASSPHRASE: passphrase, KUBECONFIG: testKubeconfigPath() };
    const outcome = await run(process.execPath, argv, { cwd: projectDir, env, maxBuffer: 64 * 1024 * 1024, timeout: 8 * 60_000 }).then(
      ({ stderr }) => ({ code: 0, stderr }),
      (error: { code?: number; stderr?: string }) => ({ code: error.code ?? -1, stderr: error.stderr ?? "" }),
    );
    return { ...outcome, html, report: () => JSON.parse(readFileSync(json, "utf8")) as FleetReport };
  }

  /** The gateway token on a cluster, to check it appears nowhere the fleet wrote. */
  const gatewayToken = async (cluster: TestCluster, name: string) => {
    const core = cluster.config.makeApiClient(CoreV1Api);
    const secretName = canary.object(name, "Secret").metadata!.name!;
    const secret = await core.readNamespacedSecret({ name: secretName, namespace }).catch(async (error) => {
      const names = (await core.listNamespacedSecret({ namespace })).items.map((s) => s.metadata?.name);
      throw new Error(`no Secret ${secretName} on ${name}; the namespace has ${names.join(", ") || "none"}: ${String(error).split("\n")[0]}`);
    });
    return Buffer.from(secret.data![TOKEN_ENV_NAME]!, "base64").toString("utf8");
  };

  before(async function () {
    this.timeout(5 * 60_000);
    canary.write({ fleet: true, ring: 0, overrides: { "local-1": UNSCHEDULABLE } });
    clusters = canary.model().gateways.map((gateway) => connect(gateway.context!));
    for (const cluster of clusters) await namespaceGone(cluster, namespace);
  });

  after(async function () {
    this.timeout(10 * 60_000);
    try {
      // Schedulable again, so the destroy's own awaits end; then the retained Namespaces (and claims).
      canary.write({ fleet: true, ring: 0 });
      await fleet("destroy");
      for (const cluster of clusters ?? []) await namespaceGone(cluster, namespace);
    } finally {
      rmSync(canary.file, { force: true });
      rmSync(backendDir, { recursive: true, force: true });
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("up fails the canary naming the scheduler's FailedScheduling, in the error, the report and the page; status names it too", async () => {
    const up = await fleet("up");
    assert.equal(up.code, 1, up.stderr);

    // The event is the real scheduler's, on the canary's pod on local-1 (read from the API server, not from the fleet).
    const core = clusters[0]!.config.makeApiClient(CoreV1Api);
    const scheduled = (await core.listNamespacedEvent({ namespace, fieldSelector: "type=Warning" })).items.find((e) => e.reason === "FailedScheduling" && e.involvedObject.kind === "Pod");
    assert.ok(scheduled, "no FailedScheduling event on local-1");
    assert.equal(scheduled.reportingComponent || scheduled.source?.component, "default-scheduler");
    assert.match(scheduled.message!, INSUFFICIENT_CPU);

    // The stack's error line: the engine's first error, then the pod warnings of the cluster that is not ready.
    const line = up.stderr.split("\n").find((l) => l.startsWith("  e2e-nrw-canary (ring 0): "));
    assert.ok(line, up.stderr);
    assert.match(line, /local-1-deployment: .*; pod warnings: local-1: FailedScheduling( x\d+)?: 0\/1 nodes are available: 1 Insufficient cpu/);
    // local-2 is wave 1: the engine never reached it (its Deployment is missing), and nothing there is to blame.
    assert.doesNotMatch(line, /pod warnings: .*local-2/);

    const report = up.report();
    assert.match(report.failed[0]!.error, /pod warnings: local-1: FailedScheduling/);
    const cells = Object.fromEntries(report.stacks[0]!.clusters.map((cell) => [cell.cluster, cell]));
    const scheduling = cells["local-1"]!.warnings.find((w) => w.reason === "FailedScheduling");
    assert.ok(scheduling, JSON.stringify(cells["local-1"]));
    assert.match(scheduling.message, INSUFFICIENT_CPU);
    assert.match(scheduling.pod, new RegExp(`^${namespace}-`));
    assert.ok(scheduling.count >= 1 && scheduling.lastSeen !== null);
    assert.deepEqual(cells["local-2"]!.warnings, []);
    const page = gridCells(renderedDom(up.html)).find((cell) => cell.stack === "e2e-nrw-canary" && cell.cluster === "local-1")!;
    assert.match(page.text, /FailedScheduling( x\d+)?: 0\/1 nodes are available: 1 Insufficient cpu/);

    // status reads the clusters: the gateway is still not complete, and it says why (status itself succeeds).
    const status = await fleet("status");
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stderr, /not ready \(the pods' last warnings\):\n  e2e-nrw-canary\/local-1 (progressing|failed): FailedScheduling( x\d+)?: 0\/1 nodes are available: 1 Insufficient cpu/);
    const live = status.report().stacks[0]!.clusters.find((cell) => cell.cluster === "local-1")!;
    assert.ok(live.live && live.rollout !== "complete", JSON.stringify(live));
    assert.ok(live.warnings.some((w) => w.reason === "FailedScheduling" && INSUFFICIENT_CPU.test(w.message)), JSON.stringify(live));

    // The gateway token (in local-1's env Secret; local-2 has none yet) reaches nothing the fleet wrote.
    {
      const token = await gatewayToken(clusters[0]!, "local-1");
      assert.equal(token.length, 64);
      for (const text of [up.stderr, status.stderr, readFileSync(up.html, "utf8"), readFileSync(status.html, "utf8"), JSON.stringify(report), JSON.stringify(status.report())]) {
        assert.ok(!text.includes(token), "the gateway token was written");
      }
    }
  });
});
