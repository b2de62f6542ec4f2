import type { FleetWithAgent } from "../agent/load.js";
import type { GatewayContext } from "../gateway/context.js";
import { buildGatewayManifests, renderedManifestList } from "../gateway/manifests.js";
import { secretKeys } from "../gateway/specs/secret.js";

/**
 * What the offline renderer hands the spec builders where a secret value would be. It only feeds the pod's
 * checksum annotation: the Secret that would carry it is never rendered (see RenderedCluster.secret).
 */
export const REDACTED = "<redacted>";

/**
 * The gateway's env Secret, which the render leaves out: applied with a placeholder value, the gateway would run
 * with the placeholder as its token. Whoever applies the render supplies a Secret of this name with these keys.
 */
export interface SuppliedSecret {
  name: string;
  namespace: string;
  /** `OPENCLAW_GATEWAY_TOKEN`, then the stack's `apiKeys` names. */
  keys: string[];
}

export interface RenderedCluster {
  cluster: string;
  wave: number;
  /** Every object `pulumi up` applies for this gateway, but the env Secret. */
  manifests: ReturnType<typeof renderedManifestList>;
  secret: SuppliedSecret;
}

export function gatewayContexts(model: FleetWithAgent): GatewayContext[] {
  return model.gateways.map((gateway) => ({ tenant: model.tenant, environment: model.environment, gateway, apiKeyNames: model.apiKeyNames, ...(model.agent ? { agent: model.agent } : {}), stack: model.stack, project: model.project, organization: model.organization }));
}

/** Each cluster's manifests, with no secret value and no Secret: safe to print, diff, commit and apply. */
export function renderFleet(model: FleetWithAgent): RenderedCluster[] {
  return gatewayContexts(model).map((context) => {
    const keys = secretKeys(context);
    const manifests = buildGatewayManifests(context, Object.fromEntries(keys.map((key) => [key, REDACTED])));
    const { secret } = manifests;
    return {
      cluster: context.gateway.cluster,
      wave: context.gateway.wave,
      manifests: renderedManifestList(manifests),
      secret: { name: secret.metadata!.name!, namespace: secret.metadata!.namespace!, keys },
    };
  });
}
