import type { GatewayContext } from "./context.js";

/**
 * Kubernetes object names of one gateway. Every name carries the tenant, so two tenants never collide
 * even when a platform team points both at the same namespace.
 */
export function gatewayObjectNames(tenant: string) {
  const base = `openclaw-${tenant}`;
  return {
    base,
    deployment: base,
    service: base,
    serviceAccount: base,
    configMap: `${base}-config`,
    secret: `${base}-env`,
    claim: `${base}-state`,
    backupClaim: `${base}-backup`,
    ingress: base,
    networkPolicy: base,
    podDisruptionBudget: base,
    resourceQuota: base,
    limitRange: base,
    tlsSecret: `${base}-tls`,
  };
}

/** Labels that select the gateway's Pod. Immutable on a Deployment, so they never include a version. */
export function selectorLabels(context: GatewayContext): Record<string, string> {
  return { "app.kubernetes.io/name": "openclaw", "app.kubernetes.io/instance": context.tenant };
}

/**
 * Labels on every object. No image version here: an image bump must change the Deployment only.
 */
export function commonLabels(context: GatewayContext): Record<string, string> {
  return {
    ...selectorLabels(context),
    "app.kubernetes.io/component": "gateway",
    "app.kubernetes.io/part-of": "openclaw-fleet",
    "app.kubernetes.io/managed-by": "pulumi",
    "openclaw.ai/tenant": context.tenant,
    "openclaw.ai/environment": context.environment,
    "openclaw.ai/cluster": context.gateway.cluster,
  };
}

/** Metadata for a namespaced object of this gateway. */
export function objectMeta(context: GatewayContext, name: string) {
  return { name, namespace: context.gateway.namespace, labels: commonLabels(context) };
}

/** In-cluster URL of the gateway's Service. */
export function serviceUrl(context: GatewayContext, port: number): string {
  return `http://${gatewayObjectNames(context.tenant).service}.${context.gateway.namespace}.svc.cluster.local:${port}`;
}
