import type { IService } from "kubernetes-models/v1";
import { GATEWAY_PORT } from "../../config/versions.js";
import type { GatewayContext } from "../context.js";
import { gatewayObjectNames, objectMeta, selectorLabels } from "../naming.js";

/** ClusterIP only: the gateway is reached through the ingress or a port-forward, never a LoadBalancer. */
export function buildService(context: GatewayContext): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: objectMeta(context, gatewayObjectNames(context.tenant).service),
    spec: {
      type: "ClusterIP",
      selector: selectorLabels(context),
      ports: [{ name: "http", port: GATEWAY_PORT, targetPort: "http", protocol: "TCP" }],
    },
  };
}
