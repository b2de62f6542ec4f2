/**
 * `npm run fleet -- status` reads each gateway's Deployment from its cluster, read-only, instead of trusting the
 * checkpoint: the `gateways` output is computed from the state, which still says `complete` after the cluster lost
 * the objects (a recreated cluster, a Deployment deleted by hand). Each cluster is reached through the kubeconfig its
 * providers use (clusterProvider.ts): the stack's secret inline kubeconfig, else `kubeconfig` (a path), else the
 * engine's $KUBECONFIG or ~/.kube/config; the cluster's `context`, else the current one.
 */
import { AppsV1Api, KubeConfig } from "@kubernetes/client-node";
import type { ClusterGateway, FleetModel } from "../config/load.js";
import { gatewayObjectNames } from "../gateway/naming.js";
import { rolloutStatus } from "../gateway/rolloutStatus.js";

/** What the cluster said about one gateway's Deployment. */
export type LiveRollout =
  | { source: "cluster"; status: "complete" | "progressing" | "failed" | "unknown"; [count: string]: unknown }
  /** The API server answered that the Deployment does not exist. */
  | { source: "cluster"; status: "missing" }
  /** The API server did not answer (or refused): nothing is known. */
  | { source: "cluster"; status: "unknown"; error: string };

/** The KubeConfig of one cluster as the program's providers resolve it. Secrets stay in memory only. */
export function clusterKubeConfig(gateway: ClusterGateway, inlineKubeconfigs: Readonly<Record<string, string>> | undefined, env: NodeJS.ProcessEnv): KubeConfig {
  const config = new KubeConfig();
  const inline = inlineKubeconfigs?.[gateway.cluster];
  if (inline !== undefined) config.loadFromString(inline);
  else if (gateway.kubeconfigPath !== undefined) config.loadFromFile(gateway.kubeconfigPath);
  else if (env.KUBECONFIG) config.loadFromFile(env.KUBECONFIG.split(":")[0]!);
  else config.loadFromDefault();
  if (gateway.context !== undefined) config.setCurrentContext(gateway.context);
  return config;
}

/** One gateway's Deployment, read live. */
export async function readLiveRollout(model: Pick<FleetModel, "tenant">, gateway: ClusterGateway, config: KubeConfig): Promise<LiveRollout> {
  const name = gatewayObjectNames(model.tenant).deployment;
  try {
    const deployment = await config.makeApiClient(AppsV1Api).readNamespacedDeployment({ name, namespace: gateway.namespace });
    const generation = deployment.metadata?.generation;
    const status = deployment.status;
    return {
      source: "cluster",
      ...rolloutStatus({
        ...(generation !== undefined ? { generation } : {}),
        ...(deployment.spec?.replicas !== undefined ? { specReplicas: deployment.spec.replicas } : {}),
        ...(status ? { status: status as NonNullable<Parameters<typeof rolloutStatus>[0]["status"]> } : {}),
      }),
    };
  } catch (error) {
    if ((error as { code?: number }).code === 404) return { source: "cluster", status: "missing" };
    return { source: "cluster", status: "unknown", error: `${gateway.cluster}: cluster did not answer: ${firstLine(error)}` };
  }
}

/**
 * The `gateways` output with each gateway's `rollout` replaced by what its cluster says, and a gateway the stack
 * config has but the output lacks added with its live rollout. Every cluster is read at once.
 */
export async function liveGateways(
  model: Pick<FleetModel, "tenant" | "gateways">,
  gatewaysOutput: unknown,
  configFor: (gateway: ClusterGateway) => KubeConfig,
): Promise<Record<string, unknown>> {
  const recorded = typeof gatewaysOutput === "object" && gatewaysOutput !== null ? (gatewaysOutput as Record<string, Record<string, unknown>>) : {};
  const live = await Promise.all(
    model.gateways.map(async (gateway) => {
      let rollout: LiveRollout;
      try {
        rollout = await readLiveRollout(model, gateway, configFor(gateway));
      } catch (error) {
        // Not the loader's message: for an inline kubeconfig it could quote the secret it failed to parse.
        rollout = { source: "cluster", status: "unknown", error: `${gateway.cluster}: its kubeconfig could not be loaded (${(error as Error).name ?? "error"})` };
      }
      return [gateway.cluster, { ...(recorded[gateway.cluster] ?? { cluster: gateway.cluster, wave: gateway.wave }), rollout }] as const;
    }),
  );
  return { ...recorded, ...Object.fromEntries(live) };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!.slice(0, 200);
}
