/**
 * Issue 19, items 2-4 through the real engine: a stack with `access` and an agent folder deploys the app team's Role
 * and the RoleBindings on every cluster, and the gateway's ConfigMap carries the app team's fragment merged with the
 * platform's config; a fragment reaching into a platform-owned path fails preview and up before anything changes;
 * taking `access` out deletes the RBAC objects and nothing else.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AuthorizationV1Api, type V1ConfigMap, type V1Role, type V1RoleBinding } from "@kubernetes/client-node";
import { projectDir } from "../../components/automation/localPulumi.js";
import { gatewayObjectNames } from "../../components/gateway/naming.js";
import { read } from "../cluster/kube.js";
import { type E2eStack, operations, useStacks } from "./harness.js";

const tenant = "e2e-access";
const namespace = `openclaw-${tenant}`;
const access = { appTeam: { groups: ["acme-app-team"] }, platform: { groups: ["platform-sre"] } };
const names = gatewayObjectNames(tenant);
const rbac = (kind: "Role" | "RoleBinding", name: string) => ({ apiVersion: "rbac.authorization.k8s.io/v1", kind, metadata: { name, namespace } });

describe("end to end: the app team's fragment and Kubernetes access, through pulumi up on the local clusters", function () {
  this.timeout(20 * 60_000);
  const [stack] = useStacks([{ name: "e2e-access", tenant }]) as [E2eStack];
  // A folder of the project for the refused fragment, removed after the run (git status stays clean).
  const badAgent = `agents/.e2e-access-${randomBytes(4).toString("hex")}`;
  after(() => rmSync(join(projectDir, badAgent), { recursive: true, force: true }));

  const liveConfig = async (cluster: string) => {
    // Read by name, not through the stack's model: the refusal scenario reads it while the stack file is refused.
    const configMap = await read<V1ConfigMap>(stack.cluster(cluster), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: names.configMap, namespace } });
    return { resourceVersion: configMap.metadata!.resourceVersion!, config: JSON.parse(configMap.data!["openclaw.json"]!) as Record<string, any> };
  };

  it("deploys the Role and RoleBindings on every cluster and the merged config; the deployed Role lets the app team read but not Secrets", async () => {
    await stack.freshTenant();
    stack.write({ keys: { access, agent: { path: "agents/acme" } } });
    const { gateways } = await stack.up();
    assert.deepEqual(Object.values(gateways).map((gateway) => gateway.rollout.status), ["complete", "complete"]);
    for (const cluster of stack.model().gateways.map((gateway) => gateway.cluster)) {
      const live = stack.cluster(cluster);
      const binding = await read<V1RoleBinding>(live, rbac("RoleBinding", names.appTeamBinding));
      assert.deepEqual(binding.subjects?.map((subject) => subject.name), ["acme-app-team"]);
      const platform = await read<V1RoleBinding>(live, rbac("RoleBinding", names.platformBinding));
      assert.equal(platform.roleRef.name, "admin");
      const role = await read<V1Role>(live, rbac("Role", names.appTeamRole));
      assert.ok(!role.rules!.some((rule) => rule.resources?.includes("secrets")));

      const { config } = await liveConfig(cluster);
      assert.deepEqual(config.skills.allowBundled, ["weather", "summarize"], "the app team's fragment is in the ConfigMap");
      assert.equal(config.gateway.bind, "lan", "the platform's half stands");

      const authorization = live.config.makeApiClient(AuthorizationV1Api);
      const can = async (verb: string, resource: string, subresource?: string) =>
        (await authorization.createSubjectAccessReview({ body: { spec: { user: "alice", groups: ["acme-app-team"], resourceAttributes: { verb, resource, subresource, namespace } } } })).status?.allowed;
      assert.deepEqual([await can("get", "pods", "log"), await can("create", "pods", "portforward"), await can("get", "secrets"), await can("create", "pods", "exec")], [true, true, false, false]);
    }
  });

  it("refuses a fragment that sets a platform-owned path, in preview and up, naming the file, the path and the owner; nothing changes", async () => {
    // Read before the stack file points at the bad folder: the model of that file is refused, as it should be.
    const cluster = stack.model().gateways[0]!.cluster;
    const before = await liveConfig(cluster);
    mkdirSync(join(projectDir, badAgent), { recursive: true });
    writeFileSync(join(projectDir, badAgent, "config.yaml"), "gateway:\n  bind: loopback\nskills:\n  allowBundled: [github]\n");
    stack.write({ keys: { access, agent: { path: badAgent } } });
    try {
      for (const [name, operation] of [["preview", () => stack.stack.preview({ color: "never" })], ["up", () => stack.up()]] as const) {
        await assert.rejects(operation(), (error: Error) => {
          assert.match(error.message, new RegExp(`${badAgent.replaceAll(".", "\\.")}/config\\.yaml: gateway: is owned by the platform \\(.*\\); the platform sets it in the stack's openclaw-fleet:gateway\\.config`), name);
          return true;
        });
      }
      const after = await liveConfig(cluster);
      assert.equal(after.resourceVersion, before.resourceVersion, "the ConfigMap changed");
    } finally {
      stack.write({ keys: { access, agent: { path: "agents/acme" } } });
    }
  });

  it("taking access out deletes the Role and the RoleBindings and nothing else", async () => {
    stack.write({ keys: { agent: { path: "agents/acme" } } });
    const { events } = await stack.up();
    const changed = operations(events).filter((operation) => operation.op !== "same" && operation.type.startsWith("kubernetes:"));
    assert.deepEqual(
      changed.map((operation) => `${operation.op} ${operation.type}`).sort(),
      [...Array(2)].flatMap(() => ["delete kubernetes:rbac.authorization.k8s.io/v1:Role", "delete kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "delete kubernetes:rbac.authorization.k8s.io/v1:RoleBinding"]).sort(),
    );
  });
});
