/**
 * The fleet's lifecycle through the real engine: the Pulumi CLI built from Go modules, the nodejs language
 * host and the kubernetes and random providers from scripts/engine-plugins.sh, driven by the Automation API
 * against the local clusters. What is on the clusters is read with @kubernetes/client-node, not Pulumi.
 * Re-runnable against clusters that stay up: the tenants' retained Namespaces and claims are adopted.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { V1ConfigMap, V1Deployment, V1Namespace, V1PersistentVolumeClaim, V1Pod, V1Secret } from "@kubernetes/client-node";
import { AppsV1Api, CoreV1Api } from "@kubernetes/client-node";
import { CONFIG_FILE_NAME } from "../../components/gateway/specs/configMap.js";
import { rolloutStatus } from "../../components/gateway/rolloutStatus.js";
import { CHECKSUM_ANNOTATION } from "../../components/gateway/specs/deployment.js";
import { waitFor, type TestCluster } from "../cluster/kube.js";
import { apiServer } from "./apiServer.js";
import { type E2eStack, newestReplicaSet, rolledOutAt, useStacks } from "./harness.js";

const IMAGE = (version: string) => `ghcr.io/openclaw/openclaw:${version}-slim`;
const checksum = (deployment: V1Deployment) => deployment.spec!.template.metadata!.annotations![CHECKSUM_ANNOTATION];

async function livePods(cluster: TestCluster, namespace: string): Promise<V1Pod[]> {
  const pods = await cluster.config.makeApiClient(CoreV1Api).listNamespacedPod({ namespace });
  return pods.items.filter((pod) => !pod.metadata!.deletionTimestamp);
}
/** Where in a JSON document a string occurs (paths only: the value itself is a secret). */
function pathsContaining(value: unknown, needle: string, path = "$"): string[] {
  if (typeof value === "string") return value.includes(needle) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => pathsContaining(item, needle, `${path}[${index}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([key, item]) => pathsContaining(item, needle, `${path}.${key}`));
  return [];
}
const uids = (pods: V1Pod[]) => pods.map((pod) => pod.metadata!.uid!);
const replacedAll = (before: V1Pod[], after: V1Pod[]) => after.length > 0 && uids(after).every((uid) => !uids(before).includes(uid));

describe("end to end: pulumi up of the fleet on the local clusters", function () {
  this.timeout(10 * 60_000);
  const [e2e] = useStacks([{ name: "e2e", tenant: "e2e" }]) as [E2eStack];
  const namespace = "openclaw-e2e";
  // A value for an API key that exists nowhere but in this run's secret config.
  const apiKeyValue = `sk-e2e-${randomBytes(16).toString("hex")}`;
  let tokens: string[] = [];

  it("deploys to both clusters: every rendered object is on its API server, every rollout complete, no plugin version warning", async () => {
    const { gateways, output } = await e2e.up();
    assert.deepEqual(Object.keys(gateways).sort(), ["local-1", "local-2"]);
    for (const gateway of Object.values(gateways)) assert.equal(gateway.rollout.status, "complete", JSON.stringify(gateway));
    for (const gateway of e2e.model().gateways) {
      for (const kind of ["Namespace", "Deployment", "Service", "ConfigMap", "Secret", "PersistentVolumeClaim", "NetworkPolicy", "PodDisruptionBudget"]) {
        const live = await e2e.live(gateway.cluster, kind);
        assert.equal(live.metadata?.labels?.["openclaw.ai/cluster"], gateway.cluster, `${kind} on ${gateway.cluster}`);
      }
    }
    // The plugins are installed at the versions the npm packages pin: no mismatch, no ambient-plugin warning.
    const printed = output.join("");
    assert.doesNotMatch(printed, /expected to have version|using pulumi-resource-.* from \$PATH/i, printed);
  });

  it("runs the program the way Pulumi.yaml says (the loader: tsx without a fleet build, no type-check) and reports its start-up time", async () => {
    const settings = await e2e.stack.workspace.projectSettings();
    assert.deepEqual(settings.runtime, { name: "nodejs", options: { packagemanager: "npm", typescript: false, nodeargs: "--import ./scripts/programLoader.mjs" } });
    const { events } = await e2e.up();
    const prelude = events.find((event) => event.preludeEvent)!;
    const stackRegistered = events.find((event) => event.resourcePreEvent?.metadata.type === "pulumi:pulumi:Stack")!;
    const lastRegistered = events.filter((event) => event.resourcePreEvent).at(-1)!;
    const startup = stackRegistered.timestamp - prelude.timestamp;
    const program = lastRegistered.timestamp - prelude.timestamp;
    console.log(`      engine-reported start-up: ${startup} s to the stack's registration, ${program} s to the last resource's`);
    assert.ok(startup >= 0 && program >= startup);
  });

  it("reports no changes on another up, a preview, and a refresh", async () => {
    const { changed } = await e2e.up();
    assert.deepEqual(changed(), []);
    const preview = await e2e.stack.preview({ color: "never" });
    assert.deepEqual(Object.keys(preview.changeSummary).filter((op) => op !== "same"), [], JSON.stringify(preview.changeSummary));
    const refresh = await e2e.stack.refresh({ color: "never" });
    assert.deepEqual(Object.keys(refresh.summary.resourceChanges ?? {}).filter((op) => op !== "same"), [], JSON.stringify(refresh.summary.resourceChanges));
  });

  it("overwrite mode: a gateway.config change puts the new openclaw.json in the ConfigMap and replaces the pod", async () => {
    const cluster = e2e.cluster("local-1");
    const podsBefore = await livePods(cluster, namespace);
    e2e.write({ gateway: { config: { agents: { defaults: { timeoutSeconds: 321 } } } } });
    const { changed } = await e2e.up();
    assert.ok(changed().some((o) => o.type === "kubernetes:core/v1:ConfigMap" && o.op === "update"), JSON.stringify(changed()));
    const configMap = await e2e.live<V1ConfigMap>("local-1", "ConfigMap");
    assert.equal(JSON.parse(configMap.data![CONFIG_FILE_NAME]!).agents.defaults.timeoutSeconds, 321);
    assert.ok(replacedAll(podsBefore, await livePods(cluster, namespace)), "the gateway pod was not replaced");
  });

  it("seed mode: a gateway.config change updates the ConfigMap and leaves the pod alone", async () => {
    const cluster = e2e.cluster("local-1");
    e2e.write({ gateway: { configMode: "seed", config: { agents: { defaults: { timeoutSeconds: 321 } } } } });
    await e2e.up(); // the switch to seed itself rolls the pod once (the checksum no longer covers the config)
    const podsBefore = await livePods(cluster, namespace);
    const deploymentBefore = await e2e.live<V1Deployment>("local-1", "Deployment");
    e2e.write({ gateway: { configMode: "seed", config: { agents: { defaults: { timeoutSeconds: 654 } } } } });
    const { changed } = await e2e.up();
    assert.deepEqual([...new Set(changed().map((o) => o.type))], ["kubernetes:core/v1:ConfigMap"]);
    const configMap = await e2e.live<V1ConfigMap>("local-1", "ConfigMap");
    assert.equal(JSON.parse(configMap.data![CONFIG_FILE_NAME]!).agents.defaults.timeoutSeconds, 654);
    const deployment = await e2e.live<V1Deployment>("local-1", "Deployment");
    assert.equal(deployment.metadata!.generation, deploymentBefore.metadata!.generation);
    assert.deepEqual(uids(await livePods(cluster, namespace)), uids(podsBefore));
    e2e.write();
    await e2e.up();
  });

  it("API keys: an added key lands in the Secret and restarts the pod; a removed one leaves the Secret's data", async () => {
    const cluster = e2e.cluster("local-1");
    const podsBefore = await livePods(cluster, namespace);
    await e2e.setSecretApiKey("OPENAI_API_KEY", apiKeyValue);
    await e2e.up();
    const secret = await e2e.live<V1Secret>("local-1", "Secret");
    assert.equal(Buffer.from(secret.data!.OPENAI_API_KEY!, "base64").toString(), apiKeyValue);
    const podsWithKey = await livePods(cluster, namespace);
    assert.ok(replacedAll(podsBefore, podsWithKey), "adding a key did not restart the gateway");

    await e2e.removeApiKey("OPENAI_API_KEY");
    await e2e.up();
    const after = await e2e.live<V1Secret>("local-1", "Secret");
    assert.deepEqual(Object.keys(after.data!).sort(), ["OPENCLAW_GATEWAY_TOKEN"], "stringData under server-side apply must prune a removed key");
    assert.ok(replacedAll(podsWithKey, await livePods(cluster, namespace)), "removing a key did not restart the gateway");
    await e2e.setSecretApiKey("OPENAI_API_KEY", apiKeyValue); // kept for the secret checks below
    await e2e.up();
  });

  it("rolls an image change out wave by wave, changing only the Deployments", async () => {
    e2e.write({ gateway: { image: IMAGE("2026.9.5") } });
    const { changed } = await e2e.up();
    assert.deepEqual([...new Set(changed().map((o) => o.type))], ["kubernetes:apps/v1:Deployment"]);
    assert.equal(changed().length, 2);
    // From the API servers: wave 0's new ReplicaSet was available before wave 1's new ReplicaSet was created.
    const wave0Done = rolledOutAt(await e2e.live<V1Deployment>("local-1", "Deployment"));
    const wave1Set = await newestReplicaSet(e2e.cluster("local-2"), namespace);
    assert.ok(wave0Done <= +new Date(wave1Set.metadata!.creationTimestamp!), `wave 0 done ${new Date(wave0Done).toISOString()}, wave 1 started ${wave1Set.metadata!.creationTimestamp}`);
  });

  it("rotates the token: new Secret value and checksum, pod replaced, claim untouched", async () => {
    const cluster = e2e.cluster("local-1");
    const before = {
      secret: await e2e.live<V1Secret>("local-1", "Secret"),
      deployment: await e2e.live<V1Deployment>("local-1", "Deployment"),
      claim: await e2e.live<V1PersistentVolumeClaim>("local-1", "PersistentVolumeClaim"),
      pods: await livePods(cluster, namespace),
    };
    e2e.write({ gateway: { image: IMAGE("2026.9.5"), tokenRotation: "rotated-once" } });
    await e2e.up();
    const secret = await e2e.live<V1Secret>("local-1", "Secret");
    const claim = await e2e.live<V1PersistentVolumeClaim>("local-1", "PersistentVolumeClaim");
    assert.notEqual(secret.data!.OPENCLAW_GATEWAY_TOKEN, before.secret.data!.OPENCLAW_GATEWAY_TOKEN);
    assert.notEqual(checksum(await e2e.live<V1Deployment>("local-1", "Deployment")), checksum(before.deployment));
    assert.ok(replacedAll(before.pods, await livePods(cluster, namespace)), "the gateway pod was not replaced");
    assert.equal(claim.metadata!.uid, before.claim.metadata!.uid);
  });

  it("stops at a failing canary: up fails naming wave 0's cluster, wave 1 is untouched", async () => {
    const wave1Before = await e2e.live<V1Deployment>("local-2", "Deployment");
    // A new image for the whole fleet, and on the canary requests no node can hold: its new pod is never
    // scheduled and its rollout passes the deadline, so wave 1 must never get the new image.
    e2e.write({
      gateway: { image: IMAGE("2026.9.4"), tokenRotation: "rotated-once" },
      overrides: {
        "local-1": {
          resources: { requests: { cpu: "900", memory: "512Mi" }, limits: { cpu: "900", memory: "1Gi" } },
          probes: { startup: { periodSeconds: 5, failureThreshold: 2 } },
          progressDeadlineSeconds: 20,
          // Pulumi's await lasts grace + deadline + 60 s (a Recreate waits for the old pod first): keep it short.
          terminationGracePeriodSeconds: 30,
        },
      },
    });
    const attempt = await e2e.up().then(
      (result) => result,
      (error: Error) => error,
    );
    assert.ok(attempt instanceof Error, `up succeeded: ${"output" in attempt ? attempt.output.filter((line) => /deployment|warning/i.test(line)).join("") : ""}`);
    assert.match(attempt.message, /local-1-deployment/);
    const wave1After = await e2e.live<V1Deployment>("local-2", "Deployment");
    assert.equal(wave1After.metadata!.generation, wave1Before.metadata!.generation);
    assert.equal(wave1After.spec!.template.spec!.containers[0]!.image, IMAGE("2026.9.5"));
    e2e.write({ gateway: { image: IMAGE("2026.9.5"), tokenRotation: "rotated-once" } });
    const { gateways } = await e2e.up();
    assert.equal(gateways["local-1"]!.rollout.status, "complete");
  });

  it("names an unreachable cluster, updates the reachable one, and converges once it is back", async () => {
    e2e.write({ gateway: { image: IMAGE("2026.9.6"), tokenRotation: "rotated-once" } });
    const server = apiServer(2);
    await server.stop();
    try {
      await assert.rejects(() => e2e.up(), (error: Error) => {
        assert.match(error.message, /local-2/);
        return true;
      });
      const reachable = await e2e.live<V1Deployment>("local-1", "Deployment");
      assert.equal(reachable.spec!.template.spec!.containers[0]!.image, IMAGE("2026.9.6"));
    } finally {
      await server.start();
    }
    const { gateways } = await e2e.up();
    for (const gateway of Object.values(gateways)) assert.equal(gateway.image, IMAGE("2026.9.6"));
    // The restarted cluster's node agent takes a moment to manage its node again, and Pulumi's Deployment await
    // can return while a Recreate rollout still waits for the old pod (docs/operations.md): the rollout output
    // says so truthfully, and a refresh once the cluster has rolled out reports it complete.
    await waitFor("local-2's rollout complete on the cluster", 180_000, async () => {
      const live = await e2e.live<V1Deployment>("local-2", "Deployment");
      return rolloutStatus({ generation: live.metadata!.generation, specReplicas: live.spec!.replicas, status: live.status as never }).status === "complete" ? true : undefined;
    });
    // `pulumi refresh --run-program`: the outputs are computed by the program, so a plain refresh keeps the old ones.
    await e2e.stack.refresh({ color: "never", runProgram: true });
    const refreshed = (await e2e.stack.outputs()).gateways!.value as Record<string, { rollout: { status: string } }>;
    for (const [cluster, gateway] of Object.entries(refreshed)) assert.equal(gateway.rollout.status, "complete", cluster);
  });

  // The engine's events include debug diagnostics the console hides; the Node SDK's debug log of RPC responses
  // put the generated tokens there until the program filtered it (components/runtime/rpcDebugLog.ts).
  it("keeps every secret out of plaintext: stack export, engine events and output, ConfigMaps, non-secret outputs", async () => {
    const outputs = await e2e.stack.outputs();
    tokens = Object.values(outputs.gatewayTokens!.value as Record<string, string>);
    assert.equal(outputs.gatewayTokens!.secret, true);
    assert.equal(tokens.length, 2);
    const secrets = [...tokens, apiKeyValue];
    const events = e2e.history.flatMap((recorded) => recorded.events);
    assert.ok(events.some((event) => event.diagnosticEvent?.prefix === "debug: "), "no debug diagnostics among the events: the check could not see a leak there");
    // The CLI's own export, as a user runs it (the Automation API's exportStack shows secrets).
    const exported = JSON.parse(await e2e.cli(["stack", "export"])) as unknown;
    const places: Record<string, string> = {
      "pulumi stack export": JSON.stringify(exported),
      "engine output": e2e.history.flatMap((recorded) => recorded.output).join(""),
      "engine events": JSON.stringify(events),
      "non-secret outputs": JSON.stringify(Object.entries(outputs).filter(([, output]) => !output.secret)),
    };
    for (const gateway of e2e.model().gateways) {
      places[`ConfigMap on ${gateway.cluster}`] = JSON.stringify((await e2e.live<V1ConfigMap>(gateway.cluster, "ConfigMap")).data);
    }
    for (const [place, text] of Object.entries(places)) {
      assert.ok(text.length > 0, place);
      for (const secret of secrets) {
        const where = place === "pulumi stack export" ? ` at ${pathsContaining(exported, secret).join(", ")}` : "";
        assert.ok(!text.includes(secret), `a secret value appears in ${place}${where}`);
      }
    }
    // And the check can fail: the Secret on the cluster does carry them.
    const secret = await e2e.live<V1Secret>("local-1", "Secret");
    assert.ok(Object.values(secret.data!).map((value) => Buffer.from(value, "base64").toString()).includes(apiKeyValue));
  });

  it("redeploys onto the retained state after destroy: the same claim, the gateway back on it", async () => {
    const claimBefore = await e2e.live<V1PersistentVolumeClaim>("local-1", "PersistentVolumeClaim");
    const namespaceBefore = await e2e.live<V1Namespace>("local-1", "Namespace");
    await e2e.destroy();
    // Destroy kept the claim and Namespace and removed the gateway.
    assert.equal((await e2e.live<V1PersistentVolumeClaim>("local-1", "PersistentVolumeClaim")).metadata!.uid, claimBefore.metadata!.uid);
    await assert.rejects(() => e2e.live("local-1", "Deployment"), /404|not found/i);

    const { gateways } = await e2e.up();
    assert.equal(gateways["local-1"]!.rollout.status, "complete");
    assert.equal((await e2e.live<V1PersistentVolumeClaim>("local-1", "PersistentVolumeClaim")).metadata!.uid, claimBefore.metadata!.uid);
    assert.equal((await e2e.live<V1Namespace>("local-1", "Namespace")).metadata!.uid, namespaceBefore.metadata!.uid);
    const pods = await livePods(e2e.cluster("local-1"), namespace);
    assert.deepEqual(pods.map((pod) => pod.spec!.volumes!.find((volume) => volume.name === "state")!.persistentVolumeClaim!.claimName), [claimBefore.metadata!.name]);
  });
});

describe("end to end: two tenants' stacks on the same clusters", function () {
  this.timeout(10 * 60_000);
  const [tenantA, tenantB] = useStacks([
    { name: "e2e-tenant-a", tenant: "e2e-a" },
    { name: "e2e-tenant-b", tenant: "e2e-b" },
  ]) as [E2eStack, E2eStack];

  it("changing and destroying one tenant leaves the other's objects (same UIDs) and its complete rollout alone", async () => {
    await tenantA.up();
    await tenantB.up();
    const kinds = ["Namespace", "Deployment", "Service", "ConfigMap", "Secret", "PersistentVolumeClaim"];
    const uidsOfB = async () => {
      const all: Record<string, string> = {};
      for (const gateway of tenantB.model().gateways) {
        for (const kind of kinds) all[`${gateway.cluster}/${kind}`] = (await tenantB.live(gateway.cluster, kind)).metadata!.uid!;
      }
      return all;
    };
    const before = await uidsOfB();

    tenantA.write({ gateway: { tokenRotation: "a-only" } });
    const { changed } = await tenantA.up();
    assert.ok(changed().length > 0);
    assert.ok(changed().every((o) => !o.urn.includes("e2e-b")));
    await tenantA.destroy();
    await assert.rejects(() => tenantA.live("local-1", "Deployment"), /404|not found/i);

    assert.deepEqual(await uidsOfB(), before);
    const { gateways, changed: changedB } = await tenantB.up();
    assert.deepEqual(changedB(), []);
    for (const gateway of Object.values(gateways)) assert.equal(gateway.rollout.status, "complete");
  });
});

describe("end to end: a prod stack: backup before a version change, restore config, destroy", function () {
  this.timeout(10 * 60_000);
  // The test destroys it itself: protected, a destroy in `after` would only be refused.
  const [prod] = useStacks([{ name: "e2e-prod", tenant: "e2e-prod", shape: { environment: "prod", gateway: { image: IMAGE("2026.9.6") } } }], { destroyAfter: false }) as [E2eStack];
  const namespace = "openclaw-e2e-prod";

  /** The init containers of the gateway's current pod on local-1, in order. */
  async function initContainersOfNewPod(): Promise<{ names: string[]; pod: V1Pod }> {
    const pods = (await livePods(prod.cluster("local-1"), namespace)).sort((a, b) => +new Date(b.metadata!.creationTimestamp!) - +new Date(a.metadata!.creationTimestamp!));
    return { names: pods[0]!.spec!.initContainers!.map((container) => container.name), pod: pods[0]! };
  }

  it("backs up before a version change: the new pod starts with the backup init container; the restore runbook's config steps", async () => {
    // prod: backups on by default, a second protected claim.
    const { gateways } = await prod.up();
    assert.equal(gateways["local-1"]!.backupClaim, "openclaw-e2e-prod-backup");
    assert.equal((await prod.live<V1PersistentVolumeClaim>("local-1", "PersistentVolumeClaim")).metadata!.name, "openclaw-e2e-prod-state");
    const beforeBump = (await initContainersOfNewPod()).pod.metadata!.uid;

    // An image bump: the Recreate rollout's new pod runs `backup-before-upgrade` before anything reads the state.
    prod.write({ environment: "prod", gateway: { image: IMAGE("2026.9.7") } });
    const bumped = await prod.up();
    assert.equal(bumped.gateways["local-1"]!.rollout.status, "complete");
    const { names, pod } = await initContainersOfNewPod();
    assert.notEqual(pod.metadata!.uid, beforeBump);
    assert.deepEqual(names, ["prepare-state", "backup-before-upgrade", "copy-config"]);
    const backup = pod.spec!.initContainers!.find((container) => container.name === "backup-before-upgrade")!;
    assert.equal(backup.image, IMAGE("2026.9.7"), "the backup must run the starting version's CLI");
    assert.ok(backup.volumeMounts!.some((mount) => mount.name === "backups"));
    assert.deepEqual(
      pod.spec!.volumes!.filter((volume) => volume.persistentVolumeClaim).map((volume) => volume.persistentVolumeClaim!.claimName).sort(),
      ["openclaw-e2e-prod-backup", "openclaw-e2e-prod-state"],
    );

    // docs/upgrades.md, Restoring, step 2: restore.archive in the cluster's overrides, then `pulumi up`.
    const archive = "20261124T152040Z-openclaw-2026.9.6.tar.gz";
    prod.write({ environment: "prod", gateway: { image: IMAGE("2026.9.7") }, overrides: { "local-1": { restore: { archive } } } });
    const restoring = await prod.up();
    assert.equal(restoring.gateways["local-1"]!.restoreArchive, archive);
    const restorePod = await initContainersOfNewPod();
    assert.deepEqual(restorePod.names, ["prepare-state", "restore-state", "backup-before-upgrade", "copy-config"]);
    assert.ok(JSON.stringify(restorePod.pod.spec!.initContainers!.find((container) => container.name === "restore-state")).includes(archive), "restore-state does not name the archive");
    // Step 3: removing `restore` rolls the pod once (the init container goes away), then nothing changes.
    prod.write({ environment: "prod", gateway: { image: IMAGE("2026.9.7") } });
    await prod.up();
    assert.deepEqual((await initContainersOfNewPod()).names, ["prepare-state", "backup-before-upgrade", "copy-config"]);
    assert.deepEqual((await prod.up()).changed(), []);
  });

  it("is refused while the state is protected; after `pulumi state unprotect --all` it leaves only the claim and the Namespace", async () => {
    await assert.rejects(() => prod.destroy(), (error: Error) => {
      assert.match(error.message, /protect/i);
      return true;
    });
    // What the README tells users: unprotect, then destroy; the Namespace and the claim stay (retainOnDelete).
    await prod.cli(["state", "unprotect", "--all", "--yes"]);
    await prod.destroy();
    for (const gateway of prod.model().gateways) {
      const cluster = prod.cluster(gateway.cluster);
      assert.equal((await prod.live(gateway.cluster, "Namespace")).metadata!.name, namespace);
      assert.equal((await prod.live(gateway.cluster, "PersistentVolumeClaim")).metadata!.name, "openclaw-e2e-prod-state");
      const claims = await cluster.config.makeApiClient(CoreV1Api).listNamespacedPersistentVolumeClaim({ namespace });
      assert.deepEqual(claims.items.map((claim) => claim.metadata!.name).sort(), ["openclaw-e2e-prod-backup", "openclaw-e2e-prod-state"]);
      const core = cluster.config.makeApiClient(CoreV1Api);
      const apps = cluster.config.makeApiClient(AppsV1Api);
      // Nothing else of the tenant: only what Kubernetes itself puts in every namespace.
      assert.deepEqual((await apps.listNamespacedDeployment({ namespace })).items.map((d) => d.metadata!.name), []);
      assert.deepEqual((await core.listNamespacedService({ namespace })).items.map((s) => s.metadata!.name), []);
      assert.deepEqual((await core.listNamespacedSecret({ namespace })).items.map((s) => s.metadata!.name), []);
      assert.deepEqual((await core.listNamespacedConfigMap({ namespace })).items.map((c) => c.metadata!.name), ["kube-root-ca.crt"]);
      assert.deepEqual((await core.listNamespacedServiceAccount({ namespace })).items.map((s) => s.metadata!.name), ["default"]);
      assert.deepEqual((await core.listNamespacedResourceQuota({ namespace })).items.map((q) => q.metadata!.name), []);
      await waitFor(`the gateway pod on ${gateway.cluster} gone`, 60_000, async () => ((await livePods(cluster, namespace)).length === 0 ? true : undefined));
    }
  });
});

describe("end to end: two stacks of one tenant on one cluster (staging and dev)", function () {
  this.timeout(10 * 60_000);
  const [staging, dev] = useStacks([
    { name: "e2e-same-staging", tenant: "e2e-same", shape: { environment: "staging" } },
    { name: "e2e-same-dev", tenant: "e2e-same", shape: { environment: "dev" } },
  ]) as [E2eStack, E2eStack];
  const conflictNamingStaging = (error: Error) => {
    assert.match(error.message, /local-1-namespace/);
    assert.match(error.message, /conflicts? with "openclaw-fleet-stack-e2e-same-staging"/);
    return true;
  };

  it("refuses the second stack, naming the stack that owns the tenant's objects; a deliberate forced up moves the tenant", async () => {
    // The last run left the tenant's retained objects owned by one of these stacks: start from an empty tenant.
    await staging.freshTenant();
    await staging.up();
    const before = {
      namespace: await staging.live<V1Namespace>("local-1", "Namespace"),
      claim: await staging.live<V1PersistentVolumeClaim>("local-1", "PersistentVolumeClaim"),
      deployment: await staging.live<V1Deployment>("local-1", "Deployment"),
    };

    // Same names, same namespace: server-side apply refuses to take the Namespace from the other stack's field manager.
    await assert.rejects(() => dev.up(), conflictNamingStaging);
    const namespace = await staging.live<V1Namespace>("local-1", "Namespace");
    assert.equal(namespace.metadata!.labels!["openclaw.ai/stack"], "e2e-same-staging");
    assert.equal(namespace.metadata!.labels!["openclaw.ai/environment"], "staging");
    const deployment = await staging.live<V1Deployment>("local-1", "Deployment");
    assert.equal(deployment.metadata!.uid, before.deployment.metadata!.uid);
    assert.equal(deployment.metadata!.generation, before.deployment.metadata!.generation);
    assert.equal((await staging.live<V1PersistentVolumeClaim>("local-1", "PersistentVolumeClaim")).metadata!.uid, before.claim.metadata!.uid);
    // Wave 0 failed, so the dev stack never reached wave 1's cluster either.
    assert.equal((await staging.live<V1Namespace>("local-2", "Namespace")).metadata!.labels!["openclaw.ai/stack"], "e2e-same-staging");

    // Destroyed, staging leaves its claim and Namespace: still not taken silently by another stack.
    await staging.destroy();
    await assert.rejects(() => dev.up(), conflictNamingStaging);

    // Moving a tenant between stacks on purpose: one update with the provider's force switch (docs/operations.md).
    dev.stack.workspace.envVars.PULUMI_K8S_ENABLE_PATCH_FORCE = "true";
    try {
      const { gateways } = await dev.up();
      for (const gateway of Object.values(gateways)) assert.equal(gateway.rollout.status, "complete");
    } finally {
      delete dev.stack.workspace.envVars.PULUMI_K8S_ENABLE_PATCH_FORCE;
    }
    const moved = await dev.live<V1Namespace>("local-1", "Namespace");
    assert.equal(moved.metadata!.uid, before.namespace.metadata!.uid);
    assert.equal(moved.metadata!.labels!["openclaw.ai/stack"], "e2e-same-dev");
    assert.equal(moved.metadata!.labels!["openclaw.ai/owner"], "openclaw-fleet.e2e-same-dev");
    assert.equal((await dev.live<V1PersistentVolumeClaim>("local-1", "PersistentVolumeClaim")).metadata!.uid, before.claim.metadata!.uid, "the tenant's claim was replaced");
    const again = await dev.up();
    assert.deepEqual(again.changed(), []);
  });
});

describe("end to end: a cluster that is down", function () {
  this.timeout(10 * 60_000);
  // Both clusters in one wave: neither waits for the other, so only the engine's error handling decides.
  const oneWave = { "local-2": { wave: 0 } };
  const [stack] = useStacks([{ name: "e2e-down", tenant: "e2e-down", shape: { clusters: oneWave } }]) as [E2eStack];
  const namespace = "openclaw-e2e-down";
  const local1 = apiServer(1);

  it("--continue-on-error updates the reachable cluster and names the unreachable one; a dead cluster is decommissioned", async () => {
    await stack.freshTenant(); // the decommission below leaves the tenant's objects on local-1, outside any state
    await stack.up();
    const leftBehind = await stack.live<V1Deployment>("local-1", "Deployment");
    await local1.stop();
    try {
      stack.write({ clusters: oneWave, gateway: { image: IMAGE("2026.9.5") } });
      await assert.rejects(() => stack.up({ continueOnError: true }), (error: Error) => {
        assert.match(error.message, /local-1-/);
        assert.doesNotMatch(error.message, /local-2-\S+ \*\*(updating|creating) failed/);
        return true;
      });
      const reachable = await stack.live<V1Deployment>("local-2", "Deployment");
      assert.equal(reachable.spec!.template.spec!.containers[0]!.image, IMAGE("2026.9.5"));

      // Decommissioning: removed from the stack while it does not answer, its objects cannot be deleted, every time.
      stack.write({ clusters: oneWave, gateway: { image: IMAGE("2026.9.5") }, without: ["local-1"] });
      await assert.rejects(() => stack.up(), /local-1-/);
      // `decommission: true`: no gateway there, and providers with deleteUnreachable drop its objects from the state.
      stack.write({ clusters: { ...oneWave, "local-1": { decommission: true } }, gateway: { image: IMAGE("2026.9.5") } });
      const { gateways } = await stack.up();
      assert.deepEqual(Object.keys(gateways), ["local-2"]);
      const urns = async () => (JSON.parse(await stack.cli(["stack", "export"])) as { deployment: { resources: { urn: string }[] } }).deployment.resources.map((r) => r.urn);
      assert.deepEqual((await urns()).filter((urn) => urn.includes("local-1") && !urn.includes("pulumi:providers:")), []);
      // Then the entry goes, and with it the providers.
      stack.write({ clusters: oneWave, gateway: { image: IMAGE("2026.9.5") }, without: ["local-1"] });
      await stack.up();
      assert.deepEqual((await urns()).filter((urn) => urn.includes("local-1")), []);
      assert.deepEqual((await stack.up()).changed(), []);
    } finally {
      await local1.start();
    }
    // Only the state forgot local-1: a cluster that comes back still has the objects (delete them by hand).
    const apps = stack.cluster("local-1").config.makeApiClient(AppsV1Api);
    const survivor = await apps.readNamespacedDeployment({ name: leftBehind.metadata!.name!, namespace });
    assert.equal(survivor.metadata!.uid, leftBehind.metadata!.uid);
  });
});
