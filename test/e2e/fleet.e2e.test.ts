// NOT RUN ON THESE MACHINES: the Go module proxy refuses the nodejs language host and the kubernetes and
// random providers (tools/BUILD-NOTES.md), so the engine cannot be completed here and CI does not run this
// suite. It is the lifecycle suite of issue 4, ready for a machine that has those binaries on PATH.
/**
 * The fleet's lifecycle through the real engine: the Pulumi CLI, the nodejs language host and the
 * kubernetes and random providers built from Go modules (scripts/build-tools.sh), driven by the Automation
 * API against the local clusters. What is on the clusters is read with @kubernetes/client-node, not Pulumi.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation/index.js";
import type { KubernetesObject, V1Deployment, V1PersistentVolumeClaim, V1Pod, V1ReplicaSet, V1Secret } from "@kubernetes/client-node";
import { AppsV1Api, CoreV1Api } from "@kubernetes/client-node";
import { parse, stringify } from "yaml";
import { localStack, projectDir } from "../../components/automation/localPulumi.js";
import type { GatewayOutput } from "../../components/fleet/outputs.js";
import { renderFleet } from "../../components/render/renderFleet.js";
import { loadStackFile } from "../../components/render/renderStack.js";
import { connect, read, testKubeconfigPath, type TestCluster } from "../cluster/kube.js";
import { apiServer } from "./apiServer.js";

const STACK = "e2e";
const TENANT = "e2e";
const stackFile = join(projectDir, `Pulumi.${STACK}.yaml`);
const localConfig = parse(readFileSync(join(projectDir, "Pulumi.local.yaml"), "utf8")) as { config: Record<string, unknown> };

/** Pulumi.e2e.yaml: the local stack under its own tenant, so it never touches what `npm run demo` deployed. */
function writeStackFile(gatewayOverrides: Record<string, unknown> = {}, clusterOverrides: Record<string, Record<string, unknown>> = {}): void {
  const config = structuredClone(localConfig.config);
  config["openclaw-fleet:tenant"] = TENANT;
  config["openclaw-fleet:gateway"] = { ...(config["openclaw-fleet:gateway"] as object), ...gatewayOverrides };
  config["openclaw-fleet:clusters"] = (config["openclaw-fleet:clusters"] as { name: string }[]).map((cluster) =>
    clusterOverrides[cluster.name] ? { ...cluster, overrides: clusterOverrides[cluster.name] } : cluster,
  );
  writeFileSync(stackFile, stringify({ config }));
}

/** What an update did, per resource, from the engine's own events. */
function recordOperations() {
  const operations: { urn: string; type: string; op: string }[] = [];
  const onEvent = (event: EngineEvent) => {
    const metadata = event.resOutputsEvent?.metadata;
    if (metadata) operations.push({ urn: metadata.urn, type: metadata.type, op: metadata.op });
  };
  const managed = (type: string) => type.startsWith("kubernetes:") || type.startsWith("random:");
  return { operations, onEvent, changed: () => operations.filter((o) => o.op !== "same" && managed(o.type)) };
}

describe("end to end: pulumi up of the fleet on the local clusters", function () {
  this.timeout(10 * 60_000);
  let stack: Stack;
  let stateDir: string;
  let clusters: TestCluster[];
  const model = () => loadStackFile(projectDir, STACK);
  const clusterOf = (name: string) => clusters[model().gateways.findIndex((gateway) => gateway.cluster === name)]!;
  const gatewayObject = (cluster: string, kind: string) =>
    renderFleet(model()).find((rendered) => rendered.cluster === cluster)!.manifests.find((manifest) => manifest.kind === kind)!;
  const up = async () => {
    const recorder = recordOperations();
    const result = await stack.up({ color: "never", onEvent: recorder.onEvent });
    return { result, ...recorder, gateways: result.outputs.gateways!.value as Record<string, GatewayOutput> };
  };

  before(async function () {
    this.timeout(30 * 60_000); // a cold build of the engine and providers
    writeStackFile();
    stateDir = mkdtempSync(join(tmpdir(), "openclaw-e2e-state-"));
    stack = await localStack(STACK, { kubeconfig: testKubeconfigPath(), stateDir });
    clusters = model().gateways.map((gateway) => connect(gateway.context!));
  });

  after(async () => {
    try {
      // The PVCs and Namespaces are retainOnDelete: destroy leaves the tenant's state, by design.
      await stack?.destroy({ color: "never" });
      await stack?.workspace.removeStack(STACK);
    } finally {
      rmSync(stackFile, { force: true });
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it("deploys to both clusters: every rendered object is on its API server and every rollout is complete", async () => {
    const { gateways } = await up();
    assert.deepEqual(Object.keys(gateways).sort(), ["local-1", "local-2"]);
    for (const gateway of Object.values(gateways)) assert.equal(gateway.rollout.status, "complete", JSON.stringify(gateway));
    for (const [index, rendered] of renderFleet(model()).entries()) {
      for (const manifest of rendered.manifests) {
        const live = await read<KubernetesObject>(clusters[index]!, manifest);
        assert.equal(live.metadata?.labels?.["openclaw.ai/cluster"], rendered.cluster, `${manifest.kind}/${manifest.metadata?.name}`);
      }
    }
  });

  it("reports no changes on a second up, a preview, and a refresh", async () => {
    const { changed } = await up();
    assert.deepEqual(changed(), []);
    const preview = await stack.preview({ color: "never" });
    assert.deepEqual(Object.keys(preview.changeSummary).filter((op) => op !== "same"), [], JSON.stringify(preview.changeSummary));
    const refresh = await stack.refresh({ color: "never" });
    assert.deepEqual(Object.keys(refresh.summary.resourceChanges ?? {}).filter((op) => op !== "same"), [], JSON.stringify(refresh.summary.resourceChanges));
  });

  it("rolls an image change out wave by wave, changing only the Deployments", async () => {
    writeStackFile({ image: "ghcr.io/openclaw/openclaw:2026.9.5-slim" });
    const { changed } = await up();
    assert.deepEqual([...new Set(changed().map((o) => o.type))], ["kubernetes:apps/v1:Deployment"]);
    assert.equal(changed().length, 2);
    // From the API servers: wave 0's new ReplicaSet was available before wave 1's new ReplicaSet was created.
    const newest = async (cluster: TestCluster) => {
      const sets = await cluster.config.makeApiClient(AppsV1Api).listNamespacedReplicaSet({ namespace: `openclaw-${TENANT}` });
      return sets.items.sort((a: V1ReplicaSet, b: V1ReplicaSet) => +new Date(b.metadata!.creationTimestamp!) - +new Date(a.metadata!.creationTimestamp!))[0]!;
    };
    const wave0 = await read<V1Deployment>(clusterOf("local-1"), gatewayObject("local-1", "Deployment"));
    const available = wave0.status!.conditions!.find((c) => c.type === "Progressing" && c.reason === "NewReplicaSetAvailable")!;
    const wave1Set = await newest(clusterOf("local-2"));
    assert.ok(+new Date(available.lastUpdateTime!) <= +new Date(wave1Set.metadata!.creationTimestamp!), `wave 0 done ${available.lastUpdateTime}, wave 1 started ${wave1Set.metadata!.creationTimestamp}`);
  });

  it("rotates the token: new Secret value and checksum, pod replaced, claim untouched", async () => {
    const cluster = clusterOf("local-1");
    const before = {
      secret: await read<V1Secret>(cluster, gatewayObject("local-1", "Secret")),
      deployment: await read<V1Deployment>(cluster, gatewayObject("local-1", "Deployment")),
      claim: await read<V1PersistentVolumeClaim>(cluster, gatewayObject("local-1", "PersistentVolumeClaim")),
      pods: await cluster.config.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: `openclaw-${TENANT}` }),
    };
    writeStackFile({ image: "ghcr.io/openclaw/openclaw:2026.9.5-slim", tokenRotation: "rotated-once" });
    await up();
    const secret = await read<V1Secret>(cluster, gatewayObject("local-1", "Secret"));
    const deployment = await read<V1Deployment>(cluster, gatewayObject("local-1", "Deployment"));
    const claim = await read<V1PersistentVolumeClaim>(cluster, gatewayObject("local-1", "PersistentVolumeClaim"));
    const pods = await cluster.config.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: `openclaw-${TENANT}` });
    assert.notEqual(secret.data!.OPENCLAW_GATEWAY_TOKEN, before.secret.data!.OPENCLAW_GATEWAY_TOKEN);
    const checksum = (d: V1Deployment) => d.spec!.template.metadata!.annotations!["openclaw.ai/config-checksum"];
    assert.notEqual(checksum(deployment), checksum(before.deployment));
    const uids = (list: { items: V1Pod[] }) => list.items.filter((p) => !p.metadata!.deletionTimestamp).map((p) => p.metadata!.uid);
    assert.ok(uids(pods).every((uid) => !uids(before.pods).includes(uid)), "the gateway pod was not replaced");
    assert.equal(claim.metadata!.uid, before.claim.metadata!.uid);
  });

  it("stops at a failing canary: up fails naming wave 0's cluster, wave 1 is untouched", async () => {
    const wave1Before = await read<V1Deployment>(clusterOf("local-2"), gatewayObject("local-2", "Deployment"));
    // A new image for the whole fleet, and on the canary requests no node can hold: its new pod is never
    // scheduled and its rollout passes the deadline, so wave 1 must never get the new image.
    writeStackFile({ image: "ghcr.io/openclaw/openclaw:2026.9.4-slim", tokenRotation: "rotated-once" }, {
      "local-1": {
        resources: { requests: { cpu: "900", memory: "512Mi" }, limits: { cpu: "900", memory: "1Gi" } },
        probes: { startup: { periodSeconds: 5, failureThreshold: 2 } },
        progressDeadlineSeconds: 20,
      },
    });
    await assert.rejects(() => up(), (error: Error) => {
      assert.match(error.message, /local-1-deployment/);
      return true;
    });
    const wave1After = await read<V1Deployment>(clusterOf("local-2"), gatewayObject("local-2", "Deployment"));
    assert.equal(wave1After.metadata!.generation, wave1Before.metadata!.generation);
    assert.equal(wave1After.spec!.template.spec!.containers[0]!.image, "ghcr.io/openclaw/openclaw:2026.9.5-slim");
    writeStackFile({ image: "ghcr.io/openclaw/openclaw:2026.9.5-slim", tokenRotation: "rotated-once" });
    const { gateways } = await up();
    assert.equal(gateways["local-1"]!.rollout.status, "complete");
  });

  it("names an unreachable cluster, keeps the other's state, and converges once it is back", async () => {
    writeStackFile({ image: "ghcr.io/openclaw/openclaw:2026.9.6-slim", tokenRotation: "rotated-once" });
    const server = apiServer(2);
    await server.stop();
    try {
      await assert.rejects(() => up(), (error: Error) => {
        assert.match(error.message, /local-2/);
        return true;
      });
      const reachable = await read<V1Deployment>(clusterOf("local-1"), gatewayObject("local-1", "Deployment"));
      assert.equal(reachable.spec!.template.spec!.containers[0]!.image, "ghcr.io/openclaw/openclaw:2026.9.6-slim");
    } finally {
      await server.start();
    }
    const { gateways } = await up();
    for (const gateway of Object.values(gateways)) {
      assert.equal(gateway.image, "ghcr.io/openclaw/openclaw:2026.9.6-slim");
      assert.equal(gateway.rollout.status, "complete");
    }
  });
});
