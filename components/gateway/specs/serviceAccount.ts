import type { IServiceAccount } from "kubernetes-models/v1";
import type { GatewayContext } from "../context.js";
import { gatewayObjectNames, objectMeta } from "../naming.js";

/** The gateway never talks to the Kubernetes API, so it gets no API token mounted. */
export function buildServiceAccount(context: GatewayContext): IServiceAccount {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: objectMeta(context, gatewayObjectNames(context.tenant).serviceAccount),
    automountServiceAccountToken: false,
  };
}
