import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFleetConfig, type FleetModel } from "../../components/config/load.js";
import { APP_OWNED_KEYS, ownershipViolations, PLATFORM_OWNED_PATHS } from "../../components/config/ownership.js";
import { buildOpenclawConfig } from "../../components/gateway/openclawConfig.js";
import { gatewayContexts } from "../../components/render/renderFleet.js";
import { projectDir as repositoryDir } from "../../components/automation/localPulumi.js";
import { configProblems, raw } from "../fixtures.js";

const stack = (extra: Record<string, unknown> = {}) => ({ tenant: "acme", environment: "dev", agent: { path: "agents/acme" }, clusters: [{ name: "alpha" }], ...extra });

describe("the app team's config fragment (agent.path/config.yaml)", () => {
  let projectDir: string;
  beforeEach(() => {
    projectDir = mkdtempSync(join(tmpdir(), "ocf-fragment-"));
    mkdirSync(join(projectDir, "agents/acme"), { recursive: true });
  });
  afterEach(() => rmSync(projectDir, { recursive: true, force: true }));

  const writeFragment = (text: string) => writeFileSync(join(projectDir, "agents/acme/config.yaml"), text);
  const load = (config: Record<string, unknown>): FleetModel => loadFleetConfig(raw(config), { secretKeys: ["apiKeys"], projectDir });
  const problems = (config: Record<string, unknown>) => configProblems(config, load);
  const assertRefused = (config: Record<string, unknown>, start: string, message: RegExp) => {
    const found = problems(config);
    assert.ok(found.some((line) => line.startsWith(start) && message.test(line)), `expected ${start} ... ${message}; got:\n${found.join("\n")}`);
  };

  describe("merged with the platform's config", () => {
    it("adds the app's sections to what the gateway gets, the platform's generated gateway section untouched", () => {
      writeFragment("agents:\n  defaults:\n    userTimezone: Europe/Berlin\nskills:\n  allowBundled: [weather]\n  entries:\n    weather: { enabled: true }\n");
      const [context] = gatewayContexts(load(stack({ gateway: { config: { agents: { defaults: { thinkingDefault: "low" } } } } })));
      const config = buildOpenclawConfig(context!);
      assert.deepEqual(config.agents, { defaults: { thinkingDefault: "low", userTimezone: "Europe/Berlin" } });
      assert.deepEqual(config.skills, { allowBundled: ["weather"], entries: { weather: { enabled: true } } });
      assert.equal((config.gateway as { bind: string }).bind, "lan");
      assert.deepEqual((config.gateway as { auth: unknown }).auth, { mode: "token", token: "${OPENCLAW_GATEWAY_TOKEN}" });
    });

    it("is absent when the folder has no config.yaml, and an empty file is no fragment", () => {
      assert.equal(load(stack()).gateways[0]!.agentConfig, undefined);
      writeFragment("# nothing yet\n");
      assert.equal(load(stack()).gateways[0]!.agentConfig, undefined);
    });

    it("is not read at all when the stack has no agent", () => {
      writeFragment("gateway: { bind: loopback }\n");
      const { agent: _agent, ...withoutAgent } = stack();
      assert.equal(load(withoutAgent).gateways[0]!.agentConfig, undefined);
    });
  });

  describe("ownership: a platform-owned path is refused naming the file, the path and the owner", () => {
    for (const [text, path] of [
      ["gateway:\n  bind: loopback\n", "gateway"],
      ["diagnostics:\n  enabled: false\n", "diagnostics"],
      ["logging:\n  file: /home/node/.openclaw/log.txt\n", "logging"],
      ["plugins:\n  allow: [anything]\n", "plugins.allow"],
      ["plugins:\n  load:\n    paths: [/tmp/x]\n", "plugins.load"],
      ["agents:\n  defaults:\n    workspace: /tmp/elsewhere\n", "agents.defaults.workspace"],
      ["agents:\n  list:\n    - id: main\n      workspace: /tmp/elsewhere\n", "agents.list[0].workspace"],
      ["update:\n  channel: beta\n", "update"],
    ] as const) {
      it(`${path}`, () => {
        writeFragment(text);
        assertRefused(stack(), `agents/acme/config.yaml: ${path}: `, /is owned by the platform \(.+\); the platform sets it in the stack's openclaw-fleet:gateway\.config.*openclaw-fleet:agent\.path/);
      });
    }

    it("an unknown top-level section, with the app team's sections listed", () => {
      writeFragment("wizard: {}\n");
      assertRefused(stack(), "agents/acme/config.yaml: wizard: ", new RegExp(`not one of the app team's sections \\(${APP_OWNED_KEYS.join(", ")}\\)`));
    });

    it("the sandbox mode in prod only (the app team sets it in dev)", () => {
      writeFragment("agents:\n  defaults:\n    sandbox:\n      mode: \"off\"\n");
      assert.ok(load(stack()).gateways[0]!.agentConfig);
      assertRefused(stack({ environment: "prod", clusters: [{ name: "alpha", overrides: { image: "ghcr.io/openclaw/openclaw:2026.9.6-slim" } }] }), "agents/acme/config.yaml: agents.defaults.sandbox.mode: ", /sandbox mode is the platform's in prod/);
    });

    it("lists every platform path outside the app's sections or inside one of them, and no app section whole", () => {
      for (const entry of PLATFORM_OWNED_PATHS) assert.ok(!(APP_OWNED_KEYS as readonly string[]).includes(entry.path), entry.path);
      assert.deepEqual(ownershipViolations({ channels: { telegram: { enabled: true } }, tools: {}, cron: {}, session: {} }, "prod"), []);
    });
  });

  describe("secrets never in the fragment", () => {
    it("refuses a key that looks like a provider key, and never prints it", () => {
      writeFragment("models:\n  providers:\n    openai:\n      baseUrl: https://api.openai.com/v1\n      apiKey: sk-proj-abcdef0123456789\n");
      const found = problems(stack());
      assert.ok(found.some((line) => line.startsWith("agents/acme/config.yaml: models.providers.openai.apiKey: ") && /looks like a credential.*apiKeys/.test(line)), found.join("\n"));
      assert.ok(!found.join("\n").includes("sk-proj-abcdef"), "the value is in the message");
    });

    it("refuses a plaintext value under a credential key (botToken) and accepts an env reference the stack declares", () => {
      writeFragment("channels:\n  telegram:\n    botToken: not-a-reference\n");
      assertRefused(stack(), "agents/acme/config.yaml: channels.telegram.botToken: ", /plaintext value under a credential key/);
      writeFragment("channels:\n  telegram:\n    botToken: \"${TELEGRAM_BOT_TOKEN}\"\n");
      assertRefused(stack(), "agents/acme/config.yaml: channels.telegram.botToken: ", /refers to \$\{TELEGRAM_BOT_TOKEN\}, which the stack does not declare.*apiKeys\.TELEGRAM_BOT_TOKEN/);
      const model = load(stack({ apiKeys: { TELEGRAM_BOT_TOKEN: "123" } }));
      assert.deepEqual(model.gateways[0]!.agentConfig, { channels: { telegram: { botToken: "${TELEGRAM_BOT_TOKEN}" } } });
    });

    it("refuses a reference to the gateway token (the platform's)", () => {
      writeFragment("tools:\n  web:\n    note: \"${OPENCLAW_GATEWAY_TOKEN}\"\n");
      assertRefused(stack(), "agents/acme/config.yaml: tools.web.note: ", /OPENCLAW_GATEWAY_TOKEN\}, which the program sets for the platform/);
    });

    it("accepts any reference when the keys come from a Secret another controller keeps (apiKeysSecret)", () => {
      writeFragment("channels:\n  telegram:\n    botToken: \"${TELEGRAM_BOT_TOKEN}\"\n");
      assert.ok(load(stack({ gateway: { apiKeysSecret: "acme-provider-keys" } })).gateways[0]!.agentConfig);
    });
  });

  describe("skills and plugins, declared", () => {
    it("skill env values are env references to the stack's Secret, never values", () => {
      writeFragment("skills:\n  entries:\n    weather:\n      enabled: true\n      env:\n        WEATHER_UNITS: metric\n");
      assertRefused(stack(), "agents/acme/config.yaml: skills.entries.weather.env.WEATHER_UNITS: ", /must be an env reference such as "\$\{WEATHER_UNITS\}"/);
      writeFragment("skills:\n  entries:\n    weather:\n      enabled: true\n      env:\n        WEATHER_API_KEY: \"${WEATHER_API_KEY}\"\n      apiKey: { source: env, provider: default, id: WEATHER_API_KEY }\n");
      assertRefused(stack(), "agents/acme/config.yaml: skills.entries.weather.apiKey.id: ", /WEATHER_API_KEY\}, which the stack does not declare/);
      assert.ok(load(stack({ apiKeys: { WEATHER_API_KEY: "k" } })).gateways[0]!.agentConfig);
    });

    it("a plugin is enabled by name only when the platform's plugins.allow lists it", () => {
      writeFragment("plugins:\n  entries:\n    voice-call: { enabled: true }\n");
      assertRefused(stack(), "agents/acme/config.yaml: plugins.entries.voice-call: ", /does not allow \(the stack allows none\).*gateway\.config\.plugins\.allow/);
      assertRefused(stack({ gateway: { config: { plugins: { allow: ["diagnostics-otel"] } } } }), "agents/acme/config.yaml: plugins.entries.voice-call: ", /allowed: diagnostics-otel/);
      const model = load(stack({ gateway: { config: { plugins: { allow: ["voice-call"] } } } }));
      const config = buildOpenclawConfig(gatewayContexts(model)[0]!);
      assert.deepEqual(config.plugins, { allow: ["voice-call"], entries: { "voice-call": { enabled: true } } });
    });
  });

  describe("bad input", () => {
    it("a fragment that is not YAML names the file and the line", () => {
      writeFragment("agents:\n  defaults: [unclosed\n");
      assertRefused(stack(), "agents/acme/config.yaml: ", /is not valid YAML \(line \d+/);
    });
    it("a fragment that is a list, not a mapping", () => {
      writeFragment("- channels\n- agents\n");
      assertRefused(stack(), "agents/acme/config.yaml: ", /must be a YAML mapping of openclaw\.json sections/);
    });
    it("a __proto__ key anywhere in the fragment", () => {
      writeFragment("agents:\n  __proto__:\n    polluted: true\n");
      assertRefused(stack(), "agents/acme/config.yaml: agents.__proto__: ", /`__proto__` is never a setting/);
    });
    it("an agent path outside the project", () => {
      for (const path of ["../elsewhere", "/etc/openclaw", "agents/../../x"]) assertRefused(stack({ agent: { path } }), "openclaw-fleet:agent.path: ", /inside the project directory/);
    });
  });

  it("is documented in docs/agents.md as ownership.ts declares it (one source for the table)", () => {
    const page = readFileSync(join(repositoryDir, "docs/agents.md"), "utf8");
    const rows = [...page.matchAll(/^\| `([^`]+)` \| (all|[a-z, ]+) \| (.+) \|$/gm)].map(([, path, environments, why]) => ({ path, environments, why }));
    assert.deepEqual(rows, PLATFORM_OWNED_PATHS.map((entry) => ({ path: entry.path, environments: entry.environments?.join(", ") ?? "all", why: entry.why })));
    assert.ok(page.replace(/\s+/g, " ").includes(APP_OWNED_KEYS.map((key) => `\`${key}\``).join(", ")), "the app-owned sections are listed");
  });
});
