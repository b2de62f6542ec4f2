/**
 * The OpenTelemetry Collector sidecar (`gateway.observability.sidecar`): it receives the gateway's OTLP/HTTP metrics
 * on the pod's loopback and serves them to Prometheus on a named port, with the resource attributes (tenant,
 * environment, cluster, region) as labels. Its config is a ConfigMap of its own, mounted read-only.
 */
import type { IConfigMap, IContainer, IContainerPort, IVolume } from "kubernetes-models/v1";
import { stringify } from "yaml";
import { SIDECAR_OTLP_PORT, type SidecarSettings } from "../../config/observability.js";
import type { GatewayContext } from "../context.js";
import { containerSecurityContext } from "../hardening.js";
import { gatewayObjectNames, objectMeta } from "../naming.js";

export const COLLECTOR_CONTAINER_NAME = "otel-collector";
export const COLLECTOR_CONFIG_FILE = "config.yaml";
export const COLLECTOR_CONFIG_DIR = "/etc/otelcol";
/** The port name the Service, the NetworkPolicy and the ServiceMonitor refer to. */
export const METRICS_PORT_NAME = "metrics";
const CONFIG_VOLUME = "collector-config";

/** The sidecar's settings when it is on for this gateway (observability enabled and `sidecar.enabled`). */
export function activeSidecar(context: GatewayContext): SidecarSettings | undefined {
  const observability = context.gateway.settings.observability;
  return observability?.enabled && observability.sidecar?.enabled ? observability.sidecar : undefined;
}

/** Where the gateway sends its metrics with the sidecar on (OpenClaw takes per-signal URLs as they are). */
export const SIDECAR_METRICS_URL = `http://127.0.0.1:${SIDECAR_OTLP_PORT}/v1/metrics`;

/** The collector's config as an object (the contract test runs the real collector with it). */
export function collectorConfig(sidecar: SidecarSettings): Record<string, unknown> {
  return {
    receivers: {
      // Loopback only: nothing outside the pod can write metrics in the tenant's name.
      otlp: { protocols: { http: { endpoint: `127.0.0.1:${SIDECAR_OTLP_PORT}` } } },
    },
    exporters: {
      prometheus: {
        endpoint: `0.0.0.0:${sidecar.metricsPort}`,
        metric_expiration: sidecar.metricExpiration,
        // Resource attributes become labels: tenant, k8s_cluster_name, deployment_environment_name, cloud_region.
        resource_to_telemetry_conversion: { enabled: true },
      },
    },
    service: {
      // The collector's own metrics would need another port and rule; its logs go to stdout.
      telemetry: { metrics: { level: "none" }, logs: { encoding: "json" } },
      pipelines: { metrics: { receivers: ["otlp"], exporters: ["prometheus"] } },
    },
  };
}

export function collectorConfigText(sidecar: SidecarSettings): string {
  return stringify(collectorConfig(sidecar));
}

/** The sidecar's config; absent without the sidecar. */
export function buildCollectorConfigMap(context: GatewayContext): IConfigMap | undefined {
  const sidecar = activeSidecar(context);
  if (!sidecar) return undefined;
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: objectMeta(context, gatewayObjectNames(context.tenant).collectorConfig),
    data: { [COLLECTOR_CONFIG_FILE]: collectorConfigText(sidecar) },
  };
}

export function metricsContainerPort(sidecar: SidecarSettings): IContainerPort {
  return { name: METRICS_PORT_NAME, containerPort: sidecar.metricsPort, protocol: "TCP" };
}

/** Hardened like the gateway (hardening.ts): non-root, read-only root, no capabilities; it writes no file. */
export function buildCollectorContainer(sidecar: SidecarSettings): IContainer {
  return {
    name: COLLECTOR_CONTAINER_NAME,
    image: sidecar.image,
    imagePullPolicy: collectorPullPolicy(sidecar.image),
    args: [`--config=${COLLECTOR_CONFIG_DIR}/${COLLECTOR_CONFIG_FILE}`],
    ports: [metricsContainerPort(sidecar)],
    resources: sidecar.resources,
    securityContext: containerSecurityContext(),
    // No readiness probe: a collector that is down must not take the gateway out of its Service.
    livenessProbe: { httpGet: { path: "/metrics", port: METRICS_PORT_NAME, scheme: "HTTP" }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 },
    volumeMounts: [{ name: CONFIG_VOLUME, mountPath: COLLECTOR_CONFIG_DIR, readOnly: true }],
  };
}

/**
 * The collector's releases are semver tags (`0.165.0`), not OpenClaw's calendar versions (imageReference.ts): a
 * digest or such a tag is a pin; anything else (`latest`) moves and is pulled every time.
 */
export function collectorPullPolicy(image: string): "Always" | "IfNotPresent" {
  return /@sha256:[0-9a-f]{64}$/.test(image) || /:v?\d+\.\d+\.\d+$/.test(image) ? "IfNotPresent" : "Always";
}

export function collectorVolumes(context: GatewayContext): IVolume[] {
  return activeSidecar(context) ? [{ name: CONFIG_VOLUME, configMap: { name: gatewayObjectNames(context.tenant).collectorConfig } }] : [];
}
