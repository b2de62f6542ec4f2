import type { INetworkPolicy, INetworkPolicyEgressRule, INetworkPolicyIngressRule, INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1";
import type { GatewaySettings } from "../../config/schema.js";
import { GATEWAY_PORT } from "../../config/versions.js";
import type { GatewayContext } from "../context.js";
import { gatewayObjectNames, objectMeta, selectorLabels } from "../naming.js";
import { activeSidecar } from "./collector.js";

/**
 * HTTPS goes to the internet only: private, carrier-grade NAT and link-local ranges hold the cluster's own
 * services, the API server and cloud metadata endpoints. Reach an internal service through `extraEgress`.
 */
const PRIVATE_IPV4 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16"] as const;
const PRIVATE_IPV6 = ["fc00::/7", "fe80::/10"] as const;

const namespacePeer = (namespace: string): INetworkPolicyPeer => ({
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } },
});

function extraEgressRule(rule: NonNullable<GatewaySettings["networkPolicy"]["extraEgress"]>[number]): INetworkPolicyEgressRule {
  const peers = [...(rule.cidrs ?? []).map((cidr) => ({ ipBlock: { cidr } })), ...(rule.namespaces ?? []).map(namespacePeer)];
  return { ...(peers.length > 0 ? { to: peers } : {}), ports: rule.ports.map(({ port, protocol }) => ({ port, protocol })) };
}

/**
 * DNS only to the cluster's DNS pods (and node-local caches by address): port 53 anywhere would let a
 * compromised gateway tunnel data out through any resolver on the internet.
 */
function dnsEgressRule(dns: GatewaySettings["networkPolicy"]["dns"]): INetworkPolicyEgressRule {
  const podLabels = Object.fromEntries(Object.entries(dns.podLabels).filter((entry): entry is [string, string] => entry[1] !== null));
  return {
    to: [{ ...namespacePeer(dns.namespace), podSelector: { matchLabels: podLabels } }, ...(dns.cidrs ?? []).map((cidr) => ({ ipBlock: { cidr } }))],
    ports: [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }],
  };
}

/**
 * Default deny both ways. In: only the gateway port, only from the configured (ingress controller)
 * namespaces. Out: DNS to the cluster DNS, and HTTPS to public addresses (chat platforms and model APIs, the public npm
 * registry and ClawHub), plus `extraEgress` and, with installs on, `installs.egress`.
 */
export function buildNetworkPolicy(context: GatewayContext): INetworkPolicy | undefined {
  const { networkPolicy } = context.gateway.settings;
  if (!networkPolicy.enabled) return undefined;
  const ingressFrom = networkPolicy.ingressFromNamespaces.map(namespacePeer);
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: objectMeta(context, gatewayObjectNames(context.tenant).networkPolicy),
    spec: {
      podSelector: { matchLabels: selectorLabels(context) },
      policyTypes: ["Ingress", "Egress"],
      ingress: [...gatewayIngressRules(ingressFrom), ...scrapeIngressRules(context)],
      egress: [
        dnsEgressRule(networkPolicy.dns),
        {
          to: [
            { ipBlock: { cidr: "0.0.0.0/0", except: [...PRIVATE_IPV4] } },
            { ipBlock: { cidr: "::/0", except: [...PRIVATE_IPV6] } },
          ],
          ports: [{ port: 443, protocol: "TCP" }],
        },
        ...(networkPolicy.extraEgress ?? []).map(extraEgressRule),
        // A registry mirror on a private address, only while installing at start is on (the rule above covers public ones).
        ...(context.gateway.settings.installs?.egress ?? []).map(extraEgressRule),
      ],
    },
  };
}

function gatewayIngressRules(from: INetworkPolicyPeer[]): INetworkPolicyIngressRule[] {
  return from.length > 0 ? [{ from, ports: [{ port: GATEWAY_PORT, protocol: "TCP" }] }] : [];
}

/**
 * With the sidecar: the scrapers (the monitoring namespace by default) reach its metrics port and nothing else; the
 * namespace and pod selectors are one peer, so both must match.
 */
function scrapeIngressRules(context: GatewayContext): INetworkPolicyIngressRule[] {
  const sidecar = activeSidecar(context);
  if (!sidecar) return [];
  const { namespaceSelector, podSelector } = sidecar.scrapeFrom;
  return [{ from: [{ namespaceSelector, ...(podSelector ? { podSelector } : {}) }], ports: [{ port: sidecar.metricsPort, protocol: "TCP" as const }] }];
}
