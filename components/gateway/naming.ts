import { createHash } from "node:crypto";
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

/**
 * The owning stack, on the objects a redeploy adopts (Namespace, claims: see clusterProvider.ts). Another
 * stack's object of the same name carries another value, owned by that stack's field manager, so server-side
 * apply refuses to take it over with a conflict on this label instead of adopting it silently.
 */
export const STACK_LABEL = "openclaw.ai/stack";
export function ownershipLabels(context: GatewayContext): Record<string, string> {
  return context.stack ? { [STACK_LABEL]: stackLabelValue(context.stack) } : {};
}

/**
 * The provider's server-side apply field manager for those objects, named after the owning stack (by default
 * it is `pulumi-kubernetes-<random>`): the conflict another stack's update meets then names the stack that
 * owns the object, e.g. `conflicts with "openclaw-fleet-stack-acme-prod"`.
 */
export const FIELD_MANAGER_ANNOTATION = "pulumi.com/patchFieldManager";
export const FIELD_MANAGER_PREFIX = "openclaw-fleet-stack-";
export function ownershipAnnotations(context: GatewayContext): Record<string, string> {
  return context.stack ? { [FIELD_MANAGER_ANNOTATION]: `${FIELD_MANAGER_PREFIX}${stackLabelValue(context.stack)}` } : {};
}

/** A label value (at most 63 of [A-Za-z0-9._-], alphanumeric at both ends) naming the stack; long or odd names are hashed. */
export function stackLabelValue(stack: string): string {
  if (/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(stack)) return stack;
  const readable = stack.replace(/[^-A-Za-z0-9_.]/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 40).replace(/[^A-Za-z0-9]+$/, "");
  return `${readable}${readable ? "-" : ""}${createHash("sha256").update(stack).digest("hex").slice(0, 12)}`;
}

/** Metadata for a namespaced object of this gateway. */
export function objectMeta(context: GatewayContext, name: string) {
  return { name, namespace: context.gateway.namespace, labels: commonLabels(context) };
}

/** In-cluster URL of the gateway's Service. */
export function serviceUrl(context: GatewayContext, port: number): string {
  return `http://${gatewayObjectNames(context.tenant).service}.${context.gateway.namespace}.svc.cluster.local:${port}`;
}
