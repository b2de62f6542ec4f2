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
    agentContent: `${base}-agent`,
    secret: `${base}-env`,
    claim: `${base}-state`,
    backupClaim: `${base}-backup`,
    ingress: base,
    networkPolicy: base,
    podDisruptionBudget: base,
    resourceQuota: base,
    limitRange: base,
    tlsSecret: `${base}-tls`,
    appTeamRole: `${base}-app-team`,
    appTeamBinding: `${base}-app-team`,
    platformBinding: `${base}-platform`,
    collectorConfig: `${base}-otel-collector`,
    serviceMonitor: base,
    prometheusRule: base,
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
 * apply refuses to take it over with a conflict on these labels instead of adopting it silently.
 * `openclaw.ai/stack` is the bare stack name (kept as it was, so existing stacks apply the same value);
 * `openclaw.ai/owner` qualifies it with the project and organization, so two projects' `prod` stacks differ.
 */
export const STACK_LABEL = "openclaw.ai/stack";
export const OWNER_LABEL = "openclaw.ai/owner";
export function ownershipLabels(context: GatewayContext): Record<string, string> {
  return context.stack ? { [STACK_LABEL]: stackLabelValue(context.stack), [OWNER_LABEL]: stackOwnerValue(context) } : {};
}

/**
 * The provider's server-side apply field manager for those objects, named after the owning stack (by default it is
 * `pulumi-kubernetes-<random>`), qualified by the project for any project but this one (`fieldManagerOwner`): a bare
 * stack name would be shared by two projects' `prod` stacks, which would then co-own each other's objects. The
 * conflict another stack's update meets names the stack that owns the object, e.g. `conflicts with
 * "openclaw-fleet-stack-acme-prod"` or `"openclaw-fleet-stack-payments.prod"`.
 */
export const FIELD_MANAGER_ANNOTATION = "pulumi.com/patchFieldManager";
export const FIELD_MANAGER_PREFIX = "openclaw-fleet-stack-";
export function ownershipAnnotations(context: GatewayContext): Record<string, string> {
  return context.stack ? { [FIELD_MANAGER_ANNOTATION]: `${FIELD_MANAGER_PREFIX}${fieldManagerOwner(context)}` } : {};
}

/** This project's own name (Pulumi.yaml): its stacks were deployed with the bare stack name as the manager. */
export const DEFAULT_PROJECT = "openclaw-fleet";

/**
 * The owner part of the field manager. The manager's name is itself a field (the annotation), owned by the manager that
 * set it, so renaming an existing stack's manager is an apply conflict on that annotation (measured: a stack deployed at
 * the previous commit, then `up` with a qualified name). Stacks of this project keep the bare stack name they were
 * deployed with; every other project's stacks are qualified with the project (and organization), so two projects' `prod`
 * stacks never share a manager. The multi-language component keeps the bare name too (`stackOnlyFieldManager`): every
 * program using it is another project, and each deployed before qualification had the bare name. A dotted stack name is qualified too: `a.b` bare could equal project `a`'s stack `b`.
 */
export function fieldManagerOwner(context: Pick<GatewayContext, "stack" | "project" | "organization" | "stackOnlyFieldManager">): string {
  const legacy = (context.stackOnlyFieldManager || context.project === undefined || context.project === DEFAULT_PROJECT) && !context.stack!.includes(".");
  return legacy ? stackLabelValue(context.stack!) : stackOwnerValue(context);
}

/**
 * The DIY backends' (file, PostgreSQL, S3) organization name: every stack of those backends reports it, so it tells
 * no owner apart and is left out.
 */
export const DIY_ORGANIZATION = "organization";

/**
 * `[organization.]project.stack` as a label value. Dots join the parts when no part has one of its own; otherwise the
 * readable form could be ambiguous (`a.b` + `c` vs `a` + `b.c`) and the `/`-joined name is hashed instead.
 */
export function stackOwnerValue(context: Pick<GatewayContext, "stack" | "project" | "organization">): string {
  const organization = context.organization && context.organization !== DIY_ORGANIZATION ? context.organization : undefined;
  const parts = [organization, context.project, context.stack].filter((part): part is string => part !== undefined && part !== "");
  return parts.some((part) => part.includes(".")) ? stackLabelValue(parts.join("/")) : stackLabelValue(parts.join("."));
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
