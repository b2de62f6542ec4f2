/**
 * Prometheus Operator objects (`gateway.observability.prometheusOperator.enabled`, set for the clusters that have its
 * CRDs): a ServiceMonitor on the sidecar's metrics port, and a PrometheusRule with the alerts that matter for one
 * gateway. The rules read kube-state-metrics and the kubelet's volume stats, which every kube-prometheus install
 * scrapes, so they work with or without the sidecar. Each alert has a runbook section in docs/observability.md.
 */
import type { GatewayContext } from "../context.js";
import { gatewayObjectNames, objectMeta, selectorLabels } from "../naming.js";
import { activeSidecar, COLLECTOR_CONTAINER_NAME, METRICS_PORT_NAME } from "./collector.js";
import { stateClaimName } from "./storage.js";

export const MONITORING_API_VERSION = "monitoring.coreos.com/v1";
/** Where each alert's runbook lives (the anchors of docs/observability.md#runbooks). */
export const RUNBOOK_DOC = "docs/observability.md";
const BACKUP_CONTAINER = "backup-before-upgrade";

interface ServiceMonitorManifest {
  apiVersion: typeof MONITORING_API_VERSION;
  kind: "ServiceMonitor";
  metadata: ReturnType<typeof objectMeta>;
  spec: {
    selector: { matchLabels: Record<string, string> };
    namespaceSelector: { matchNames: string[] };
    endpoints: { port: string; path: string; interval: string; scheme: "http" }[];
  };
}

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

interface PrometheusRuleManifest {
  apiVersion: typeof MONITORING_API_VERSION;
  kind: "PrometheusRule";
  metadata: ReturnType<typeof objectMeta>;
  spec: { groups: { name: string; rules: AlertRule[] }[] };
}

function operatorSettings(context: GatewayContext) {
  const operator = context.gateway.settings.observability?.prometheusOperator;
  return operator?.enabled ? operator : undefined;
}

/** The objects' labels: the program's, then the ones the Prometheus' selectors pick objects by. */
function monitoringMeta(context: GatewayContext, name: string) {
  const meta = objectMeta(context, name);
  return { ...meta, labels: { ...operatorSettings(context)!.labels, ...meta.labels } };
}

/** Present with the sidecar on a cluster that has the Prometheus Operator: it scrapes the Service's `metrics` port. */
export function buildServiceMonitor(context: GatewayContext): ServiceMonitorManifest | undefined {
  const operator = operatorSettings(context);
  if (!operator || !activeSidecar(context)) return undefined;
  return {
    apiVersion: MONITORING_API_VERSION,
    kind: "ServiceMonitor",
    metadata: monitoringMeta(context, gatewayObjectNames(context.tenant).serviceMonitor),
    spec: {
      // The Service carries the gateway's selector labels (service.ts labels it with commonLabels).
      selector: { matchLabels: selectorLabels(context) },
      namespaceSelector: { matchNames: [context.gateway.namespace] },
      endpoints: [{ port: METRICS_PORT_NAME, path: "/metrics", interval: operator.scrapeInterval, scheme: "http" }],
    },
  };
}

/** `{namespace="...",deployment="..."}`: PromQL label matchers; names are DNS labels, so nothing needs escaping. */
const matchers = (pairs: Record<string, string>) => `{${Object.entries(pairs).map(([key, value]) => `${key}${value.startsWith("~") ? `=~"${value.slice(1)}"` : `="${value}"`}`).join(",")}}`;

/** The alerts of one gateway; the backup alert only when backups are on. */
export function gatewayAlertRules(context: GatewayContext): AlertRule[] {
  const names = gatewayObjectNames(context.tenant);
  const namespace = context.gateway.namespace;
  const deployment = { namespace, deployment: names.deployment };
  // The Deployment's pods are `<name>-<replicaset hash>-<suffix>`.
  const pods = { namespace, pod: `~${names.deployment}-[a-z0-9]+-[a-z0-9]+` };
  const where = `${context.tenant} on ${context.gateway.cluster} (${namespace})`;
  const rule = (alert: string, anchor: string, severity: string, forDuration: string, expr: string, summary: string): AlertRule => ({
    alert,
    expr,
    ...(forDuration === "0m" ? {} : { for: forDuration }),
    labels: { severity, openclaw_tenant: context.tenant, openclaw_cluster: context.gateway.cluster },
    annotations: { summary: `${summary}: ${where}`, runbook: `${RUNBOOK_DOC}#${anchor}` },
  });
  const rules = [
    rule("OpenclawGatewayDown", "openclawgatewaydown", "critical", "5m", `kube_deployment_status_replicas_available${matchers(deployment)} < 1`, "The gateway has no available pod"),
    rule(
      "OpenclawGatewayRestarting",
      "openclawgatewayrestarting",
      "warning",
      "0m",
      `increase(kube_pod_container_status_restarts_total${matchers({ ...pods, container: "gateway" })}[30m]) > 2`,
      "The gateway container restarted more than twice in 30 minutes",
    ),
    rule(
      "OpenclawGatewayNotReady",
      "openclawgatewaynotready",
      "warning",
      "10m",
      `kube_pod_container_status_ready${matchers({ ...pods, container: "gateway" })} == 0`,
      "The gateway container has failed its readiness probe for 10 minutes",
    ),
    rule(
      "OpenclawStateVolumeNearlyFull",
      "openclawstatevolumenearlyfull",
      "warning",
      "15m",
      `kubelet_volume_stats_available_bytes${matchers({ namespace, persistentvolumeclaim: stateClaimName(context) })} / kubelet_volume_stats_capacity_bytes${matchers({ namespace, persistentvolumeclaim: stateClaimName(context) })} < 0.1`,
      "The gateway's state volume has less than 10% free",
    ),
    ...(context.gateway.settings.backup.enabled
      ? [
          rule(
            "OpenclawBackupFailed",
            "openclawbackupfailed",
            "critical",
            "0m",
            `kube_pod_init_container_status_last_terminated_reason${matchers({ ...pods, container: BACKUP_CONTAINER, reason: "~Error|OOMKilled|ContainerCannotRun|DeadlineExceeded" })} == 1`,
            "The pre-upgrade backup init container failed, so the gateway is held before a version change",
          ),
        ]
      : []),
    rule(
      "OpenclawRolloutStuck",
      "openclawrolloutstuck",
      "warning",
      "15m",
      `kube_deployment_status_condition${matchers({ ...deployment, condition: "Progressing", status: "false" })} == 1 or kube_deployment_status_replicas_updated${matchers(deployment)} < kube_deployment_spec_replicas${matchers(deployment)}`,
      "The gateway's rollout has not completed for 15 minutes",
    ),
  ];
  // The sidecar's own container: a collector that cannot start loses every metric, so its restarts are an alert too.
  if (activeSidecar(context)) {
    rules.push(
      rule(
        "OpenclawCollectorRestarting",
        "openclawcollectorrestarting",
        "warning",
        "0m",
        `increase(kube_pod_container_status_restarts_total${matchers({ ...pods, container: COLLECTOR_CONTAINER_NAME })}[30m]) > 2`,
        "The OpenTelemetry Collector sidecar restarted more than twice in 30 minutes",
      ),
    );
  }
  return rules;
}

/** Present on a cluster that has the Prometheus Operator. */
export function buildPrometheusRule(context: GatewayContext): PrometheusRuleManifest | undefined {
  if (!operatorSettings(context)) return undefined;
  return {
    apiVersion: MONITORING_API_VERSION,
    kind: "PrometheusRule",
    metadata: monitoringMeta(context, gatewayObjectNames(context.tenant).prometheusRule),
    spec: { groups: [{ name: `openclaw-gateway.${context.tenant}`, rules: gatewayAlertRules(context) }] },
  };
}
