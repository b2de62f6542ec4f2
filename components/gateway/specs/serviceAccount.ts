import type { IServiceAccount } from "kubernetes-models/v1";
import type { GatewayContext } from "../context.js";
import { gatewayObjectNames, objectMeta } from "../naming.js";

/** The gateway never talks to the Kubernetes API, so it gets no API token mounted. */
export function buildServiceAccount(context: GatewayContext): IServiceAccount {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: serviceAccountMetadata(context),
    automountServiceAccountToken: false,
  };
}

/** The program's metadata plus the configured labels and annotations (cloud workload identity: IRSA, GKE, Azure). */
function serviceAccountMetadata(context: GatewayContext) {
  const meta = objectMeta(context, gatewayObjectNames(context.tenant).serviceAccount);
  const { labels, annotations } = context.gateway.settings.serviceAccount;
  return { ...meta, labels: { ...labels, ...meta.labels }, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) };
}
