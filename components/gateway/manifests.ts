import { managedContentDigest } from "../agent/content.js";
import { checksummedConfig, podChecksum, secretDigest, withManagedContent } from "./checksum.js";
import type { GatewayContext } from "./context.js";
import { buildObjects, GATEWAY_OBJECTS, type GatewayManifests, type GatewayObject } from "./objects.js";
import { activeSidecar, collectorConfigText } from "./specs/collector.js";
import { buildConfigMap, CONFIG_FILE_NAME } from "./specs/configMap.js";

export type { GatewayManifests };

/**
 * Every Kubernetes object of one gateway, from plain values (objects.ts lists them). The offline renderer calls
 * this with placeholder secrets; `pulumi up` walks the same list with secret Outputs (resources.ts).
 */
export function buildGatewayManifests(context: GatewayContext, secretValues: Readonly<Record<string, string>>): GatewayManifests {
  return buildObjects(context, { secretValues, podChecksum: podConfigChecksum(context, secretValues) });
}

/** The generated openclaw.json, as the ConfigMap holds it. */
export function gatewayConfigText(context: GatewayContext): string {
  return buildConfigMap(context).data![CONFIG_FILE_NAME]!;
}

/**
 * The pod's config checksum for these secret values (render and `pulumi up` compute it here alike). The sidecar's
 * config counts in both config modes (it is mounted, not seeded); without a sidecar the checksum is what it was.
 */
export function podConfigChecksum(context: GatewayContext, secretValues: Readonly<Record<string, string>>): string {
  const sidecar = activeSidecar(context);
  const collector = sidecar ? `\n${collectorConfigText(sidecar)}` : "";
  const checksum = podChecksum(checksummedConfig(context.gateway.settings.configMode, gatewayConfigText(context)) + collector, secretDigest(secretValues));
  return withManagedContent(checksum, context.agent ? managedContentDigest(context.agent) : undefined);
}

/** The manifests in apply order (Namespace first), without the optional ones that are switched off (or left out). */
export function manifestList(manifests: { [K in keyof GatewayManifests]: GatewayManifests[K] | undefined }) {
  return GATEWAY_OBJECTS.map((object) => manifests[object.key]).filter((object): object is NonNullable<typeof object> => object !== undefined);
}

/**
 * What the offline render writes: every manifest but those carrying secret values (applied with a placeholder,
 * the gateway would run with the placeholder as its token), which it names for whoever applies it to supply.
 */
export function renderedManifestList(manifests: GatewayManifests) {
  return manifestList(Object.fromEntries((GATEWAY_OBJECTS as readonly GatewayObject[]).map((object) => [object.key, object.carries === "secretValues" ? undefined : manifests[object.key as keyof GatewayManifests]])) as GatewayManifests);
}
