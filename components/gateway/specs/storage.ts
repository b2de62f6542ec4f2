import type { IPersistentVolumeClaim } from "kubernetes-models/v1";
import type { GatewayContext } from "../context.js";
import { gatewayObjectNames, objectMeta, ownershipAnnotations, ownershipLabels } from "../naming.js";

/** The claim the Deployment mounts: the user's existing claim, or the one this program creates. */
export function stateClaimName(context: GatewayContext): string {
  return context.gateway.settings.storage.existingClaim ?? gatewayObjectNames(context.tenant).claim;
}

/**
 * The gateway's state volume (sessions, credentials, config). ReadWriteOnce: one gateway process owns a
 * state dir (openclaw-facts.md, "One writer"). Undefined when the user brings an existing claim.
 */
export function buildStateClaim(context: GatewayContext): IPersistentVolumeClaim | undefined {
  const { storage } = context.gateway.settings;
  if (storage.existingClaim) return undefined;
  return buildClaim(context, gatewayObjectNames(context.tenant).claim, storage);
}

/** A ReadWriteOnce claim of this gateway; the state and the backup claim differ only in name and size. */
export function buildClaim(context: GatewayContext, name: string, storage: { size: string; storageClassName?: string }): IPersistentVolumeClaim {
  const meta = objectMeta(context, name);
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: {
      ...meta,
      labels: { ...meta.labels, ...ownershipLabels(context) },
      // A WaitForFirstConsumer claim binds only once the gateway pod is scheduled, and that pod waits for
      // the claim: Pulumi must not wait for it to bind.
      annotations: { "pulumi.com/skipAwait": "true", ...ownershipAnnotations(context) },
    },
    spec: {
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: storage.size } },
      ...(storage.storageClassName ? { storageClassName: storage.storageClassName } : {}),
    },
  };
}
