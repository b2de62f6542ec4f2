/**
 * `npm run fleet -- up --image X --rollback-on-failure` on the real engine: a release whose pods the canary's
 * cluster never runs (a ValidatingAdmissionPolicy on the API server refuses that image in the canary's Namespace,
 * so its ReplicaSet cannot create a pod and the rollout passes its deadline) is put back on the canary: the previous
 * image, and on the cluster with backups a `restore-state` init container that undoes the upgrade
 * (`restore.beforeUpgrade`). Ring 1 is never touched. kwok runs no container, so what the restore does to the data
 * is the gateway contract suite's part (backup.contract.test.ts, with the real CLI); here, that the pod is asked to.
 * The CLI runs as a child process; the state is a `file://` backend in a temp dir with a passphrase of its own.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AdmissionregistrationV1Api, AppsV1Api, CoreV1Api, type V1Deployment } from "@kubernetes/client-node";
import { parse } from "yaml";
import type { FleetReport } from "../../components/fleetops/fleetReport.js";
import { connect, testKubeconfigPath, type TestCluster } from "../cluster/kube.js";
import { E2eStack, namespaceGone, runScript } from "./harness.js";

const IMAGE = (version: string) => `ghcr.io/openclaw/openclaw:${version}-slim`;
const BAD = IMAGE("2026.9.4");
const POLICY = "e2e-rollback-refuses-a-release";

// Fails fast: a short startup budget and deadline, so the provider's await ends about two minutes after the update.
const FAST_FAILING = { probes: { startup: { periodSeconds: 5, failureThreshold: 2 } }, progressDeadlineSeconds: 20, terminationGracePeriodSeconds: 30 };

describe("end to end: npm run fleet -- up --rollback-on-failure puts a failed canary back, with a restore of its data", function () {
  this.timeout(25 * 60_000);
  const canary = new E2eStack("e2e-rb-canary", "e2e-rbc", "");
  const next = new E2eStack("e2e-rb-next", "e2e-rbn", "");
  const backendDir = mkdtempSync(join(tmpdir(), "fleet-rollback-backend-"));
  const scratch = mkdtempSync(join(tmpdir(), "fleet-rollback-e2e-"));
  const passphrase = randomBytes(32).toString("hex");
  let clusters: TestCluster[];

  async function fleet(...args: string[]) {
    const json = join(scratch, `${args.join("-").replace(/[^a-z0-9.-]/gi, "")}.json`);
    const html = json.replace(/\.json$/, ".html");
    const env = { ...process.env, PULUMI_BACKEND_URL: `file://${backendDir}`, PULUMI_CONFIG_PASSPHRASE: passphrase, KUBECONFIG: testKubeconfigPath() };
    const outcome = await runScript("fleet.ts", [...args, "--stacks", "e2e-rb-*", "--json", json, "--html", html], env, 12 * 60_000);
    return { ...outcome, html, report: () => JSON.parse(readFileSync(json, "utf8")) as FleetReport };
  }

  const deployment = (stack: E2eStack, cluster: TestCluster) =>
    cluster.config.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: `openclaw-${stack.tenant}`, namespace: `openclaw-${stack.tenant}` });
  const image = (live: V1Deployment) => live.spec!.template.spec!.containers[0]!.image;
  /** The restore-state container's restore variable as a plain `{name, value}` (client-node gives class instances). */
  const restoreEnv = (live: V1Deployment) => {
    const variable = live.spec!.template.spec!.initContainers?.find((container) => container.name === "restore-state")?.env?.find((v) => v.name.startsWith("OPENCLAW_FLEET_RESTORE_"));
    return variable ? { name: variable.name, value: variable.value } : undefined;
  };
  const stackConfig = (stack: E2eStack) => (parse(readFileSync(stack.file, "utf8")) as { config: Record<string, unknown> }).config;
  const clusterEntries = (stack: E2eStack) => stackConfig(stack)["openclaw-fleet:clusters"] as { name: string; overrides?: Record<string, unknown> }[];

  /** The admission policy that makes BAD a release the canary's cluster never runs, on every cluster. */
  async function refuseBadRelease(cluster: TestCluster) {
    const api = cluster.config.makeApiClient(AdmissionregistrationV1Api);
    await api.createValidatingAdmissionPolicy({
      body: {
        metadata: { name: POLICY },
        spec: {
          failurePolicy: "Fail",
          matchConstraints: { resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods", "configmaps"] }] },
          // Pods of the release are refused; so is one ConfigMap name, the probe below (a probe pod would meet the
          // Namespace's Pod Security and quota admission first).
          validations: [
            {
              expression: `request.resource.resource == 'pods' ? object.spec.containers.all(c, c.image != '${BAD}') : object.metadata.name != '${POLICY}'`,
              message: "e2e: this release never runs here",
            },
          ],
        },
      },
    });
    await api.createValidatingAdmissionPolicyBinding({
      body: {
        metadata: { name: POLICY },
        spec: { policyName: POLICY, validationActions: ["Deny"], matchResources: { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": `openclaw-${canary.tenant}` } } } },
      },
    });
    // The API server picks new policies up asynchronously: wait until it refuses the probe (a dry run) in that Namespace.
    const core = cluster.config.makeApiClient(CoreV1Api);
    for (let tries = 0; ; tries++) {
      const refused = await core.createNamespacedConfigMap({ namespace: `openclaw-${canary.tenant}`, body: { metadata: { name: POLICY } }, dryRun: "All" }).then(
        () => false,
        // client-node's ApiException carries the API server's Status, parsed or as text.
        (error: unknown) => /never runs here/.test(`${String(error)} ${JSON.stringify((error as { body?: unknown }).body ?? "")}`),
      );
      if (refused) return;
      if (tries > 60) throw new Error(`${cluster.context}: the admission policy never took effect`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  async function removePolicy(cluster: TestCluster) {
    const api = cluster.config.makeApiClient(AdmissionregistrationV1Api);
    await api.deleteValidatingAdmissionPolicyBinding({ name: POLICY }).catch(() => undefined);
    await api.deleteValidatingAdmissionPolicy({ name: POLICY }).catch(() => undefined);
  }

  before(async function () {
    this.timeout(5 * 60_000);
    // Backups on local-1 only: its rollback restores, local-2's (backups off) is the image alone.
    canary.write({ fleet: true, ring: 0, gateway: { image: IMAGE("2026.9.5"), ...FAST_FAILING }, overrides: { "local-1": { backup: { enabled: true } } } });
    next.write({ fleet: true, ring: 1, gateway: { image: IMAGE("2026.9.5") } });
    clusters = canary.model().gateways.map((gateway) => connect(gateway.context!));
    for (const cluster of clusters) await removePolicy(cluster);
    for (const stack of [canary, next]) for (const cluster of clusters) await namespaceGone(cluster, `openclaw-${stack.tenant}`);
  });

  after(async () => {
    for (const cluster of clusters ?? []) await removePolicy(cluster);
    try {
      await fleet("destroy");
      for (const stack of [canary, next]) for (const cluster of clusters ?? []) await namespaceGone(cluster, `openclaw-${stack.tenant}`);
    } finally {
      for (const stack of [canary, next]) rmSync(stack.file, { force: true });
      rmSync(backendDir, { recursive: true, force: true });
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("a release the canary's cluster refuses: the canary goes back to its image with restore-state undoing the upgrade, ring 1 untouched, the report says so", async () => {
    const first = await fleet("up");
    assert.equal(first.code, 0, first.stderr);
    for (const cluster of clusters) await refuseBadRelease(cluster);
    const nextBefore = await Promise.all(clusters.map(async (cluster) => (await deployment(next, cluster)).metadata!.generation));
    const nextFile = readFileSync(next.file, "utf8");

    const failed = await fleet("up", "--image", "2026.9.4-slim", "--rollback-on-failure");
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, new RegExp(`e2e-rb-canary \\(ring 0\\): .*; rolled back to ${IMAGE("2026.9.5").replace(/[.]/g, "\\.")}, restoring the pre-upgrade archive on local-1, image only on local-2 \\(backups off\\)`));

    const report = failed.report();
    assert.deepEqual(report.stacks.map((s) => [s.stack, s.result]), [["e2e-rb-canary", "failed"], ["e2e-rb-next", "skipped"]]);
    const rolledBack = report.stacks[0]!;
    assert.deepEqual(rolledBack.rollback, { from: BAD, to: IMAGE("2026.9.5"), restored: ["local-1"], imageOnly: ["local-2"], attempts: 1, result: "rolled-back" });
    // The cells are the rollback's outputs (not stale ones): the old image, rolled out.
    for (const cell of rolledBack.clusters) assert.deepEqual([cell.cluster, cell.image, cell.rollout, cell.stale], [cell.cluster, IMAGE("2026.9.5"), "complete", false]);
    assert.match(readFileSync(failed.html, "utf8"), /data-rollback="rolled-back">rolled back to 2026\.9\.5-slim, data restored on local-1/);

    // On the clusters: the canary runs the old image again, local-1's pod restores first, and both rollouts are done.
    const [local1, local2] = await Promise.all(clusters.map((cluster) => deployment(canary, cluster)));
    for (const live of [local1!, local2!]) {
      assert.equal(image(live), IMAGE("2026.9.5"));
      assert.equal(live.status!.observedGeneration, live.metadata!.generation);
      assert.equal(live.status!.availableReplicas, 1);
    }
    assert.deepEqual(restoreEnv(local1!), { name: "OPENCLAW_FLEET_RESTORE_BEFORE_UPGRADE", value: BAD });
    assert.equal(restoreEnv(local2!), undefined);
    assert.deepEqual(local1!.spec!.template.spec!.initContainers!.map((c) => c.name).slice(0, 3), ["prepare-state", "restore-state", "backup-before-upgrade"]);

    // In the stack file, as `pulumi config set` would have written it.
    assert.equal((stackConfig(canary)["openclaw-fleet:gateway"] as { image: string }).image, IMAGE("2026.9.5"));
    assert.deepEqual(clusterEntries(canary).map((c) => c.overrides?.restore ?? null), [{ beforeUpgrade: BAD }, null]);

    // Ring 1 never started.
    assert.equal(readFileSync(next.file, "utf8"), nextFile);
    for (const [index, cluster] of clusters.entries()) assert.equal((await deployment(next, cluster)).metadata!.generation, nextBefore[index]);
  });

  it("the next release goes out everywhere and takes the rollback's restore out of the stack file", async () => {
    const release = await fleet("up", "--image", "2026.9.6-slim", "--rollback-on-failure");
    assert.equal(release.code, 0, release.stderr);
    assert.deepEqual(release.report().stacks.map((s) => [s.stack, s.result, s.rollback]), [["e2e-rb-canary", "succeeded", null], ["e2e-rb-next", "succeeded", null]]);
    for (const stack of [canary, next]) for (const cluster of clusters) assert.equal(image(await deployment(stack, cluster)), IMAGE("2026.9.6"));
    assert.deepEqual(clusterEntries(canary).map((c) => c.overrides?.restore ?? null), [null, null]);
    assert.equal(restoreEnv(await deployment(canary, clusters[0]!)), undefined);
  });
});
