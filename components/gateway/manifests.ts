import type { IPersistentVolumeClaim } from "kubernetes-models/v1";
import type { GatewayContext } from "./context.js";
import { checksummedConfig, podChecksum, secretDigest } from "./checksum.js";
import { buildConfigMap, CONFIG_FILE_NAME } from "./specs/configMap.js";
import { buildGatewayDeployment } from "./specs/deployment.js";
import { buildPodDisruptionBudget } from "./specs/disruptionBudget.js";
import { buildIngress } from "./specs/ingress.js";
import { buildLimitRange, buildNamespace, buildResourceQuota } from "./specs/namespace.js";
import { buildNetworkPolicy } from "./specs/networkPolicy.js";
import { buildGatewaySecret } from "./specs/secret.js";
import { buildService } from "./specs/service.js";
import { buildServiceAccount } from "./specs/serviceAccount.js";
import { buildStateClaim } from "./specs/storage.js";
import { buildBackupClaim } from "./specs/backup.js";

/**
 * The claims that hold a tenant's data, by their key in the manifests and their Pulumi resource suffix. Both
 * render and gateway.ts walk this one list, so a claim added here is created, and kept (retainOnDelete,
 * protect in prod, spec create-only), by both.
 */
export function buildDataClaims(context: GatewayContext) {
  return [
    { key: "stateClaim", resourceSuffix: "state", manifest: buildStateClaim(context) },
    { key: "backupClaim", resourceSuffix: "backup", manifest: buildBackupClaim(context) },
  ] as const;
}
type DataClaimKey = ReturnType<typeof buildDataClaims>[number]["key"];

/**
 * Every Kubernetes object of one gateway, from plain values. The offline renderer calls this with
 * placeholder secrets; the Pulumi component calls the same builders one by one with secret Outputs.
 */
export function buildGatewayManifests(context: GatewayContext, secretValues: Readonly<Record<string, string>>) {
  const configMap = buildConfigMap(context);
  const configText = configMap.data![CONFIG_FILE_NAME]!;
  const checksum = podChecksum(checksummedConfig(context.gateway.settings.configMode, configText), secretDigest(secretValues));
  return {
    namespace: buildNamespace(context),
    resourceQuota: buildResourceQuota(context),
    limitRange: buildLimitRange(context),
    serviceAccount: buildServiceAccount(context),
    secret: buildGatewaySecret(context, secretValues),
    configMap,
    ...(Object.fromEntries(buildDataClaims(context).map(({ key, manifest }) => [key, manifest])) as Record<DataClaimKey, IPersistentVolumeClaim | undefined>),
    deployment: buildGatewayDeployment(context, checksum),
    service: buildService(context),
    ingress: buildIngress(context),
    networkPolicy: buildNetworkPolicy(context),
    podDisruptionBudget: buildPodDisruptionBudget(context),
  };
}
export type GatewayManifests = ReturnType<typeof buildGatewayManifests>;

/** The manifests in apply order (Namespace first), without the optional ones that are switched off (or left out). */
export function manifestList(manifests: { [K in keyof GatewayManifests]: GatewayManifests[K] | undefined }) {
  return Object.values(manifests).filter((object): object is NonNullable<typeof object> => object !== undefined);
}
