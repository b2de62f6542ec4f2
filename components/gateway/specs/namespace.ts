import type { INamespace, ILimitRange, IResourceQuota } from "kubernetes-models/v1";
import { formatBytes, formatCpu, quantityToNumber } from "../../config/quantity.js";
import type { GatewayContext } from "../context.js";
import { restrictedPodSecurityLabels } from "../hardening.js";
import { commonLabels, gatewayObjectNames, objectMeta, ownershipAnnotations, ownershipLabels } from "../naming.js";

/** The tenant's Namespace: the only cluster-scoped object a stack creates. */
export function buildNamespace(context: GatewayContext): INamespace {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: context.gateway.namespace,
      labels: { ...commonLabels(context), ...ownershipLabels(context), ...restrictedPodSecurityLabels },
      ...(context.stack ? { annotations: ownershipAnnotations(context) } : {}),
    },
  };
}

/**
 * Room for two gateway pods (one running, one short-lived maintenance pod such as `openclaw doctor --fix`)
 * and the gateway's claims (state, and backup when on) plus one spare (a claim restored from a snapshot, a
 * migration target), with storage for twice what they request; no LoadBalancer or NodePort Services, so a
 * tenant cannot expose itself past the ingress.
 */
export function buildResourceQuota(context: GatewayContext): IResourceQuota {
  const { resources, storage, backup } = context.gateway.settings;
  const claimSizes = [storage.size, ...(backup.enabled ? [backup.size] : [])];
  const twice = (value: string, format: (n: number) => string) => format(quantityToNumber(value) * 2);
  return {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: objectMeta(context, gatewayObjectNames(context.tenant).resourceQuota),
    spec: {
      hard: {
        pods: "4",
        "requests.cpu": twice(resources.requests.cpu, formatCpu),
        "requests.memory": twice(resources.requests.memory, formatBytes),
        "limits.cpu": twice(resources.limits.cpu, formatCpu),
        "limits.memory": twice(resources.limits.memory, formatBytes),
        "requests.ephemeral-storage": twice(resources.requests["ephemeral-storage"], formatBytes),
        "limits.ephemeral-storage": twice(resources.limits["ephemeral-storage"], formatBytes),
        persistentvolumeclaims: String(claimSizes.length + 1),
        "requests.storage": formatBytes(2 * claimSizes.reduce((sum, size) => sum + quantityToNumber(size), 0)),
        "services.loadbalancers": "0",
        "services.nodeports": "0",
      },
    },
  };
}

/** Defaults for containers that name no resources (the quota would otherwise refuse them) and a ceiling. */
export function buildLimitRange(context: GatewayContext): ILimitRange {
  const { resources } = context.gateway.settings;
  return {
    apiVersion: "v1",
    kind: "LimitRange",
    metadata: objectMeta(context, gatewayObjectNames(context.tenant).limitRange),
    spec: {
      limits: [
        {
          type: "Container",
          default: { ...resources.limits },
          defaultRequest: { ...resources.requests },
          max: { ...resources.limits },
        },
      ],
    },
  };
}
