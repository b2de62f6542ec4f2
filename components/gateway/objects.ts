/**
 * The one list of a gateway's Kubernetes objects. `npm run render` (manifests.ts) and `pulumi up` (resources.ts)
 * both walk it, so what one produces the other does, and a new object is one entry here. Pure: no Pulumi.
 */
import type { GatewayContext } from "./context.js";
import { buildAppTeamBinding, buildAppTeamRole, buildPlatformBinding } from "./specs/access.js";
import { buildAgentContentConfigMap } from "./specs/agentContent.js";
import { buildBackupClaim } from "./specs/backup.js";
import { buildCollectorConfigMap } from "./specs/collector.js";
import { buildConfigMap } from "./specs/configMap.js";
import { buildGatewayDeployment } from "./specs/deployment.js";
import { buildPodDisruptionBudget } from "./specs/disruptionBudget.js";
import { buildIngress } from "./specs/ingress.js";
import { buildLimitRange, buildNamespace, buildResourceQuota } from "./specs/namespace.js";
import { buildPrometheusRule, buildServiceMonitor } from "./specs/monitoring.js";
import { buildNetworkPolicy } from "./specs/networkPolicy.js";
import { buildGatewaySecret } from "./specs/secret.js";
import { buildService } from "./specs/service.js";
import { buildServiceAccount } from "./specs/serviceAccount.js";
import { buildStateClaim } from "./specs/storage.js";

/**
 * What an object carries that exists only at deploy time. Render gives plain stand-ins (and leaves an object
 * carrying secret values out); `pulumi up` builds with stand-ins too, then puts its secret Outputs in their place.
 */
export interface DeployTimeValues {
  /** The env Secret's values: the gateway token and the API keys. */
  secretValues: Readonly<Record<string, string>>;
  /** The pod template's `openclaw.ai/config-checksum`, which rolls the pod on a config or secret change. */
  podChecksum: string;
}

export interface GatewayObject {
  /** Its name in `buildGatewayManifests`' result, and how `waitsFor` refers to it. */
  key: string;
  /**
   * The Pulumi type token: with `<component name>-<resourceSuffix>` and the parent it makes the URN, which an
   * existing stack must keep (test/gateway/fixtures/urns.json). Change neither without `aliases`.
   */
  type: string;
  resourceSuffix: string;
  /** The manifest, or undefined when the stack switches the object off (its condition lives in the builder). */
  build: (context: GatewayContext, values: DeployTimeValues) => { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } } | undefined;
  /** Keys of objects created before this one (`dependsOn`); ones switched off are skipped. */
  waitsFor: readonly string[];
  /** Tenant state: `pulumi destroy` leaves it (unless the stack is throwaway), protected in prod, adopted on redeploy. */
  retained?: boolean;
  /** The provider replaces a claim whose spec changes, deleting it first: its spec is create-only. */
  specCreateOnly?: boolean;
  /** Which deploy-time value the object carries (DeployTimeValues). */
  carries?: "secretValues" | "podChecksum";
}

/** In apply order: an object comes after everything it waits for (a unit test holds the list to it). */
export const GATEWAY_OBJECTS = [
  // Deleting a Namespace deletes the claims in it, so it is kept like the claims are.
  { key: "namespace", type: "kubernetes:core/v1:Namespace", resourceSuffix: "namespace", build: buildNamespace, waitsFor: [], retained: true },
  { key: "resourceQuota", type: "kubernetes:core/v1:ResourceQuota", resourceSuffix: "quota", build: buildResourceQuota, waitsFor: ["namespace"] },
  { key: "limitRange", type: "kubernetes:core/v1:LimitRange", resourceSuffix: "limits", build: buildLimitRange, waitsFor: ["namespace"] },
  { key: "serviceAccount", type: "kubernetes:core/v1:ServiceAccount", resourceSuffix: "service-account", build: buildServiceAccount, waitsFor: ["namespace"] },
  {
    key: "secret",
    type: "kubernetes:core/v1:Secret",
    resourceSuffix: "env",
    build: (context: GatewayContext, values: DeployTimeValues) => buildGatewaySecret(context, values.secretValues),
    waitsFor: ["namespace"],
    carries: "secretValues",
  },
  { key: "configMap", type: "kubernetes:core/v1:ConfigMap", resourceSuffix: "config", build: buildConfigMap, waitsFor: ["namespace"] },
  // Present when the stack has an `agent` folder (docs/agents.md).
  { key: "agentContent", type: "kubernetes:core/v1:ConfigMap", resourceSuffix: "agent-content", build: buildAgentContentConfigMap, waitsFor: ["namespace"] },
  // Present with the OpenTelemetry Collector sidecar (`observability.sidecar.enabled`).
  { key: "collectorConfig", type: "kubernetes:core/v1:ConfigMap", resourceSuffix: "otel-collector-config", build: buildCollectorConfigMap, waitsFor: ["namespace"] },
  // Absent when the stack brings its own claim (`storage.existingClaim`).
  { key: "stateClaim", type: "kubernetes:core/v1:PersistentVolumeClaim", resourceSuffix: "state", build: buildStateClaim, waitsFor: ["namespace"], retained: true, specCreateOnly: true },
  // Present when backups are on (the default in prod).
  { key: "backupClaim", type: "kubernetes:core/v1:PersistentVolumeClaim", resourceSuffix: "backup", build: buildBackupClaim, waitsFor: ["namespace"], retained: true, specCreateOnly: true },
  {
    key: "deployment",
    type: "kubernetes:apps/v1:Deployment",
    resourceSuffix: "deployment",
    build: (context: GatewayContext, values: DeployTimeValues) => buildGatewayDeployment(context, values.podChecksum),
    // After what its pod mounts and reads, so the first pod does not start against missing objects.
    waitsFor: ["namespace", "serviceAccount", "secret", "configMap", "agentContent", "collectorConfig", "stateClaim", "backupClaim"],
    carries: "podChecksum",
  },
  { key: "service", type: "kubernetes:core/v1:Service", resourceSuffix: "service", build: buildService, waitsFor: ["namespace"] },
  // Present when `ingress.enabled` and the cluster has a host.
  { key: "ingress", type: "kubernetes:networking.k8s.io/v1:Ingress", resourceSuffix: "ingress", build: buildIngress, waitsFor: ["namespace"] },
  // Present unless `networkPolicy.enabled` is false.
  { key: "networkPolicy", type: "kubernetes:networking.k8s.io/v1:NetworkPolicy", resourceSuffix: "network-policy", build: buildNetworkPolicy, waitsFor: ["namespace"] },
  { key: "podDisruptionBudget", type: "kubernetes:policy/v1:PodDisruptionBudget", resourceSuffix: "disruption-budget", build: buildPodDisruptionBudget, waitsFor: ["namespace"] },
  // Present when the stack sets `access` (appTeam, platform): Kubernetes access to the tenant namespace.
  { key: "appTeamRole", type: "kubernetes:rbac.authorization.k8s.io/v1:Role", resourceSuffix: "app-team-role", build: buildAppTeamRole, waitsFor: ["namespace"] },
  { key: "appTeamBinding", type: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", resourceSuffix: "app-team-binding", build: buildAppTeamBinding, waitsFor: ["namespace", "appTeamRole"] },
  { key: "platformBinding", type: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", resourceSuffix: "platform-binding", build: buildPlatformBinding, waitsFor: ["namespace"] },
  // Present where `observability.prometheusOperator.enabled` says the cluster has the Prometheus Operator's CRDs
  // (the ServiceMonitor also needs the sidecar, whose port it scrapes).
  { key: "serviceMonitor", type: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor", resourceSuffix: "service-monitor", build: buildServiceMonitor, waitsFor: ["namespace", "service"] },
  { key: "prometheusRule", type: "kubernetes:monitoring.coreos.com/v1:PrometheusRule", resourceSuffix: "prometheus-rule", build: buildPrometheusRule, waitsFor: ["namespace"] },
] as const satisfies readonly GatewayObject[];

export type GatewayObjectEntry = (typeof GATEWAY_OBJECTS)[number];
export type GatewayObjectKey = GatewayObjectEntry["key"];
export type GatewayObjectType = GatewayObjectEntry["type"];

/** Each object's manifest by key, typed per object (undefined where the builder may switch it off). */
export type GatewayManifests = { [Entry in GatewayObjectEntry as Entry["key"]]: ReturnType<Entry["build"]> };

/** Every object's manifest, in list order; the ones switched off are undefined. */
export function buildObjects(context: GatewayContext, values: DeployTimeValues): GatewayManifests {
  return Object.fromEntries(GATEWAY_OBJECTS.map((object) => [object.key, object.build(context, values)])) as GatewayManifests;
}

/** The apiVersion and kind a type token of the list stands for (`kubernetes:core/v1:Namespace` -> v1, Namespace). */
export function manifestTypeOf(type: string): { apiVersion: string; kind: string } {
  const [, groupVersion, kind] = /^kubernetes:(.+):(\w+)$/.exec(type)!;
  return { apiVersion: groupVersion!.replace(/^core\//, ""), kind: kind! };
}
