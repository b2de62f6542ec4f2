/**
 * Agent content from the repository (issue 19, items 1, 5 and 6) through the real engine: a stack whose `agent` folder
 * lives in its project directory (a temp copy of this project, so no tracked file changes) deploys its files as a
 * ConfigMap with the agent-content init container; a managed file's change rolls the pod, a seed file's does not; a
 * bad folder is refused before anything changes on the clusters. The init script itself is run against a temp dir by
 * the contract tests (test/contract/gateway/agentContent.contract.test.ts): kwok's pods run no containers.
 */
import assert from "node:assert/strict";
import { symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AppsV1Api, CoreV1Api, type V1ConfigMap } from "@kubernetes/client-node";
import { contentKey } from "../../components/agent/contentIndex.js";
import { CHECKSUM_ANNOTATION } from "../../components/gateway/specs/deployment.js";
import { AgentFolderCopy, type E2eStack, newestReplicaSet, useStacks } from "./harness.js";

const NAME = "e2e-agent";
const NAMESPACE = `openclaw-${NAME}`;
const FOLDER = "agent-e2e";

describe("end to end: agent content from the repository", function () {
  this.timeout(15 * 60_000);
  const [stack] = useStacks([{ name: NAME, tenant: NAME }]) as [E2eStack];
  let agent: AgentFolderCopy;
  const configMap = (index: number): Promise<V1ConfigMap> =>
    stack.clusters[index]!.config.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: `${NAMESPACE}-agent`, namespace: NAMESPACE });
  const deployment = (index: number) => stack.clusters[index]!.config.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: NAMESPACE, namespace: NAMESPACE });
  const podTemplate = async (index: number) => ({
    replicaSet: (await newestReplicaSet(stack.clusters[index]!, NAMESPACE)).metadata!.name!,
    checksum: (await deployment(index)).spec!.template.metadata!.annotations![CHECKSUM_ANNOTATION]!,
  });
  const fileIn = (map: V1ConfigMap, target: string) => map.data![contentKey({ target })];

  before(async function () {
    this.timeout(15 * 60_000);
    agent = new AgentFolderCopy(FOLDER, NAME, "openclaw-e2e-agent-project-");
    agent.write("workspace/AGENTS.md", "# Rules v1\n");
    agent.write("workspace/MEMORY.md", "# Memory v1\n");
    agent.write("skills/hello/SKILL.md", "---\nname: hello\ndescription: says hello\n---\n\nSay hello.\n");
    await agent.run(stack, ["workspace/MEMORY.md"]);
    await stack.freshTenant();
  });

  after(() => {
    agent?.remove();
  });

  it("deploys: each cluster's ConfigMap holds the folder's files and their policies, and the gateway runs the agent-content init container", async () => {
    const { gateways } = await stack.up();
    assert.deepEqual(Object.values(gateways).map((gateway) => gateway.rollout.status), ["complete", "complete"]);
    for (const index of [0, 1]) {
      const map = await configMap(index);
      assert.equal(fileIn(map, "AGENTS.md"), "# Rules v1\n");
      assert.equal(fileIn(map, "MEMORY.md"), "# Memory v1\n");
      assert.match(fileIn(map, "skills/hello/SKILL.md")!, /name: hello/);
      assert.match(map.data!.index!, /^managed \S+ AGENTS\.md$/m);
      assert.match(map.data!.index!, /^seed \S+ MEMORY\.md$/m);
      const pod = (await deployment(index)).spec!.template.spec!;
      assert.equal(pod.initContainers!.at(-1)!.name, "agent-content");
      assert.equal(pod.volumes!.find((volume) => volume.name === "agent-content")!.configMap!.name, `${NAMESPACE}-agent`);
      const config = (await stack.clusters[index]!.config.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: `${NAMESPACE}-config`, namespace: NAMESPACE })).data!["openclaw.json"]!;
      assert.equal((JSON.parse(config) as { agents?: { defaults?: { skipBootstrap?: boolean } } }).agents?.defaults?.skipBootstrap, true);
    }
  });

  it("rolls the pod when a managed file changes, and the ConfigMap holds the new content", async () => {
    const before = [await podTemplate(0), await podTemplate(1)];
    agent.write("workspace/AGENTS.md", "# Rules v2\n");
    const update = await stack.up();
    const changed = update.changed().map((operation) => `${operation.op} ${operation.urn.split("::").at(-1)}`).sort();
    assert.deepEqual(changed, ["update local-1-agent-content", "update local-1-deployment", "update local-2-agent-content", "update local-2-deployment"]);
    for (const index of [0, 1]) {
      assert.equal(fileIn(await configMap(index), "AGENTS.md"), "# Rules v2\n");
      const after = await podTemplate(index);
      assert.notEqual(after.checksum, before[index]!.checksum);
      assert.notEqual(after.replicaSet, before[index]!.replicaSet, "no new pod template (ReplicaSet)");
    }
  });

  it("rolls no pod when only a seed file changes: the ConfigMap is updated, the Deployment is not", async () => {
    const before = [await podTemplate(0), await podTemplate(1)];
    agent.write("workspace/MEMORY.md", "# Memory v2, in Git\n");
    const update = await stack.up();
    const changed = update.changed().map((operation) => `${operation.op} ${operation.urn.split("::").at(-1)}`).sort();
    assert.deepEqual(changed, ["update local-1-agent-content", "update local-2-agent-content"]);
    for (const index of [0, 1]) {
      assert.equal(fileIn(await configMap(index), "MEMORY.md"), "# Memory v2, in Git\n");
      assert.deepEqual(await podTemplate(index), before[index]);
    }
  });

  it("refuses a folder with a symlink pointing outside it before deploying, naming the config path and the file; nothing on the clusters changes", async () => {
    const before = [(await configMap(0)).metadata!.resourceVersion, (await configMap(1)).metadata!.resourceVersion];
    writeFileSync(join(agent.dir, "outside.txt"), "not the agent's\n");
    symlinkSync("../../outside.txt", agent.path("workspace/TOOLS.md"));
    agent.write("workspace/AGENTS.md", "# Rules v3, never deployed\n");
    await assert.rejects(stack.up(), (error: Error) => {
      assert.match(error.message, /openclaw-fleet:agent\.path: agent-e2e\/workspace\/TOOLS\.md: is a symlink pointing outside the agent folder/);
      return true;
    });
    assert.deepEqual([(await configMap(0)).metadata!.resourceVersion, (await configMap(1)).metadata!.resourceVersion], before);
    assert.equal(fileIn(await configMap(0), "AGENTS.md"), "# Rules v2\n");
  });
});
