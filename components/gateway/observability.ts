/**
 * What `gateway.observability` adds to one gateway: the `openclaw.json` sections (OpenClaw 2026.9.x's
 * `diagnostics.otel.*` schema, the `diagnostics-otel` plugin switched on, `logging.consoleStyle`) and the gateway
 * container's env (resource attributes, header values from the named Secret). Nothing when it is off.
 */
import type { IEnvVar } from "kubernetes-models/v1";
import { headerEnvName, PROGRAM_RESOURCE_ATTRIBUTES, type ObservabilitySettings } from "../config/observability.js";
import type { GatewayContext } from "./context.js";
import { activeSidecar, SIDECAR_METRICS_URL } from "./specs/collector.js";

/** The bundled plugin that exports `diagnostics.otel`: without it on, the exporter never starts. */
export const OTEL_PLUGIN_ID = "diagnostics-otel";

function activeObservability(context: GatewayContext): ObservabilitySettings | undefined {
  const observability = context.gateway.settings.observability;
  return observability?.enabled ? observability : undefined;
}

/** The `openclaw.json` keys observability sets; `{}` when it is off, so the file is what it was before. */
export function observabilityConfig(context: GatewayContext): Record<string, unknown> {
  const observability = context.gateway.settings.observability;
  // consoleStyle is about the cluster's log pipeline, not OTLP: it applies whether export is on or not.
  const logging = observability?.logging ? { logging: { consoleStyle: observability.logging.consoleStyle } } : {};
  const active = activeObservability(context);
  if (!active) return logging;
  const headers = Object.fromEntries((active.headerNames ?? []).map((header) => [header, `\${${headerEnvName(header)}}`]));
  const otel = {
    enabled: true,
    ...(active.endpoint ? { endpoint: active.endpoint } : {}),
    ...(active.tracesEndpoint ? { tracesEndpoint: active.tracesEndpoint } : {}),
    ...(active.metricsEndpoint ? { metricsEndpoint: active.metricsEndpoint } : {}),
    // The sidecar receives the metrics on loopback (the loader refuses a metricsEndpoint beside it).
    ...(activeSidecar(context) ? { metricsEndpoint: SIDECAR_METRICS_URL } : {}),
    ...(active.logsEndpoint ? { logsEndpoint: active.logsEndpoint } : {}),
    protocol: active.protocol,
    // Values are `${ENV}` references the gateway resolves from its env, so the ConfigMap holds no header value.
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    serviceName: active.serviceName,
    traces: active.signals.traces,
    metrics: active.signals.metrics,
    logs: active.signals.logs,
    ...(active.sampleRate !== undefined ? { sampleRate: active.sampleRate } : {}),
    ...(active.flushIntervalMs !== undefined ? { flushIntervalMs: active.flushIntervalMs } : {}),
    captureContent: active.captureContent,
  };
  return {
    ...logging,
    plugins: { allow: [OTEL_PLUGIN_ID], entries: { [OTEL_PLUGIN_ID]: { enabled: true } } },
    // `diagnostics.enabled` is the event surface the plugin subscribes to; the exporter needs both.
    diagnostics: { enabled: true, otel },
  };
}

/**
 * Resource attributes of every signal. `diagnostics.otel` has no key for them: the plugin's providers read
 * OTEL_RESOURCE_ATTRIBUTES through the OpenTelemetry environment detector (on by default).
 */
export function resourceAttributes(context: GatewayContext): Record<string, string> {
  const active = activeObservability(context);
  if (!active) return {};
  const { cluster, region } = context.gateway;
  return {
    ...active.resourceAttributes,
    [PROGRAM_RESOURCE_ATTRIBUTES.tenant]: context.tenant,
    [PROGRAM_RESOURCE_ATTRIBUTES.environment]: context.environment,
    [PROGRAM_RESOURCE_ATTRIBUTES.cluster]: cluster,
    ...(region ? { [PROGRAM_RESOURCE_ATTRIBUTES.region]: region } : {}),
  };
}

/** The gateway container's env for observability: none when it is off. */
export function observabilityEnv(context: GatewayContext): IEnvVar[] {
  const active = activeObservability(context);
  if (!active) return [];
  const attributes = Object.entries(resourceAttributes(context))
    .sort(([a], [b]) => a.localeCompare(b))
    // The OTel spec percent-encodes values; user values are limited to characters that need none, a region may not be.
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join(",");
  const headers = (active.headerNames ?? []).map((header) => ({
    name: headerEnvName(header),
    // Not optional: a missing Secret or key holds the pod in CreateContainerConfigError, visibly, instead of a
    // gateway whose exports the backend refuses.
    valueFrom: { secretKeyRef: { name: active.headersSecret!, key: header, optional: false } },
  }));
  return [{ name: "OTEL_RESOURCE_ATTRIBUTES", value: attributes }, ...headers];
}

/**
 * The user's `config` replaces arrays when merged, so a `plugins.allow` of their own would drop the exporter's
 * plugin: with observability on, it is added back.
 */
export function keepOtelPluginAllowed(config: Record<string, unknown>, context: GatewayContext): Record<string, unknown> {
  const plugins = config.plugins as { allow?: unknown } | undefined;
  if (!activeObservability(context) || !Array.isArray(plugins?.allow) || plugins.allow.includes(OTEL_PLUGIN_ID)) return config;
  return { ...config, plugins: { ...plugins, allow: [...plugins.allow, OTEL_PLUGIN_ID] } };
}
