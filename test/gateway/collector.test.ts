import assert from "node:assert/strict";
import { parse } from "yaml";
import { buildGatewayManifests, podConfigChecksum } from "../../components/gateway/manifests.js";
import { buildOpenclawConfig } from "../../components/gateway/openclawConfig.js";
import { SIDECAR_METRICS_URL } from "../../components/gateway/specs/collector.js";
import { CHECKSUM_ANNOTATION } from "../../components/gateway/specs/deployment.js";
import { gatewayAlertRules } from "../../components/gateway/specs/monitoring.js";
import { gatewayContext } from "../fixtures.js";

const secretValues = { OPENCLAW_GATEWAY_TOKEN: "t0ken", ANTHROPIC_API_KEY: "sk-test" };
const sidecarOn = { enabled: true, signals: { traces: false }, sidecar: { enabled: true } };
const operatorOn = { enabled: true, labels: { release: "kube-prometheus-stack" } };
const manifestsOf = (observability: Record<string, unknown> | undefined, gateway: Record<string, unknown> = {}) =>
  buildGatewayManifests(gatewayContext({ ...gateway, ...(observability ? { observability } : {}) }), secretValues);
const podSpec = (manifests: ReturnType<typeof manifestsOf>) => manifests.deployment.spec!.template.spec!;
const sidecarOf = (manifests: ReturnType<typeof manifestsOf>) => podSpec(manifests).containers.find((c) => c.name === "otel-collector");

describe("the collector sidecar", () => {
  it("changes no object of a gateway without it: export straight to an endpoint renders what it rendered before, but the gateway's own env and config", () => {
    const plain = manifestsOf(undefined);
    const external = manifestsOf({ enabled: true, endpoint: "https://otlp.example.com" });
    for (const manifests of [plain, external]) {
      assert.equal(manifests.collectorConfig, undefined);
      assert.equal(manifests.serviceMonitor, undefined);
      assert.equal(manifests.prometheusRule, undefined);
      assert.equal(sidecarOf(manifests), undefined);
      assert.deepEqual(manifests.service, plain.service);
      assert.deepEqual(manifests.networkPolicy, plain.networkPolicy);
      assert.deepEqual(manifests.resourceQuota, plain.resourceQuota);
    }
    assert.equal((buildOpenclawConfig(gatewayContext({ observability: { enabled: true, endpoint: "https://otlp.example.com" } })).diagnostics as { otel: Record<string, unknown> }).otel.metricsEndpoint, undefined);
  });

  it("points the gateway's metrics at the sidecar on loopback and leaves traces on their endpoint", () => {
    const config = buildOpenclawConfig(gatewayContext({ observability: { enabled: true, endpoint: "https://otlp.example.com", sidecar: { enabled: true } } }));
    const otel = (config.diagnostics as { otel: Record<string, unknown> }).otel;
    assert.equal(otel.metricsEndpoint, SIDECAR_METRICS_URL);
    assert.equal(SIDECAR_METRICS_URL, "http://127.0.0.1:4318/v1/metrics");
    assert.equal(otel.endpoint, "https://otlp.example.com");
  });

  it("runs hardened like the gateway: non-root, read-only root, no capabilities, resources with ephemeral storage, a pinned image", () => {
    const sidecar = sidecarOf(manifestsOf(sidecarOn))!;
    assert.deepEqual(sidecar.securityContext, podSpec(manifestsOf(sidecarOn)).containers[0]!.securityContext);
    assert.equal(sidecar.securityContext!.runAsNonRoot, true);
    assert.equal(sidecar.securityContext!.readOnlyRootFilesystem, true);
    assert.deepEqual(sidecar.securityContext!.capabilities, { drop: ["ALL"] });
    assert.ok(sidecar.resources!.limits!["ephemeral-storage"] && sidecar.resources!.requests!["ephemeral-storage"]);
    assert.match(sidecar.image!, /^otel\/opentelemetry-collector-contrib:\d+\.\d+\.\d+$/);
    assert.equal(sidecar.imagePullPolicy, "IfNotPresent");
    assert.equal(manifestsOf({ ...sidecarOn, sidecar: { enabled: true, image: "registry.example.com/otelcol:latest" } }).deployment.spec!.template.spec!.containers[1]!.imagePullPolicy, "Always");
  });

  it("receives OTLP on loopback only and exposes Prometheus on the named port with a metric expiry well above 5 minutes", () => {
    const manifests = manifestsOf(sidecarOn);
    const config = parse(manifests.collectorConfig!.data!["config.yaml"]!) as Record<string, any>;
    assert.equal(config.receivers.otlp.protocols.http.endpoint, "127.0.0.1:4318");
    assert.equal(config.receivers.otlp.protocols.grpc, undefined);
    assert.equal(config.exporters.prometheus.endpoint, "0.0.0.0:9464");
    assert.equal(config.exporters.prometheus.metric_expiration, "1h");
    assert.equal(config.exporters.prometheus.resource_to_telemetry_conversion.enabled, true);
    assert.deepEqual(config.service.pipelines, { metrics: { receivers: ["otlp"], exporters: ["prometheus"] } });
    assert.deepEqual(sidecarOf(manifests)!.ports, [{ name: "metrics", containerPort: 9464, protocol: "TCP" }]);
    // The config is mounted from its own ConfigMap, read-only, where the args point.
    const mount = sidecarOf(manifests)!.volumeMounts![0]!;
    assert.equal(mount.readOnly, true);
    assert.deepEqual(sidecarOf(manifests)!.args, [`--config=${mount.mountPath}/config.yaml`]);
    const volume = podSpec(manifests).volumes!.find((each) => each.name === mount.name)!;
    assert.equal(volume.configMap!.name, manifests.collectorConfig!.metadata!.name);
  });

  it("adds the metrics port to the Service, and to the NetworkPolicy one rule: that port, from the scrape selector only", () => {
    const plain = manifestsOf(undefined);
    const manifests = manifestsOf({ ...sidecarOn, sidecar: { enabled: true, metricsPort: 9100, scrapeFrom: { namespaceSelector: { matchLabels: { team: "obs" } }, podSelector: { matchLabels: { app: "prometheus" } } } } });
    assert.deepEqual(manifests.service.spec!.ports, [...plain.service.spec!.ports!, { name: "metrics", port: 9100, targetPort: "metrics", protocol: "TCP" }]);
    const ingress = manifests.networkPolicy!.spec!.ingress!;
    assert.deepEqual(ingress.slice(0, -1), plain.networkPolicy!.spec!.ingress);
    assert.deepEqual(ingress.at(-1), { from: [{ namespaceSelector: { matchLabels: { team: "obs" } }, podSelector: { matchLabels: { app: "prometheus" } } }], ports: [{ port: 9100, protocol: "TCP" }] });
    assert.deepEqual(manifests.networkPolicy!.spec!.egress, plain.networkPolicy!.spec!.egress);
  });

  it("rolls the pod when the collector's config changes, in seed mode too", () => {
    for (const configMode of ["overwrite", "seed"]) {
      const checksum = (expiry: string) => podConfigChecksum(gatewayContext({ configMode, observability: { ...sidecarOn, sidecar: { enabled: true, metricExpiration: expiry } } }), secretValues);
      assert.notEqual(checksum("1h"), checksum("2h"), configMode);
    }
    assert.equal(manifestsOf(undefined).deployment.spec!.template.metadata!.annotations![CHECKSUM_ANNOTATION], podConfigChecksum(gatewayContext(), secretValues));
  });
});

describe("Prometheus Operator objects", () => {
  it("are absent unless the cluster's flag is on; the ServiceMonitor also needs the sidecar", () => {
    assert.equal(manifestsOf(sidecarOn).serviceMonitor, undefined);
    assert.equal(manifestsOf(sidecarOn).prometheusRule, undefined);
    const externalOnly = manifestsOf({ enabled: true, endpoint: "https://o.example.com", prometheusOperator: operatorOn });
    assert.equal(externalOnly.serviceMonitor, undefined);
    assert.ok(externalOnly.prometheusRule);
  });

  it("scrape the Service's metrics port, in the tenant namespace, with the labels the Prometheus selects by", () => {
    const manifests = manifestsOf({ ...sidecarOn, prometheusOperator: operatorOn });
    const monitor = manifests.serviceMonitor!;
    assert.equal(monitor.apiVersion, "monitoring.coreos.com/v1");
    assert.equal(monitor.metadata.labels!.release, "kube-prometheus-stack");
    assert.deepEqual(monitor.spec.endpoints, [{ port: "metrics", path: "/metrics", interval: "30s", scheme: "http" }]);
    assert.ok(manifests.service.spec!.ports!.some((port) => port.name === monitor.spec.endpoints[0]!.port), "the ServiceMonitor names a port the Service has");
    for (const [key, value] of Object.entries(monitor.spec.selector.matchLabels)) assert.equal(manifests.service.metadata!.labels![key], value);
    assert.deepEqual(monitor.spec.namespaceSelector.matchNames, [manifests.namespace.metadata!.name]);
  });

  it("alert on what matters for one gateway, each with a runbook anchor, scoped to its namespace and objects", () => {
    const context = gatewayContext({ backup: { enabled: true }, observability: { ...sidecarOn, prometheusOperator: operatorOn } });
    const rules = gatewayAlertRules(context);
    assert.deepEqual(rules.map((rule) => rule.alert), [
      "OpenclawGatewayDown",
      "OpenclawGatewayRestarting",
      "OpenclawGatewayNotReady",
      "OpenclawStateVolumeNearlyFull",
      "OpenclawBackupFailed",
      "OpenclawRolloutStuck",
      "OpenclawCollectorRestarting",
    ]);
    for (const rule of rules) {
      assert.equal(rule.annotations.runbook, `docs/observability.md#${rule.alert.toLowerCase()}`);
      assert.match(rule.expr, new RegExp(`namespace="${context.gateway.namespace}"`), rule.alert);
      assert.equal(rule.labels.openclaw_tenant, "acme");
      assert.equal(rule.labels.openclaw_cluster, "alpha");
    }
    assert.match(rules.find((rule) => rule.alert === "OpenclawStateVolumeNearlyFull")!.expr, /persistentvolumeclaim="openclaw-acme-state"/);
    assert.match(rules.find((rule) => rule.alert === "OpenclawBackupFailed")!.expr, /container="backup-before-upgrade"/);
    const withoutBackups = gatewayAlertRules(gatewayContext({ backup: { enabled: false }, observability: { enabled: false, prometheusOperator: operatorOn } })).map((rule) => rule.alert);
    assert.ok(!withoutBackups.includes("OpenclawBackupFailed") && !withoutBackups.includes("OpenclawCollectorRestarting"), withoutBackups.join());
  });
});
