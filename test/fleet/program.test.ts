import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { CHECKSUM_ANNOTATION } from "../../components/gateway/specs/deployment.js";
import { fleetProgram } from "../../components/program.js";
import { baseConfig, fakeToken, installMocks, ofType, one, resolve, runProgram, setStackConfig, type RegisteredResource } from "../mocks.js";
import { PROVIDER_SWITCHES_FLIPPED } from "../fixtures.js";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const CLAIM = "kubernetes:core/v1:PersistentVolumeClaim";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const SECRET = "kubernetes:core/v1:Secret";
const TOKEN = "random:index/randomPassword:RandomPassword";
const PROVIDER = "pulumi:providers:kubernetes";

/** The URNs a resource's `aliases` name (each alias spec resolved the way the engine resolves it). */
function aliasUrns(resource: RegisteredResource): string[] {
  return resource.aliases.map(({ urn, spec }) => {
    if (urn) return urn;
    const parent = spec!.noparent ? "" : spec!.parenturn || resource.parent;
    const parentTypes = parent ? `${parent.split("::")[2]}$` : "";
    return `urn:pulumi:${spec!.stack || "test"}::${spec!.project || "openclaw-fleet"}::${parentTypes}${spec!.type || resource.type}::${spec!.name}`;
  });
}

function byName(resources: RegisteredResource[], type: string, name: string): RegisteredResource {
  const match = resources.find((r) => r.type === type && r.name === name);
  assert.ok(match, `no ${type} named ${name}`);
  return match;
}

/** Custom resources by name -> inputs, for comparing two runs. */
const inputsByName = (resources: RegisteredResource[]) =>
  Object.fromEntries(resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).map((r) => [r.name, JSON.stringify(r.inputs)]));

function changedBetween(before: RegisteredResource[], after: RegisteredResource[]): string[] {
  const a = inputsByName(before);
  const b = inputsByName(after);
  return Object.keys({ ...a, ...b }).filter((name) => a[name] !== b[name]).sort();
}

describe("fleet program", () => {
  describe("multi-cluster", () => {
    it("creates two explicit Kubernetes providers per cluster, both with the cluster's stable identifier", async () => {
      const { resources } = await runProgram(baseConfig());
      const providers = ofType(resources, PROVIDER);
      assert.deepEqual(providers.map((p) => p.name).sort(), ["alpha-kubernetes", "alpha-kubernetes-retained", "beta-kubernetes", "beta-kubernetes-retained"]);
      for (const name of ["alpha-kubernetes", "alpha-kubernetes-retained"]) {
        const alpha = providers.find((p) => p.name === name)!;
        assert.equal(alpha.inputs.clusterIdentifier, "alpha");
        assert.equal(alpha.inputs.context, "ctx-alpha");
        assert.equal(alpha.inputs.enableServerSideApply, "true");
        // ConfigMap and Secret updated in place, not deleted and recreated on every change.
        assert.equal(alpha.inputs.enableConfigMapMutable, "true");
        assert.equal(alpha.inputs.enableSecretMutable, "true");
      }
      // Only the provider of the retained objects adopts an object that is already there.
      assert.equal(providers.find((p) => p.name === "alpha-kubernetes")!.inputs.upsertExistingObjects, "false");
      assert.equal(providers.find((p) => p.name === "alpha-kubernetes-retained")!.inputs.upsertExistingObjects, "true");
    });
    it("deploys every Kubernetes object through its own cluster's provider, never a default one; only the retained ones through the adopting one", async () => {
      const { resources } = await runProgram(baseConfig());
      const objects = resources.filter((r) => r.type.startsWith("kubernetes:"));
      assert.ok(objects.length >= 20);
      const retainedTypes = ["kubernetes:core/v1:Namespace", "kubernetes:core/v1:PersistentVolumeClaim"];
      for (const object of objects) {
        const cluster = object.name.split("-")[0];
        const provider = retainedTypes.includes(object.type) ? `${cluster}-kubernetes-retained` : `${cluster}-kubernetes`;
        assert.match(object.provider, new RegExp(`::${provider}::`), `${object.name} uses ${object.provider}`);
        if (retainedTypes.includes(object.type)) assert.equal(object.retainOnDelete, true, `${object.name} is adopted on redeploy, so it must never be deleted`);
      }
    });
    it("labels the adopted objects with the owning stack and its project-qualified owner and names their field manager after the stack, and nothing else", async () => {
      const { resources } = await runProgram(baseConfig());
      for (const object of resources.filter((r) => r.type.startsWith("kubernetes:"))) {
        const metadata = object.inputs.metadata as { labels?: Record<string, string>; annotations?: Record<string, string> };
        const retained = object.type.endsWith(":Namespace") || object.type.endsWith(":PersistentVolumeClaim");
        // The bare stack label keeps its value (existing stacks apply it unchanged); the owner adds the project (the
        // mocks' DIY-like organization tells no owner apart and is left out).
        assert.equal(metadata.labels?.["openclaw.ai/stack"], retained ? "test" : undefined, object.name);
        assert.equal(metadata.labels?.["openclaw.ai/owner"], retained ? "openclaw-fleet.test" : undefined, object.name);
        // Another stack's server-side apply then fails with a conflict naming this stack's manager.
        // This project's stacks keep the manager they were deployed with (renaming it is a conflict: naming.ts).
        assert.equal(metadata.annotations?.["pulumi.com/patchFieldManager"], retained ? "openclaw-fleet-stack-test" : undefined, object.name);
      }
    });
    it("decommissioning a cluster keeps only its providers, with deleteUnreachable, and the rest of the fleet as it was", async () => {
      const before = (await runProgram(baseConfig())).resources;
      assert.ok(ofType(before, PROVIDER).every((provider) => provider.inputs.deleteUnreachable === "false"), "a provider keeps an unreachable cluster's objects in the state unless decommissioned");
      const config = baseConfig();
      const [alpha, beta] = config.clusters as object[];
      config.clusters = [alpha, { ...beta, decommission: true }];
      const { resources, outputs } = await runProgram(config);
      for (const provider of ofType(resources, PROVIDER)) assert.equal(provider.inputs.deleteUnreachable, provider.name.startsWith("beta-") ? "true" : "false", provider.name);
      assert.deepEqual(resources.filter((r) => r.name.startsWith("beta-") && r.type !== PROVIDER), [], "a gateway object is still declared on the decommissioned cluster");
      assert.deepEqual(changedBetween(before.filter((r) => r.name.startsWith("alpha-")), resources.filter((r) => r.name.startsWith("alpha-"))), []);
      assert.deepEqual(Object.keys(await resolve(outputs.gateways!)), ["alpha"]);
    });
    it("computes the same provider inputs whatever PULUMI_K8S_* variables the shell running it has set", async () => {
      const providerInputs = async () => Object.fromEntries(ofType((await runProgram(baseConfig())).resources, PROVIDER).map((p) => [p.name, p.inputs]));
      const clean = await providerInputs();
      // Every provider switch the SDK would take from the environment, set the other way round; patch force too.
      const ambient: Record<string, string> = { ...PROVIDER_SWITCHES_FLIPPED, PULUMI_K8S_ENABLE_PATCH_FORCE: "true" };
      const saved = Object.fromEntries(Object.keys(ambient).map((name) => [name, process.env[name]]));
      Object.assign(process.env, ambient);
      let withAmbient: Record<string, Record<string, unknown>>;
      try {
        withAmbient = await providerInputs();
      } finally {
        for (const [name, value] of Object.entries(saved)) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      }
      // enablePatchForce is the one switch left to the environment: the documented one-off that moves a tenant.
      const withoutPatchForce = (all: Record<string, Record<string, unknown>>) =>
        Object.fromEntries(Object.entries(all).map(([name, inputs]) => [name, { ...inputs, enablePatchForce: undefined }]));
      assert.deepEqual(withoutPatchForce(withAmbient), withoutPatchForce(clean));
      assert.ok(Object.values(withAmbient).every((inputs) => inputs.enablePatchForce === "true"), "the variable reached the provider: the test can see the environment");
      for (const inputs of Object.values(clean)) {
        assert.equal(inputs.deleteUnreachable, "false");
        assert.equal(inputs.skipUpdateUnreachable, "false");
      }
    });
    it("prefixes every child name with its cluster so URNs stay unique", async () => {
      const { resources } = await runProgram(baseConfig());
      const names = resources.filter((r) => r.type.startsWith("kubernetes:")).map((r) => r.name);
      assert.equal(new Set(names).size, names.length);
      assert.ok(names.every((name) => name.startsWith("alpha-") || name.startsWith("beta-")));
    });
    it("wraps each cluster's objects in an openclaw:fleet:Gateway component named after the cluster", async () => {
      const { resources } = await runProgram(baseConfig());
      const components = ofType(resources, "openclaw:fleet:Gateway");
      assert.deepEqual(components.map((c) => c.name).sort(), ["alpha", "beta"]);
      const deployment = one(resources, DEPLOYMENT, "alpha");
      assert.equal(deployment.parent, components.find((c) => c.name === "alpha")!.urn);
    });
    it("keeps every URN a stack deployed before the component was renamed, or aliases it (no replace, no delete)", async () => {
      const { resources } = await runProgram(baseConfig());
      // The URNs the program registered until components were named after their cluster: `<cluster>-gateway` components.
      const component = (cluster: string) => `urn:pulumi:test::openclaw-fleet::openclaw:fleet:Gateway::${cluster}-gateway`;
      for (const resource of resources.filter((r) => r.type !== "pulumi:pulumi:Stack")) {
        const known = [resource.urn, ...aliasUrns(resource)];
        const before = resource.type === "openclaw:fleet:Gateway" ? component(resource.name) : resource.urn;
        assert.ok(known.includes(before), `${resource.urn} neither is nor aliases ${before}`);
      }
    });
    it("passes an inline kubeconfig from the secret config to that cluster's provider only", async () => {
      const { resources } = await runProgram(baseConfig({ kubeconfigs: { beta: "apiVersion: v1\nkind: Config\n" } }));
      for (const beta of ofType(resources, PROVIDER, "beta")) assert.ok(beta.inputs.kubeconfig !== undefined, beta.name);
      // A cluster without a kubeconfig of its own takes the shell's $KUBECONFIG (the SDK's default), never another's.
      for (const alpha of ofType(resources, PROVIDER, "alpha")) assert.equal(alpha.inputs.kubeconfig, process.env.KUBECONFIG, alpha.name);
    });
  });

  describe("waves", () => {
    it("makes every object of wave 1 depend on the Deployments of wave 0", async () => {
      const { resources } = await runProgram(baseConfig());
      const canary = one(resources, DEPLOYMENT, "alpha");
      const wave1 = resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && r.name.startsWith("beta-"));
      for (const resource of wave1) assert.ok(resource.dependencies.includes(canary.urn), `${resource.name} does not wait for the canary`);
    });
    it("does not make the canary wave wait for anything", async () => {
      const { resources } = await runProgram(baseConfig());
      const betaDeployment = one(resources, DEPLOYMENT, "beta");
      for (const resource of resources.filter((r) => r.name.startsWith("alpha-"))) {
        assert.ok(!resource.dependencies.includes(betaDeployment.urn), resource.name);
      }
    });
    it("orders three waves cumulatively and leaves clusters of one wave independent", async () => {
      const { resources } = await runProgram(
        baseConfig({ clusters: [{ name: "a", wave: 0 }, { name: "b", wave: 2 }, { name: "c", wave: 1 }, { name: "d", wave: 1 }] }),
      );
      const urn = (cluster: string) => one(resources, DEPLOYMENT, cluster).urn;
      assert.deepEqual(one(resources, DEPLOYMENT, "b").dependencies.filter((d) => d.includes("Deployment")).sort(), [urn("a"), urn("c"), urn("d")].sort());
      assert.ok(!one(resources, DEPLOYMENT, "c").dependencies.includes(urn("d")));
    });
  });

  describe("token rotation", () => {
    it("changes the token, the Secret and the pod checksum, and nothing else", async () => {
      const before = await runProgram(baseConfig());
      const after = await runProgram(baseConfig({ gateway: { tokenRotation: "2026-11" } }));
      assert.deepEqual(changedBetween(before.resources, after.resources), [
        "alpha-deployment", "alpha-env", "alpha-gateway-token", "beta-deployment", "beta-env", "beta-gateway-token",
      ]);
      const annotation = (run: typeof before) => one(run.resources, DEPLOYMENT, "alpha").inputs.spec.template.metadata.annotations[CHECKSUM_ANNOTATION];
      assert.notEqual(annotation(before), annotation(after));
      assert.deepEqual(one(before.resources, CLAIM, "alpha").inputs, one(after.resources, CLAIM, "alpha").inputs);
    });
    it("keeps the configured pod annotations beside the checksum on the registered Deployment", async () => {
      const { resources } = await runProgram(baseConfig({ gateway: { pod: { annotations: { "example.com/team": "chat" } } } }));
      const annotations = one(resources, DEPLOYMENT, "alpha").inputs.spec.template.metadata.annotations;
      assert.equal(annotations["example.com/team"], "chat");
      assert.ok(annotations[CHECKSUM_ANNOTATION]);
    });
    it("keys the token on tokenRotation", async () => {
      const { resources } = await runProgram(baseConfig({ clusters: [{ name: "alpha", overrides: { tokenRotation: "r2" } }] }));
      assert.deepEqual(one(resources, TOKEN, "alpha").inputs.keepers, { tokenRotation: "r2" });
    });
  });

  describe("config change", () => {
    const checksum = (run: Awaited<ReturnType<typeof runProgram>>) =>
      one(run.resources, DEPLOYMENT, "alpha").inputs.spec.template.metadata.annotations[CHECKSUM_ANNOTATION];
    const withModel = (configMode: string, model: string) => baseConfig({ gateway: { configMode, config: { agents: { defaults: { model } } } } });
    it("rolls the pod in overwrite mode", async () => {
      assert.notEqual(checksum(await runProgram(withModel("overwrite", "a/one"))), checksum(await runProgram(withModel("overwrite", "a/two"))));
    });
    it("does not roll the pod in seed mode, where the kept file would not change anyway", async () => {
      assert.equal(checksum(await runProgram(withModel("seed", "a/one"))), checksum(await runProgram(withModel("seed", "a/two"))));
    });
  });

  describe("image change", () => {
    it("touches only the Deployments", async () => {
      const before = await runProgram(baseConfig());
      const after = await runProgram(baseConfig({ gateway: { image: "ghcr.io/openclaw/openclaw:2026.9.7-slim" } }));
      assert.deepEqual(changedBetween(before.resources, after.resources), ["alpha-deployment", "beta-deployment"]);
    });
  });

  describe("a renamed cluster (clusters[].renamedFrom)", () => {
    it("aliases every resource of the cluster from its old name and keeps the providers' cluster identity", async () => {
      const before = await runProgram(baseConfig());
      const renamed = baseConfig();
      (renamed.clusters as Record<string, unknown>[])[0] = { name: "gamma", context: "ctx-alpha", region: "eu-west-1", renamedFrom: "alpha" };
      const after = await runProgram(renamed);
      const urnsBefore = before.resources.filter((r) => r.name.startsWith("alpha")).map((r) => r.urn);
      const knownAfter = new Set(after.resources.flatMap((r) => [r.urn, ...aliasUrns(r)]));
      assert.ok(urnsBefore.length >= 15);
      for (const urn of urnsBefore) assert.ok(knownAfter.has(urn), `${urn} is neither registered nor aliased after the rename`);
      for (const provider of ofType(after.resources, PROVIDER, "gamma")) assert.equal(provider.inputs.clusterIdentifier, "alpha", provider.name);
      assert.deepEqual(Object.keys(after.gateways).sort(), ["beta", "gamma"]);
    });
  });

  describe("protection of tenant state", () => {
    it("keeps the claim and the Namespace on delete in every environment", async () => {
      const { resources } = await runProgram(baseConfig());
      for (const type of [CLAIM, NAMESPACE]) {
        const resource = one(resources, type, "alpha");
        assert.equal(resource.retainOnDelete, true, type);
        assert.equal(resource.protect, false, type);
      }
      assert.equal(one(resources, DEPLOYMENT, "alpha").retainOnDelete, false);
    });
    it("retainState false (throwaway stacks): destroy deletes the Namespace and claims; nothing else changes", async () => {
      const retained = await runProgram(baseConfig());
      const { resources } = await runProgram(baseConfig({ retainState: false }));
      for (const type of [CLAIM, NAMESPACE]) {
        const resource = one(resources, type, "alpha");
        assert.equal(resource.retainOnDelete, false, type);
        assert.equal(resource.protect, false, type);
      }
      assert.deepEqual(changedBetween(retained.resources, resources), []);
    });
    it("never lets a spec change replace the claim (the provider would delete it first)", async () => {
      const { resources } = await runProgram(baseConfig());
      assert.deepEqual(one(resources, CLAIM, "alpha").ignoreChanges, ["spec"]);
    });
    it("protects the claim and the Namespace in prod", async () => {
      const { resources } = await runProgram(baseConfig({ environment: "prod" }));
      for (const type of [CLAIM, NAMESPACE]) assert.equal(byName(resources, type, type === CLAIM ? "alpha-state" : "alpha-namespace").protect, true, type);
      assert.equal(one(resources, DEPLOYMENT, "alpha").protect, false);
    });
    it("creates a backup claim in prod, protected, kept on delete and create-only like the state claim", async () => {
      const { resources, gateways } = await runProgram(baseConfig({ environment: "prod" }));
      const backup = byName(resources, CLAIM, "alpha-backup");
      assert.equal(backup.inputs.metadata.name, "openclaw-acme-backup");
      assert.equal(backup.protect, true);
      assert.equal(backup.retainOnDelete, true);
      assert.deepEqual(backup.ignoreChanges, ["spec"]);
      // The Deployment waits for both claims it mounts.
      const deployment = one(resources, DEPLOYMENT, "alpha");
      for (const claim of ofType(resources, CLAIM, "alpha")) assert.ok(deployment.dependencies.includes(claim.urn), claim.name);
      assert.equal(gateways.alpha!.backupClaim, "openclaw-acme-backup");
      assert.equal(gateways.alpha!.restoreArchive, null);
    });
    it("keeps a backup claim switched on in dev on delete, unprotected, and reports the restore archive", async () => {
      const archive = "20261124T152040Z-openclaw-2026.9.5.tar.gz";
      const { resources, gateways } = await runProgram(baseConfig({ gateway: { backup: { enabled: true } }, clusters: [{ name: "alpha", overrides: { restore: { archive } } }] }));
      const backup = byName(resources, CLAIM, "alpha-backup");
      assert.equal(backup.retainOnDelete, true);
      assert.equal(backup.protect, false);
      assert.equal(gateways.alpha!.restoreArchive, archive);
    });
    it("creates no backup claim in dev by default", async () => {
      const { resources, gateways } = await runProgram(baseConfig());
      assert.deepEqual(ofType(resources, CLAIM, "alpha").map((r) => r.name), ["alpha-state"]);
      assert.equal(gateways.alpha!.backupClaim, null);
    });
  });

  describe("secrets", () => {
    it("exports the tokens as a secret output", async () => {
      const { outputs } = await runProgram(baseConfig());
      assert.equal(await pulumi.isSecret(outputs.gatewayTokens), true);
      assert.deepEqual(await resolve(outputs.gatewayTokens), { alpha: fakeToken("alpha-gateway-token", { tokenRotation: "" }), beta: fakeToken("beta-gateway-token", { tokenRotation: "" }) });
    });
    it("never puts a token or API key in the plain outputs", async () => {
      const { gateways, fleet } = await runProgram(baseConfig({ apiKeys: { ANTHROPIC_API_KEY: "sk-ant-very-secret" } }));
      const plain = JSON.stringify({ gateways, fleet });
      assert.doesNotMatch(plain, /tok-|sk-ant/);
    });
    it("puts the API keys and token in the Secret, and nowhere else", async () => {
      const { resources } = await runProgram(baseConfig({ apiKeys: { ANTHROPIC_API_KEY: "sk-ant-very-secret" } }));
      const secret = one(resources, SECRET, "alpha");
      assert.match(JSON.stringify(secret.inputs), /sk-ant-very-secret/);
      const leaks = resources.filter((r) => r.type !== SECRET && r.type !== TOKEN && /sk-ant|tok-/.test(JSON.stringify(r.inputs)));
      assert.deepEqual(leaks.map((r) => r.name), []);
    });
    it("marks the Secret's data as secret", async () => {
      const { resources } = await runProgram(baseConfig({ apiKeys: { ANTHROPIC_API_KEY: "sk-ant-very-secret" } }));
      // A secret input is serialized with Pulumi's secret signature.
      assert.match(JSON.stringify(one(resources, SECRET, "alpha").inputs.stringData), /1b47061264138c4ac30d75fd1eb44270/);
    });
  });

  describe("outputs", () => {
    it("reports each gateway with its URLs and rollout", async () => {
      const { gateways } = await runProgram(baseConfig({ gateway: { ingress: { enabled: true } }, clusters: [{ name: "alpha", region: "eu", host: "claw.example.com" }] }));
      assert.deepEqual(Object.keys(gateways), ["alpha"]);
      const alpha = gateways.alpha!;
      assert.equal(alpha.region, "eu");
      assert.equal(alpha.wave, 0);
      assert.equal(alpha.namespace, "openclaw-acme");
      assert.equal(alpha.serviceUrl, "http://openclaw-acme.openclaw-acme.svc.cluster.local:18789");
      assert.equal(alpha.url, "https://claw.example.com");
      assert.match(alpha.configHash, /^[a-f0-9]{64}$/);
      assert.equal(alpha.rollout.status, "complete");
    });
    it("derives the rollout and the fleet summary from the live Deployment status", async () => {
      const { gateways, fleet } = await runProgram(baseConfig(), {
        deploymentStatus: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }] },
      });
      assert.equal(gateways.alpha!.rollout.status, "failed");
      assert.deepEqual(fleet, { tenant: "acme", environment: "dev", ring: 1, clusters: ["alpha", "beta"], waves: [0, 1], complete: false });
    });
  });

  describe("bad config", () => {
    it("refuses a secret set under gateway, which would land in the ConfigMap in plain text", async () => {
      await assert.rejects(
        () => runProgram(baseConfig({ gateway: { config: { channels: { telegram: { botToken: "123:secret" } } } } }), { secretKeys: ["gateway"] }),
        (error: Error) => /openclaw-fleet:gateway: holds a secret value/.test(error.message) && !error.message.includes("123:secret"),
      );
    });
    it("registers nothing and names the problem", async () => {
      const registered = await installMocks();
      setStackConfig(baseConfig({ clusters: [{ name: "alpha", wave: -1 }] }));
      assert.throws(() => fleetProgram(), (error: Error) => {
        assert.ok(error instanceof pulumi.RunError);
        assert.match(error.message, /openclaw-fleet:clusters\[0\]\.wave: must be 0 or greater/);
        return true;
      });
      await new Promise((done) => setTimeout(done, 50));
      assert.deepEqual(registered, []);
    });
  });
});
