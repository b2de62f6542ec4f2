import * as pulumi from "@pulumi/pulumi";
import type { FleetModel } from "../config/load.js";
import type { Rollout } from "../gateway/rolloutStatus.js";
import type { DeployedGateway } from "./fleet.js";

export interface GatewayOutput {
  cluster: string;
  region: string | null;
  wave: number;
  namespace: string;
  image: string;
  configHash: string;
  serviceUrl: string;
  url: string | null;
  /**
   * The claim the pre-upgrade archives are on (null: backups off). The program cannot name the newest
   * archive: the pod writes it at start, after `pulumi up` has its inputs (docs/upgrades.md: how to list them).
   */
  backupClaim: string | null;
  /**
   * The archive `restore` names, restored once per name before the gateway starts; `before-upgrade:<image>` when the
   * pod restores the archive taken before the upgrade to that image (a rollback); null: none.
   */
  restoreArchive: string | null;
  rollout: Rollout;
}

/** The stack outputs contract: `gateways`, the secret `gatewayTokens`, and the `fleet` summary. */
export function fleetOutputs(model: FleetModel, deployed: readonly DeployedGateway[]) {
  const gateways: pulumi.Output<Record<string, GatewayOutput>> = pulumi.output(
    Object.fromEntries(
      deployed.map(({ cluster, region, wave, image, gateway }) => [
        cluster,
        {
          cluster,
          region,
          wave,
          namespace: gateway.namespace,
          image,
          configHash: gateway.configHash,
          serviceUrl: gateway.serviceUrl,
          url: gateway.url,
          backupClaim: gateway.backupClaim,
          restoreArchive: gateway.restoreArchive,
          rollout: gateway.rollout,
        },
      ]),
    ),
  ) as pulumi.Output<Record<string, GatewayOutput>>;

  const gatewayTokens = pulumi.secret(pulumi.output(Object.fromEntries(deployed.map(({ cluster, gateway }) => [cluster, gateway.token]))));

  const fleet = gateways.apply((byCluster) => ({
    tenant: model.tenant,
    environment: model.environment,
    ring: model.ring,
    clusters: deployed.map((d) => d.cluster),
    waves: [...new Set(deployed.map((d) => d.wave))].sort((a, b) => a - b),
    complete: Object.values(byCluster).every((g) => g.rollout.status === "complete"),
  }));

  return { gateways, gatewayTokens, fleet };
}
