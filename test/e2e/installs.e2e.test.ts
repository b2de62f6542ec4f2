/**
 * Installing at start (`gateway.installs`, docs/agents.md "Installing at start") through the real engine on the local
 * clusters: the option puts the installs init container (with the pinned list) in every cluster's Deployment, the
 * mirror's egress in the NetworkPolicy and the plugins in `plugins.allow`, by updating those objects in place; an
 * unpinned entry fails preview and up before anything changes; taking the option out takes all of it out again.
 * The kwok nodes run no containers: what the init container does is the contract suite's (installs.contract.test.ts).
 */
import assert from "node:assert/strict";
import type { V1ConfigMap, V1Deployment, V1NetworkPolicy } from "@kubernetes/client-node";
import { type E2eStack, useStacks } from "./harness.js";

const tenant = "e2e-installs";
const platformConfig = { plugins: { allow: ["memory-core"] } };
const mirrorEgress = [{ cidrs: ["10.20.0.0/16"], ports: [{ port: 8443 }] }];
const installs = { plugins: [{ id: "fleet-hello", npm: "@acme/openclaw-fleet-hello@1.4.2" }], npmRegistry: "https://npm.mirror.internal/", egress: mirrorEgress };

describe("end to end: plugins installed at start, through pulumi up on the local clusters", function () {
  this.timeout(20 * 60_000);
  const [stack] = useStacks([{ name: "e2e-installs", tenant }]) as [E2eStack];

  const live = async (cluster: string) => {
    const deployment = await stack.live<V1Deployment>(cluster, "Deployment");
    const policy = await stack.live<V1NetworkPolicy>(cluster, "NetworkPolicy");
    const configMap = await stack.live<V1ConfigMap>(cluster, "ConfigMap");
    return {
      init: deployment.spec!.template.spec!.initContainers!.find((container) => container.name === "installs"),
      mirrorRule: policy.spec!.egress!.some((rule) => rule.to?.some((peer) => peer.ipBlock?.cidr === "10.20.0.0/16")),
      allow: (JSON.parse(configMap.data!["openclaw.json"]!) as { plugins: { allow: string[] } }).plugins.allow,
      deploymentUid: deployment.metadata!.uid,
    };
  };

  it("without installs, then with them: the init container, the mirror egress and the allow list appear in place on every cluster", async () => {
    await stack.freshTenant();
    stack.write({ gateway: { config: platformConfig } });
    await stack.up();
    const clusters = stack.model().gateways.map((gateway) => gateway.cluster);
    const before = await Promise.all(clusters.map(live));
    for (const state of before) {
      assert.equal(state.init, undefined);
      assert.equal(state.mirrorRule, false);
      assert.deepEqual(state.allow, ["memory-core"]);
    }

    stack.write({ gateway: { config: platformConfig, installs } });
    const { gateways, changed } = await stack.up();
    assert.deepEqual(Object.values(gateways).map((gateway) => gateway.rollout.status), ["complete", "complete"]);
    // Updates only: no object is created, replaced or deleted (no URN moves).
    assert.deepEqual([...new Set(changed().map((operation) => operation.op))], ["update"]);
    for (const [index, cluster] of clusters.entries()) {
      const state = await live(cluster);
      assert.ok(state.init, `no installs init container on ${cluster}`);
      const env = Object.fromEntries(state.init.env!.map((variable) => [variable.name, variable.value]));
      assert.equal(env.OPENCLAW_FLEET_INSTALLS, "plugin fleet-hello @acme/openclaw-fleet-hello@1.4.2");
      assert.equal(env.npm_config_registry, "https://npm.mirror.internal/");
      assert.equal(state.init.securityContext?.readOnlyRootFilesystem, true);
      assert.equal(state.mirrorRule, true);
      assert.deepEqual(state.allow, ["memory-core", "fleet-hello"]);
      assert.equal(state.deploymentUid, before[index]!.deploymentUid, "the Deployment was replaced");
    }
  });

  it("refuses an unpinned plugin in preview and up, naming the entry; nothing changes", async () => {
    const cluster = stack.model().gateways[0]!.cluster;
    const before = await stack.live<V1Deployment>(cluster, "Deployment");
    stack.write({ gateway: { config: platformConfig, installs: { plugins: [{ id: "fleet-hello", npm: "@acme/openclaw-fleet-hello@latest" }] } } });
    try {
      for (const [name, operation] of [["preview", () => stack.stack.preview({ color: "never" })], ["up", () => stack.up()]] as const) {
        await assert.rejects(operation(), (error: Error) => {
          assert.match(error.message, /openclaw-fleet:gateway\.installs\.plugins\[0\]\.npm: must be an npm package pinned to one exact version/, name);
          return true;
        });
      }
    } finally {
      stack.write({ gateway: { config: platformConfig, installs } });
    }
    const after = await stack.live<V1Deployment>(cluster, "Deployment");
    assert.equal(after.metadata!.resourceVersion, before.metadata!.resourceVersion, "the Deployment changed");
  });

  it("taking installs out removes the init container, the egress and the allow entry, in place", async () => {
    stack.write({ gateway: { config: platformConfig } });
    const { changed } = await stack.up();
    assert.deepEqual([...new Set(changed().map((operation) => operation.op))], ["update"]);
    for (const cluster of stack.model().gateways.map((gateway) => gateway.cluster)) {
      const state = await live(cluster);
      assert.equal(state.init, undefined);
      assert.equal(state.mirrorRule, false);
      assert.deepEqual(state.allow, ["memory-core"]);
    }
  });
});
