import assert from "node:assert/strict";
import { buildObjects } from "../../components/gateway/objects.js";
import { gatewayContexts } from "../../components/render/renderFleet.js";
import { configProblems as problems, model } from "../fixtures.js";

const base = { tenant: "acme", environment: "dev", clusters: [{ name: "alpha" }] };
const objectsOf = (config: Record<string, unknown>) => buildObjects(gatewayContexts(model(config))[0]!, { secretValues: { OPENCLAW_GATEWAY_TOKEN: "t" }, podChecksum: "x" });


describe("Kubernetes access for the app team (access)", () => {
  it("adds no Role or RoleBinding to a stack without access", () => {
    const objects = objectsOf(base);
    assert.equal(objects.appTeamRole, undefined);
    assert.equal(objects.appTeamBinding, undefined);
    assert.equal(objects.platformBinding, undefined);
  });

  it("gives the app team read, logs and port-forward in the tenant namespace, never Secrets, exec only when asked", () => {
    const objects = objectsOf({ ...base, access: { appTeam: { groups: ["acme-app"] } } });
    const role = objects.appTeamRole!;
    assert.equal(role.metadata!.namespace, "openclaw-acme");
    const allows = (resource: string, verb: string) => role.rules!.some((rule) => rule.resources!.includes(resource) && rule.verbs.includes(verb));
    assert.ok(allows("pods", "list") && allows("pods/log", "get") && allows("pods/portforward", "create") && allows("deployments", "watch"));
    assert.ok(!role.rules!.some((rule) => rule.resources!.includes("secrets") || rule.resources!.includes("*") || rule.verbs.includes("*")));
    assert.ok(!allows("pods/exec", "create"));
    assert.deepEqual(objects.appTeamBinding!.subjects, [{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "acme-app" }]);
    assert.deepEqual(objects.appTeamBinding!.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata!.name });
    assert.equal(objects.platformBinding, undefined);

    const withExec = objectsOf({ ...base, access: { appTeam: { groups: ["acme-app"], exec: true } } }).appTeamRole!;
    assert.ok(withExec.rules!.some((rule) => rule.resources!.includes("pods/exec") && rule.verbs.includes("create")));
  });

  it("binds the platform's groups to the admin ClusterRole in the namespace", () => {
    const binding = objectsOf({ ...base, access: { platform: { groups: ["platform-sre", "oncall"] } } }).platformBinding!;
    assert.equal(binding.metadata!.namespace, "openclaw-acme");
    assert.deepEqual(binding.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "admin" });
    assert.deepEqual(binding.subjects!.map((subject) => subject.name), ["platform-sre", "oncall"]);
  });

  it("takes a cluster's own access in place of the stack's", () => {
    const fleet = model({ tenant: "acme", environment: "dev", access: { appTeam: { groups: ["acme-app"] } }, clusters: [{ name: "alpha" }, { name: "beta", access: { platform: { groups: ["beta-sre"] } } }] });
    const [alpha, beta] = gatewayContexts(fleet).map((context) => buildObjects(context, { secretValues: { OPENCLAW_GATEWAY_TOKEN: "t" }, podChecksum: "x" }));
    assert.deepEqual(alpha!.appTeamBinding!.subjects!.map((subject) => subject.name), ["acme-app"]);
    assert.equal(alpha!.platformBinding, undefined);
    assert.equal(beta!.appTeamRole, undefined);
    assert.deepEqual(beta!.platformBinding!.subjects!.map((subject) => subject.name), ["beta-sre"]);
    const found = problems({ ...base, clusters: [{ name: "alpha", access: { appTeam: { groups: [] } } }] });
    assert.ok(found.some((line) => line.startsWith("openclaw-fleet:clusters[0].access.appTeam.groups: ") && /at least one group/.test(line)), found.join("\n"));
  });

  describe("bad input names the config path", () => {
    const cases: [string, unknown, string, RegExp][] = [
      ["an empty group name", { appTeam: { groups: [""] } }, "openclaw-fleet:access.appTeam.groups[0]", /non-empty group name/],
      ["no group", { platform: { groups: [] } }, "openclaw-fleet:access.platform.groups", /at least one group/],
      ["groups as a string", { appTeam: { groups: "acme-app" } }, "openclaw-fleet:access.appTeam.groups", /list of group names/],
      ["an unknown key", { appTeam: { groups: ["a"], secrets: true } }, "openclaw-fleet:access.appTeam.secrets", /not a known key; allowed keys: groups, exec/],
      ["exec as a string", { appTeam: { groups: ["a"], exec: "yes" } }, "openclaw-fleet:access.appTeam.exec", /true or false/],
      ["an unknown team", { developers: { groups: ["a"] } }, "openclaw-fleet:access.developers", /allowed keys: appTeam, platform/],
    ];
    for (const [name, access, path, message] of cases) {
      it(name, () => {
        const found = problems({ ...base, access });
        assert.ok(found.some((line) => line.startsWith(`${path}: `) && message.test(line)), found.join("\n"));
      });
    }
  });
});
