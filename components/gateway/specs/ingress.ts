import type { IIngress } from "kubernetes-models/networking.k8s.io/v1";
import { GATEWAY_PORT } from "../../config/versions.js";
import type { GatewayContext } from "../context.js";
import { gatewayObjectNames, objectMeta } from "../naming.js";

/** The Ingress when enabled (the loader guarantees a host then); undefined otherwise. */
export function buildIngress(context: GatewayContext): IIngress | undefined {
  const { settings, host } = context.gateway;
  if (!settings.ingress.enabled || !host) return undefined;
  const names = gatewayObjectNames(context.tenant);
  const { className, annotations, tls } = settings.ingress;
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { ...objectMeta(context, names.ingress), ...(annotations ? { annotations } : {}) },
    spec: {
      ingressClassName: className,
      rules: [
        {
          host,
          http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: names.service, port: { number: GATEWAY_PORT } } } }] },
        },
      ],
      ...(tls.enabled ? { tls: [{ hosts: [host], secretName: tls.secretName ?? names.tlsSecret }] } : {}),
    },
  };
}

/** The public URL users open, or null without an ingress. */
export function ingressUrl(context: GatewayContext): string | null {
  const { settings, host } = context.gateway;
  if (!settings.ingress.enabled || !host) return null;
  return `${settings.ingress.tls.enabled ? "https" : "http"}://${host}`;
}
