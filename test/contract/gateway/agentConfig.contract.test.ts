/**
 * The app team's fragment merged with the platform's config, judged by the real gateway: `openclaw config validate`
 * accepts the merged file, the gateway starts on it (the init container's copy, the container's command and env),
 * and OpenClaw's own `skills list` and `plugins list` show what the fragment declared.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { loadFleetConfig } from "../../../components/config/load.js";
import { OPENCLAW_VERSION } from "../../../components/config/versions.js";
import { buildGatewayManifests } from "../../../components/gateway/manifests.js";
import { renderOpenclawConfig } from "../../../components/gateway/openclawConfig.js";
import { secretKeys } from "../../../components/gateway/specs/secret.js";
import { ensureOpenclaw, type OpenclawInstall } from "../../../components/openclaw/install.js";
import { validateOpenclawConfig } from "../../../components/openclaw/validateConfig.js";
import { gatewayContexts } from "../../../components/render/renderFleet.js";
import { raw } from "../../fixtures.js";
import { makePodDirs, removePodDirs, runInitContainer, startGateway, waitForProbe, type PodDirs, type RunningGateway } from "./harness.js";

const run = promisify(execFile);

const FRAGMENT = `
agents:
  defaults:
    userTimezone: Europe/Berlin
skills:
  allowBundled: [weather, summarize]
  entries:
    weather:
      enabled: true
      env:
        WEATHER_API_KEY: "\${WEATHER_API_KEY}"
    summarize:
      enabled: false
plugins:
  entries:
    memory-core: { enabled: true }
    anthropic: { enabled: false }
`;

describe(`agent config contract: openclaw ${OPENCLAW_VERSION} runs the app team's fragment merged with the platform's config`, function () {
  this.timeout(5 * 60_000);
  let install: OpenclawInstall;
  let projectDir: string;
  let dirs: PodDirs | undefined;
  let gateway: RunningGateway | undefined;

  before(() => {
    install = ensureOpenclaw();
    projectDir = mkdtempSync(join(tmpdir(), "ocf-agent-contract-"));
    mkdirSync(join(projectDir, "agents/acme"), { recursive: true });
    writeFileSync(join(projectDir, "agents/acme/config.yaml"), FRAGMENT);
  });
  after(() => {
    gateway?.kill();
    if (dirs) removePodDirs(dirs);
    rmSync(projectDir, { recursive: true, force: true });
  });

  const context = () => {
    const config = {
      tenant: "contract",
      environment: "staging",
      agent: { path: "agents/acme" },
      // The platform's half: which plugins may load at all.
      gateway: { configMode: "overwrite", config: { plugins: { allow: ["memory-core", "anthropic"] } } },
      apiKeys: { WEATHER_API_KEY: "placeholder" },
      clusters: [{ name: "agent" }],
    };
    return gatewayContexts(loadFleetConfig(raw(config), { secretKeys: ["apiKeys"], projectDir }))[0]!;
  };

  it("openclaw config validate accepts the merged openclaw.json, which carries both halves", async () => {
    const text = renderOpenclawConfig(context());
    const verdict = await validateOpenclawConfig(install, text);
    assert.ok(verdict.valid, JSON.stringify(verdict.issues));
    const merged = JSON.parse(text) as { gateway: { bind: string }; skills: unknown; plugins: unknown };
    assert.equal(merged.gateway.bind, "lan");
    assert.deepEqual(merged.plugins, { allow: ["memory-core", "anthropic"], entries: { "memory-core": { enabled: true }, anthropic: { enabled: false } } });
  });

  it("the gateway starts on it, and its skills and plugins are the ones the fragment declared", async () => {
    const gatewayContext = context();
    const secrets = Object.fromEntries(secretKeys(gatewayContext).map((key) => [key, `${key.toLowerCase()}-${randomBytes(12).toString("hex")}`]));
    const manifests = buildGatewayManifests(gatewayContext, secrets);
    // The ConfigMap holds the reference, never the key's value.
    assert.ok(!JSON.stringify(manifests.configMap).includes(secrets.WEATHER_API_KEY!));
    dirs = makePodDirs();
    await runInitContainer(manifests, dirs);
    gateway = await startGateway(manifests, dirs, install);
    const { answer } = await waitForProbe(gateway, manifests.deployment.spec!.template.spec!.containers[0]!.startupProbe!);
    assert.equal(answer?.status, 200, gateway.output().slice(-2000));

    const configFile = join(dirs.state, "openclaw.json");
    assert.ok(readFileSync(configFile, "utf8").includes('"${WEATHER_API_KEY}"'), "the gateway's config file holds the reference");
    const env = { PATH: process.env.PATH ?? "", HOME: dirs.home, OPENCLAW_STATE_DIR: dirs.state, OPENCLAW_CONFIG_PATH: configFile, NO_COLOR: "1", ...secrets };
    const cli = async (...args: string[]) => JSON.parse((await run(process.execPath, [install.cli, ...args, "--json"], { env, cwd: dirs!.home, maxBuffer: 32 * 1024 * 1024 })).stdout);

    const skills = (await cli("skills", "list")).skills as { name: string; eligible: boolean; disabled: boolean; blockedByAllowlist: boolean }[];
    const skill = (name: string) => skills.find((each) => each.name === name)!;
    assert.deepEqual({ eligible: skill("weather").eligible, disabled: skill("weather").disabled }, { eligible: true, disabled: false });
    assert.equal(skill("summarize").disabled, true, "the fragment disabled summarize");
    assert.equal(skill("github").blockedByAllowlist, true, "github is not in skills.allowBundled");

    const plugins = (await cli("plugins", "list")).plugins as { id: string; status: string }[];
    const status = (id: string) => plugins.find((each) => each.id === id)?.status;
    assert.equal(status("memory-core"), "loaded");
    assert.equal(status("anthropic"), "disabled", "the fragment switched an allowed plugin off");
    assert.equal(status("openai"), "disabled", "a plugin outside the platform's plugins.allow does not load");
  });
});
