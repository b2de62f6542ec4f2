import assert from "node:assert/strict";
import { buildGatewayManifests } from "../../components/gateway/manifests.js";
import { buildOpenclawConfig, renderOpenclawConfig } from "../../components/gateway/openclawConfig.js";
import { startupBudgetSeconds } from "../../components/config/probes.js";
import { RESERVED_ENV_NAMES } from "../../components/config/schema.js";
import { buildGatewayDeployment, CHECKSUM_ANNOTATION, initCopyScript } from "../../components/gateway/specs/deployment.js";
import { footprintFor } from "../../components/config/gatewayFootprint.js";
import { quantityToNumber } from "../../components/config/quantity.js";
import { heapCapMebibytes, minimumMemoryLimitMebibytes, reservedOutsideHeapMebibytes } from "../../components/config/sizing.js";
import { DEFAULT_IMAGE } from "../../components/config/versions.js";
import { buildPodDisruptionBudget } from "../../components/gateway/specs/disruptionBudget.js";
import { buildIngress, ingressUrl } from "../../components/gateway/specs/ingress.js";
import { buildLimitRange, buildNamespace, buildResourceQuota } from "../../components/gateway/specs/namespace.js";
import { buildNetworkPolicy } from "../../components/gateway/specs/networkPolicy.js";
import { buildGatewaySecret } from "../../components/gateway/specs/secret.js";
import { buildService } from "../../components/gateway/specs/service.js";
import { buildServiceAccount } from "../../components/gateway/specs/serviceAccount.js";
import { buildStateClaim } from "../../components/gateway/specs/storage.js";
import { execFileSync } from "node:child_process";
import { preUpgradeBackupScript } from "../../components/gateway/scripts/preUpgradeBackup.js";
import { restoreScript } from "../../components/gateway/scripts/restore.js";
import { buildBackupClaim } from "../../components/gateway/specs/backup.js";
import { gatewayContext } from "../fixtures.js";

const context = gatewayContext();
const deployment = buildGatewayDeployment(context, "checksum");
const podSpec = deployment.spec!.template.spec!;
const gatewayContainer = podSpec.containers.find((c) => c.name === "gateway")!;
const initContainer = podSpec.initContainers!.find((c) => c.name === "copy-config")!;

describe("gateway Namespace", () => {
  it("enforces Pod Security Admission restricted", () => {
    const labels = buildNamespace(context).metadata!.labels!;
    for (const mode of ["enforce", "audit", "warn"]) assert.equal(labels[`pod-security.kubernetes.io/${mode}`], "restricted");
  });
  it("carries the tenant label", () => {
    assert.equal(buildNamespace(context).metadata!.labels!["openclaw.ai/tenant"], "acme");
  });
});

describe("gateway ResourceQuota and LimitRange", () => {
  it("leaves room for two gateway pods and forbids LoadBalancer and NodePort Services", () => {
    const hard = buildResourceQuota(context).spec!.hard!;
    assert.equal(hard["limits.memory"], "4Gi");
    assert.equal(hard["requests.cpu"], "500m");
    assert.equal(hard["requests.storage"], "20Gi");
    assert.equal(hard["services.loadbalancers"], "0");
    assert.equal(hard["services.nodeports"], "0");
    assert.equal(hard["requests.ephemeral-storage"], "512Mi");
    assert.equal(hard["limits.ephemeral-storage"], "2Gi");
  });
  it("defaults unset containers to the gateway's resources and caps them there", () => {
    const [limit] = buildLimitRange(context).spec!.limits;
    assert.deepEqual(limit!.default, { cpu: "1", memory: "2Gi", "ephemeral-storage": "1Gi" });
    assert.deepEqual(limit!.defaultRequest, { cpu: "250m", memory: "1088Mi", "ephemeral-storage": "256Mi" });
    assert.deepEqual(limit!.max, { cpu: "1", memory: "2Gi", "ephemeral-storage": "1Gi" });
  });
  it("by default holds the gateway and a maintenance pod (the same image) at the memory the gateway was measured to use", () => {
    const { footprint } = footprintFor(DEFAULT_IMAGE);
    const MiB = 2 ** 20;
    const hard = buildResourceQuota(context).spec!.hard!;
    const [limit] = buildLimitRange(context).spec!.limits;
    // Each pod's request covers the idle gateway, its limit the least it can live in; the quota holds two of each.
    assert.ok(quantityToNumber(String(limit!.defaultRequest!.memory)) >= footprint.idleMiB * MiB);
    assert.ok(quantityToNumber(String(limit!.default!.memory)) >= minimumMemoryLimitMebibytes(footprint) * MiB);
    assert.ok(quantityToNumber(String(hard["requests.memory"])) >= 2 * footprint.idleMiB * MiB);
    assert.ok(quantityToNumber(String(hard["limits.memory"])) >= 2 * minimumMemoryLimitMebibytes(footprint) * MiB);
    assert.ok(quantityToNumber(String(limit!.default!.memory)) >= footprint.peakMiB * MiB);
    assert.equal(hard["requests.memory"], "2176Mi");
  });
});

describe("gateway backup claim and state init containers", () => {
  const withBackup = (gateway: Record<string, unknown> = {}) => gatewayContext({ backup: { enabled: true, size: "30Gi", storageClassName: "slow", keep: 3 }, ...gateway });
  const initContainers = (ctx: ReturnType<typeof gatewayContext>) => buildGatewayDeployment(ctx, "c").spec!.template.spec!.initContainers!;

  it("makes no backup claim and no backup container when backups are off", () => {
    assert.equal(buildBackupClaim(context), undefined);
    assert.deepEqual(initContainers(context).map((c) => c.name), ["prepare-state", "copy-config"]);
  });
  it("claims openclaw-<tenant>-backup with its own size and class", () => {
    const claim = buildBackupClaim(withBackup())!;
    assert.equal(claim.metadata!.name, "openclaw-acme-backup");
    assert.deepEqual(claim.spec!.resources!.requests, { storage: "30Gi" });
    assert.equal(claim.spec!.storageClassName, "slow");
    assert.deepEqual(claim.spec!.accessModes, ["ReadWriteOnce"]);
  });
  it("leaves quota room for both claims and a spare", () => {
    const hard = buildResourceQuota(withBackup()).spec!.hard!;
    assert.equal(hard.persistentvolumeclaims, "3");
    assert.equal(hard["requests.storage"], "80Gi");
  });
  it("backs up before the config copy, and restores before both, with the gateway's image, hardening and resources", () => {
    const ctx = withBackup({ restore: { archive: "a.tar.gz" } });
    const containers = initContainers(ctx);
    assert.deepEqual(containers.map((c) => c.name), ["prepare-state", "restore-state", "backup-before-upgrade", "copy-config"]);
    for (const container of containers.slice(1, 3)) {
      assert.equal(container.image, ctx.gateway.settings.image);
      assert.deepEqual(container.securityContext, gatewayContainer.securityContext);
      assert.deepEqual(container.resources, ctx.gateway.settings.resources);
      assert.equal(container.terminationMessagePolicy, "FallbackToLogsOnError");
      assert.equal(container.envFrom, undefined, "no Secret: the CLI needs no token");
    }
    const mounts = (name: string) => containers.find((c) => c.name === name)!.volumeMounts!;
    assert.deepEqual(mounts("restore-state").find((m) => m.name === "backups"), { name: "backups", mountPath: "/backups", readOnly: true });
    assert.deepEqual(mounts("backup-before-upgrade").find((m) => m.name === "backups"), { name: "backups", mountPath: "/backups" });
    const volumes = buildGatewayDeployment(ctx, "c").spec!.template.spec!.volumes!;
    assert.deepEqual(volumes.find((v) => v.name === "backups"), { name: "backups", persistentVolumeClaim: { claimName: "openclaw-acme-backup" } });
  });
  it("gives the restore CLI its own state dir off the volume, which OpenClaw requires of a restore target", () => {
    const restore = initContainers(withBackup({ restore: { archive: "a.tar.gz" } })).find((c) => c.name === "restore-state")!;
    const env = Object.fromEntries(restore.env!.map((e) => [e.name, e.value]));
    assert.equal(env.OPENCLAW_STATE_DIR, "/tmp/openclaw-restore-cli");
    assert.equal(env.OPENCLAW_FLEET_STATE_VOLUME, "/home/node/.openclaw");
    assert.equal(env.OPENCLAW_FLEET_RESTORE_ARCHIVE, "a.tar.gz");
  });
  it("undoes an upgrade with the same container when restore names the failed image instead of an archive", () => {
    const restore = initContainers(withBackup({ restore: { beforeUpgrade: "ghcr.io/openclaw/openclaw:2026.9.7" } })).find((c) => c.name === "restore-state")!;
    const env = Object.fromEntries(restore.env!.map((e) => [e.name, e.value]));
    assert.equal(env.OPENCLAW_FLEET_RESTORE_BEFORE_UPGRADE, "ghcr.io/openclaw/openclaw:2026.9.7");
    assert.equal(env.OPENCLAW_FLEET_RESTORE_ARCHIVE, undefined);
    assert.match(restore.command![2]!, /undo="\$OPENCLAW_FLEET_RESTORE_BEFORE_UPGRADE"/);
  });
  it("mounts the backup claim into no container but the init containers", () => {
    const spec = buildGatewayDeployment(withBackup(), "c").spec!.template.spec!;
    assert.ok(spec.containers.every((c) => !c.volumeMounts!.some((m) => m.name === "backups")));
  });
});

describe("backup and restore scripts", () => {
  const cli = ["node", "/app/dist/index.js"];
  const parses = (script: string) => execFileSync("/bin/sh", ["-n", "-c", script]);
  it("are valid POSIX sh", () => {
    parses(preUpgradeBackupScript(cli, 5));
    parses(restoreScript(cli));
    parses(restoreScript(cli, "beforeUpgrade"));
  });
  it("undo an upgrade with the newest archive of the version the image runs, only when the state is marked with another", () => {
    const script = restoreScript(cli, "beforeUpgrade");
    assert.match(script, /'node' '\/app\/dist\/index.js' --version/);
    assert.match(script, /\[ "\$previous" != "\$starting" \] \|\| nothing_to_restore/);
    assert.match(script, /for candidate in "\$OPENCLAW_FLEET_BACKUP_DIR"\/\[0-9\]\*Z-openclaw-"\$starting"\.tar\.gz; do/);
    // Once per image undone: the record's first line is the key, checked before anything runs.
    assert.ok(script.indexOf('= "$key" ]') < script.indexOf("--version"));
    assert.doesNotMatch(restoreScript(cli), /OPENCLAW_FLEET_RESTORE_BEFORE_UPGRADE/);
  });
  it("back up with verification into the backup volume, named by UTC time and the old version", () => {
    const script = preUpgradeBackupScript(cli, 5);
    assert.match(script, /'node' '\/app\/dist\/index.js' --version/);
    assert.match(script, /'node' '\/app\/dist\/index.js' backup create --verify --output "\$backups\/\$name"/);
    assert.match(script, /name="\$\(date -u \+%Y%m%dT%H%M%SZ\)-openclaw-\$previous.tar.gz"/);
  });
  it("prune to keep, and advance the marker only after the backup and the pruning", () => {
    const script = preUpgradeBackupScript(cli, 3);
    assert.match(script, /tail -n \+4/);
    const lines = script.split("\n");
    const create = lines.findIndex((line) => line.includes("backup create"));
    const prune = lines.findIndex((line) => line.includes("tail -n +4"));
    const lastMark = lines.lastIndexOf("record_version");
    assert.ok(create < prune && prune < lastMark);
  });
  it("restore with OpenClaw's verifying restore into staging and move the current state aside", () => {
    const script = restoreScript(cli);
    assert.match(script, /backup restore "\$archive" --target "\$staging"/);
    assert.match(script, /\.pre-restore-/);
    assert.doesNotMatch(script, /rm -rf "\$volume/);
  });
  it("quote the command words for the shell", () => {
    assert.match(preUpgradeBackupScript(["node", "/opt/it's here/cli.js"], 1), /'node' '\/opt\/it'"'"'s here\/cli.js' --version/);
  });
});

describe("gateway ServiceAccount", () => {
  it("does not mount an API token", () => {
    assert.equal(buildServiceAccount(context).automountServiceAccountToken, false);
  });
});

describe("gateway scheduling and extra metadata", () => {
  const scheduled = gatewayContext({
    nodeSelector: { "kubernetes.io/os": "linux" },
    tolerations: [{ key: "dedicated", operator: "Equal", value: "gateways", effect: "NoSchedule" }],
    affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", namespaceSelector: {}, labelSelector: { matchLabels: { "app.kubernetes.io/name": "openclaw" } } } }] } },
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway" }],
    priorityClassName: "tenant-gateways",
    imagePullSecrets: ["ghcr-pull"],
    pod: { labels: { "azure.workload.identity/use": "true" }, annotations: { "example.com/team": "chat" } },
    serviceAccount: { labels: { "example.com/team": "chat" }, annotations: { "iam.gke.io/gcp-service-account": "openclaw@p.iam.gserviceaccount.com", "azure.workload.identity/client-id": "00000000-0000-0000-0000-000000000000" } },
  });
  const template = buildGatewayDeployment(scheduled, "sum").spec!.template;
  it("renders each scheduling field into the pod spec", () => {
    const spec = template.spec!;
    assert.deepEqual(spec.nodeSelector, { "kubernetes.io/os": "linux" });
    assert.equal(spec.tolerations![0]!.key, "dedicated");
    assert.equal(spec.affinity!.podAntiAffinity!.preferredDuringSchedulingIgnoredDuringExecution![0]!.weight, 100);
    assert.equal(spec.priorityClassName, "tenant-gateways");
    assert.deepEqual(spec.imagePullSecrets, [{ name: "ghcr-pull" }]);
  });
  it("gives a spread constraint without a labelSelector the gateway's own selector labels, and keeps a given one", () => {
    assert.deepEqual(template.spec!.topologySpreadConstraints![0]!.labelSelector, { matchLabels: { "app.kubernetes.io/name": "openclaw", "app.kubernetes.io/instance": "acme" } });
    const own = { maxSkew: 1, topologyKey: "zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { tier: "chat" } } };
    const given = buildGatewayDeployment(gatewayContext({ topologySpreadConstraints: [own] }), "x").spec!.template.spec!.topologySpreadConstraints!;
    assert.deepEqual(given[0]!.labelSelector, { matchLabels: { tier: "chat" } });
  });
  it("leaves unset scheduling fields out of the pod spec", () => {
    for (const field of ["nodeSelector", "tolerations", "affinity", "topologySpreadConstraints", "priorityClassName", "imagePullSecrets"]) assert.ok(!(field in podSpec), field);
  });
  it("adds the pod labels and annotations beside the program's own", () => {
    assert.equal(template.metadata!.labels!["azure.workload.identity/use"], "true");
    assert.equal(template.metadata!.labels!["app.kubernetes.io/instance"], "acme");
    assert.deepEqual(template.metadata!.annotations, { "example.com/team": "chat", [CHECKSUM_ANNOTATION]: "sum" });
  });
  it("annotates the ServiceAccount for cloud workload identity", () => {
    const account = buildServiceAccount(scheduled).metadata!;
    assert.equal(account.annotations!["iam.gke.io/gcp-service-account"], "openclaw@p.iam.gserviceaccount.com");
    assert.equal(account.labels!["example.com/team"], "chat");
    assert.equal(account.labels!["openclaw.ai/tenant"], "acme");
    assert.equal(buildServiceAccount(context).metadata!.annotations, undefined);
  });
  it("passes the Kubernetes schema", async () => {
    const { validateManifests } = await import("../../components/render/validateManifests.js");
    const manifests = buildGatewayManifests(scheduled, { OPENCLAW_GATEWAY_TOKEN: "t", ANTHROPIC_API_KEY: "k" });
    assert.deepEqual(await validateManifests([manifests.deployment, manifests.serviceAccount] as never), []);
  });
});

describe("gateway with an external apiKeysSecret", () => {
  const external = gatewayContext({ apiKeysSecret: "openclaw-provider-keys" });
  it("reads it before the program's own Secret, which wins on a shared key, and requires it to exist", () => {
    const container = buildGatewayDeployment(external, "x").spec!.template.spec!.containers[0]!;
    assert.deepEqual(container.envFrom, [{ secretRef: { name: "openclaw-provider-keys", optional: false } }, { secretRef: { name: "openclaw-acme-env" } }]);
  });
  it("changes neither the NetworkPolicy nor the ResourceQuota nor the LimitRange", () => {
    assert.deepEqual(buildNetworkPolicy(external), buildNetworkPolicy(context));
    assert.deepEqual(buildResourceQuota(external), buildResourceQuota(context));
    assert.deepEqual(buildLimitRange(external), buildLimitRange(context));
  });
});

describe("gateway Secret", () => {
  it("holds the token and the configured API keys only", () => {
    const secret = buildGatewaySecret(context, { OPENCLAW_GATEWAY_TOKEN: "t", ANTHROPIC_API_KEY: "k", OPENAI_API_KEY: "other" });
    assert.deepEqual(Object.keys(secret.stringData!).sort(), ["ANTHROPIC_API_KEY", "OPENCLAW_GATEWAY_TOKEN"]);
  });
  it("refuses to build without a value for every key", () => {
    assert.throws(() => buildGatewaySecret(context, { OPENCLAW_GATEWAY_TOKEN: "t" }), /missing for ANTHROPIC_API_KEY/);
  });
});

describe("generated openclaw.json", () => {
  const config = buildOpenclawConfig(context) as { gateway: Record<string, any> };
  it("runs a local gateway on 18789 bound to the pod network with token auth", () => {
    assert.equal(config.gateway.mode, "local");
    assert.equal(config.gateway.port, 18789);
    assert.equal(config.gateway.bind, "lan");
    assert.deepEqual(config.gateway.auth, { mode: "token", token: "${OPENCLAW_GATEWAY_TOKEN}" });
  });
  it("allows the Control UI origin of the ingress host", () => {
    const withHost = buildOpenclawConfig(gatewayContext({ ingress: { enabled: true } }, { host: "claw.example.com" })) as { gateway: Record<string, any> };
    assert.deepEqual(withHost.gateway.controlUi.allowedOrigins, ["https://claw.example.com"]);
  });
  it("allows port-forward origins when ingress is off, even with a host", () => {
    const hostOnly = buildOpenclawConfig(gatewayContext({}, { host: "claw.example.com" })) as { gateway: Record<string, any> };
    assert.deepEqual(hostOnly.gateway.controlUi.allowedOrigins, ["http://localhost:18789", "http://127.0.0.1:18789"]);
  });
  it("allows port-forward origins when there is no host", () => {
    assert.deepEqual(config.gateway.controlUi.allowedOrigins, ["http://localhost:18789", "http://127.0.0.1:18789"]);
  });
  it("deep-merges the user's config over the generated one", () => {
    const merged = buildOpenclawConfig(gatewayContext({ config: { gateway: { trustedProxies: ["10.0.0.0/8"] }, agents: { defaults: { model: "m" } } } })) as any;
    assert.deepEqual(merged.gateway.trustedProxies, ["10.0.0.0/8"]);
    assert.equal(merged.gateway.bind, "lan");
    assert.equal(merged.agents.defaults.model, "m");
  });
  it("refers to the token instead of holding it", () => {
    const manifests = buildGatewayManifests(context, { OPENCLAW_GATEWAY_TOKEN: "tok-very-secret", ANTHROPIC_API_KEY: "sk-very-secret" });
    const configMapText = JSON.stringify(manifests.configMap);
    assert.match(configMapText, /\$\{OPENCLAW_GATEWAY_TOKEN\}/);
    assert.doesNotMatch(configMapText, /very-secret/);
    assert.doesNotMatch(JSON.stringify(manifests.deployment), /very-secret/);
  });
});

describe("gateway PersistentVolumeClaim", () => {
  it("is ReadWriteOnce with the configured size and class", () => {
    const claim = buildStateClaim(gatewayContext({ storage: { size: "5Gi", storageClassName: "fast" } }))!;
    assert.deepEqual(claim.spec!.accessModes, ["ReadWriteOnce"]);
    assert.equal(claim.spec!.resources!.requests!.storage, "5Gi");
    assert.equal(claim.spec!.storageClassName, "fast");
  });
  it("is not created when an existing claim is given, and the Deployment mounts that claim", () => {
    const existing = gatewayContext({ storage: { existingClaim: "legacy-state" } });
    assert.equal(buildStateClaim(existing), undefined);
    const volumes = buildGatewayDeployment(existing, "x").spec!.template.spec!.volumes!;
    assert.equal(volumes.find((v) => v.name === "state")!.persistentVolumeClaim!.claimName, "legacy-state");
  });
});

describe("gateway Deployment", () => {
  it("runs exactly one replica with Recreate", () => {
    assert.equal(deployment.spec!.replicas, 1);
    assert.deepEqual(deployment.spec!.strategy, { type: "Recreate" });
  });
  it("runs as non-root with the official hardening", () => {
    assert.equal(podSpec.securityContext!.runAsNonRoot, true);
    assert.equal(podSpec.securityContext!.runAsUser, 1000);
    assert.equal(podSpec.securityContext!.fsGroup, 1000);
    assert.equal(podSpec.securityContext!.seccompProfile!.type, "RuntimeDefault");
    for (const container of [gatewayContainer, initContainer]) {
      assert.equal(container.securityContext!.allowPrivilegeEscalation, false, container.name);
      assert.equal(container.securityContext!.readOnlyRootFilesystem, true, container.name);
      assert.deepEqual(container.securityContext!.capabilities!.drop, ["ALL"], container.name);
    }
    assert.equal(podSpec.automountServiceAccountToken, false);
  });
  it("gives OpenClaw's 330 s stop policy a grace period with a margin", () => {
    assert.equal(podSpec.terminationGracePeriodSeconds, 340);
  });
  it("requests and limits ephemeral storage on every container, /tmp sized within the gateway's limit", () => {
    assert.deepEqual(gatewayContainer.resources!.limits, { cpu: "1", memory: "2Gi", "ephemeral-storage": "1Gi" });
    assert.equal(gatewayContainer.resources!.requests!["ephemeral-storage"], "256Mi");
    assert.deepEqual(initContainer.resources, { requests: { cpu: "10m", memory: "16Mi", "ephemeral-storage": "16Mi" }, limits: { cpu: "100m", memory: "64Mi", "ephemeral-storage": "64Mi" } });
    assert.equal(podSpec.volumes!.find((v) => v.name === "tmp")!.emptyDir!.sizeLimit, "960Mi");
    const larger = buildGatewayDeployment(gatewayContext({ resources: { limits: { "ephemeral-storage": "4Gi" } } }), "x").spec!.template.spec!;
    assert.equal(larger.volumes!.find((v) => v.name === "tmp")!.emptyDir!.sizeLimit, "4032Mi");
  });
  it("bounds the gateway's file log in openclaw.json so it fits /tmp, unless the user sets its own bound", () => {
    assert.deepEqual((buildOpenclawConfig(context) as { logging: unknown }).logging, { maxFileBytes: 33554432 });
    const own = buildOpenclawConfig(gatewayContext({ config: { logging: { level: "debug", maxFileBytes: 8388608 } } })) as { logging: unknown };
    assert.deepEqual(own.logging, { maxFileBytes: 8388608, level: "debug" });
  });
  it("gives /tmp an emptyDir on the read-only root filesystem", () => {
    assert.ok(gatewayContainer.volumeMounts!.some((m) => m.mountPath === "/tmp" && m.name === "tmp"));
    assert.ok(podSpec.volumes!.some((v) => v.name === "tmp" && v.emptyDir));
  });
  it("points the caches the gateway writes under HOME at the /tmp emptyDir", () => {
    const env = Object.fromEntries(gatewayContainer.env!.map((e) => [e.name, e.value]));
    assert.equal(env.HOME, "/home/node");
    assert.equal(env.XDG_CACHE_HOME, "/tmp/.cache");
    assert.equal(env.npm_config_cache, "/tmp/.npm");
  });
  it("sets no env var a user could also set (server-side apply refuses duplicate names)", () => {
    const managed = gatewayContainer.env!.map((e) => e.name).filter((name) => name !== "npm_config_cache");
    assert.deepEqual(managed.filter((name) => !(RESERVED_ENV_NAMES as readonly string[]).includes(name)), []);
  });
  it("caps the Node heap at the memory limit less the measured non-heap memory and its headroom", () => {
    const { footprint } = footprintFor(DEFAULT_IMAGE);
    // 2026.9.6: 1088 MiB recorded outside the heap, and 128 MiB for load.
    assert.equal(reservedOutsideHeapMebibytes(footprint), 1216);
    assert.equal(heapCapMebibytes("2Gi", DEFAULT_IMAGE), 2048 - 1216);
    assert.ok(heapCapMebibytes("2Gi", DEFAULT_IMAGE) + footprint.nonHeapMiB < 2048);
    // The limit the issue found broken (75% of 1Gi plus what lives outside the heap exceeded it) is too small for the
    // reserve: it gets a quarter of the limit, and the loader warns (refuses in prod).
    assert.equal(heapCapMebibytes("1Gi", DEFAULT_IMAGE), 256);
    assert.equal(heapCapMebibytes("256Mi", DEFAULT_IMAGE), 64);
    const nodeOptions = gatewayContainer.env!.find((e) => e.name === "NODE_OPTIONS")!.value;
    assert.equal(nodeOptions, `--max-old-space-size=${2048 - 1216}`);
  });
  it("copies the config with an init container of the same image, never mounting it over the gateway's file", () => {
    assert.equal(initContainer.image, gatewayContainer.image);
    assert.ok(!gatewayContainer.volumeMounts!.some((m) => m.name === "config-seed"));
    assert.match(initContainer.command!.join(" "), /cp \/etc\/openclaw-seed\/openclaw\.json/);
  });
  it("mounts the state claim's `openclaw-fleet-state/` into every container, and only prepare-state sees the claim's root", () => {
    const all = [...podSpec.initContainers!, ...podSpec.containers];
    const stateMounts = all.flatMap((c) => c.volumeMounts!.filter((m) => m.name === "state").map((m) => [c.name, m.mountPath, m.subPath]));
    assert.deepEqual(stateMounts, [
      ["prepare-state", "/var/lib/openclaw-claim", undefined],
      ["copy-config", "/home/node/.openclaw", "openclaw-fleet-state"],
      ["gateway", "/home/node/.openclaw", "openclaw-fleet-state"],
    ]);
    const prepare = podSpec.initContainers![0]!;
    assert.equal(prepare.name, "prepare-state");
    assert.equal(prepare.image, gatewayContainer.image);
    assert.deepEqual(prepare.securityContext, gatewayContainer.securityContext);
    assert.deepEqual(prepare.resources, initContainer.resources);
  });
  it("overwrites the config in overwrite mode and only seeds it in seed mode", () => {
    assert.doesNotMatch(initCopyScript("overwrite"), /if \[ -e/);
    assert.match(initCopyScript("seed"), /if \[ -e "\$OPENCLAW_STATE_DIR\/openclaw\.json" \]; then/);
  });
  it("takes the token and API keys from the Secret and user env after the managed env", () => {
    assert.deepEqual(gatewayContainer.envFrom, [{ secretRef: { name: "openclaw-acme-env" } }]);
    const env = buildGatewayDeployment(gatewayContext({ env: { ZED: "1", ALPHA: "2" } }), "x").spec!.template.spec!.containers[0]!.env!.map((e) => e.name);
    assert.deepEqual(env.slice(-2), ["ALPHA", "ZED"]);
    assert.ok(env.includes("OPENCLAW_DISABLE_BONJOUR"));
  });
  it("probes startup, readiness and liveness on the configured paths", () => {
    assert.equal(gatewayContainer.startupProbe!.httpGet!.path, "/startupz");
    assert.equal(gatewayContainer.readinessProbe!.httpGet!.path, "/startupz");
    assert.equal(gatewayContainer.livenessProbe!.httpGet!.path, "/healthz");
    const custom = buildGatewayDeployment(gatewayContext({ probes: { readiness: { path: "/readyz" } } }), "x");
    assert.equal(custom.spec!.template.spec!.containers[0]!.readinessProbe!.httpGet!.path, "/readyz");
  });
  it("gives a slow first start five minutes and keeps the progress deadline above it", () => {
    assert.equal(startupBudgetSeconds(context.gateway.settings), 300);
    assert.ok(deployment.spec!.progressDeadlineSeconds! > 300);
  });
  it("makes Pulumi wait for the old pod's stop and a minute past the progress deadline, not its own 10 minutes", () => {
    assert.equal(deployment.metadata!.annotations!["pulumi.com/timeoutSeconds"], String(podSpec.terminationGracePeriodSeconds! + deployment.spec!.progressDeadlineSeconds! + 60));
    // Pulumi waits until the one replica is updated, ready and available and the old pod is gone, not for its own
    // Deployment heuristics (which end a Recreate rollout early), and reads those counts only from a status that has
    // observed the current generation (what the e2e rollout-gate scenario proves on the real engine).
    const observed = "$[?@.observedGeneration && !(@.observedGeneration < $.metadata.generation)]";
    assert.deepEqual(JSON.parse(deployment.metadata!.annotations!["pulumi.com/waitFor"]!), [
      `jsonpath={${observed}.observedGeneration}`,
      `jsonpath={${observed}.updatedReplicas}=1`,
      `jsonpath={${observed}.readyReplicas}=1`,
      `jsonpath={${observed}.availableReplicas}=1`,
      `jsonpath={${observed}.replicas}=1`,
    ]);
  });
  it("takes an explicit progress deadline", () => {
    const fast = gatewayContext({ progressDeadlineSeconds: 400 });
    assert.equal(buildGatewayDeployment(fast, "x").spec!.progressDeadlineSeconds, 400);
  });
  it("puts the checksum on the pod template", () => {
    assert.equal(deployment.spec!.template.metadata!.annotations![CHECKSUM_ANNOTATION], "checksum");
  });
  it("pulls moving tags always and pinned ones if not present", () => {
    assert.equal(gatewayContainer.imagePullPolicy, "IfNotPresent");
    const latest = buildGatewayDeployment(gatewayContext({ image: "ghcr.io/openclaw/openclaw:latest" }), "x");
    assert.equal(latest.spec!.template.spec!.containers[0]!.imagePullPolicy, "Always");
  });
  it("selects its pod by labels that carry no version", () => {
    assert.deepEqual(deployment.spec!.selector.matchLabels, { "app.kubernetes.io/name": "openclaw", "app.kubernetes.io/instance": "acme" });
  });
});

describe("gateway Service", () => {
  it("is a ClusterIP on 18789", () => {
    const service = buildService(context);
    assert.equal(service.spec!.type, "ClusterIP");
    assert.deepEqual(service.spec!.ports, [{ name: "http", port: 18789, targetPort: "http", protocol: "TCP" }]);
  });
  it("selects the gateway pod by the Deployment's own pod labels", () => {
    const pod = buildGatewayDeployment(context, "").spec!.template.metadata!.labels!;
    for (const [key, value] of Object.entries(buildService(context).spec!.selector!)) assert.equal(pod[key], value, key);
  });
  it("is not awaited by Pulumi: the Deployment's await covers its pod, and the Service await adds a fixed 10 s", () => {
    assert.equal(buildService(context).metadata!.annotations!["pulumi.com/skipAwait"], "true");
  });
});

describe("gateway Ingress", () => {
  const withIngress = gatewayContext({ ingress: { enabled: true, annotations: { a: "b" } } }, { host: "claw.example.com" });
  it("exists only when enabled", () => {
    assert.equal(buildIngress(context), undefined);
    assert.equal(ingressUrl(context), null);
  });
  it("uses the internal class, the host and TLS", () => {
    const ingress = buildIngress(withIngress)!;
    assert.equal(ingress.spec!.ingressClassName, "nginx-internal");
    assert.equal(ingress.spec!.rules![0]!.host, "claw.example.com");
    assert.deepEqual(ingress.spec!.tls, [{ hosts: ["claw.example.com"], secretName: "openclaw-acme-tls" }]);
    assert.deepEqual(ingress.metadata!.annotations, { a: "b" });
    assert.equal(ingressUrl(withIngress), "https://claw.example.com");
  });
});

describe("gateway NetworkPolicy", () => {
  const policy = buildNetworkPolicy(context)!;
  it("denies by default in both directions", () => {
    assert.deepEqual(policy.spec!.policyTypes, ["Ingress", "Egress"]);
  });
  it("admits only the ingress namespaces, on the gateway port", () => {
    assert.deepEqual(policy.spec!.ingress, [
      { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }], ports: [{ port: 18789, protocol: "TCP" }] },
    ]);
  });
  it("lets out DNS and HTTPS only, plus extraEgress", () => {
    const ports = policy.spec!.egress!.flatMap((rule) => rule.ports!.map((p) => `${p.protocol}/${p.port}`));
    assert.deepEqual(ports, ["UDP/53", "TCP/53", "TCP/443"]);
    const https = policy.spec!.egress![1]!.to!.map((peer) => peer.ipBlock!);
    assert.deepEqual(https.map((block) => block.cidr), ["0.0.0.0/0", "::/0"]);
    // Cluster-internal services, the API server and cloud metadata stay unreachable over HTTPS.
    for (const privateRange of ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"]) assert.ok(https[0]!.except!.includes(privateRange), privateRange);
    assert.ok(https[1]!.except!.includes("fc00::/7"));
    const extra = buildNetworkPolicy(gatewayContext({ networkPolicy: { extraEgress: [{ cidrs: ["10.1.0.0/16"], ports: [{ port: 5432 }] }] } }))!;
    assert.deepEqual(extra.spec!.egress!.at(-1), { to: [{ ipBlock: { cidr: "10.1.0.0/16" } }], ports: [{ port: 5432, protocol: "TCP" }] });
  });
  it("lets DNS out only to the cluster DNS pods in kube-system, on 53 UDP and TCP", () => {
    assert.deepEqual(policy.spec!.egress![0], {
      to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
      ports: [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }],
    });
  });
  it("takes another DNS namespace and labels (a null drops a default label) and a node-local cache address", () => {
    const dns = { namespace: "dns-system", podLabels: { "k8s-app": null, "app.kubernetes.io/name": "coredns" }, cidrs: ["169.254.20.10/32"] };
    const custom = buildNetworkPolicy(gatewayContext({ networkPolicy: { dns } }))!;
    assert.deepEqual(custom.spec!.egress![0]!.to, [
      { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "dns-system" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "coredns" } } },
      { ipBlock: { cidr: "169.254.20.10/32" } },
    ]);
  });
  it("can be switched off explicitly", () => {
    assert.equal(buildNetworkPolicy(gatewayContext({ networkPolicy: { enabled: false } })), undefined);
  });
});

describe("gateway PodDisruptionBudget", () => {
  it("never blocks a node drain of the single replica", () => {
    const budget = buildPodDisruptionBudget(context);
    assert.equal(budget.spec!.maxUnavailable, 1);
    assert.equal(budget.spec!.minAvailable, undefined);
  });
});

describe("gateway object names", () => {
  it("carry the tenant so two tenants never collide in one namespace", () => {
    const other = gatewayContext();
    other.tenant = "globex";
    const names = (ctx: typeof context) =>
      Object.values(buildGatewayManifests(ctx, { OPENCLAW_GATEWAY_TOKEN: "t", ANTHROPIC_API_KEY: "k" }))
        .filter((m) => m && m.kind !== "Namespace")
        .map((m) => `${m!.kind}/${m!.metadata!.name}`);
    const overlap = names(context).filter((name) => names(other).includes(name));
    assert.deepEqual(overlap, []);
  });
  it("render the config file deterministically", () => {
    assert.equal(renderOpenclawConfig(context), renderOpenclawConfig(gatewayContext()));
  });
});
