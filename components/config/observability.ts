/**
 * The `gateway.observability` block: OpenTelemetry export from the gateway (OpenClaw's `diagnostics.otel.*` through
 * its `diagnostics-otel` plugin) and JSON console logs. Off unless `enabled: true`; a stack without the block
 * renders exactly what it rendered before.
 */
import { z } from "zod";
import { labelSelectorSchema } from "./labelSelector.js";
import { labelMap } from "./labels.js";
import { isQuantity, quantityToNumber } from "./quantity.js";

/** Resource attributes the program sets on every gateway's telemetry; a user value for one of them is refused. */
export const PROGRAM_RESOURCE_ATTRIBUTES = {
  tenant: "tenant",
  environment: "deployment.environment.name",
  cluster: "k8s.cluster.name",
  region: "cloud.region",
} as const;
const PROGRAM_ATTRIBUTE_KEYS: readonly string[] = Object.values(PROGRAM_RESOURCE_ATTRIBUTES);

/** Env vars that carry the header values from `headersSecret`; user `env` names under this prefix are refused. */
export const OTEL_HEADER_ENV_PREFIX = "OPENCLAW_OTEL_HEADER_";

/** `x-honeycomb-team` -> `OPENCLAW_OTEL_HEADER_X_HONEYCOMB_TEAM`: the env var the header's `${...}` reference names. */
export function headerEnvName(header: string): string {
  return `${OTEL_HEADER_ENV_PREFIX}${header.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

// OpenClaw only exports over OTLP/HTTP: a gRPC endpoint or protocol would silently export nothing.
const PROTOCOL_MESSAGE = 'must be "http/protobuf": OpenClaw exports OTLP over HTTP only (a gRPC collector port such as 4317 receives nothing; use its OTLP/HTTP port, usually 4318)';

const otlpUrl = z
  .string("must be an http:// or https:// URL such as http://otel-collector.monitoring:4318")
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
    } catch {
      return false;
    }
  }, "must be an http:// or https:// URL such as http://otel-collector.monitoring:4318")
  // Credentials in a URL would land in the ConfigMap: they belong in headersSecret.
  .refine((value) => !URL.canParse(value) || (new URL(value).username === "" && new URL(value).password === ""), "must not carry credentials (user:password@): put them in a Secret named by headersSecret");

// An HTTP header name (RFC 9110 token); it is also the Secret's key.
const headerName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9!#$%&'*+.^_`|~-]*$/, "must be an HTTP header name such as x-honeycomb-team (letters, digits, '-', no spaces), and the Secret's key for it");

const attributeKey = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9._-]*$/, "must be an attribute key such as service.namespace (letters, digits, '.', '_', '-')")
  .refine((key) => !PROGRAM_ATTRIBUTE_KEYS.includes(key), { error: `is set by the program; the program sets ${PROGRAM_ATTRIBUTE_KEYS.join(", ")}` });
// Kept to characters OTEL_RESOURCE_ATTRIBUTES carries without escaping (no ',', '=', spaces or quotes).
const attributeValue = z.string().regex(/^[A-Za-z0-9._:/+-]{1,255}$/, "must be 1 to 255 letters, digits or . _ : / + - (OTEL_RESOURCE_ATTRIBUTES carries it unescaped)");

/**
 * The collector sidecar's image: the OpenTelemetry Collector contrib distribution at the release the project builds
 * and tests (tools/otelcol: core v0.165.0, contrib prometheusexporter v0.165.1). Pin a digest in production.
 */
export const DEFAULT_COLLECTOR_IMAGE = "otel/opentelemetry-collector-contrib:0.165.0";
/** Where the sidecar receives OTLP/HTTP, on the pod's loopback only. */
export const SIDECAR_OTLP_PORT = 4318;
/** Prometheus' own default scrape port for OpenTelemetry exporters. */
export const DEFAULT_SIDECAR_METRICS_PORT = 9464;
/** OpenClaw's own port and the OTLP port are taken in the pod. */
const TAKEN_PORTS = [18789, SIDECAR_OTLP_PORT];

const quantity = z
  .string()
  .refine(isQuantity, "must be a Kubernetes quantity such as 50m, 64Mi or 1Gi (not 1GB)")
  .refine((value) => !isQuantity(value) || quantityToNumber(value) > 0, "must be greater than zero");
const computeResources = z.strictObject({ cpu: quantity, memory: quantity, "ephemeral-storage": quantity });

/** `90s`, `30m`, `1h30m`: the Go duration subset the collector's config takes for `metric_expiration`. */
const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
export function durationSeconds(value: string): number | undefined {
  const match = DURATION.exec(value);
  if (!match || value === "") return undefined;
  const [, hours = "0", minutes = "0", seconds = "0"] = match;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}
/**
 * An idle counter disappears from /metrics after `metric_expiration`; the exporter's default (5 min) is shorter than
 * a quiet night, and the series then restarts from zero (users of the community operator hit it). Ten minutes is the floor.
 */
export const MINIMUM_METRIC_EXPIRATION_SECONDS = 600;
const metricExpiration = z
  .string()
  .refine((value) => durationSeconds(value) !== undefined, "must be a duration such as 30m, 2h or 1h30m")
  .refine((value) => (durationSeconds(value) ?? Infinity) >= MINIMUM_METRIC_EXPIRATION_SECONDS, "must be at least 10m: idle counters would vanish from the scrape between gateway events (the exporter's 5m default is what users hit)");

const sidecarSchema = z.strictObject({
  enabled: z.boolean("must be true or false"),
  image: z.string().min(1, "must name a container image").default(DEFAULT_COLLECTOR_IMAGE),
  resources: z
    .strictObject({ requests: computeResources, limits: computeResources })
    .default({ requests: { cpu: "50m", memory: "64Mi", "ephemeral-storage": "16Mi" }, limits: { cpu: "200m", memory: "256Mi", "ephemeral-storage": "64Mi" } }),
  /** The named container port (`metrics`) Prometheus scrapes. */
  metricsPort: z
    .int("must be a whole number")
    .min(1024, "must be from 1024 to 65535 (the sidecar runs as non-root)")
    .max(65535, "must be from 1024 to 65535")
    .refine((port) => !TAKEN_PORTS.includes(port), { error: `must not be ${TAKEN_PORTS.join(" or ")} (the gateway's port and the sidecar's OTLP port)` })
    .default(DEFAULT_SIDECAR_METRICS_PORT),
  metricExpiration: metricExpiration.default("1h"),
  /** Who may scrape the metrics port (the NetworkPolicy's one new ingress rule): the monitoring namespace by default. */
  scrapeFrom: z
    .strictObject({ namespaceSelector: labelSelectorSchema, podSelector: labelSelectorSchema.optional() })
    .default({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }),
});
export type SidecarSettings = z.infer<typeof sidecarSchema>;

/** Whether the cluster has the Prometheus Operator's CRDs; set per cluster with `clusters[].overrides`. */
const prometheusOperatorSchema = z.strictObject({
  enabled: z.boolean("must be true or false"),
  /** Labels the Prometheus' `serviceMonitorSelector` and `ruleSelector` pick objects by (kube-prometheus-stack: `release`). */
  labels: labelMap.optional(),
  scrapeInterval: z.string().regex(/^\d+[sm]$/, "must be a duration in seconds or minutes such as 30s or 1m").default("30s"),
});

export const observabilitySchema = z
  .strictObject({
    enabled: z.boolean("must be true or false"),
    /** OTLP/HTTP base URL: OpenClaw appends /v1/traces, /v1/metrics, /v1/logs. */
    endpoint: otlpUrl.optional(),
    /** Exact per-signal URLs (not appended to), each winning over `endpoint` for its signal. */
    tracesEndpoint: otlpUrl.optional(),
    metricsEndpoint: otlpUrl.optional(),
    logsEndpoint: otlpUrl.optional(),
    protocol: z.literal("http/protobuf", { error: PROTOCOL_MESSAGE }).default("http/protobuf"),
    /** Header values never sit in the stack config: this key exists only to refuse them with a pointer. */
    headers: z
      .never({ error: "header values are never written in the stack config (it lands in a ConfigMap and plain state): put them in a Secret and name it in headersSecret, its keys in headerNames" })
      .optional(),
    /** A Secret in the tenant namespace that another controller keeps; each key listed in `headerNames` is one header. */
    headersSecret: z
      .string()
      .max(253, "must be at most 253 characters")
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, "must be a Kubernetes object name: lowercase letters, digits, '-' and '.'")
      .optional(),
    headerNames: z.array(headerName).min(1, "must list at least one header").optional(),
    signals: z
      .strictObject({ traces: z.boolean().default(true), metrics: z.boolean().default(true), logs: z.boolean().default(false) })
      .default({ traces: true, metrics: true, logs: false }),
    /** Root-span sampling ratio. */
    sampleRate: z.number("must be a number from 0 to 1").min(0, "must be from 0 to 1").max(1, "must be from 0 to 1").optional(),
    serviceName: z.string().min(1, "must not be empty").default("openclaw-gateway"),
    /** Metric export interval; OpenClaw clamps anything lower to 1000. */
    flushIntervalMs: z.int("must be a whole number of milliseconds").min(1000, "must be at least 1000 (OpenClaw clamps lower values to 1000)").optional(),
    /** Raw message and tool content in span attributes: off unless a tenant's data policy allows it. */
    captureContent: z.boolean("must be true or false").default(false),
    resourceAttributes: z.record(attributeKey, attributeValue).optional(),
    logging: z.strictObject({ consoleStyle: z.enum(["json", "pretty"]) }).optional(),
    /** An OpenTelemetry Collector beside the gateway: OTLP metrics in on loopback, Prometheus out on a named port. */
    sidecar: sidecarSchema.optional(),
    /** ServiceMonitor and PrometheusRule objects, for a cluster that has the Prometheus Operator's CRDs. */
    prometheusOperator: prometheusOperatorSchema.optional(),
  })
  .superRefine((value, context) => {
    if (value.headersSecret !== undefined && value.headerNames === undefined) {
      context.addIssue({ code: "custom", path: ["headerNames"], message: "is required with headersSecret: list the Secret's keys, each sent as the OTLP header of that name" });
    }
    if (value.headerNames !== undefined && value.headersSecret === undefined) {
      context.addIssue({ code: "custom", path: ["headersSecret"], message: "is required with headerNames: name the Secret that holds the header values" });
    }
    const envNames = new Map<string, string>();
    for (const [index, header] of (value.headerNames ?? []).entries()) {
      const earlier = envNames.get(headerEnvName(header));
      if (earlier !== undefined) context.addIssue({ code: "custom", path: ["headerNames", index], message: `clashes with "${earlier}" (both become ${headerEnvName(header)}); list each header once` });
      envNames.set(headerEnvName(header), header);
    }
    const sidecar = value.sidecar?.enabled === true;
    if (sidecar && !value.enabled) context.addIssue({ code: "custom", path: ["sidecar", "enabled"], message: "needs observability enabled: true (the sidecar receives what the gateway exports)" });
    if (sidecar && !value.signals.metrics) context.addIssue({ code: "custom", path: ["sidecar", "enabled"], message: "needs signals.metrics: true (the sidecar serves the gateway's metrics to Prometheus)" });
    if (sidecar && value.metricsEndpoint !== undefined) {
      context.addIssue({ code: "custom", path: ["metricsEndpoint"], message: "is set by the program when sidecar.enabled is true (metrics go to the sidecar on loopback); leave it out, or turn the sidecar off to export metrics straight to it" });
    }
    if (!value.enabled || value.endpoint !== undefined) return;
    // Without an endpoint the exporter falls back to localhost:4318, where nothing listens in the gateway's pod.
    const endpointKeys = { traces: "tracesEndpoint", metrics: "metricsEndpoint", logs: "logsEndpoint" } as const;
    // With the sidecar, metrics go to it; traces and logs still need a backend of their own.
    const uncovered = (Object.keys(endpointKeys) as (keyof typeof endpointKeys)[]).filter(
      (signal) => value.signals[signal] && value[endpointKeys[signal]] === undefined && !(sidecar && signal === "metrics"),
    );
    if (uncovered.length > 0) {
      context.addIssue({
        code: "custom",
        path: ["endpoint"],
        message: `is required when observability is enabled (or ${uncovered.map((signal) => endpointKeys[signal]).join(", ")} for the signals on): the OTLP/HTTP URL of a collector or backend, such as http://otel-collector.monitoring:4318`,
      });
    }
  });
export type ObservabilitySettings = z.infer<typeof observabilitySchema>;
