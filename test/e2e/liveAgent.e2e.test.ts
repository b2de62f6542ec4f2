/**
 * Agent content on live pods (issue 19, item 6): local-1's gateway on the real node with an agent folder. The
 * agent-content init container really writes the workspace, the running gateway lists the repository's skill, a
 * managed file's change rolls the pod (a file removed from the repository leaves the workspace) and a seed file keeps
 * the agent's own edit. The kwok suite proves the objects (agentContent.e2e), the contract tests the script as a
 * process; this is the same on a kubelet and a container runtime.
 *
 * Needs `scripts/clusters.sh up --real-node` (`npm run test:live`).
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import type { V1Pod } from "@kubernetes/client-node";
import { REAL_NODE_PLACEMENT } from "../../components/automation/realNodePlacement.js";
import { OPENCLAW_VERSION } from "../../components/config/versions.js";
import { WORKSPACE_DIR } from "../../components/gateway/specs/paths.js";
import type { TestCluster } from "../cluster/kube.js";
import { AgentFolderCopy, type E2eStack, type StackShape, useStacks } from "./harness.js";
import { REAL_NODE, execIn, readyPodIn, requireRealNode } from "./livePod.js";

const NAME = "e2e-live-agent";
const namespace = `openclaw-${NAME}`;
const FOLDER = "agent-live";

describe("end to end on live pods: agent content on the real node", function () {
  this.timeout(20 * 60_000);
  const base: StackShape = { without: ["local-2"], retainState: false };
  const [stack] = useStacks([{ name: NAME, tenant: NAME, shape: base }]) as [E2eStack];
  let agent: AgentFolderCopy;
  let cluster: TestCluster;
  const exec = (pod: V1Pod, script: string) => execIn(cluster, namespace, pod, script);
  const workspaceFile = async (pod: V1Pod, path: string) => {
    const read = await exec(pod, `cat ${WORKSPACE_DIR}/${path}`);
    return read.code === 0 ? read.output : undefined;
  };

  before(async function () {
    cluster = stack.cluster("local-1");
    await requireRealNode(cluster);
    stack.write({ ...base, gateway: { image: `ghcr.io/openclaw/openclaw:${OPENCLAW_VERSION}-slim` }, overrides: { "local-1": { ...REAL_NODE_PLACEMENT } } });
    agent = new AgentFolderCopy(FOLDER, NAME, "openclaw-e2e-live-agent-");
    agent.write("workspace/AGENTS.md", "# Rules v1\n");
    agent.write("workspace/TOOLS.md", "# Tools v1\n");
    agent.write("workspace/MEMORY.md", "# Memory v1\n");
    agent.write("skills/hello/SKILL.md", "---\nname: hello\ndescription: says hello\n---\n\nSay hello.\n");
    await agent.run(stack, ["workspace/MEMORY.md"]);
    await stack.freshTenant();
  });

  after(() => {
    agent?.remove();
  });

  it("first up: the init container writes the repository's workspace, and the running gateway lists its skill", async () => {
    const { gateways } = await stack.up();
    assert.deepEqual(Object.keys(gateways), ["local-1"]);
    assert.equal(gateways["local-1"]!.rollout.status, "complete", JSON.stringify(gateways["local-1"]));
    const pod = await readyPodIn(cluster, namespace);
    assert.equal(pod.spec!.nodeName, REAL_NODE);
    const content = pod.status!.initContainerStatuses!.find((s) => s.name === "agent-content")!;
    assert.equal(content.state?.terminated?.exitCode, 0, JSON.stringify(content.state));

    assert.equal(await workspaceFile(pod, "AGENTS.md"), "# Rules v1\n");
    assert.equal(await workspaceFile(pod, "TOOLS.md"), "# Tools v1\n");
    assert.equal(await workspaceFile(pod, "MEMORY.md"), "# Memory v1\n");
    assert.match((await workspaceFile(pod, "skills/hello/SKILL.md")) ?? "", /name: hello/);

    // The CLI as a user runs it with kubectl exec: OpenClaw asks the local gateway for 1.5 s, then reads the same
    // workspace itself; a command that failed outright on a loaded machine is tried again.
    const cli = `HOME=/tmp/openclaw-cli XDG_CACHE_HOME=/tmp/openclaw-cli/.cache NO_COLOR=1 node /app/dist/index.js skills list --json`;
    let listed = await exec(pod, cli);
    for (let attempt = 2; listed.code !== 0 && attempt <= 3; attempt++) listed = await exec(pod, cli);
    assert.equal(listed.code, 0, listed.output.slice(-2000));
    const json = listed.output.slice(Math.min(...["{", "["].map((c) => listed.output.indexOf(c)).filter((i) => i >= 0)));
    const parsed = JSON.parse(json.slice(0, json.lastIndexOf(json.startsWith("[") ? "]" : "}") + 1)) as unknown;
    const skills = (Array.isArray(parsed) ? parsed : ((parsed as { skills?: unknown[] }).skills ?? [])) as { name?: string }[];
    assert.ok(skills.some((skill) => skill.name === "hello"), `hello not listed: ${json.slice(0, 2000)}`);

    // The agent edits its seed file, as a running agent does with its memory.
    assert.equal((await exec(pod, `echo '- learned: live e2e' >> ${WORKSPACE_DIR}/MEMORY.md`)).code, 0);
  });

  it("a managed file's change rolls the pod: the new pod has the new content, a removed file is gone, the agent's seed edit stays", async () => {
    const before = await readyPodIn(cluster, namespace);
    agent.write("workspace/AGENTS.md", "# Rules v2\n");
    rmSync(agent.path("workspace/TOOLS.md"));
    const { gateways } = await stack.up();
    assert.equal(gateways["local-1"]!.rollout.status, "complete");
    const after = await readyPodIn(cluster, namespace, before.metadata!.uid);
    assert.equal(await workspaceFile(after, "AGENTS.md"), "# Rules v2\n");
    assert.equal(await workspaceFile(after, "TOOLS.md"), undefined, "a file removed from the repository stayed in the workspace");
    assert.equal(await workspaceFile(after, "MEMORY.md"), "# Memory v1\n- learned: live e2e\n");
  });
});
