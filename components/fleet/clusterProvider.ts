import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterGateway } from "../config/load.js";

/**
 * The explicit Kubernetes provider of one cluster. `clusterIdentifier` is the cluster's stack name, so
 * editing a kubeconfig (new credentials, a moved endpoint) updates the provider instead of replacing
 * every object on the cluster.
 */
export function createClusterProvider(
  gateway: ClusterGateway,
  kubeconfigs: pulumi.Output<Record<string, string>> | undefined,
  opts: pulumi.CustomResourceOptions = {},
): k8s.Provider {
  const inline = gateway.hasInlineKubeconfig && kubeconfigs ? pulumi.secret(kubeconfigs.apply((all) => all[gateway.cluster]!)) : undefined;
  return new k8s.Provider(
    `${gateway.cluster}-kubernetes`,
    {
      kubeconfig: inline ?? gateway.kubeconfigPath,
      context: gateway.context,
      clusterIdentifier: gateway.cluster,
      enableServerSideApply: true,
      // Update the ConfigMap and Secret in place: by default the provider replaces them, and with fixed names it
      // deletes them first, leaving a gap in which a restarting pod cannot start. The checksum rolls the pod.
      enableConfigMapMutable: true,
      enableSecretMutable: true,
    },
    opts,
  );
}
