/**
 * A gateway's Service as this machine reaches it: the stack output `serviceUrl` names the in-cluster DNS name,
 * which resolves only inside the cluster; the Service's ClusterIP answers here too on the local clusters
 * (kube-proxy's rules on the real node's host, docs/testing.md).
 */
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";

/** `http://<clusterIP>:<port>` for the Service that `serviceUrl` (`http://<name>.<namespace>.svc.cluster.local:<port>`) names. */
export async function clusterIpUrl(kubeconfigPath: string, context: string, serviceUrl: string): Promise<string> {
  const { hostname, port } = new URL(serviceUrl);
  const [name, namespace] = hostname.split(".");
  if (!name || !namespace) throw new Error(`not a Service URL: ${serviceUrl}`);
  const config = new KubeConfig();
  config.loadFromFile(kubeconfigPath);
  config.setCurrentContext(context);
  const service = await config.makeApiClient(CoreV1Api).readNamespacedService({ name, namespace });
  const clusterIp = service.spec?.clusterIP;
  if (!clusterIp || clusterIp === "None") throw new Error(`Service ${namespace}/${name} in ${context} has no ClusterIP`);
  return `http://${clusterIp}:${port}`;
}
