import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { FleetWithAgent } from "../agent/load.js";
import { Gateway } from "../gateway/gateway.js";
import { createClusterProviders } from "./clusterProvider.js";
import { fleetWaves } from "./waves.js";

export interface FleetSecrets {
  /** `apiKeys` stack config, as a secret Output. */
  apiKeys?: pulumi.Output<Record<string, string>>;
  /** `kubeconfigs` stack config, as a secret Output. */
  kubeconfigs?: pulumi.Output<Record<string, string>>;
}

export interface DeployedGateway {
  cluster: string;
  region: string | null;
  wave: number;
  image: string;
  gateway: Gateway;
}

/**
 * One Gateway per cluster, wave by wave: every object of wave N waits for the Deployments of all earlier
 * waves, and the provider's await makes a Deployment wait for its rollout, so a failed canary stops the fleet.
 */
export function deployFleet(model: FleetWithAgent, secrets: FleetSecrets = {}): DeployedGateway[] {
  // Default providers are disabled for the stack; the random provider needs no configuration, one serves all.
  const randomProvider = new random.Provider("random");
  const deployed: DeployedGateway[] = [];
  const earlierDeployments: k8s.apps.v1.Deployment[] = [];
  // No gateway on these: the engine deletes what the state has there, through providers that may drop it.
  for (const gone of model.decommissioned) createClusterProviders(gone, secrets.kubeconfigs);
  for (const wave of fleetWaves(model.gateways)) {
    const waitFor = [...earlierDeployments];
    for (const clusterGateway of wave) {
      const providers = createClusterProviders(clusterGateway, secrets.kubeconfigs);
      const { renamedFrom } = clusterGateway;
      const gateway = new Gateway(
        clusterGateway.cluster,
        {
          tenant: model.tenant,
          environment: model.environment,
          gateway: clusterGateway,
          apiKeys: secrets.apiKeys,
          apiKeyNames: model.apiKeyNames,
          ...(model.agent ? { agent: model.agent } : {}),
          waitFor,
          retainedObjectsProvider: providers.retained,
          stack: model.stack,
          ...(model.project !== undefined ? { project: model.project } : {}),
          ...(model.organization !== undefined ? { organization: model.organization } : {}),
          retainState: model.retainState,
          previously: renamedFrom ? [{ prefix: renamedFrom }] : [],
        },
        {
          providers: { kubernetes: providers.objects, random: randomProvider },
          // Named `<cluster>-gateway` before (its children were already `<cluster>-*`), and after the old name when renamed.
          aliases: [clusterGateway.cluster, ...(renamedFrom ? [renamedFrom] : [])].flatMap((cluster) => [
            ...(cluster === clusterGateway.cluster ? [] : [{ name: cluster }]),
            { name: `${cluster}-gateway` },
          ]),
        },
      );
      const { cluster, region, wave, settings } = clusterGateway;
      deployed.push({ cluster, region: region ?? null, wave, image: settings.image, gateway });
      earlierDeployments.push(gateway.deployment);
    }
  }
  return deployed;
}
