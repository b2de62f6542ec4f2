/**
 * Why a gateway is not ready, as data: the last warnings of the pods in its namespace, read from its cluster with
 * client-node, so a failed canary says why (FailedScheduling, BackOff, Unhealthy, FailedMount, image pulls,
 * OOMKilled) without kubectl. Two sources: the namespace's Warning events about pods that exist now (a deleted pod's
 * events outlive it by an hour and would blame a rollout that already replaced it), and the pods' container states
 * (an OOM kill or a CrashLoopBackOff is a container state, not an event reason).
 *
 * Secrets: kubelet and scheduler messages name Secrets, keys and volumes, never their values; HTTP probe failures say
 * the status code, not the body (the gateway's probes are HTTP: gateway/specs/deployment.ts). A container's
 * termination message is never read: with FallbackToLogsOnError it is the container's last log lines. A token-shaped
 * run in a message is still masked, in case a future message quotes one.
 */
import { CoreV1Api, type CoreV1Event, type KubeConfig, type V1Pod } from "@kubernetes/client-node";
import type { ClusterGateway } from "../config/load.js";
import { readLiveRollout } from "./liveRollout.js";

/** One deduplicated warning: the same reason and message seen `count` times, last at `lastSeen`. */
export interface PodWarning {
  reason: string;
  message: string;
  count: number;
  /** ISO 8601, or null when the API server gave no time. */
  lastSeen: string | null;
  /** The pod it was last seen on. */
  pod: string;
}

/** A gateway's newest few warnings only: the report and an error line stay short. */
export const MAX_WARNINGS_PER_GATEWAY = 4;
export const MAX_WARNING_MESSAGE = 240;

/** Container waiting reasons that say the container cannot run (ContainerCreating and PodInitializing are normal). */
const BAD_WAITING = new Set(["CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError", "CreateContainerError", "InvalidImageName", "RunContainerError"]);

/**
 * The warnings worth showing from a namespace's events and pods: Warning events about pods listed, plus bad container
 * states, deduplicated by reason and message (counts summed, newest time kept), newest first, at most `limit`.
 */
export function selectPodWarnings(events: readonly CoreV1Event[], pods: readonly V1Pod[], limit = MAX_WARNINGS_PER_GATEWAY): PodWarning[] {
  const podNames = new Map(pods.flatMap((pod) => (pod.metadata?.uid && pod.metadata.name ? [[pod.metadata.uid, pod.metadata.name] as const] : [])));
  const seen: PodWarning[] = [];
  for (const event of events) {
    const involved = event.involvedObject;
    if (event.type !== "Warning" || involved?.kind !== "Pod" || !involved.uid || !podNames.has(involved.uid)) continue;
    seen.push({
      reason: event.reason ?? "Unknown",
      message: event.message ?? "",
      count: event.series?.count ?? event.count ?? 1,
      lastSeen: isoTime(event.series?.lastObservedTime ?? event.lastTimestamp ?? event.eventTime ?? event.metadata?.creationTimestamp),
      pod: podNames.get(involved.uid)!,
    });
  }
  for (const pod of pods) seen.push(...containerWarnings(pod));
  // Newest first; a container's waiting state has no time because it is the present: it goes first.
  const time = (warning: PodWarning) => (warning.lastSeen === null ? Infinity : Date.parse(warning.lastSeen));
  return deduplicate(seen)
    .sort((a, b) => time(b) - time(a))
    .slice(0, limit);
}

/** A pod's containers (init containers too) that cannot run or were OOM-killed, as warnings. */
function containerWarnings(pod: V1Pod): PodWarning[] {
  const name = pod.metadata?.name ?? "";
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return statuses.flatMap((status): PodWarning[] => {
    const found: PodWarning[] = [];
    const waiting = status.state?.waiting;
    if (waiting?.reason && BAD_WAITING.has(waiting.reason)) {
      found.push({ reason: waiting.reason, message: waiting.message ?? `container ${status.name} is waiting`, count: 1, lastSeen: null, pod: name });
    }
    // The kubelet emits no event for an OOM kill: the container's last (or current) termination says it. Its
    // `message` is not read (it can be the container's log).
    for (const terminated of [status.state?.terminated, status.lastState?.terminated]) {
      if (terminated?.reason !== "OOMKilled") continue;
      found.push({
        reason: "OOMKilled",
        message: `container ${status.name} was killed for exceeding its memory limit (exit ${terminated.exitCode}, restarts ${status.restartCount})`,
        count: 1,
        lastSeen: isoTime(terminated.finishedAt),
        pod: name,
      });
    }
    return found;
  });
}

function deduplicate(warnings: readonly PodWarning[]): PodWarning[] {
  const byKey = new Map<string, PodWarning>();
  for (const warning of warnings) {
    const clean = { ...warning, message: shortMessage(warning.message) };
    const key = `${clean.reason}\u0000${clean.message}`;
    const known = byKey.get(key);
    if (!known) byKey.set(key, clean);
    else {
      known.count += clean.count;
      if ((clean.lastSeen ?? "") > (known.lastSeen ?? "")) Object.assign(known, { lastSeen: clean.lastSeen, pod: clean.pod });
    }
  }
  return [...byKey.values()];
}

/**
 * One line, bounded, with anything token-shaped masked: a run of 32 or more token characters mixing upper case, lower
 * case and digits (the generated gateway token is 64 alphanumerics; API keys look alike). Object names, UIDs and
 * digests are lower case, so they stay readable.
 */
export function shortMessage(message: string): string {
  const line = message
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[A-Za-z0-9+/=_-]{32,}/g, (run) => (/[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run) ? "[redacted]" : run));
  return line.length > MAX_WARNING_MESSAGE ? `${line.slice(0, MAX_WARNING_MESSAGE - 3)}...` : line;
}

function isoTime(value: Date | string | undefined | null): string | null {
  if (value === undefined || value === null) return null;
  const date = new Date(value);
  return Number.isNaN(+date) ? null : date.toISOString();
}

/** One gateway's warnings, read from its cluster (its namespace's pods and Warning events). Throws when the cluster does not answer. */
export async function readPodWarnings(gateway: Pick<ClusterGateway, "namespace">, config: KubeConfig): Promise<PodWarning[]> {
  const core = config.makeApiClient(CoreV1Api);
  const [pods, events] = await Promise.all([
    core.listNamespacedPod({ namespace: gateway.namespace }),
    core.listNamespacedEvent({ namespace: gateway.namespace, fieldSelector: "type=Warning" }),
  ]);
  return selectPodWarnings(events.items, pods.items);
}

/**
 * The warnings of the named clusters' gateways, read at once; a cluster with none, or that did not answer, is left
 * out (its rollout already says `unknown` with the reason: this is an explanation, never a second failure).
 */
export async function podWarningsOf(
  gateways: readonly ClusterGateway[],
  clusters: readonly string[],
  configFor: (gateway: ClusterGateway) => KubeConfig,
): Promise<Record<string, PodWarning[]>> {
  const read = await Promise.all(
    gateways
      .filter((gateway) => clusters.includes(gateway.cluster))
      .map(async (gateway) => [gateway.cluster, await Promise.resolve().then(() => readPodWarnings(gateway, configFor(gateway))).catch(() => [] as PodWarning[])] as const),
  );
  return Object.fromEntries(read.filter(([, warnings]) => warnings.length > 0));
}

/** `FailedScheduling x3: 0/1 nodes are available: ...` */
export function warningText(warning: PodWarning): string {
  return `${warning.reason}${warning.count > 1 ? ` x${warning.count}` : ""}: ${warning.message}`;
}

/** The warnings appended to a failed stack's error: `pods not ready: local-1: FailedScheduling x3: ...; BackOff: ...`. */
export function podWarningsSummary(byCluster: Readonly<Record<string, readonly PodWarning[]>>): string | undefined {
  const parts = Object.entries(byCluster)
    .filter(([, warnings]) => warnings.length > 0)
    .map(([cluster, warnings]) => `${cluster}: ${warnings.map(warningText).join("; ")}`);
  return parts.length > 0 ? `pod warnings: ${parts.join(" | ")}` : undefined;
}

/** The clusters of a `gateways` output (or its live read) whose rollout is not `complete`. */
export function incompleteClusters(gateways: unknown): string[] {
  if (typeof gateways !== "object" || gateways === null) return [];
  return Object.entries(gateways as Record<string, { rollout?: { status?: unknown } }>)
    .filter(([, gateway]) => gateway?.rollout?.status !== "complete")
    .map(([cluster]) => cluster);
}

/**
 * The warnings of a stack's gateways that are not complete. `incomplete` names them when the caller already read the
 * rollouts from the clusters (`status`); otherwise each gateway's Deployment is read live here, since after a failed
 * `up` the outputs are the last successful update's and would call the failed gateway complete.
 */
export async function notReadyPodWarnings(
  gateways: readonly ClusterGateway[],
  tenant: string,
  configFor: (gateway: ClusterGateway) => KubeConfig,
  incomplete?: readonly string[],
): Promise<Record<string, PodWarning[]>> {
  const clusters =
    incomplete ??
    (
      await Promise.all(
        gateways.map(async (gateway) => {
          // configFor may throw (a kubeconfig that does not load): inside then(), so it is caught like a cluster not answering.
          const rollout = await Promise.resolve()
            .then(() => readLiveRollout({ tenant }, gateway, configFor(gateway)))
            .catch(() => undefined);
          return rollout?.status === "complete" ? [] : [gateway.cluster];
        }),
      )
    ).flat();
  return podWarningsOf(gateways, clusters, configFor);
}

/**
 * The lines `npm run fleet` prints under "not ready:" for gateways with warnings in stacks that did not fail (a
 * failed stack's error line already carries them): `  tenant-prod/eu-west progressing: FailedScheduling x3: ...`.
 */
export function notReadyLines(
  stacks: readonly { stack: string; result: string; clusters: readonly { cluster: string; rollout: string; warnings: readonly PodWarning[] }[] }[],
): string[] {
  return stacks
    .filter((stack) => stack.result !== "failed")
    .flatMap((stack) =>
      stack.clusters
        .filter((cluster) => cluster.warnings.length > 0)
        .map((cluster) => `  ${stack.stack}/${cluster.cluster} ${cluster.rollout}: ${cluster.warnings.map(warningText).join("; ")}`),
    );
}
