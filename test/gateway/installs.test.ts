/**
 * `gateway.installs` (docs/agents.md, "Installing at start"): pinned entries only, the init container only with the
 * option (and hardened like the others), the NetworkPolicy's mirror egress only with it, the plugins allowed by name,
 * and a stack without it rendering exactly what it rendered before.
 */
import assert from "node:assert/strict";
import { installEntries } from "../../components/config/installs.js";
import { buildGatewayManifests } from "../../components/gateway/manifests.js";
import { buildOpenclawConfig } from "../../components/gateway/openclawConfig.js";
import { buildNetworkPolicy } from "../../components/gateway/specs/networkPolicy.js";
import { assertConfigProblem, gatewayContext, model } from "../fixtures.js";

const HELLO = { id: "fleet-hello", npm: "@acme/openclaw-fleet-hello@1.4.2" };
const withInstalls = (installs: Record<string, unknown>, gateway: Record<string, unknown> = {}) => gatewayContext({ ...gateway, installs });
const stack = (installs: unknown, clusters: Record<string, unknown>[] = [{ name: "alpha" }]) => ({ tenant: "acme", environment: "dev", gateway: { installs }, clusters });
const secrets = { OPENCLAW_GATEWAY_TOKEN: "t", ANTHROPIC_API_KEY: "k" };

describe("installs: pinned plugins and skills installed at start", () => {
  describe("config", () => {
    it("takes pinned npm and ClawHub plugins and ClawHub skills, in that install order", () => {
      const fleet = model(stack({ plugins: [HELLO, { id: "discord", clawhub: "@openclaw/discord@2026.9.6" }], skills: [{ clawhub: "@owner/weather", version: "1.2.0" }] }));
      assert.deepEqual(installEntries(fleet.gateways[0]!.settings.installs), [
        { kind: "plugin", name: "fleet-hello", source: "@acme/openclaw-fleet-hello@1.4.2" },
        { kind: "plugin", name: "discord", source: "clawhub:@openclaw/discord@2026.9.6" },
        { kind: "skill", name: "weather", source: "@owner/weather@1.2.0" },
      ]);
    });
    for (const [spec, why] of [
      ["openclaw-fleet-hello", "no version"],
      ["openclaw-fleet-hello@latest", "a tag"],
      ["openclaw-fleet-hello@^1.4.0", "a range"],
      ["openclaw-fleet-hello@1.4", "a partial version"],
      ["Openclaw-Fleet@1.4.2", "upper case in the name"],
      ["openclaw fleet@1.4.2", "a space in the name"],
      ["git+https://example.invalid/x.git", "not a registry spec"],
    ] as const) {
      it(`refuses an npm spec with ${why} (${spec}), naming the entry`, () => {
        assertConfigProblem(stack({ plugins: [{ id: "fleet-hello", npm: spec }] }), "openclaw-fleet:gateway.installs.plugins[0].npm", /pinned to one exact version/);
      });
    }
    it("refuses a ClawHub plugin or skill without an exact version", () => {
      assertConfigProblem(stack({ plugins: [{ id: "discord", clawhub: "@openclaw/discord" }] }), "openclaw-fleet:gateway.installs.plugins[0].clawhub", /exact version/);
      assertConfigProblem(stack({ skills: [{ clawhub: "@owner/weather", version: "latest" }] }), "openclaw-fleet:gateway.installs.skills[0].version", /one exact version/);
      assertConfigProblem(stack({ skills: [{ clawhub: "weather", version: "1.0.0" }] }), "openclaw-fleet:gateway.installs.skills[0].clawhub", /@owner\/weather/);
    });
    it("refuses a plugin with no source or two, a bad id, a duplicate, an empty list", () => {
      assertConfigProblem(stack({ plugins: [{ id: "fleet-hello" }] }), "openclaw-fleet:gateway.installs.plugins[0]", /exactly one source/);
      assertConfigProblem(stack({ plugins: [{ ...HELLO, clawhub: "@openclaw/discord@2026.9.6" }] }), "openclaw-fleet:gateway.installs.plugins[0]", /exactly one source/);
      assertConfigProblem(stack({ plugins: [{ ...HELLO, id: "../escape" }] }), "openclaw-fleet:gateway.installs.plugins[0].id", /plugin's id/);
      assertConfigProblem(stack({ plugins: [HELLO, { ...HELLO, npm: "other@1.0.0" }] }), "openclaw-fleet:gateway.installs.plugins[1]", /installs fleet-hello again \(entry 0/);
      assertConfigProblem(stack({}), "openclaw-fleet:gateway.installs", /at least one plugin or skill/);
    });
    it("refuses a registry that is no http(s) URL and a command the CLI cannot be derived from", () => {
      assertConfigProblem(stack({ plugins: [HELLO], npmRegistry: "ftp://mirror" }), "openclaw-fleet:gateway.installs.npmRegistry", /http\(s\) URL/);
      assertConfigProblem(
        { tenant: "acme", environment: "dev", gateway: { installs: { plugins: [HELLO] }, command: ["openclaw-gateway"] }, clusters: [{ name: "alpha" }] },
        "openclaw-fleet:gateway.command",
        /must end with "gateway run" when installs is on/,
      );
    });
    it("a cluster's overrides replace the stack's list on that cluster", () => {
      const fleet = model(stack({ plugins: [HELLO] }, [{ name: "alpha" }, { name: "beta", overrides: { installs: { plugins: [{ id: "other", npm: "other@2.0.0" }] } } }]));
      assert.deepEqual(fleet.gateways.map((gateway) => installEntries(gateway.settings.installs).map((entry) => entry.name)), [["fleet-hello"], ["other"]]);
    });
  });

  describe("init container", () => {
    const m = buildGatewayManifests(withInstalls({ plugins: [HELLO], skills: [{ clawhub: "@owner/weather", version: "1.2.0" }], npmRegistry: "https://npm.mirror.internal/" }), secrets);
    const pod = m.deployment.spec!.template.spec!;
    const container = pod.initContainers!.find((each) => each.name === "installs")!;

    it("runs after the config copy and before the agent's files, hardened like the others", () => {
      assert.deepEqual(
        pod.initContainers!.map((each) => each.name),
        ["prepare-state", "copy-config", "installs"],
      );
      assert.deepEqual(container.securityContext, pod.initContainers![0]!.securityContext);
      assert.equal(container.securityContext!.readOnlyRootFilesystem, true);
      assert.equal(container.securityContext!.runAsNonRoot, true);
      assert.deepEqual(container.securityContext!.capabilities, { drop: ["ALL"] });
      assert.ok(container.resources!.limits!["ephemeral-storage"], "no ephemeral-storage limit");
      assert.deepEqual(container.resources, pod.containers.find((each) => each.name === "gateway")!.resources, "the OpenClaw CLI gets the gateway's resources");
    });
    it("gets the list, the mirror, the state and a writable /tmp, and no Secret", () => {
      const env = Object.fromEntries(container.env!.map((variable) => [variable.name, variable.value]));
      assert.equal(env.OPENCLAW_FLEET_INSTALLS, "plugin fleet-hello @acme/openclaw-fleet-hello@1.4.2\nskill weather @owner/weather@1.2.0");
      assert.equal(env.npm_config_registry, "https://npm.mirror.internal/");
      assert.equal(env.OPENCLAW_STATE_DIR, "/home/node/.openclaw");
      assert.equal(container.envFrom, undefined);
      assert.deepEqual(container.volumeMounts!.map((mount) => mount.mountPath).sort(), ["/home/node/.openclaw", "/tmp"]);
      assert.match(container.command!.join(" "), /'node' '\/app\/dist\/index\.js' plugins install --force --accept-capabilities/);
    });
    it("is absent without installs, and the stack's objects are the same as before the option existed", () => {
      const without = buildGatewayManifests(gatewayContext(), secrets);
      assert.ok(!without.deployment.spec!.template.spec!.initContainers!.some((each) => each.name === "installs"));
      // The same gateway with installs differs only in that container and the allow list: nothing else moves.
      const withoutInit = { ...m.deployment.spec!.template.spec!, initContainers: pod.initContainers!.filter((each) => each.name !== "installs") };
      assert.deepEqual(withoutInit, without.deployment.spec!.template.spec);
    });
  });

  describe("openclaw.json and the NetworkPolicy", () => {
    it("adds the installed plugins to the platform's plugins.allow, and leaves an absent allow list absent", () => {
      const allowed = buildOpenclawConfig(withInstalls({ plugins: [HELLO] }, { config: { plugins: { allow: ["memory-core"] } } })) as { plugins: { allow: string[] } };
      assert.deepEqual(allowed.plugins.allow, ["memory-core", "fleet-hello"]);
      const open = buildOpenclawConfig(withInstalls({ plugins: [HELLO] })) as { plugins?: unknown };
      assert.equal(open.plugins, undefined, "an allow list of only the installed plugins would block the bundled ones");
    });
    it("allows egress to a private mirror only with installs on", () => {
      const mirror = [{ cidrs: ["10.20.0.0/16"], ports: [{ port: 8443 }] }];
      const on = buildNetworkPolicy(withInstalls({ plugins: [HELLO], egress: mirror }))!;
      assert.deepEqual(on.spec!.egress!.at(-1), { to: [{ ipBlock: { cidr: "10.20.0.0/16" } }], ports: [{ port: 8443, protocol: "TCP" }] });
      const off = buildNetworkPolicy(gatewayContext())!;
      assert.ok(!JSON.stringify(off.spec!.egress).includes("10.20.0.0/16"));
      assert.equal(on.spec!.egress!.length, off.spec!.egress!.length + 1);
    });
  });
});
