import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { imagePin } from "../../components/config/imageReference.js";
import { renderStack } from "../../components/render/renderStack.js";
import { readStackFile } from "../../components/render/stackFile.js";
import { isPinnedImage, noLoadBalancerServices, policies, POLICY_PACK_NAME } from "../../policy/policies.js";
import { runProgram } from "../mocks.js";
import { analyzeAll, analyzeResource, analyzeStackResources, fromManifest, fromRegistered, type AnalyzedResource, type Violation } from "./policyHarness.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const STACKS = ["dev", "prod"];

/** Each cluster's rendered manifests (the offline renderer: the same builders `pulumi up` applies). */
async function renderedResources(stack: string): Promise<AnalyzedResource[]> {
  const rendered = await renderStack(root, stack);
  return rendered.clusters.flatMap((cluster) => cluster.manifests.map((manifest) => fromManifest(manifest as any, cluster.cluster)));
}

const summary = (violations: Violation[]) => violations.map((v) => `${v.policy}: ${v.message}`);

describe("policy pack", function () {
  this.timeout(60_000);

  it("is a mandatory pack with a valid name, and every policy is mandatory", () => {
    assert.match(POLICY_PACK_NAME, /^[a-zA-Z0-9-_.]{1,100}$/);
    assert.equal(policies.length, 12);
    for (const policy of policies) assert.equal(policy.enforcementLevel, "mandatory", policy.name);
    assert.equal(new Set(policies.map((p) => p.name)).size, policies.length);
    const manifest = parse(readFileSync(join(root, "policy/PulumiPolicy.yaml"), "utf8"));
    assert.equal(manifest.runtime, "nodejs");
    const pkg = JSON.parse(readFileSync(join(root, "policy/package.json"), "utf8"));
    assert.equal(pkg.main, "index.ts");
    assert.match(pkg.version, /^\d+\.\d+\.\d+$/, "PolicyPack refuses a package.json without a version");
  });

  it("judges images pinned exactly as the program's config contract does", () => {
    const images = [
      "ghcr.io/openclaw/openclaw:2026.9.6-slim",
      "ghcr.io/openclaw/openclaw:2026.9.6",
      "ghcr.io/openclaw/openclaw:2026.2.26-beta.1-browser",
      `ghcr.io/openclaw/openclaw@sha256:${"a".repeat(64)}`,
      `ghcr.io/openclaw/openclaw:latest@sha256:${"b".repeat(64)}`,
      "ghcr.io/openclaw/openclaw:latest",
      "ghcr.io/openclaw/openclaw:slim",
      "ghcr.io/openclaw/openclaw:main",
      "ghcr.io/openclaw/openclaw",
      "registry.local:5000/openclaw",
      "ghcr.io/openclaw/openclaw:extended-stable",
    ];
    for (const image of images) assert.equal(isPinnedImage(image), imagePin(image) !== "moving", image);
  });

  for (const stack of STACKS) {
    describe(`on the ${stack} stack's own output`, () => {
      it("passes every policy on the rendered manifests of every cluster", async () => {
        const resources = await renderedResources(stack);
        assert.ok(resources.some((r) => r.type === "kubernetes:apps/v1:Deployment"));
        // Rendered manifests carry no resource options; state protection is checked on the registered resources below.
        const rendered = resources.map((r) => ({ ...r, protect: true }));
        assert.deepEqual(summary(await analyzeAll(rendered)), []);
      });

      it("passes every policy on the resources the program registers, with their real options and providers", async () => {
        const { raw } = readStackFile(join(root, `Pulumi.${stack}.yaml`));
        const { resources } = await runProgram(raw);
        const analyzed = resources.filter((r) => r.custom && r.type.startsWith("kubernetes:")).map(fromRegistered);
        assert.ok(analyzed.length >= 20);
        assert.ok(analyzed.every((r) => r.provider), "every object names its cluster's provider");
        assert.deepEqual(summary(await analyzeAll(analyzed)), []);
        // Not vacuous: the policies see the registered pod spec, so one weakened container fails.
        const deployment = structuredClone(analyzed.find((r) => r.type === "kubernetes:apps/v1:Deployment")!);
        (deployment.props as any).spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false;
        assert.deepEqual((await analyzeResource(deployment)).map((v) => v.policy), ["read-only-root-filesystem"]);
      });
    });
  }

  describe("catches each violation with a clear message", () => {
    let prod: AnalyzedResource[];
    let dev: AnalyzedResource[];
    before(async () => {
      prod = (await renderedResources("prod")).map((r) => ({ ...r, protect: true }));
      dev = await renderedResources("dev");
    });
    const pick = (resources: AnalyzedResource[], kind: string, cluster?: string) =>
      structuredClone(resources.find((r) => r.type.endsWith(`:${kind}`) && (!cluster || r.name.startsWith(`${cluster}-`)))!);
    const pod = (deployment: AnalyzedResource) => (deployment.props as any).spec.template.spec;
    const gateway = (deployment: AnalyzedResource) => pod(deployment).containers[0];
    const init = (deployment: AnalyzedResource, name = "copy-config") => pod(deployment).initContainers.find((c: { name: string }) => c.name === name);

    async function expectOnly(resource: AnalyzedResource, policy: string, message: RegExp) {
      const violations = await analyzeResource(resource);
      assert.deepEqual([...new Set(violations.map((v) => v.policy))], [policy], summary(violations).join("\n"));
      assert.ok(violations.every((v) => v.enforcementLevel === "mandatory"));
      assert.ok(violations.some((v) => message.test(v.message)), summary(violations).join("\n"));
    }

    const cases: [string, string, RegExp, (deployment: AnalyzedResource) => void][] = [
      ["a pod that may run as root", "gateway-runs-as-non-root", /Deployment openclaw-acme\/openclaw-acme: container "gateway" does not set runAsNonRoot/, (d) => {
        delete pod(d).securityContext.runAsNonRoot;
        delete gateway(d).securityContext.runAsNonRoot;
      }],
      ["a container running as UID 0", "gateway-runs-as-non-root", /init container "copy-config" runs as UID 0/, (d) => {
        init(d).securityContext.runAsUser = 0;
      }],
      ["a backup container running as UID 0", "gateway-runs-as-non-root", /init container "backup-before-upgrade" runs as UID 0/, (d) => {
        init(d, "backup-before-upgrade").securityContext.runAsUser = 0;
      }],
      ["a backup container with a writable root filesystem", "read-only-root-filesystem", /init container "backup-before-upgrade" does not set securityContext.readOnlyRootFilesystem: true/, (d) => {
        init(d, "backup-before-upgrade").securityContext.readOnlyRootFilesystem = false;
      }],
      ["a writable root filesystem", "read-only-root-filesystem", /container "gateway" does not set securityContext.readOnlyRootFilesystem: true/, (d) => {
        gateway(d).securityContext.readOnlyRootFilesystem = false;
      }],
      ["capabilities kept", "drop-all-capabilities", /init container "copy-config" does not drop ALL capabilities/, (d) => {
        init(d).securityContext.capabilities.drop = [];
      }],
      ["a capability added", "drop-all-capabilities", /container "gateway" adds capabilities NET_ADMIN/, (d) => {
        gateway(d).securityContext.capabilities.add = ["NET_ADMIN"];
      }],
      ["privilege escalation allowed", "drop-all-capabilities", /container "gateway" does not set allowPrivilegeEscalation: false/, (d) => {
        delete gateway(d).securityContext.allowPrivilegeEscalation;
      }],
      ["no seccomp profile", "seccomp-runtime-default", /container "gateway" has seccomp profile unset/, (d) => {
        delete pod(d).securityContext.seccompProfile;
        delete gateway(d).securityContext.seccompProfile;
      }],
      ["an Unconfined seccomp profile", "seccomp-runtime-default", /has seccomp profile Unconfined/, (d) => {
        gateway(d).securityContext.seccompProfile = { type: "Unconfined" };
      }],
      ["no memory limit", "resource-limits", /container "gateway" has no resources.limits.memory/, (d) => {
        delete gateway(d).resources.limits.memory;
      }],
      ["no liveness probe", "probes-present", /container "gateway" has no livenessProbe/, (d) => {
        delete gateway(d).livenessProbe;
      }],
      ["a moving image tag in prod", "pinned-images-in-prod", /container "gateway" uses "ghcr.io\/openclaw\/openclaw:latest", a moving tag/, (d) => {
        gateway(d).image = "ghcr.io/openclaw/openclaw:latest";
      }],
    ];
    for (const [what, policy, message, mutate] of cases) {
      it(`${what} (${policy})`, async () => {
        const deployment = pick(prod, "Deployment", "eu-west");
        mutate(deployment);
        await expectOnly(deployment, policy, message);
      });
    }

    it("allows a moving tag outside prod (pinned-images-in-prod)", async () => {
      const deployment = pick(dev, "Deployment");
      gateway(deployment).image = "ghcr.io/openclaw/openclaw:latest";
      assert.deepEqual(summary(await analyzeResource(deployment)), []);
    });

    it("checks every workload kind, not only Deployments", async () => {
      const spec = structuredClone(pod(pick(prod, "Deployment")));
      delete spec.containers[0].securityContext.readOnlyRootFilesystem;
      const cronJob = fromManifest({ apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "backup", namespace: "openclaw-acme" }, spec: { schedule: "@daily", jobTemplate: { spec: { template: { spec } } } } } as any, "eu-west");
      const violations = await analyzeResource(cronJob);
      assert.deepEqual(summary(violations), [
        `read-only-root-filesystem: ${policies.find((p) => p.name === "read-only-root-filesystem")!.description}\nCronJob openclaw-acme/backup: container "gateway" does not set securityContext.readOnlyRootFilesystem: true`,
      ]);
    });

    it("a ConfigMap whose openclaw.json lost a platform-owned setting or carries a plaintext credential (gateway-config-platform-owned)", async () => {
      const configMap = pick(dev, "ConfigMap");
      const config = JSON.parse((configMap.props as any).data["openclaw.json"]);
      config.gateway.bind = "loopback";
      config.channels = { telegram: { botToken: "123456:plaintext" } };
      (configMap.props as any).data["openclaw.json"] = JSON.stringify(config);
      const violations = summary(await analyzeResource(configMap)).join("\n");
      assert.match(violations, /gateway-config-platform-owned: .*\nConfigMap openclaw-acme\/openclaw-acme-config openclaw.json: gateway.bind is "loopback"; the platform owns it and sets "lan"/);
      assert.match(violations, /channels.telegram.botToken holds a plaintext credential/);
      assert.ok(!violations.includes("123456:plaintext"), "the value is in the message");
    });

    it("an app team Role that reaches Secrets or grants by wildcard (app-team-role-without-secrets)", async () => {
      const role = pick(dev, "Role");
      (role.props as any).rules.push({ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }, { apiGroups: ["*"], resources: ["pods"], verbs: ["*"] });
      const violations = summary(await analyzeResource(role)).join("\n");
      assert.match(violations, /Role openclaw-acme\/openclaw-acme-app-team: rules\[\d+\] grants access to secrets/);
      assert.match(violations, /rules\[\d+\]\.apiGroups has a wildcard/);
      assert.match(violations, /rules\[\d+\]\.verbs has a wildcard/);
    });

    it("a LoadBalancer Service (no-load-balancer-services)", async () => {
      const service = pick(prod, "Service");
      (service.props as any).spec.type = "LoadBalancer";
      await expectOnly(service, "no-load-balancer-services", /Service openclaw-acme\/openclaw-acme is of type LoadBalancer; namespace openclaw-acme is not in allowedNamespaces \(none\)/);
    });

    it("lets the policy config allow LoadBalancers in a listed namespace", () => {
      const reported: string[] = [];
      const validate = noLoadBalancerServices.validateResource as (args: any, report: (m: string) => void) => void;
      const service = (namespace: string) => ({ type: "kubernetes:core/v1:Service", props: { metadata: { name: "edge", namespace }, spec: { type: "LoadBalancer" } }, getConfig: () => ({ allowedNamespaces: ["edge"] }) });
      validate(service("edge"), (m) => reported.push(m));
      assert.equal(reported.length, 0);
      validate(service("openclaw-acme"), (m) => reported.push(m));
      assert.equal(reported.length, 1);
    });

    it("an unprotected prod state volume (gateway-state-not-deleted)", async () => {
      const claim = { ...pick(prod, "PersistentVolumeClaim"), protect: false };
      await expectOnly(claim, "gateway-state-not-deleted", /PersistentVolumeClaim openclaw-acme\/openclaw-acme-state is prod state and must be protected/);
    });

    it("an unprotected prod backup volume (gateway-state-not-deleted)", async () => {
      const backup = prod.find((r) => r.type.endsWith(":PersistentVolumeClaim") && (r.props as any).metadata.name === "openclaw-acme-backup")!;
      await expectOnly({ ...structuredClone(backup), protect: false }, "gateway-state-not-deleted", /PersistentVolumeClaim openclaw-acme\/openclaw-acme-backup is prod state and must be protected/);
    });

    it("an unprotected prod Namespace, whose deletion deletes its claims (gateway-state-not-deleted)", async () => {
      const namespace = { ...pick(prod, "Namespace"), protect: false };
      await expectOnly(namespace, "gateway-state-not-deleted", /Namespace openclaw-acme is prod state and must be protected/);
    });

    it("a state volume replaced delete-first, in any environment (gateway-state-not-deleted)", async () => {
      const claim = { ...pick(dev, "PersistentVolumeClaim"), deleteBeforeReplace: true };
      await expectOnly(claim, "gateway-state-not-deleted", /replaced delete-first \(deleteBeforeReplace\)/);
    });

    it("a gateway namespace without a NetworkPolicy on one cluster (network-policy-per-gateway-namespace)", async () => {
      // Both clusters use the namespace openclaw-acme: the other cluster's policy must not count.
      const withoutUsEast = prod.filter((r) => !(r.type.endsWith(":NetworkPolicy") && r.name.startsWith("us-east-")));
      const violations = await analyzeStackResources(withoutUsEast);
      assert.deepEqual(summary(violations).map((line) => line.split("\n")[1]), [
        "Deployment openclaw-acme/openclaw-acme on us-east-kubernetes runs in a namespace without a NetworkPolicy covering Ingress and Egress",
      ]);
      assert.equal(violations[0]!.urn, withoutUsEast.find((r) => r.type.endsWith(":Deployment") && r.name.startsWith("us-east-"))!.urn);
    });

    it("a NetworkPolicy that leaves egress open (network-policy-per-gateway-namespace)", async () => {
      const resources = structuredClone(prod);
      for (const policy of resources.filter((r) => r.type.endsWith(":NetworkPolicy"))) (policy.props as any).spec.policyTypes = ["Ingress"];
      const violations = await analyzeStackResources(resources);
      assert.deepEqual(violations.map((v) => v.policy), ["network-policy-per-gateway-namespace", "network-policy-per-gateway-namespace"]);
    });
  });
});
