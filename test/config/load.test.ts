import assert from "node:assert/strict";
import { GATEWAY_DEFAULTS } from "../../components/config/defaults.js";
import { ConfigError } from "../../components/config/errors.js";
import { loadFleetConfig } from "../../components/config/load.js";
import { DEFAULT_IMAGE } from "../../components/config/versions.js";
import { assertConfigProblem as assertProblem, configProblems as problems, model, raw } from "../fixtures.js";

const valid = {
  tenant: "acme",
  environment: "dev",
  clusters: [{ name: "alpha" }, { name: "beta", wave: 1 }],
};

describe("stack config", () => {
  describe("defaults", () => {
    it("fills every gateway setting from the hardened defaults", () => {
      const fleet = model(valid);
      assert.deepEqual(fleet.gateways[0]!.settings, GATEWAY_DEFAULTS);
      assert.equal(fleet.gateways[0]!.settings.image, DEFAULT_IMAGE);
    });
    it("puts each tenant in its own namespace unless a cluster names one", () => {
      const fleet = model({ ...valid, clusters: [{ name: "alpha" }, { name: "beta", namespace: "gateways" }] });
      assert.deepEqual(fleet.gateways.map((g) => g.namespace), ["openclaw-acme", "gateways"]);
    });
    it("defaults waves to 0", () => {
      assert.equal(model({ ...valid, clusters: [{ name: "alpha" }] }).gateways[0]!.wave, 0);
    });
    it("deploys no gateway to a cluster being decommissioned, and refuses to decommission every cluster", () => {
      const fleet = model({ ...valid, clusters: [{ name: "alpha" }, { name: "beta", decommission: true }] });
      assert.deepEqual(fleet.gateways.map((g) => g.cluster), ["alpha"]);
      assert.deepEqual(fleet.decommissioned.map((g) => [g.cluster, g.decommission]), [["beta", true]]);
      assertProblem({ ...valid, clusters: [{ name: "alpha", decommission: true }] }, "openclaw-fleet:clusters", /decommissions every cluster.*pulumi destroy/);
    });
    it("puts a stack in ring 1, after the canaries, unless it names its ring", () => {
      assert.equal(model(valid).ring, 1);
      assert.equal(model({ ...valid, ring: 0 }).ring, 0);
      assert.equal(model({ ...valid, ring: 3 }).ring, 3);
    });
  });

  describe("backup and restore", () => {
    it("turns backups on in prod and off in dev and staging, with 5 archives of a 10Gi claim", () => {
      const backupIn = (environment: string) => model({ ...valid, environment }).gateways[0]!.settings.backup;
      assert.deepEqual(backupIn("prod"), { enabled: true, size: "10Gi", keep: 5 });
      assert.equal(backupIn("dev").enabled, false);
      assert.equal(backupIn("staging").enabled, false);
    });
    it("lets a cluster override backups and name an archive to restore", () => {
      const fleet = model({ ...valid, environment: "prod", clusters: [{ name: "alpha", overrides: { backup: { keep: 2, size: "50Gi" }, restore: { archive: "20261124T152040Z-openclaw-2026.9.5.tar.gz" } } }, { name: "beta", overrides: { backup: { enabled: false } } }] });
      const [alpha, beta] = fleet.gateways;
      assert.deepEqual(alpha!.settings.backup, { enabled: true, size: "50Gi", keep: 2 });
      assert.deepEqual(alpha!.settings.restore, { archive: "20261124T152040Z-openclaw-2026.9.5.tar.gz" });
      assert.equal(beta!.settings.backup.enabled, false);
    });
    it("refuses keep below 1 or not a whole number", () => {
      assertProblem({ ...valid, gateway: { backup: { keep: 0 } } }, "openclaw-fleet:gateway.backup.keep", /must be 1 or more/);
      assertProblem({ ...valid, gateway: { backup: { keep: 1.5 } } }, "openclaw-fleet:gateway.backup.keep", /whole number/);
    });
    it("refuses an archive name that is a path or hidden", () => {
      for (const archive of ["../state.tar.gz", "dir/a.tar.gz", ".hidden.tar.gz", ""]) {
        assertProblem({ ...valid, gateway: { backup: { enabled: true } }, clusters: [{ name: "alpha", overrides: { restore: { archive } } }] }, "openclaw-fleet:clusters[0].overrides.restore.archive", /must be a file name on the backup volume/);
      }
    });
    it("takes a rollback's beforeUpgrade, and a cluster's restore replaces the stack's instead of merging into it", () => {
      const image = "ghcr.io/openclaw/openclaw:2026.9.7";
      const fleet = model({ ...valid, environment: "prod", gateway: { restore: { archive: "a.tar.gz" } }, clusters: [{ name: "alpha", overrides: { restore: { beforeUpgrade: image } } }, { name: "beta" }] });
      assert.deepEqual(fleet.gateways.map((g) => g.settings.restore), [{ beforeUpgrade: image }, { archive: "a.tar.gz" }]);
    });
    it("refuses a restore that sets both or neither of archive and beforeUpgrade, or an image that is not a reference", () => {
      const both = { restore: { archive: "a.tar.gz", beforeUpgrade: "ghcr.io/openclaw/openclaw:2026.9.7" } };
      assertProblem({ ...valid, environment: "prod", gateway: both }, "openclaw-fleet:gateway.restore", /must set exactly one of archive .* or beforeUpgrade/);
      assertProblem({ ...valid, environment: "prod", clusters: [{ name: "alpha", overrides: { restore: {} } }] }, "openclaw-fleet:clusters[0].overrides.restore", /must set exactly one of archive/);
      assertProblem({ ...valid, environment: "prod", gateway: { restore: { beforeUpgrade: "x; rm -rf /" } } }, "openclaw-fleet:gateway.restore.beforeUpgrade", /must be the image reference of the release whose upgrade to undo/);
    });
    it("refuses restore without backups, which hold the archive", () => {
      assertProblem({ ...valid, clusters: [{ name: "alpha", overrides: { restore: { archive: "a.tar.gz" } } }] }, "openclaw-fleet:clusters[0].overrides.restore", /needs gateway.backup.enabled: true/);
    });
    it("refuses backups with a command the CLI cannot be derived from", () => {
      assertProblem({ ...valid, environment: "prod", gateway: { command: ["/entrypoint.sh"] } }, "openclaw-fleet:gateway.command", /must end with "gateway run" when backup or restore is on/);
      assert.doesNotThrow(() => model({ ...valid, gateway: { command: ["/entrypoint.sh"] } }));
    });
  });

  describe("merging", () => {
    it("deep-merges stack gateway settings and cluster overrides over the defaults", () => {
      const fleet = model({
        ...valid,
        gateway: { resources: { limits: { memory: "4Gi" } }, env: { A: "1" } },
        clusters: [{ name: "alpha", overrides: { resources: { requests: { cpu: "500m" } }, env: { B: "2" } } }, { name: "beta" }],
      });
      const [alpha, beta] = fleet.gateways;
      assert.deepEqual(alpha!.settings.resources, { requests: { cpu: "500m", memory: "1088Mi", "ephemeral-storage": "256Mi" }, limits: { cpu: "1", memory: "4Gi", "ephemeral-storage": "1Gi" } });
      assert.deepEqual(alpha!.settings.env, { A: "1", B: "2" });
      assert.deepEqual(beta!.settings.resources.requests, { cpu: "250m", memory: "1088Mi", "ephemeral-storage": "256Mi" });
    });
    it("replaces lists instead of appending to them", () => {
      const fleet = model({ ...valid, gateway: { networkPolicy: { ingressFromNamespaces: ["traefik"] } } });
      assert.deepEqual(fleet.gateways[0]!.settings.networkPolicy.ingressFromNamespaces, ["traefik"]);
    });
    it("keeps only API key names in the model, never their values", () => {
      const fleet = model({ ...valid, apiKeys: { OPENAI_API_KEY: "sk-secret-1", ANTHROPIC_API_KEY: "sk-secret-2" } });
      assert.deepEqual(fleet.apiKeyNames, ["ANTHROPIC_API_KEY", "OPENAI_API_KEY"]);
      assert.doesNotMatch(JSON.stringify(fleet), /sk-secret/);
    });
  });

  describe("throwaway stacks and renamed clusters", () => {
    it("retains the Namespace and claims unless retainState is false, and refuses false in prod", () => {
      assert.equal(loadFleetConfig(raw(valid)).retainState, true);
      assert.equal(loadFleetConfig(raw({ ...valid, retainState: false })).retainState, false);
      assertProblem({ ...valid, environment: "prod", retainState: false }, "openclaw-fleet:retainState", /must be true in prod/);
      assertProblem({ ...valid, retainState: "no" }, "openclaw-fleet:retainState", /must be true or false/);
    });
    it("takes a cluster's former name as renamedFrom, a name no other cluster of the stack has", () => {
      const renamed = loadFleetConfig(raw({ ...valid, clusters: [{ name: "gamma", renamedFrom: "alpha" }, { name: "beta" }] }));
      assert.equal(renamed.gateways[0]!.renamedFrom, "alpha");
      assert.equal(renamed.gateways[1]!.renamedFrom, undefined);
      assertProblem({ ...valid, clusters: [{ name: "alpha", renamedFrom: "beta" }, { name: "beta" }] }, "openclaw-fleet:clusters[0].renamedFrom", /another cluster of this stack/);
      assertProblem({ ...valid, clusters: [{ name: "alpha", renamedFrom: "alpha" }] }, "openclaw-fleet:clusters[0].renamedFrom", /own name/);
      assertProblem({ ...valid, clusters: [{ name: "a", renamedFrom: "old" }, { name: "b", renamedFrom: "old" }] }, "openclaw-fleet:clusters[1].renamedFrom", /duplicates clusters\[0\]/);
      assertProblem({ ...valid, clusters: [{ name: "a", renamedFrom: "Old_Name" }] }, "openclaw-fleet:clusters[0].renamedFrom", /./);
    });
  });

  describe("bad input", () => {
    it("rejects a misspelt top-level key and lists the allowed ones", () => {
      assertProblem({ ...valid, clusteres: [] }, "openclaw-fleet:clusteres", /not a known key; allowed keys: tenant, environment, ring, fleet, gateway, clusters, apiKeys, kubeconfigs/);
    });
    it("rejects a misspelt gateway key, in the stack or in an override", () => {
      assertProblem({ ...valid, gateway: { imgae: "x" } }, "openclaw-fleet:gateway.imgae", /not a known key; allowed keys: image, /);
      assertProblem({ ...valid, clusters: [{ name: "alpha", overrides: { storage: { sise: "1Gi" } } }] }, "openclaw-fleet:clusters[0].overrides.storage.sise", /not a known key; allowed keys: size, storageClassName, existingClaim/);
    });
    it("requires tenant, environment and at least one cluster", () => {
      assertProblem({ environment: "dev", clusters: [{ name: "a" }] }, "openclaw-fleet:tenant", /expected string/);
      assertProblem({ tenant: "acme", environment: "qa", clusters: [{ name: "a" }] }, "openclaw-fleet:environment", /"dev"\|"staging"\|"prod"/);
      assertProblem({ tenant: "acme", environment: "dev", clusters: [] }, "openclaw-fleet:clusters", /at least one cluster/);
    });
    it("rejects a tenant that is not a short DNS label", () => {
      assertProblem({ ...valid, tenant: "Acme_Corp" }, "openclaw-fleet:tenant", /DNS-1123 label/);
      assertProblem({ ...valid, tenant: "a".repeat(31) }, "openclaw-fleet:tenant", /at most 30 characters/);
    });
    it("rejects non-DNS and duplicate cluster names", () => {
      assertProblem({ ...valid, clusters: [{ name: "EU_West" }] }, "openclaw-fleet:clusters[0].name", /DNS-1123 label/);
      assertProblem({ ...valid, clusters: [{ name: "alpha" }, { name: "alpha" }] }, "openclaw-fleet:clusters[1].name", /duplicates clusters\[0\]\.name "alpha"/);
    });
    it("rejects invalid quantities with the allowed forms", () => {
      assertProblem({ ...valid, gateway: { resources: { limits: { memory: "2GB" } } } }, "openclaw-fleet:gateway.resources.limits.memory", /Kubernetes quantity such as .*2Gi \(not 2GB\)/);
      assertProblem({ ...valid, clusters: [{ name: "alpha", overrides: { storage: { size: "ten" } } }] }, "openclaw-fleet:clusters[0].overrides.storage.size", /Kubernetes quantity/);
    });
    it("rejects negative and fractional waves", () => {
      assertProblem({ ...valid, clusters: [{ name: "alpha", wave: -1 }] }, "openclaw-fleet:clusters[0].wave", /0 or greater/);
      assertProblem({ ...valid, clusters: [{ name: "alpha", wave: 1.5 }] }, "openclaw-fleet:clusters[0].wave", /whole number/);
      assertProblem({ ...valid, clusters: [{ name: "alpha", decommission: "yes" }] }, "openclaw-fleet:clusters[0].decommission", /true or false/);
    });
    it("rejects a ring that is negative, fractional or not a number, saying what is allowed", () => {
      assertProblem({ ...valid, ring: -1 }, "openclaw-fleet:ring", /0 or greater \(0 for canary tenants\)/);
      assertProblem({ ...valid, ring: 1.5 }, "openclaw-fleet:ring", /whole number/);
      // Pulumi hands `ring: first` over as the bare string: it is reported as a wrong type, not as bad YAML.
      assertProblem({ ...valid, ring: "first" }, "openclaw-fleet:ring", /whole number/);
    });
    it("requires a host where ingress is enabled", () => {
      assertProblem({ ...valid, gateway: { ingress: { enabled: true } } }, "openclaw-fleet:clusters[0].host", /required when ingress is enabled/);
      assertProblem({ ...valid, clusters: [{ name: "alpha", host: "a.example.com", overrides: { ingress: { enabled: true } } }, { name: "beta", overrides: { ingress: { enabled: true } } }] }, "openclaw-fleet:clusters[1].host", /required/);
    });
    it("rejects lowercase, malformed and reserved API key names", () => {
      assertProblem({ ...valid, apiKeys: { anthropic_api_key: "x" } }, "openclaw-fleet:apiKeys.anthropic_api_key", /\^\[A-Z\]\[A-Z0-9_\]\*\$/);
      assertProblem({ ...valid, apiKeys: { "OPENAI-KEY": "x" } }, "openclaw-fleet:apiKeys.OPENAI-KEY", /environment variable name/);
      assertProblem({ ...valid, apiKeys: { OPENCLAW_GATEWAY_TOKEN: "x" } }, "openclaw-fleet:apiKeys.OPENCLAW_GATEWAY_TOKEN", /set by the program/);
      // Through envFrom it would move the port away from the Service and the probes.
      assertProblem({ ...valid, apiKeys: { OPENCLAW_GATEWAY_PORT: "1" } }, "openclaw-fleet:apiKeys.OPENCLAW_GATEWAY_PORT", /reserved names/);
    });
    it("rejects env vars the program owns", () => {
      assertProblem({ ...valid, gateway: { env: { NODE_OPTIONS: "--inspect" } } }, "openclaw-fleet:gateway.env.NODE_OPTIONS", /reserved names: .*NODE_OPTIONS/);
    });
    it("rejects kubeconfigs for a cluster the stack does not have", () => {
      assertProblem({ ...valid, kubeconfigs: { gamma: "apiVersion: v1" } }, "openclaw-fleet:kubeconfigs.gamma", /names no cluster of this stack; clusters: alpha, beta/);
    });
    it("rejects a moving image tag in prod but allows it in dev", () => {
      const latest = { gateway: { image: "ghcr.io/openclaw/openclaw:latest" } };
      assertProblem({ ...valid, environment: "prod", ...latest }, "openclaw-fleet:gateway.image", /moving tag; prod requires a version tag .* or a digest/);
      assertProblem({ ...valid, environment: "prod", clusters: [{ name: "alpha", overrides: { image: "ghcr.io/openclaw/openclaw:main-slim" } }] }, "openclaw-fleet:clusters[0].overrides.image", /moving tag/);
      assert.equal(model({ ...valid, ...latest }).gateways[0]!.settings.image, "ghcr.io/openclaw/openclaw:latest");
    });
    it("rejects a progress deadline inside the startup budget", () => {
      assertProblem({ ...valid, gateway: { progressDeadlineSeconds: 120 } }, "openclaw-fleet:gateway.progressDeadlineSeconds", /greater than the startup probe's budget \(300 s\)/);
      const fast = { progressDeadlineSeconds: 30, probes: { startup: { periodSeconds: 5, failureThreshold: 2 } } };
      assert.equal(model({ ...valid, clusters: [{ name: "alpha", overrides: fast }] }).gateways[0]!.settings.progressDeadlineSeconds, 30);
    });
    it("refuses a user config that overrides what the program owns in openclaw.json", () => {
      assertProblem({ ...valid, gateway: { config: { gateway: { port: 9000 } } } }, "openclaw-fleet:gateway.config.gateway.port", /set by the program \(the Service and probes target 18789\)/);
      assertProblem({ ...valid, clusters: [{ name: "alpha", overrides: { config: { gateway: { auth: { mode: "none" } } } } }] }, "openclaw-fleet:clusters[0].overrides.config.gateway.auth", /generated token/);
      assertProblem({ ...valid, gateway: { config: { gateway: { bind: "0.0.0.0" } } } }, "openclaw-fleet:gateway.config.gateway.bind", /set by the program/);
      const allowed = model({ ...valid, gateway: { config: { gateway: { trustedProxies: ["10.0.0.0/8"] }, agents: {} } } });
      assert.deepEqual((allowed.gateways[0]!.settings.config.gateway as { trustedProxies: string[] }).trustedProxies, ["10.0.0.0/8"]);
    });
    it("refuses plaintext apiKeys and kubeconfigs entry by entry, with the command that stores each encrypted", () => {
      const config = raw({ ...valid, apiKeys: { OPENAI_API_KEY: "sk-live-forgot-secret" }, kubeconfigs: { alpha: "apiVersion: v1 # token: kube-secret" } });
      const error = (() => {
        try {
          loadFleetConfig(config, { stack: "prod" });
        } catch (caught) {
          return caught as ConfigError;
        }
        return assert.fail("plaintext secrets were accepted");
      })();
      const found = error.problems.map((p) => `${p.path}: ${p.message}`);
      assert.equal(found.length, 2, found.join("\n"));
      assert.match(found[0]!, /^openclaw-fleet:apiKeys\.OPENAI_API_KEY: is plaintext in the stack config; .*pulumi config set --secret --path 'apiKeys\.OPENAI_API_KEY' <value> --stack prod$/);
      assert.match(found[1]!, /^openclaw-fleet:kubeconfigs\.alpha: is plaintext .*pulumi config set --secret --path 'kubeconfigs\.alpha' "\$\(cat alpha\.kubeconfig\)" --stack prod$/);
      assert.doesNotMatch(error.message, /sk-live|kube-secret/);
      // The same values marked secret, as `--secret` stores them, are accepted.
      assert.deepEqual(loadFleetConfig(config, { secretKeys: ["apiKeys", "kubeconfigs"] }).apiKeyNames, ["OPENAI_API_KEY"]);
    });
    it("refuses a plaintext key that is not an object as a whole, naming the per-entry command", () => {
      const found = (() => {
        try {
          loadFleetConfig({ ...raw(valid), apiKeys: "[]" });
        } catch (error) {
          return (error as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
        }
        return [];
      })();
      assert.ok(found.some((line) => /^openclaw-fleet:apiKeys: is plaintext .*--path 'apiKeys\.<NAME>' <value>, once per entry$/.test(line)), found.join("\n"));
    });
    it("accepts an empty apiKeys or kubeconfigs object, which removing the last entry leaves in the stack file", () => {
      const fleet = loadFleetConfig({ ...raw(valid), apiKeys: "{}", kubeconfigs: "{}" });
      assert.deepEqual(fleet.apiKeyNames, []);
    });
    it("refuses a plaintext entry beside a secret one, which the engine marks secret as a whole", () => {
      const config = raw({ ...valid, apiKeys: { OPENAI_API_KEY: "plain", ANTHROPIC_API_KEY: "encrypted" } });
      assert.throws(
        () => loadFleetConfig(config, { secretKeys: ["apiKeys"], plaintextEntries: [["apiKeys", "OPENAI_API_KEY"]] }),
        (error: ConfigError) => error.problems.length === 1 && error.problems[0]!.path === "openclaw-fleet:apiKeys.OPENAI_API_KEY",
      );
      assert.deepEqual(loadFleetConfig(config, { secretKeys: ["apiKeys"], plaintextEntries: [] }).apiKeyNames, ["ANTHROPIC_API_KEY", "OPENAI_API_KEY"]);
    });
    it("refuses in prod a memory limit the gateway cannot live in, naming the setting, the measured figures and the least it needs", () => {
      const prod = { ...valid, environment: "prod", gateway: { image: "ghcr.io/openclaw/openclaw:2026.9.6-slim" } };
      // 768Mi: less than the memory recorded outside the heap alone.
      assertProblem(
        { ...prod, clusters: [{ name: "alpha", overrides: { resources: { requests: { memory: "768Mi" }, limits: { memory: "768Mi" } } } }, { name: "beta" }] },
        "openclaw-fleet:clusters[0].overrides.resources.limits.memory",
        /^.*768Mi is less than the 1984Mi OpenClaw 2026\.9\.6 needs: 1088 MiB recorded outside its heap and 128 MiB for load, and a heap of at least 768 MiB .*Set at least 1984Mi/,
      );
      assert.equal(model({ ...prod, gateway: { ...prod.gateway, resources: { limits: { memory: "1984Mi" } } } }).warnings.length, 0);
    });
    it("warns outside prod about a memory limit or request below what the gateway uses, and deploys it", () => {
      const tight = model({ ...valid, gateway: { resources: { requests: { memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } } } });
      assert.deepEqual(
        tight.warnings.map((warning) => warning.path),
        ["openclaw-fleet:gateway.resources.limits.memory", "openclaw-fleet:gateway.resources.requests.memory"],
      );
      assert.match(tight.warnings[1]!.message, /256Mi is less than the 1088 MiB recorded for an idle OpenClaw 2026\.9\.6 gateway.*request at least 1088Mi/);
      assert.equal(tight.gateways.length, 2);
    });
    it("refuses in prod a CPU limit under which the gateway cannot start within its startup probe's budget", () => {
      const prod = { ...valid, environment: "prod", gateway: { image: "ghcr.io/openclaw/openclaw:2026.9.6-slim" } };
      // 24 s of CPU at 50m is 480 s, more than the default 300 s budget (and the init container's limit must fit under it).
      const slow = { resources: { requests: { cpu: "50m" }, limits: { cpu: "50m" } }, initContainerResources: { requests: { cpu: "10m" }, limits: { cpu: "50m" } } };
      assertProblem({ ...prod, gateway: { ...prod.gateway, ...slow } }, "openclaw-fleet:gateway.resources.limits.cpu", /50m lets the gateway start in no less than 480 s .*more than the startup probe's 300 s/);
      const dev = model({ ...valid, gateway: slow });
      assert.deepEqual(dev.warnings.map((warning) => warning.path), ["openclaw-fleet:gateway.resources.limits.cpu"]);
    });
    it("raises no sizing warning for the defaults", () => {
      assert.deepEqual(model(valid).warnings, []);
      assert.deepEqual(model({ ...valid, environment: "prod", gateway: { image: "ghcr.io/openclaw/openclaw:2026.9.6-slim" } }).warnings, []);
    });
    it("refuses secrets anywhere but apiKeys and kubeconfigs, pointing at the env-reference pattern", () => {
      const found = (() => {
        try {
          loadFleetConfig(raw({ ...valid, gateway: { config: { channels: {} } }, apiKeys: { A_KEY: "x" } }), { secretKeys: ["gateway", "apiKeys"] });
        } catch (error) {
          return (error as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
        }
        return [];
      })();
      assert.equal(found.length, 1, found.join("\n"));
      assert.match(found[0]!, /^openclaw-fleet:gateway: holds a secret value, .*apiKeys\.TELEGRAM_BOT_TOKEN.*"\$\{TELEGRAM_BOT_TOKEN\}"/);
    });
    it("refuses requests above limits and limits below the init container's", () => {
      assertProblem({ ...valid, gateway: { resources: { limits: { memory: "256Mi" } } } }, "openclaw-fleet:gateway.resources.requests.memory", /1088Mi is more than the limit 256Mi/);
      assertProblem({ ...valid, clusters: [{ name: "alpha", overrides: { resources: { requests: { cpu: "50m" }, limits: { cpu: "50m" } } } }] }, "openclaw-fleet:clusters[0].overrides.resources.limits.cpu", /at least 100m, the init container's limit/);
    });
    it("refuses an ephemeral-storage limit /tmp and the stdout log cannot fit in, naming the log size that drives it", () => {
      assertProblem({ ...valid, gateway: { resources: { requests: { "ephemeral-storage": "128Mi" }, limits: { "ephemeral-storage": "256Mi" } } } }, 'openclaw-fleet:gateway.resources.limits.ephemeral-storage', /must be at least 512Mi: .*logging\.maxFileBytes \(32Mi\)/);
      assertProblem({ ...valid, gateway: { config: { logging: { maxFileBytes: 104857600 } } } }, 'openclaw-fleet:gateway.resources.limits.ephemeral-storage', /must be at least 1328Mi: .*\(100Mi\)/);
      const small = { config: { logging: { maxFileBytes: 8388608 } }, resources: { requests: { "ephemeral-storage": "128Mi" }, limits: { "ephemeral-storage": "256Mi" } } };
      assert.equal(model({ ...valid, gateway: small }).gateways[0]!.settings.resources.limits["ephemeral-storage"], "256Mi");
    });
    it("refuses init container resources above their limits or above the gateway's", () => {
      assertProblem({ ...valid, gateway: { initContainerResources: { requests: { "ephemeral-storage": "128Mi" } } } }, 'openclaw-fleet:gateway.initContainerResources.requests.ephemeral-storage', /128Mi is more than the limit 64Mi/);
      assertProblem({ ...valid, clusters: [{ name: "alpha", overrides: { initContainerResources: { limits: { "ephemeral-storage": "2Gi" } } } }] }, 'openclaw-fleet:gateway.resources.limits.ephemeral-storage', /at least 2Gi, the init container's limit/);
    });
    it("defaults the grace period to OpenClaw's own stop policy plus a margin, and refuses less in prod only", () => {
      assert.equal(model(valid).gateways[0]!.settings.terminationGracePeriodSeconds, 340);
      const prod = { ...valid, environment: "prod" };
      assertProblem({ ...prod, gateway: { terminationGracePeriodSeconds: 60 } }, "openclaw-fleet:gateway.terminationGracePeriodSeconds", /must be at least 340 in prod: .*up to 315 s .*330 s stop policy .*SIGKILL it mid-drain/);
      assertProblem({ ...prod, clusters: [{ name: "alpha", overrides: { terminationGracePeriodSeconds: 339 } }] }, "openclaw-fleet:clusters[0].overrides.terminationGracePeriodSeconds", /at least 340/);
      assert.equal(model({ ...valid, gateway: { terminationGracePeriodSeconds: 30 } }).gateways[0]!.settings.terminationGracePeriodSeconds, 30);
      assert.equal(model({ ...valid, gateway: { terminationGracePeriodSeconds: 600 } }).gateways[0]!.settings.terminationGracePeriodSeconds, 600);
    });
    it("refuses zero and negative quantities", () => {
      assertProblem({ ...valid, gateway: { storage: { size: "0" } } }, "openclaw-fleet:gateway.storage.size", /greater than zero/);
      assertProblem({ ...valid, gateway: { resources: { requests: { cpu: "-1" } } } }, "openclaw-fleet:gateway.resources.requests.cpu", /greater than zero/);
    });
    it("refuses a plain env var that would hide an API key", () => {
      assertProblem({ ...valid, apiKeys: { OPENAI_API_KEY: "s" }, gateway: { env: { OPENAI_API_KEY: "plain" } } }, "openclaw-fleet:gateway.env.OPENAI_API_KEY", /also an apiKeys name/);
    });
    it("refuses a config.gateway that is not an object", () => {
      assertProblem({ ...valid, gateway: { config: { gateway: "x" } } }, "openclaw-fleet:gateway.config.gateway", /must be an object/);
    });
    it("refuses a DNS selector that is not a label, and a DNS address that is not a CIDR", () => {
      assertProblem({ ...valid, gateway: { networkPolicy: { dns: { podLabels: { "k8s app": "x" } } } } }, 'openclaw-fleet:gateway.networkPolicy.dns.podLabels["k8s app"]', /name of 1 to 63 characters/);
      assertProblem({ ...valid, clusters: [{ name: "alpha", overrides: { networkPolicy: { dns: { cidrs: ["169.254.20.10"] } } } }] }, "openclaw-fleet:clusters[0].overrides.networkPolicy.dns.cidrs[0]", /./);
    });
    it("takes scheduling and workload-identity metadata, merging cluster overrides over the stack's", () => {
      const fleet = model({
        ...valid,
        gateway: {
          nodeSelector: { "kubernetes.io/os": "linux" },
          tolerations: [{ key: "dedicated", operator: "Equal", value: "gateways", effect: "NoSchedule" }],
          priorityClassName: "tenant-gateways",
          imagePullSecrets: ["ghcr-pull"],
          serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/openclaw" } },
        },
        clusters: [{ name: "alpha", overrides: { nodeSelector: { "topology.kubernetes.io/zone": "eu-west-1a" }, pod: { labels: { "azure.workload.identity/use": "true" } } } }, { name: "beta" }],
      });
      const alpha = fleet.gateways[0]!.settings;
      assert.deepEqual(alpha.nodeSelector, { "kubernetes.io/os": "linux", "topology.kubernetes.io/zone": "eu-west-1a" });
      assert.deepEqual(alpha.pod.labels, { "azure.workload.identity/use": "true" });
      assert.equal(alpha.serviceAccount.annotations["eks.amazonaws.com/role-arn"], "arn:aws:iam::123456789012:role/openclaw");
      assert.deepEqual(fleet.gateways[1]!.settings.pod.labels, {});
    });
    it("refuses label keys and values Kubernetes would refuse, and non-string values", () => {
      assertProblem({ ...valid, gateway: { pod: { labels: { "Example.com/team": "x" } } } }, 'openclaw-fleet:gateway.pod.labels["Example.com/team"]', /prefix "Example.com", which must be a lowercase DNS subdomain/);
      assertProblem({ ...valid, gateway: { pod: { labels: { team: "a".repeat(64) } } } }, "openclaw-fleet:gateway.pod.labels.team", /at most 63 characters/);
      assertProblem({ ...valid, gateway: { pod: { labels: { team: "-x" } } } }, "openclaw-fleet:gateway.pod.labels.team", /starting and ending with a letter or digit/);
      assertProblem({ ...valid, gateway: { pod: { labels: { "azure.workload.identity/use": true } } } }, 'openclaw-fleet:gateway.pod.labels["azure.workload.identity/use"]', /must be a string \(quote numbers and booleans in YAML: "true"\)/);
      assertProblem({ ...valid, gateway: { serviceAccount: { annotations: { "a/b/c": "x" } } } }, 'openclaw-fleet:gateway.serviceAccount.annotations["a/b/c"]', /qualified name/);
      assertProblem({ ...valid, gateway: { nodeSelector: { pool: "x y" } } }, "openclaw-fleet:gateway.nodeSelector.pool", /letters, digits/);
      assertProblem({ ...valid, gateway: { imagePullSecrets: ["Bad_Name"] } }, "openclaw-fleet:gateway.imagePullSecrets[0]", /Kubernetes object name/);
    });
    it("refuses labels and annotations under the program's own prefixes, which its selectors and policies rely on", () => {
      assertProblem({ ...valid, gateway: { pod: { labels: { "app.kubernetes.io/instance": "other" } } } }, 'openclaw-fleet:gateway.pod.labels["app.kubernetes.io/instance"]', /is the program's own .*openclaw\.ai\/\* and app\.kubernetes\.io\/\*/);
      assertProblem({ ...valid, clusters: [{ name: "alpha", overrides: { pod: { annotations: { "openclaw.ai/config-checksum": "x" } } } }] }, 'openclaw-fleet:clusters[0].overrides.pod.annotations["openclaw.ai/config-checksum"]', /program's own/);
      assertProblem({ ...valid, gateway: { serviceAccount: { labels: { "openclaw.ai/tenant": "x" } } } }, 'openclaw-fleet:gateway.serviceAccount.labels["openclaw.ai/tenant"]', /program's own/);
    });
    it("checks tolerations, affinity and spread constraints field by field as Kubernetes defines them, by path", () => {
      assertProblem({ ...valid, gateway: { tolerations: [{ key: "a", operator: "Matches" }] } }, "openclaw-fleet:gateway.tolerations[0].operator", /expected one of "Equal"\|"Exists"\|"Gt"\|"Lt"/);
      assertProblem({ ...valid, gateway: { tolerations: [{ key: "a", tolerationSecond: 5 }] } }, "openclaw-fleet:gateway.tolerations[0].tolerationSecond", /not a known key; allowed keys: key, operator, value, effect, tolerationSeconds/);
      const term = { nodeSelectorTerms: [{ matchExpressions: [{ key: "zone" }] }] };
      assertProblem({ ...valid, clusters: [{ name: "alpha", overrides: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term } } } }] }, "openclaw-fleet:clusters[0].overrides.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator", /expected one of "In"/);
      assertProblem({ ...valid, gateway: { topologySpreadConstraints: [{ topologyKey: "zone", whenUnsatisfiable: "DoNotSchedule" }] } }, "openclaw-fleet:gateway.topologySpreadConstraints[0].maxSkew", /is required/);
      assertProblem({ ...valid, gateway: { affinity: [] } }, "openclaw-fleet:gateway.affinity", /expected object, received array/);
    });
    it("takes an external apiKeysSecret per cluster, but not the program's own Secret or a bad name", () => {
      const fleet = model({ ...valid, gateway: { apiKeysSecret: "provider-keys" }, clusters: [{ name: "alpha", overrides: { apiKeysSecret: "eu-keys" } }, { name: "beta" }] });
      assert.deepEqual(fleet.gateways.map((g) => g.settings.apiKeysSecret), ["eu-keys", "provider-keys"]);
      assertProblem({ ...valid, gateway: { apiKeysSecret: "openclaw-acme-env" } }, "openclaw-fleet:gateway.apiKeysSecret", /the program itself writes/);
      assertProblem({ ...valid, gateway: { apiKeysSecret: "Keys" } }, "openclaw-fleet:gateway.apiKeysSecret", /Kubernetes object name/);
    });
    it("refuses system namespaces and wildcard hosts", () => {
      assertProblem({ ...valid, clusters: [{ name: "alpha", namespace: "kube-system" }] }, "openclaw-fleet:clusters[0].namespace", /tenant's own namespace/);
      assertProblem({ ...valid, clusters: [{ name: "alpha", host: "*.example.com" }] }, "openclaw-fleet:clusters[0].host", /DNS host name/);
    });
    it("reports every problem at once", () => {
      const found = problems({ ...valid, gateway: { resources: { limits: { memory: "2GB", cpu: "lots" } } }, clusters: [{ name: "alpha", wave: -1 }, { name: "alpha" }] });
      assert.ok(found.length >= 3, found.join("\n"));
    });
    it("reports a stack-level prod image problem once, not once per cluster", () => {
      const found = problems({ ...valid, environment: "prod", gateway: { image: "ghcr.io/openclaw/openclaw:latest" } });
      assert.equal(found.filter((line) => line.startsWith("openclaw-fleet:gateway.image")).length, 1);
    });
    it("reports a problem of the stack gateway once, not again for every cluster", () => {
      const found = problems({ ...valid, gateway: { storage: { size: "2GB" } } });
      assert.deepEqual(found.filter((line) => line.includes("storage.size")), ["openclaw-fleet:gateway.storage.size: must be a Kubernetes quantity such as 250m, 1, 512Mi or 2Gi (not 2GB)"]);
    });
    it("never echoes a secret value in an error", () => {
      let message = "";
      try {
        loadFleetConfig({ ...raw(valid), apiKeys: "sk-live-plaintext-not-json" });
      } catch (error) {
        message = (error as Error).message;
      }
      assert.match(message, /openclaw-fleet:apiKeys: must be structured YAML/);
      assert.doesNotMatch(message, /sk-live/);
      try {
        loadFleetConfig(raw({ ...valid, apiKeys: { bad_name: "sk-live-value" }, kubeconfigs: { nowhere: "secret-kubeconfig" } }));
      } catch (error) {
        message = (error as Error).message;
      }
      assert.doesNotMatch(message, /sk-live|secret-kubeconfig/);
    });
    it("refuses a `__proto__` key anywhere, like an unknown key, instead of dropping it silently", () => {
      const proto = (json: string) => JSON.parse(json) as Record<string, unknown>;
      const found = problems({
        ...valid,
        gateway: proto('{"__proto__": {"image": "x"}, "config": {"__proto__": {"a": 1}}, "env": {"__proto__": {"A": "1"}}}'),
        clusters: [{ name: "alpha", overrides: proto('{"networkPolicy": {"extraEgress": [{"__proto__": {}, "ports": [{"port": 1}]}]}}') }],
      });
      for (const path of ["gateway.__proto__", "gateway.config.__proto__", "gateway.env.__proto__", "clusters[0].overrides.networkPolicy.extraEgress[0].__proto__"]) {
        assert.ok(found.some((line) => line.startsWith(`openclaw-fleet:${path}: is not a known key: \`__proto__\``)), `${path}:\n${found.join("\n")}`);
      }
      assertProblem({ ...raw(valid), ["__proto__"]: "{}" }, "openclaw-fleet:__proto__", /not a known key/);
    });
    it("keeps `constructor` and `prototype` as ordinary (unknown) keys", () => {
      assertProblem({ ...valid, gateway: { constructor: { name: "x" } } }, "openclaw-fleet:gateway.constructor", /not a known key; allowed keys: image/);
      const fleet = model({ ...valid, gateway: { config: { prototype: { a: 1 } } } });
      assert.deepEqual(fleet.gateways[0]!.settings.config, { prototype: { a: 1 } });
    });
    it("says nothing was deployed", () => {
      assert.throws(() => loadFleetConfig(raw({ ...valid, tenant: "" })), /Invalid stack config \(\d+ problems?\); nothing was deployed/);
    });
  });
});
