import assert from "node:assert/strict";
import { buildGatewayManifests } from "../../components/gateway/manifests.js";
import { buildOpenclawConfig, renderOpenclawConfig } from "../../components/gateway/openclawConfig.js";
import { gatewayContainer } from "../contract/gateway/harness.js";
import { gatewayContext } from "../fixtures.js";

const on = { enabled: true, endpoint: "http://otel-collector.monitoring:4318" };
const withHeaders = { ...on, headersSecret: "otlp-auth", headerNames: ["x-honeycomb-team", "authorization"] };
const secretValues = { OPENCLAW_GATEWAY_TOKEN: "t0ken", ANTHROPIC_API_KEY: "sk-test" };

type Otel = Record<string, unknown>;
const otelOf = (config: Record<string, unknown>) => (config.diagnostics as { otel: Otel }).otel;

describe("gateway observability", () => {
  describe("openclaw.json", () => {
    it("has no diagnostics, plugins or console style when observability is not configured or off", () => {
      for (const context of [gatewayContext(), gatewayContext({ observability: { enabled: false, endpoint: on.endpoint } })]) {
        const config = buildOpenclawConfig(context);
        assert.deepEqual(Object.keys(config).sort(), ["gateway", "logging", "meta"]);
        assert.deepEqual(config.logging, { maxFileBytes: 33554432 });
      }
    });
    it("switches on diagnostics, the OTLP exporter and its plugin, with every configured key", () => {
      const config = buildOpenclawConfig(
        gatewayContext({ observability: { ...on, signals: { logs: true }, sampleRate: 0.25, flushIntervalMs: 15000, serviceName: "acme-gateway", tracesEndpoint: "https://traces.example.com/v1/traces" } }),
      );
      assert.deepEqual(config.plugins, { allow: ["diagnostics-otel"], entries: { "diagnostics-otel": { enabled: true } } });
      assert.equal((config.diagnostics as { enabled: boolean }).enabled, true);
      assert.deepEqual(otelOf(config), {
        enabled: true,
        endpoint: on.endpoint,
        tracesEndpoint: "https://traces.example.com/v1/traces",
        protocol: "http/protobuf",
        serviceName: "acme-gateway",
        traces: true,
        metrics: true,
        logs: true,
        sampleRate: 0.25,
        flushIntervalMs: 15000,
        captureContent: false,
      });
    });
    it("refers to each header through an env var, so the ConfigMap holds no header value", () => {
      const context = gatewayContext({ observability: withHeaders });
      assert.deepEqual(otelOf(buildOpenclawConfig(context)).headers, {
        "x-honeycomb-team": "${OPENCLAW_OTEL_HEADER_X_HONEYCOMB_TEAM}",
        authorization: "${OPENCLAW_OTEL_HEADER_AUTHORIZATION}",
      });
    });
    it("writes logging.consoleStyle for the log pipeline, with or without export", () => {
      const alone = buildOpenclawConfig(gatewayContext({ observability: { enabled: false, logging: { consoleStyle: "json" } } }));
      assert.deepEqual(alone.logging, { maxFileBytes: 33554432, consoleStyle: "json" });
      assert.equal(alone.diagnostics, undefined);
      const both = buildOpenclawConfig(gatewayContext({ observability: { ...on, logging: { consoleStyle: "json" } } }));
      assert.equal((both.logging as { consoleStyle: string }).consoleStyle, "json");
    });
    it("keeps the exporter's plugin allowed when the user's config lists its own plugins, and lets the user refine otel keys", () => {
      const config = buildOpenclawConfig(
        gatewayContext({ observability: on, config: { plugins: { allow: ["telegram"] }, diagnostics: { otel: { logsExporter: "stdout" } } } }),
      );
      assert.deepEqual((config.plugins as { allow: string[] }).allow, ["telegram", "diagnostics-otel"]);
      assert.equal(otelOf(config).logsExporter, "stdout");
      assert.equal(otelOf(config).endpoint, on.endpoint);
    });
  });

  describe("gateway container env", () => {
    it("is unchanged when observability is not configured or off", () => {
      const names = (gateway: Record<string, unknown>) => gatewayContainer(buildGatewayManifests(gatewayContext(gateway), secretValues)).env!.map((e) => e.name);
      assert.deepEqual(names({ observability: { enabled: false, endpoint: on.endpoint } }), names({}));
      assert.ok(!names({}).includes("OTEL_RESOURCE_ATTRIBUTES"));
    });
    it("carries tenant, environment, cluster and region as resource attributes, after the user's own", () => {
      const context = gatewayContext({ observability: { ...on, resourceAttributes: { "service.namespace": "chat", team: "platform" } } }, { region: "eu west/1" });
      const env = gatewayContainer(buildGatewayManifests(context, secretValues)).env!;
      const attributes = env.find((e) => e.name === "OTEL_RESOURCE_ATTRIBUTES")!.value!;
      assert.equal(attributes, "cloud.region=eu%20west%2F1,deployment.environment.name=dev,k8s.cluster.name=alpha,service.namespace=chat,team=platform,tenant=acme");
    });
    it("takes each header value from the named Secret by key, never as a plain value", () => {
      const manifests = buildGatewayManifests(gatewayContext({ observability: withHeaders }), secretValues);
      const env = gatewayContainer(manifests).env!.filter((e) => e.name.startsWith("OPENCLAW_OTEL_HEADER_"));
      assert.deepEqual(env, [
        { name: "OPENCLAW_OTEL_HEADER_X_HONEYCOMB_TEAM", valueFrom: { secretKeyRef: { name: "otlp-auth", key: "x-honeycomb-team", optional: false } } },
        { name: "OPENCLAW_OTEL_HEADER_AUTHORIZATION", valueFrom: { secretKeyRef: { name: "otlp-auth", key: "authorization", optional: false } } },
      ]);
      // The init containers run the CLI without the exporter: they get no header env.
      const init = manifests.deployment.spec!.template.spec!.initContainers!;
      assert.ok(init.every((container) => !(container.env ?? []).some((e) => e.name.startsWith("OPENCLAW_OTEL_"))));
    });
    it("changes the pod's config checksum when observability changes, so the gateway restarts with it", () => {
      const checksum = (gateway: Record<string, unknown>) =>
        buildGatewayManifests(gatewayContext(gateway), secretValues).deployment.spec!.template.metadata!.annotations!["openclaw.ai/config-checksum"];
      assert.notEqual(checksum({ observability: on }), checksum({}));
      assert.notEqual(checksum({ observability: { ...on, sampleRate: 0.5 } }), checksum({ observability: on }));
    });
    it("renders a config file with no secret value in it", () => {
      const text = renderOpenclawConfig(gatewayContext({ observability: withHeaders }));
      for (const secret of Object.values(secretValues)) assert.ok(!text.includes(secret));
    });
  });
});
