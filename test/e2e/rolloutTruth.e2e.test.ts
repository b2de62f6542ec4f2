/**
 * The rollout as data tells the truth (issue 17, items 1 and 14), on the real engine and the local clusters:
 * - a wave does not start, and `up` does not return, before the earlier wave's new pod is available, even when the
 *   cluster's controller is slow to observe the change (its kube-controller-manager stopped with SIGSTOP for a moment);
 * - a tenant's Deployment and Namespace deleted behind the program's back: `npm run fleet -- status` reads the
 *   clusters and says they are missing, `npm run fleet -- up` (which refreshes first) brings them back and reports
 *   what the clusters then have.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppsV1Api, CoreV1Api, type V1Deployment, type V1Namespace } from "@kubernetes/client-node";
import { LOCAL_PASSPHRASE } from "../../components/automation/localPulumi.js";
import type { FleetReport } from "../../components/fleetops/fleetReport.js";
import { cacheRoot } from "../../components/openclaw/install.js";
import { testKubeconfigPath, waitFor, type TestCluster } from "../cluster/kube.js";
import { newestReplicaSet, rolledOutAt, useStacks, runScript } from "./harness.js";

const IMAGE = (version: string) => `ghcr.io/openclaw/openclaw:${version}-slim`;

/** The pid of a local cluster's kube-controller-manager, from kwok's state (scripts/clusters.sh). */
function controllerManagerPid(context: string): number {
  const file = join(cacheRoot(), "kwok", "clusters", context, "pids", "kube-controller-manager.pid");
  if (!existsSync(file)) throw new Error(`no ${file}: this scenario pauses a local cluster's controller (scripts/clusters.sh up)`);
  return Number(readFileSync(file, "utf8").trim());
}

const deploymentOf = (cluster: TestCluster, tenant: string) =>
  cluster.config.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: `openclaw-${tenant}`, namespace: `openclaw-${tenant}` });

describe("end to end: a rollout counts as done only once the cluster has it", function () {
  this.timeout(15 * 60_000);
  const gate = useStacks([{ name: "e2e-gate", tenant: "e2e-gate", shape: { gateway: { image: IMAGE("2026.9.5") } } }])[0]!;

  it("holds the next wave and `up` itself while wave 0's controller has not observed the image bump", async function () {
    if (process.env.OPENCLAW_FLEET_TEST_KUBECONFIG) this.skip(); // needs a local cluster's controller process to pause
    const first = await gate.up();
    assert.equal(first.gateways["local-1"]!.rollout.status, "complete");
    const [wave0, wave1] = [gate.cluster("local-1"), gate.cluster("local-2")];
    const wave0Before = await deploymentOf(wave0, "e2e-gate");
    const wave1Before = await deploymentOf(wave1, "e2e-gate");

    gate.write({ gateway: { image: IMAGE("2026.9.6") } });
    const pid = controllerManagerPid(wave0.context);
    let returned = false;
    let update: Promise<Awaited<ReturnType<typeof gate.up>>> | undefined;
    process.kill(pid, "SIGSTOP");
    try {
      update = gate.up();
      void update.then(
        () => (returned = true),
        () => (returned = true),
      );
      // The bump reached wave 0's API server: a new generation that the stopped controller cannot observe, with the
      // previous rollout's status (1/1/1/1) still on the object.
      const bumped = await waitFor("wave 0's Deployment at a new generation", 180_000, async () => {
        const live = await deploymentOf(wave0, "e2e-gate");
        return live.metadata!.generation! > wave0Before.metadata!.generation! ? live : undefined;
      });
      assert.ok(bumped.status!.observedGeneration! < bumped.metadata!.generation!, "the controller observed the change while stopped");
      assert.equal(bumped.status!.updatedReplicas, 1, "the stale status is the previous rollout's");
      // Give a wrong await time to take that stale status for a finished rollout and move on.
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      assert.equal(returned, false, "`up` returned while wave 0's controller had not observed the new spec");
      const wave1During = await deploymentOf(wave1, "e2e-gate");
      assert.equal(wave1During.metadata!.generation, wave1Before.metadata!.generation, "wave 1 was changed before wave 0's new pod existed");
    } finally {
      process.kill(pid, "SIGCONT");
    }
    const { gateways } = await update!;
    const wave0After = await deploymentOf(wave0, "e2e-gate");
    const wave1Set = await newestReplicaSet(wave1, "openclaw-e2e-gate");
    assert.equal(wave1Set.spec!.template!.spec!.containers[0]!.image, IMAGE("2026.9.6"));
    // Ordering, not speed: wave 1's new ReplicaSet was created no earlier than wave 0's became available.
    assert.ok(rolledOutAt(wave0After) <= +new Date(wave1Set.metadata!.creationTimestamp!), "wave 1's ReplicaSet predates wave 0's finished rollout");
    for (const cluster of ["local-1", "local-2"]) {
      assert.equal(gateways[cluster]!.image, IMAGE("2026.9.6"));
      assert.equal(gateways[cluster]!.rollout.status, "complete", cluster);
      assert.equal(gateways[cluster]!.rollout.observedGeneration, gateways[cluster]!.rollout.generation, cluster);
    }
  });
});

describe("end to end: objects deleted behind the program's back come back, and the fleet says so", function () {
  this.timeout(15 * 60_000);
  const drift = useStacks([{ name: "e2e-drift", tenant: "e2e-drift", shape: { fleet: true } }])[0]!;
  const reports = mkdtempSync(join(tmpdir(), "fleet-drift-report-"));
  after(() => rmSync(reports, { recursive: true, force: true }));

  /** `npm run fleet -- COMMAND` on this stack alone, as a user runs it, against the stack's own state. */
  async function fleet(command: string) {
    const json = join(reports, `${command}.json`);
    // That backend is the harness's own state dir, whose stacks the harness made under the local passphrase: here it is
    // the user's key, which the fleet takes only from the environment for a backend it did not choose itself.
    const env = { ...process.env, PULUMI_BACKEND_URL: `file://${drift.stateDir}`, PULUMI_CONFIG_PASSPHRASE: LOCAL_PASSPHRASE, KUBECONFIG: testKubeconfigPath() };
    const outcome = await runScript("fleet.ts", [command, "--stacks", "e2e-drift", "--json", json, "--html", join(reports, `${command}.html`)], env);
    const report = JSON.parse(readFileSync(json, "utf8")) as FleetReport;
    return { ...outcome, cells: Object.fromEntries(report.stacks[0]!.clusters.map((cell) => [cell.cluster, cell])) };
  }

  it("status reads the clusters, and up recreates the deleted Deployment and Namespace and reports them rolled out", async () => {
    await drift.up();
    const [one, two] = [drift.cluster("local-1"), drift.cluster("local-2")];
    const namespace = "openclaw-e2e-drift";
    const oldNamespaceUid = (await one.config.makeApiClient(CoreV1Api).readNamespace({ name: namespace })).metadata!.uid;
    // Behind the program's back: the whole Namespace on local-1 (its claim with it), the Deployment on local-2.
    await one.config.makeApiClient(CoreV1Api).deleteNamespace({ name: namespace });
    await two.config.makeApiClient(AppsV1Api).deleteNamespacedDeployment({ name: namespace, namespace });
    await waitFor("the namespace gone from local-1", 120_000, async () => (await one.config.makeApiClient(CoreV1Api).readNamespace({ name: namespace }).then(() => undefined, () => true)));
    await waitFor("the Deployment gone from local-2", 60_000, async () => (await deploymentOf(two, "e2e-drift").then(() => undefined, () => true)));

    // The state still says complete; status asks the clusters.
    const before = await fleet("status");
    assert.equal(before.code, 0, before.stderr);
    for (const cluster of ["local-1", "local-2"]) {
      assert.equal(before.cells[cluster]!.rollout, "missing", `${cluster}: ${JSON.stringify(before.cells[cluster])}`);
      assert.equal(before.cells[cluster]!.live, true);
    }

    const up = await fleet("up");
    assert.equal(up.code, 0, up.stderr);
    const recreated = await one.config.makeApiClient(CoreV1Api).readNamespace({ name: namespace });
    assert.notEqual(recreated.metadata!.uid, oldNamespaceUid, "a new Namespace");
    assert.equal((recreated as V1Namespace).metadata!.labels!["pod-security.kubernetes.io/enforce"], "restricted");
    for (const [cluster, live] of [["local-1", await deploymentOf(one, "e2e-drift")], ["local-2", await deploymentOf(two, "e2e-drift")]] as [string, V1Deployment][]) {
      assert.equal(live.status?.availableReplicas, 1, `${cluster}'s gateway runs again`);
      assert.equal(up.cells[cluster]!.rollout, "complete", cluster);
      assert.equal(up.cells[cluster]!.ready, "1/1", cluster);
    }

    const after = await fleet("status");
    assert.deepEqual(Object.values(after.cells).map((cell) => [cell.cluster, cell.rollout, cell.live]), [["local-1", "complete", true], ["local-2", "complete", true]]);
  });
});
