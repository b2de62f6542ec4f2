/**
 * The agent-content init container (specs/agentContent.ts), run with `sh` as the pod runs it, against temp dirs
 * standing in for the state claim and the ConfigMap: managed files overwritten on every start, removed once the
 * repository drops them, seed files written only when missing, files the agent made itself never touched. Then the
 * real gateway starts on that workspace with the example agent folder and lists its skill.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { AgentContent, AgentFile } from "../../../components/agent/content.js";
import { readAgentFolder } from "../../../components/agent/folder.js";
import { projectDir } from "../../../components/automation/localPulumi.js";
import type { GatewayContext } from "../../../components/gateway/context.js";
import { buildGatewayManifests, type GatewayManifests } from "../../../components/gateway/manifests.js";
import { AGENT_MANAGED_RECORD } from "../../../components/gateway/scripts/stateFiles.js";
import { secretKeys } from "../../../components/gateway/specs/secret.js";
import { ensureOpenclaw } from "../../../components/openclaw/install.js";
import { gatewayContexts } from "../../../components/render/renderFleet.js";
import { model } from "../../fixtures.js";
import { cliEnvBeside, gatewayContainer, makePodDirs, removePodDirs, runInitContainer, runNamedInitContainer, startGateway, waitForProbe, writeAgentContent, type PodDirs } from "./harness.js";

const run = promisify(execFile);

const file = (target: string, text: string, policy: AgentFile["policy"] = "managed"): AgentFile => ({ source: `workspace/${target}`, target, policy, text });

function manifests(agent: AgentContent): GatewayManifests {
  const context: GatewayContext = { ...gatewayContexts(model({ tenant: "agent", environment: "staging", clusters: [{ name: "perm" }] }))[0]!, agent };
  return buildGatewayManifests(context, Object.fromEntries(secretKeys(context).map((key) => [key, `${key.toLowerCase()}-contract`])));
}

describe("agent content contract: the agent-content init container writes the repository's files into the workspace", function () {
  this.timeout(180_000);
  let dirs: PodDirs;
  const workspace = () => join(dirs.state, "workspace");
  const read = (path: string) => readFileSync(join(workspace(), path), "utf8");
  /** One pod start with this content: the state directory, then the agent's files (the config copy is not needed here). */
  async function start(agent: AgentContent) {
    const m = manifests(agent);
    assert.equal((await runNamedInitContainer(m, dirs, "prepare-state")).code, 0);
    writeAgentContent(m, dirs);
    return runNamedInitContainer(m, dirs, "agent-content");
  }
  beforeEach(() => {
    dirs = makePodDirs();
  });
  afterEach(() => removePodDirs(dirs));

  const FIRST: AgentContent = {
    path: "agents/acme",
    files: [file("AGENTS.md", "# Rules v1\n"), file("MEMORY.md", "# Memory from Git\n", "seed"), file("notes/deep/old.md", "old\n"), file("SOUL.md", "# Soul v1\n")],
  };

  it("a first start writes the managed and the seed files and records only the managed ones", async () => {
    const result = await start(FIRST);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /3 managed files written, 0 removed from the workspace, 1 seed files written, 0 kept/);
    assert.equal(read("AGENTS.md"), "# Rules v1\n");
    assert.equal(read("MEMORY.md"), "# Memory from Git\n");
    assert.equal(read("notes/deep/old.md"), "old\n");
    assert.deepEqual(readFileSync(join(dirs.state, AGENT_MANAGED_RECORD), "utf8").split("\n").filter(Boolean).sort(), ["AGENTS.md", "SOUL.md", "notes/deep/old.md"]);
  });

  it("the next start overwrites managed files, removes the ones the repository dropped, keeps seed files and the agent's own", async () => {
    assert.equal((await start(FIRST)).code, 0);
    // The agent at work: edits a managed file and the seed file, writes files of its own (one beside a managed one).
    writeFileSync(join(workspace(), "AGENTS.md"), "# Rules edited by the agent\n");
    writeFileSync(join(workspace(), "MEMORY.md"), "# Memory the agent kept\n");
    writeFileSync(join(workspace(), "own.md"), "mine\n");
    mkdirSync(join(workspace(), "memory"));
    writeFileSync(join(workspace(), "memory", "2026-11-29.md"), "today\n");
    writeFileSync(join(workspace(), "notes", "agent-note.md"), "the agent's\n");

    const second: AgentContent = {
      path: "agents/acme",
      // AGENTS.md changed, notes/deep/old.md dropped, SOUL.md became seed, MEMORY.md's Git text changed, a new file.
      files: [file("AGENTS.md", "# Rules v2\n"), file("MEMORY.md", "# Memory from Git, v2\n", "seed"), file("SOUL.md", "# Soul v2\n", "seed"), file("TOOLS.md", "# Tools\n")],
    };
    const result = await start(second);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /2 managed files written, 1 removed from the workspace, 0 seed files written, 2 kept/);
    assert.equal(read("AGENTS.md"), "# Rules v2\n", "managed: the repository wins");
    assert.equal(read("TOOLS.md"), "# Tools\n");
    assert.equal(read("MEMORY.md"), "# Memory the agent kept\n", "seed: the agent's edit survives");
    assert.equal(read("SOUL.md"), "# Soul v1\n", "a file that became seed is neither removed nor overwritten");
    assert.ok(!existsSync(join(workspace(), "notes", "deep")), "the dropped file and the folder it left empty are gone");
    assert.equal(read("notes/agent-note.md"), "the agent's\n", "a folder still holding the agent's file stays");
    assert.equal(read("own.md"), "mine\n");
    assert.equal(read("memory/2026-11-29.md"), "today\n");
    assert.deepEqual(readFileSync(join(dirs.state, AGENT_MANAGED_RECORD), "utf8").split("\n").filter(Boolean).sort(), ["AGENTS.md", "TOOLS.md"]);
    assert.deepEqual(readdirSync(dirs.state).filter((name) => name.startsWith(`${AGENT_MANAGED_RECORD}.`)), [], "no scratch files left");
  });

  it("a seed file the agent deleted is written again; the repository's version of it otherwise never is", async () => {
    assert.equal((await start(FIRST)).code, 0);
    writeFileSync(join(workspace(), "MEMORY.md"), "edited\n");
    assert.equal((await start(FIRST)).code, 0);
    assert.equal(read("MEMORY.md"), "edited\n");
    const { rmSync } = await import("node:fs");
    rmSync(join(workspace(), "MEMORY.md"));
    assert.equal((await start(FIRST)).code, 0);
    assert.equal(read("MEMORY.md"), "# Memory from Git\n");
  });

  it("a record naming a path outside the workspace fails the container and deletes nothing", async () => {
    assert.equal((await start(FIRST)).code, 0);
    writeFileSync(join(dirs.state, "keep.txt"), "state\n");
    writeFileSync(join(dirs.state, AGENT_MANAGED_RECORD), "../keep.txt\n");
    const result = await start(FIRST);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^openclaw-fleet agent-content: .* names an unsafe path: \.\.\/keep\.txt/m);
    assert.equal(readFileSync(join(dirs.state, "keep.txt"), "utf8"), "state\n");
  });

  it("the real gateway starts on the example agent's workspace, creates no bootstrap templates, and lists the repository's skill", async function () {
    const install = ensureOpenclaw();
    const { content, problems } = readAgentFolder(projectDir, { path: "agents/example", seed: ["workspace/MEMORY.md"] });
    assert.deepEqual(problems, []);
    const m = manifests(content!);
    assert.equal((await runNamedInitContainer(m, dirs, "prepare-state")).code, 0);
    await runInitContainer(m, dirs);
    writeAgentContent(m, dirs);
    const written = await runNamedInitContainer(m, dirs, "agent-content");
    assert.equal(written.code, 0, written.stderr);
    const gateway = await startGateway(m, dirs, install);
    try {
      assert.ok((await waitForProbe(gateway, gatewayContainer(m).startupProbe!)).answer, gateway.output().slice(-2000));
      // skipBootstrap: the repository's AGENTS.md stands, and OpenClaw adds none of its templates beside it.
      assert.equal(read("AGENTS.md"), readFileSync(join(projectDir, "agents/example/workspace/AGENTS.md"), "utf8"));
      for (const template of ["BOOTSTRAP.md", "IDENTITY.md", "USER.md"]) assert.ok(!existsSync(join(workspace(), template)), `${template} was created`);
      // The CLI as a user runs it in the pod (kubectl exec): the local gateway on its port with its token. OpenClaw
      // gives the gateway 1500 ms to answer and then reads the same state locally (docs/cli/skills.md); on a loaded
      // machine a command that failed outright is tried again.
      const env = cliEnvBeside(dirs, gateway);
      const listSkills = () => run(process.execPath, [install.cli, "skills", "list", "--json"], { env, maxBuffer: 16 * 1024 * 1024, timeout: 120_000 });
      let stdout = "";
      for (let attempt = 1; ; attempt++) {
        try {
          ({ stdout } = await listSkills());
          break;
        } catch (error) {
          if (attempt === 3) throw error;
        }
      }
      const listed = JSON.parse(stdout.slice(stdout.indexOf("{") === -1 ? stdout.indexOf("[") : Math.min(...[stdout.indexOf("{"), stdout.indexOf("[")].filter((i) => i >= 0)))) as unknown;
      const skills = (Array.isArray(listed) ? listed : (listed as { skills?: unknown[] }).skills ?? []) as { name?: string; source?: string; filePath?: string; baseDir?: string }[];
      const skill = skills.find((each) => each.name === "fleet-runbook");
      assert.ok(skill, `fleet-runbook not listed: ${stdout.slice(0, 2000)}`);
      assert.match(JSON.stringify(skill), /workspace/, JSON.stringify(skill));
    } finally {
      await gateway.stop();
    }
  });
});
