/**
 * The gateway's pods on the real node, for the live-pod suites (test/e2e/live.mocharc.json): waiting for a Ready pod,
 * and kubectl and exec through the API server and the real kubelet.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { CoreV1Api, type V1Pod } from "@kubernetes/client-node";
import { toolBinDirs } from "../../components/automation/localPulumi.js";
import { testKubeconfigPath, waitFor, type TestCluster } from "../cluster/kube.js";

const run = promisify(execFile);
export const REAL_NODE = "real-node-0";

/** Fails the suite at once, saying what to run, when cluster 1 has no Ready real node. */
export async function requireRealNode(cluster: TestCluster): Promise<void> {
  const node = await cluster.config.makeApiClient(CoreV1Api).readNode({ name: REAL_NODE }).catch(() => undefined);
  const ready = node?.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
  if (!ready) throw new Error(`no Ready node ${REAL_NODE} in ${cluster.context}: run \`scripts/clusters.sh up --real-node\` first (scripts/real-node.sh)`);
}

/** The namespace's pods that are not being deleted. */
export async function podsIn(cluster: TestCluster, namespace: string): Promise<V1Pod[]> {
  const pods = await cluster.config.makeApiClient(CoreV1Api).listNamespacedPod({ namespace });
  return pods.items.filter((pod) => !pod.metadata!.deletionTimestamp);
}

export const condition = (pod: V1Pod, type: string) => pod.status?.conditions?.find((c) => c.type === type);
export const isReady = (pod: V1Pod) => condition(pod, "Ready")?.status === "True";

/** The namespace's one gateway pod, once it is Ready (and not `exceptUid`, the pod it replaces). */
export async function readyPodIn(cluster: TestCluster, namespace: string, exceptUid?: string, timeoutMs = 300_000): Promise<V1Pod> {
  let last = "";
  return waitFor(
    "the gateway pod Ready on the real node",
    timeoutMs,
    async () => {
      const pods = (await podsIn(cluster, namespace)).filter((pod) => pod.metadata!.uid !== exceptUid);
      last = pods.map((pod) => `${pod.metadata!.name} ${pod.status?.phase} ${JSON.stringify(pod.status?.containerStatuses?.map((s) => s.state))}`).join("; ");
      return pods.length === 1 && isReady(pods[0]!) ? pods[0] : undefined;
    },
    () => last,
  );
}

const kubectlBinary = () => join(toolBinDirs(["k8s"])[0]!, "kubectl");
const kubectlPrefix = (cluster: TestCluster, namespace: string) => ["--kubeconfig", testKubeconfigPath(), "--context", cluster.context, "-n", namespace];

/** `kubectl` against one cluster in `namespace`: its stdout, or its output in the error. */
export async function kubectlIn(cluster: TestCluster, namespace: string, args: string[], timeout = 60_000): Promise<string> {
  try {
    return (await run(kubectlBinary(), [...kubectlPrefix(cluster, namespace), ...args], { timeout, maxBuffer: 16 * 2 ** 20 })).stdout;
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    throw new Error(`kubectl ${args.slice(0, 2).join(" ")} ... exited ${failure.code}: ${failure.stdout ?? ""}${failure.stderr ?? ""}`);
  }
}

/** `kubectl exec` of a shell script into one of the pod's containers: its exit code and output, never a throw. */
export async function execIn(cluster: TestCluster, namespace: string, pod: V1Pod, script: string, container = "gateway"): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(kubectlBinary(), [...kubectlPrefix(cluster, namespace), "exec", pod.metadata!.name!, "-c", container, "--", "sh", "-c", script], { timeout: 60_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failure.code === "number" ? failure.code : -1, output: `${failure.stdout ?? ""}${failure.stderr ?? ""}` };
  }
}
