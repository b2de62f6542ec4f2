import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterGateway } from "../config/load.js";

/** A cluster's two providers: one per kind of object, by what the provider may do to an object already there. */
export interface ClusterProviders {
  /** Every object but the retained ones: refuses to create over an existing object (the provider's default). */
  objects: k8s.Provider;
  /**
   * The Namespace and the state claim only. They are `retainOnDelete`, so `pulumi destroy` (or a lost state)
   * leaves them on the cluster, and the next `up` must take them back instead of failing with "already
   * exists": this provider creates by server-side apply over an existing object (`upsertExistingObjects`).
   * The data-loss case that option guards against (a renamed resource: create, then delete the old name,
   * which is the same object) cannot delete these two, since their deletes never reach the cluster. Another
   * stack's object of the same name is not taken silently: its `openclaw.ai/stack` and
   * `openclaw.ai/environment` labels, owned by that stack's field manager, conflict with ours.
   */
  retained: k8s.Provider;
}

/**
 * The explicit Kubernetes providers of one cluster. A cluster being decommissioned keeps them, with the provider's
 * `deleteUnreachable`, so the deletes of its objects (which run through these providers as this update leaves
 * them) drop the objects from the state when the cluster is gone. `clusterIdentifier` is the cluster's stack name, so
 * editing a kubeconfig (new credentials, a moved endpoint) updates the providers instead of replacing
 * every object on the cluster.
 */
export function createClusterProviders(
  gateway: ClusterGateway,
  kubeconfigs: pulumi.Output<Record<string, string>> | undefined,
  opts: pulumi.CustomResourceOptions = {},
  naming: ProviderNaming = { prefix: gateway.cluster, previousPrefixes: gateway.renamedFrom ? [gateway.renamedFrom] : [] },
): ClusterProviders {
  const inline = gateway.hasInlineKubeconfig && kubeconfigs ? pulumi.secret(kubeconfigs.apply((all) => all[gateway.cluster]!)) : undefined;
  const args: k8s.ProviderArgs = {
    kubeconfig: inline ?? gateway.kubeconfigPath,
    context: gateway.context,
    // A renamed cluster is the same cluster: its identity stays the old name, or every object would be replaced.
    clusterIdentifier: gateway.renamedFrom ?? gateway.cluster,
    ...explicitProviderSwitches(gateway),
  };
  const options = (suffix: string): pulumi.CustomResourceOptions => ({
    ...opts,
    aliases: naming.previousPrefixes.map((prefix) => ({ name: `${prefix}-${suffix}` })),
  });
  return {
    objects: new k8s.Provider(`${naming.prefix}-kubernetes`, args, options("kubernetes")),
    retained: new k8s.Provider(`${naming.prefix}-kubernetes-retained`, { ...args, upsertExistingObjects: true }, options("kubernetes-retained")),
  };
}

/** The providers' resource names: `<prefix>-kubernetes` and `<prefix>-kubernetes-retained`, aliased from the earlier prefixes. */
export interface ProviderNaming {
  prefix: string;
  previousPrefixes: readonly string[];
}

/**
 * Every provider switch that otherwise defaults from a `PULUMI_K8S_*` variable of the shell running `pulumi up`
 * (the SDK reads them when an input is unset), so a laptop and CI compute the same provider inputs and no shell
 * can turn a guard off: `upsertExistingObjects` would let a create take over an object that is already there,
 * `deleteUnreachable` and `skipUpdateUnreachable` would drop or skip a cluster that is only briefly unreachable.
 *
 * One switch is left to the environment on purpose: `enablePatchForce` (`PULUMI_K8S_ENABLE_PATCH_FORCE=true`), the
 * documented one-off for moving a tenant between stacks (docs/operations.md); it changes nothing on other updates.
 */
export function explicitProviderSwitches(gateway: Pick<ClusterGateway, "decommission">) {
  return {
    enableServerSideApply: true,
    // Update the ConfigMap and Secret in place: by default the provider replaces them, and with fixed names it
    // deletes them first, leaving a gap in which a restarting pod cannot start. The checksum rolls the pod.
    enableConfigMapMutable: true,
    enableSecretMutable: true,
    // Only a cluster being decommissioned may leave the state while unreachable.
    deleteUnreachable: gateway.decommission,
    skipUpdateUnreachable: false,
    // The retained objects' provider overrides this one (see ClusterProviders.retained).
    upsertExistingObjects: false,
    suppressDeprecationWarnings: false,
    suppressHelmHookWarnings: false,
  } satisfies k8s.ProviderArgs;
}
