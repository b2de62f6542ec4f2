import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { KubernetesObject, V1Deployment, V1PersistentVolumeClaim } from "@kubernetes/client-node";
import { buildGatewayManifests, manifestList } from "../../components/gateway/manifests.js";
import { rolloutStatus, type Rollout } from "../../components/gateway/rolloutStatus.js";
import { gatewayContexts, REDACTED, renderFleet } from "../../components/render/renderFleet.js";
import { loadStackFile } from "../../components/render/renderStack.js";
import { secretKeys } from "../../components/gateway/specs/secret.js";
import { apply, connect, deleteNamespace, read, refusal, waitFor, type Manifest, type TestCluster } from "./kube.js";

const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const localModel = loadStackFile(projectDir, "local");
const contexts = process.env.OPENCLAW_FLEET_TEST_CONTEXTS?.split(",") ?? localModel.gateways.map((gateway) => gateway.context!);

/** The stack's gateways, retargeted at the test clusters and optionally at another tenant. */
function localContexts(tenant = localModel.tenant) {
  return gatewayContexts({ ...localModel, tenant, gateways: localModel.gateways.map((gateway) => ({ ...gateway, namespace: `openclaw-${tenant}` })) });
}

const redactedSecrets = (keys: string[]) => Object.fromEntries(keys.map((key) => [key, REDACTED]));

async function applyAll(cluster: TestCluster, objects: readonly Manifest[], options: { dryRun?: boolean } = {}) {
  for (const object of objects) {
    try {
      await apply(cluster, object, options);
    } catch (error) {
      assert.fail(`${cluster.context} refused ${object.kind}/${object.metadata?.name}: ${refusal(error)}`);
    }
  }
}

function liveRollout(deployment: V1Deployment): Rollout {
  return rolloutStatus({ generation: deployment.metadata?.generation, specReplicas: deployment.spec?.replicas, status: deployment.status as never });
}

describe("real Kubernetes: the rendered fleet on live API servers", function () {
  this.timeout(5 * 60_000);
  let clusters: TestCluster[];

  const cleanup: (() => Promise<unknown>)[] = [];
  after(() => Promise.all(cleanup.map((step) => step())));

  before(() => {
    clusters = contexts.map(connect);
    assert.ok(clusters.length >= 2, `need two clusters, have contexts: ${contexts.join(", ")}`);
  });

  describe("server-side apply accepts every rendered object", () => {
    it("of the local stack, each cluster's objects on its own cluster, with the env Secret supplied as a GitOps user would", async () => {
      const rendered = renderFleet({ ...localModel });
      for (const [index, cluster] of rendered.entries()) {
        assert.ok(!cluster.manifests.some((m) => m.kind === "Secret"), "the render carries a Secret");
        const { name, namespace, keys } = cluster.secret;
        const supplied = { apiVersion: "v1", kind: "Secret", metadata: { name, namespace }, stringData: Object.fromEntries(keys.map((key) => [key, randomBytes(16).toString("hex")])) };
        await applyAll(clusters[index]!, [...cluster.manifests, supplied]);
      }
    });

    for (const stack of ["dev", "prod"]) {
      it(`of the ${stack} stack (dry run: admission, validation and defaulting, nothing persisted)`, async () => {
        // Dry run because dev and prod share the tenant `acme`: applied for real, they would overwrite each other.
        const rendered = renderFleet(loadStackFile(projectDir, stack));
        for (const cluster of rendered) {
          const [namespace, ...rest] = cluster.manifests;
          await applyAll(clusters[0]!, [namespace!]); // a dry-run object cannot live in a dry-run namespace
          await applyAll(clusters[0]!, rest, { dryRun: true });
        }
      });
    }
  });

  describe("rollout", () => {
    it("every gateway Deployment of the local stack rolls out and the derivation reports complete", async function () {
      this.timeout(4 * 60_000);
      const rendered = renderFleet(localModel);
      for (const [index, cluster] of rendered.entries()) {
        const deployment = cluster.manifests.find((m) => m.kind === "Deployment")!;
        let last: Rollout | undefined;
        const rollout = await waitFor(
          `${cluster.cluster} Deployment rollout`,
          3 * 60_000,
          async () => {
            last = liveRollout(await read<V1Deployment>(clusters[index]!, deployment));
            return last.status === "complete" ? last : undefined;
          },
          () => JSON.stringify(last),
        );
        assert.equal(rollout.readyReplicas, 1);
      }
    });

    it("the state claim is Bound", async () => {
      const rendered = renderFleet(localModel);
      for (const [index, cluster] of rendered.entries()) {
        const claim = cluster.manifests.find((m) => m.kind === "PersistentVolumeClaim")!;
        const live = await waitFor(`${cluster.cluster} claim Bound`, 60_000, async () => {
          const object = await read<V1PersistentVolumeClaim>(clusters[index]!, claim);
          return object.status?.phase === "Bound" ? object : undefined;
        });
        assert.equal(live.status?.phase, "Bound");
      }
    });

    it("a Deployment whose pod can never be scheduled ends failed once its progress deadline passes", async function () {
      this.timeout(3 * 60_000);
      // A fresh tenant per run: a Deployment left failed by an earlier run would report `failed` at once.
      const tenant = `unschedulable-${Date.now().toString(36)}`;
      const [context] = localContexts(tenant);
      cleanup.push(() => deleteNamespace(clusters[0]!, `openclaw-${tenant}`));
      // Limits (and so the tenant's quota) beyond any node: admitted, never placed.
      context!.gateway = { ...context!.gateway, settings: { ...context!.gateway.settings, resources: { requests: { cpu: "900", memory: "1Ti", "ephemeral-storage": "1Gi" }, limits: { cpu: "900", memory: "1Ti", "ephemeral-storage": "1Gi" } } } };
      const manifests = buildGatewayManifests(context!, redactedSecrets(secretKeys(context!)));
      manifests.deployment.spec!.progressDeadlineSeconds = 10;
      await applyAll(clusters[0]!, manifestList(manifests));
      const seen = new Set<string>();
      const final = await waitFor("ProgressDeadlineExceeded", 150_000, async () => {
        const rollout = liveRollout(await read<V1Deployment>(clusters[0]!, manifests.deployment));
        seen.add(rollout.status);
        return rollout.status === "failed" ? rollout : undefined;
      });
      assert.equal(final.readyReplicas, 0);
      assert.ok(seen.has("progressing") || seen.has("unknown"), `states seen: ${[...seen].join(", ")}`);
    });
  });

  describe("backups", () => {
    it("a gateway with backup and restore on: both claims Bound within its quota, the pod with its four init containers admitted", async function () {
      this.timeout(3 * 60_000);
      const tenant = `backup-${Date.now().toString(36)}`;
      const [context] = localContexts(tenant);
      cleanup.push(() => deleteNamespace(clusters[0]!, `openclaw-${tenant}`));
      const settings = context!.gateway.settings;
      context!.gateway = { ...context!.gateway, settings: { ...settings, backup: { ...settings.backup, enabled: true, size: "1Gi" }, restore: { archive: "20261124T152040Z-openclaw-2026.9.5.tar.gz" } } };
      const manifests = buildGatewayManifests(context!, redactedSecrets(secretKeys(context!)));
      await applyAll(clusters[0]!, manifestList(manifests));
      for (const claim of [manifests.stateClaim!, manifests.backupClaim!]) {
        const live = await waitFor(`${claim.metadata!.name} Bound`, 60_000, async () => {
          const object = await read<V1PersistentVolumeClaim>(clusters[0]!, claim);
          return object.status?.phase === "Bound" ? object : undefined;
        });
        assert.equal(live.status?.phase, "Bound");
      }
      const core = clusters[0]!.config.makeApiClient((await import("@kubernetes/client-node")).CoreV1Api);
      const pod = await waitFor("gateway pod admitted", 60_000, async () => (await core.listNamespacedPod({ namespace: `openclaw-${tenant}` })).items[0]);
      assert.deepEqual(pod.spec?.initContainers?.map((c) => c.name), ["prepare-state", "restore-state", "backup-before-upgrade", "copy-config"]);
    });
  });

  describe("Pod Security Admission restricted", () => {
    it("admits the gateway pod", async () => {
      const [context] = localContexts();
      const pods = await clusters[0]!.config.makeApiClient((await import("@kubernetes/client-node")).CoreV1Api).listNamespacedPod({ namespace: context!.gateway.namespace });
      assert.ok(pods.items.some((pod) => pod.metadata?.labels?.["app.kubernetes.io/instance"] === context!.tenant), "no gateway pod was admitted");
    });

    it("refuses the same pod with a weaker securityContext", async () => {
      const [context] = localContexts();
      const manifests = buildGatewayManifests(context!, redactedSecrets(secretKeys(context!)));
      const template = manifests.deployment.spec!.template;
      const weaker = structuredClone(template.spec!);
      weaker.containers[0]!.securityContext = { ...weaker.containers[0]!.securityContext, allowPrivilegeEscalation: true, capabilities: { add: ["NET_ADMIN"] } };
      const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "weaker-gateway", namespace: context!.gateway.namespace, labels: { test: "psa" } }, spec: weaker };
      await assert.rejects(() => apply(clusters[0]!, pod, { dryRun: true }), (error) => {
        assert.match(refusal(error), /violates PodSecurity "restricted/);
        return true;
      });
      // Control: the unweakened spec is admitted in the same namespace.
      await apply(clusters[0]!, { ...pod, spec: template.spec } as Manifest, { dryRun: true });
    });
  });

  describe("two tenants on one cluster", () => {
    it("apply side by side without touching each other's objects", async () => {
      const tenants = ["tenant-a", "tenant-b"];
      const byTenant = tenants.map((tenant) => {
        const [context] = localContexts(tenant);
        return manifestList(buildGatewayManifests(context!, redactedSecrets(secretKeys(context!))));
      });
      for (const objects of byTenant) await applyAll(clusters[1]!, objects);
      for (const [index, objects] of byTenant.entries()) {
        for (const object of objects) {
          const live = await read<KubernetesObject>(clusters[1]!, object);
          assert.equal(live.metadata?.labels?.["openclaw.ai/tenant"], tenants[index], `${object.kind}/${object.metadata?.name}`);
        }
      }
      const kinds: string[] = byTenant[0]!.map((object) => object.kind);
      for (const kind of ["NetworkPolicy", "ResourceQuota", "LimitRange"]) assert.ok(kinds.includes(kind), kind);
    });
  });
});
