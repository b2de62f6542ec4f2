import assert from "node:assert/strict";
import { bootstrapLimitProblems, bootstrapLimits } from "../../components/agent/bootstrapLimits.js";
import type { AgentContent, AgentFile } from "../../components/agent/content.js";
import { contentKey, INDEX_KEY } from "../../components/agent/contentIndex.js";
import { withAgentContent } from "../../components/agent/load.js";
import { ConfigError } from "../../components/config/errors.js";
import type { GatewayContext } from "../../components/gateway/context.js";
import { containerSecurityContext } from "../../components/gateway/hardening.js";
import { checksummedConfig, podChecksum, secretDigest } from "../../components/gateway/checksum.js";
import { buildGatewayManifests, gatewayConfigText, podConfigChecksum } from "../../components/gateway/manifests.js";
import { buildOpenclawConfig } from "../../components/gateway/openclawConfig.js";
import { AGENT_CONTENT_DIR, WORKSPACE_DIR } from "../../components/gateway/specs/paths.js";
import { gatewayContext, model } from "../fixtures.js";
import { tempProject, VALID_FOLDER } from "./agentFolder.js";

const file = (target: string, text: string, policy: AgentFile["policy"] = "managed"): AgentFile => ({
  source: target.startsWith("skills/") ? target : `workspace/${target}`,
  target,
  policy,
  text,
});
const AGENT: AgentContent = {
  path: "agents/acme",
  files: [file("AGENTS.md", "# Rules\n"), file("MEMORY.md", "# Memory\n", "seed"), file("skills/weather/SKILL.md", "---\nname: weather\n---\n")],
};
const withAgent = (agent: AgentContent = AGENT, gateway: Record<string, unknown> = {}): GatewayContext => ({ ...gatewayContext(gateway), agent });
const SECRETS = { OPENCLAW_GATEWAY_TOKEN: "t", ANTHROPIC_API_KEY: "k" };

describe("agent content", () => {
  describe("OpenClaw's bootstrap limits", () => {
    const limits = bootstrapLimits({});
    it("are 20000 characters per file and 60000 in total by default, or what agents.defaults sets", () => {
      assert.deepEqual(limits, { perFile: 20_000, total: 60_000 });
      assert.deepEqual(bootstrapLimits({ agents: { defaults: { bootstrapMaxChars: 30_000, bootstrapTotalMaxChars: 90_000 } } }), { perFile: 30_000, total: 90_000 });
    });

    it("refuse a bootstrap file over the per-file limit, naming the file and the limit", () => {
      const [message, ...rest] = bootstrapLimitProblems({ path: "agents/acme", files: [file("SOUL.md", "x".repeat(20_001))] }, limits);
      assert.equal(rest.length, 0);
      assert.match(message!, /^agents\/acme\/workspace\/SOUL\.md has 20001 characters, over OpenClaw's limit of 20000 per bootstrap file \(agents\.defaults\.bootstrapMaxChars\)/);
      assert.deepEqual(bootstrapLimitProblems({ path: "agents/acme", files: [file("SOUL.md", `${"x".repeat(20_000)}\n\n`)] }, limits), [], "trailing whitespace does not count, as in OpenClaw");
    });

    it("hold USER.md to its own 4000-character cap", () => {
      const [message] = bootstrapLimitProblems({ path: "agents/acme", files: [file("USER.md", "u".repeat(4_001))] }, bootstrapLimits({ agents: { defaults: { bootstrapMaxChars: 50_000 } } }));
      assert.match(message!, /USER\.md has 4001 characters, over OpenClaw's limit of 4000/);
    });

    it("refuse bootstrap files over the total, and leave other files (skills, notes) out of it", () => {
      const big = (name: string) => file(name, "y".repeat(19_000));
      const files = [big("AGENTS.md"), big("SOUL.md"), big("IDENTITY.md"), big("MEMORY.md"), file("notes.md", "z".repeat(500_000))];
      const messages = bootstrapLimitProblems({ path: "agents/acme", files }, limits);
      assert.equal(messages.length, 1);
      assert.match(messages[0]!, /AGENTS\.md, SOUL\.md, IDENTITY\.md, MEMORY\.md\) have 76000 characters together, over OpenClaw's limit of 60000 \(agents\.defaults\.bootstrapTotalMaxChars\)/);
    });

    it("are checked for every gateway when the stack is loaded, with the config path and the clusters", () => {
      const project = tempProject({ ...VALID_FOLDER, "agents/acme/workspace/AGENTS.md": "a".repeat(25_000) });
      try {
        const fleet = model({ tenant: "acme", environment: "dev", agent: { path: "agents/acme" }, clusters: [{ name: "alpha" }, { name: "beta", overrides: { config: { agents: { defaults: { bootstrapMaxChars: 30_000 } } } } }] });
        assert.throws(() => withAgentContent(fleet, project.dir), (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.equal(error.problems.length, 1);
          assert.equal(error.problems[0]!.path, "openclaw-fleet:agent.path");
          assert.match(error.problems[0]!.message, /AGENTS\.md has 25000 characters, over OpenClaw's limit of 20000 .* \(clusters: alpha\)$/);
          return true;
        });
      } finally {
        project.remove();
      }
    });

    it("refuse a workspace elsewhere than the one the folder is written to", () => {
      const project = tempProject(VALID_FOLDER);
      try {
        const fleet = model({ tenant: "acme", environment: "dev", agent: { path: "agents/acme" }, gateway: { config: { agents: { defaults: { workspace: "/data" } } } }, clusters: [{ name: "alpha" }] });
        assert.throws(() => withAgentContent(fleet, project.dir), /openclaw-fleet:gateway\.config\.agents\.defaults\.workspace: is set, but the agent folder is written to the default workspace/);
      } finally {
        project.remove();
      }
    });

    it("leave a stack without agent as it was", () => {
      const fleet = model({ tenant: "acme", environment: "dev", clusters: [{ name: "alpha" }] });
      assert.equal(withAgentContent(fleet, "/nonexistent"), fleet);
    });
  });

  describe("objects", () => {
    const manifests = buildGatewayManifests(withAgent(), SECRETS);

    it("a ConfigMap openclaw-<tenant>-agent with the index and each file under its key", () => {
      const configMap = manifests.agentContent!;
      assert.equal(configMap.metadata!.name, "openclaw-acme-agent");
      assert.equal(configMap.metadata!.namespace, "openclaw-acme");
      const data = configMap.data!;
      assert.equal(data[INDEX_KEY], AGENT.files.map((each) => `${each.policy} ${contentKey(each)} ${each.target}\n`).join(""));
      assert.match(data[INDEX_KEY]!, /^seed [0-9a-f]{12}-MEMORY\.md MEMORY\.md$/m);
      for (const each of AGENT.files) assert.equal(data[contentKey(each)], each.text);
      for (const key of Object.keys(data)) assert.match(key, /^[-._a-zA-Z0-9]+$/, "a valid ConfigMap key");
    });

    it("an agent-content init container, last, hardened like the others, that alone mounts the ConfigMap", () => {
      const pod = manifests.deployment.spec!.template.spec!;
      const init = pod.initContainers!;
      const agent = init[init.length - 1]!;
      assert.equal(agent.name, "agent-content");
      assert.deepEqual(init.map((container) => container.name), ["prepare-state", "copy-config", "agent-content"]);
      assert.deepEqual(agent.securityContext, containerSecurityContext());
      assert.deepEqual(agent.resources, init.find((container) => container.name === "copy-config")!.resources);
      assert.deepEqual(agent.env!.find((env) => env.name === "OPENCLAW_FLEET_WORKSPACE")!.value, WORKSPACE_DIR);
      const mount = agent.volumeMounts!.find((each) => each.name === "agent-content")!;
      assert.deepEqual(mount, { name: "agent-content", mountPath: AGENT_CONTENT_DIR, readOnly: true });
      assert.deepEqual(pod.volumes!.find((volume) => volume.name === "agent-content"), { name: "agent-content", configMap: { name: "openclaw-acme-agent" } });
      assert.ok(!pod.containers[0]!.volumeMounts!.some((each) => each.name === "agent-content"), "the gateway does not mount it");
      assert.ok(manifests.deployment.spec!.template.spec!.initContainers!.every((container) => container.securityContext!.readOnlyRootFilesystem));
    });

    it("none of it, and the same openclaw.json and checksum as before, for a stack without agent", () => {
      const plain = gatewayContext();
      const without = buildGatewayManifests(plain, SECRETS);
      assert.equal(without.agentContent, undefined);
      assert.ok(!without.deployment.spec!.template.spec!.initContainers!.some((container) => container.name === "agent-content"));
      assert.ok(!without.deployment.spec!.template.spec!.volumes!.some((volume) => volume.name === "agent-content"));
      assert.equal(buildOpenclawConfig(plain).agents, undefined);
      const settings = plain.gateway.settings;
      assert.equal(podConfigChecksum(plain, SECRETS), podChecksum(checksummedConfig(settings.configMode, gatewayConfigText(plain)), secretDigest(SECRETS)));
    });

    it("skipBootstrap in openclaw.json when the folder provides AGENTS.md, not otherwise, and the user's config still wins", () => {
      assert.deepEqual(buildOpenclawConfig(withAgent()).agents, { defaults: { skipBootstrap: true } });
      const noBootstrap = { path: "agents/acme", files: [file("skills/weather/SKILL.md", "---\nname: weather\n---\n")] };
      assert.equal(buildOpenclawConfig(withAgent(noBootstrap)).agents, undefined);
      assert.deepEqual(buildOpenclawConfig(withAgent(AGENT, { config: { agents: { defaults: { skipBootstrap: false } } } })).agents, { defaults: { skipBootstrap: false } });
    });
  });

  describe("the pod checksum", () => {
    const changed = (target: string, text: string): AgentContent => ({ ...AGENT, files: AGENT.files.map((each) => (each.target === target ? { ...each, text } : each)) });
    const checksum = (agent: AgentContent) => podConfigChecksum(withAgent(agent), SECRETS);

    it("changes with a managed file's content, so the pod rolls", () => {
      assert.notEqual(checksum(changed("AGENTS.md", "# New rules\n")), checksum(AGENT));
      assert.notEqual(checksum(changed("skills/weather/SKILL.md", "---\nname: weather\ndescription: new\n---\n")), checksum(AGENT));
    });

    it("changes when a managed file is removed or becomes a seed file", () => {
      assert.notEqual(checksum({ ...AGENT, files: AGENT.files.filter((each) => each.target !== "skills/weather/SKILL.md") }), checksum(AGENT));
      assert.notEqual(checksum({ ...AGENT, files: AGENT.files.map((each) => (each.target === "AGENTS.md" ? { ...each, policy: "seed" as const } : each)) }), checksum(AGENT));
    });

    it("stays with a seed file's content (restarting would keep the copy on the volume)", () => {
      assert.equal(checksum(changed("MEMORY.md", "# Memory, edited in Git\n")), checksum(AGENT));
    });
  });
});
