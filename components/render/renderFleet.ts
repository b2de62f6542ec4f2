import type { FleetModel } from "../config/load.js";
import type { GatewayContext } from "../gateway/context.js";
import { buildGatewayManifests, manifestList } from "../gateway/manifests.js";
import { secretKeys } from "../gateway/specs/secret.js";

/** What the offline renderer puts where a secret value would be. */
export const REDACTED = "<redacted>";

export interface RenderedCluster {
  cluster: string;
  wave: number;
  manifests: ReturnType<typeof manifestList>;
}

export function gatewayContexts(model: FleetModel): GatewayContext[] {
  return model.gateways.map((gateway) => ({ tenant: model.tenant, environment: model.environment, gateway, apiKeyNames: model.apiKeyNames, stack: model.stack, project: model.project, organization: model.organization }));
}

/** Each cluster's manifests with every secret value redacted: safe to print, diff and commit. */
export function renderFleet(model: FleetModel): RenderedCluster[] {
  return gatewayContexts(model).map((context) => {
    const redacted = Object.fromEntries(secretKeys(context).map((key) => [key, REDACTED]));
    return { cluster: context.gateway.cluster, wave: context.gateway.wave, manifests: manifestList(buildGatewayManifests(context, redacted)) };
  });
}
