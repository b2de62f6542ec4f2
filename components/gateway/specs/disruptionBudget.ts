import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1";
import type { GatewayContext } from "../context.js";
import { gatewayObjectNames, objectMeta, selectorLabels } from "../naming.js";

/**
 * `maxUnavailable: 1` on a single replica: voluntary evictions are tracked and visible, but a node drain
 * is never blocked (`minAvailable: 1` would block it forever, since a second replica cannot exist).
 */
export function buildPodDisruptionBudget(context: GatewayContext): IPodDisruptionBudget {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: objectMeta(context, gatewayObjectNames(context.tenant).podDisruptionBudget),
    spec: {
      maxUnavailable: 1,
      selector: { matchLabels: selectorLabels(context) },
      // A crash-looping gateway must not hold up a drain either.
      unhealthyPodEvictionPolicy: "AlwaysAllow",
    },
  };
}
