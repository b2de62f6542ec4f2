import type { IService } from "kubernetes-models/v1";
import { GATEWAY_PORT } from "../../config/versions.js";
import type { GatewayContext } from "../context.js";
import { gatewayObjectNames, objectMeta, selectorLabels } from "../naming.js";
import { activeSidecar, METRICS_PORT_NAME } from "./collector.js";

/** ClusterIP only: the gateway is reached through the ingress or a port-forward, never a LoadBalancer. */
export function buildService(context: GatewayContext): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      ...objectMeta(context, gatewayObjectNames(context.tenant).service),
      // The provider's Service await waits until the Endpoints select a pod, then a fixed 10 s after every
      // Endpoints change for them to "settle" (pulumi-kubernetes provider/pkg/await/service.go): measured, it
      // was most of a first `pulumi up` (bench: docs/performance.md). The Deployment's await already waits for
      // the pod to be ready, and the selector is the pod template's own labels (selectorLabels), so it proves nothing more.
      annotations: { "pulumi.com/skipAwait": "true" },
    },
    spec: {
      type: "ClusterIP",
      selector: selectorLabels(context),
      ports: [{ name: "http", port: GATEWAY_PORT, targetPort: "http", protocol: "TCP" }, ...metricsServicePorts(context)],
    },
  };
}

/** The sidecar's Prometheus port, which the ServiceMonitor names; none without the sidecar. */
function metricsServicePorts(context: GatewayContext) {
  const sidecar = activeSidecar(context);
  return sidecar ? [{ name: METRICS_PORT_NAME, port: sidecar.metricsPort, targetPort: METRICS_PORT_NAME, protocol: "TCP" as const }] : [];
}
