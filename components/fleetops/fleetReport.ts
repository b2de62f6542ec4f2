/**
 * fleet-report.json: per stack and cluster, what the fleet looks like after a command (ring, image, rollout,
 * last update, error). Built only from the non-secret `gateways` output, field by field: whatever else an
 * output holds (or a future field holds) never reaches the report or the page made from it.
 */
import type { RolloutState } from "../gateway/rolloutStatus.js";
import type { PodWarning } from "./podWarnings.js";
import type { StackOutcome } from "./ringSchedule.js";
import type { RollbackRecord } from "./rollback.js";
import type { FleetStack } from "./stackDiscovery.js";

/** What running (or just reading) one stack found out; `gateways` is the raw `gateways` stack output. */
export interface StackObservation {
  /** False when the backend has no such stack yet (nothing deployed, no outputs). */
  deployed: boolean;
  gateways?: unknown;
  /** When the stack's last update (of any kind) ended, ISO 8601. */
  lastUpdate?: string;
  /** The resource named by the first error (`eu-west-deployment`): places a failure on its cluster's cell. */
  failedResource?: string;
  /**
   * The command failed, so `gateways` is what the checkpoint kept from the last successful update (a failed update
   * records no outputs): a failed canary's cell would otherwise say `complete` with the old image.
   */
  outputsStale?: boolean;
  /** `--rollback-on-failure`: the stack's release failed and it was put back (or the rollback failed too). */
  rollback?: RollbackRecord;
  /** Per cluster, the last warnings of the pods of a gateway that is not complete, read from its cluster (podWarnings.ts). */
  podWarnings?: Record<string, PodWarning[]>;
}

/** `missing`: `fleet status` read the cluster and the gateway's Deployment is not there, whatever the state says. */
export type CellRollout = RolloutState | "missing" | "not-deployed";
export const CELL_ROLLOUTS: readonly CellRollout[] = ["complete", "progressing", "failed", "unknown", "missing", "not-deployed"];

export interface ClusterReport {
  cluster: string;
  region: string | null;
  wave: number | null;
  image: string | null;
  rollout: CellRollout;
  /** `ready/replicas` of the gateway's Deployment. */
  ready: string | null;
  /** The stack's first error when it names this cluster's resources. */
  error: string | null;
  /** True when the cell shows the last successful update's outputs, not this command's result. */
  stale: boolean;
  /** True when the rollout was read from the cluster (`fleet status`), not from the state. */
  live: boolean;
  /** Why the gateway is not ready: its pods' last warnings, newest first (empty when complete or none). */
  warnings: PodWarning[];
}

export interface StackReport {
  stack: string;
  ring: number;
  tenant: string | null;
  environment: string | null;
  /** What the command did with the stack: `skipped` stacks never started (an earlier failure stopped the rollout). */
  result: "succeeded" | "failed" | "skipped";
  deployed: boolean;
  lastUpdate: string | null;
  error: string | null;
  /** `--rollback-on-failure`: how the failed release was undone on this stack (null: no rollback ran). */
  rollback: RollbackRecord | null;
  clusters: ClusterReport[];
}

export interface FleetReport {
  command: string;
  generatedAt: string;
  stacks: StackReport[];
  failed: { stack: string; ring: number; error: string }[];
}

export function buildFleetReport(command: string, outcomes: readonly StackOutcome<FleetStack, StackObservation>[], generatedAt: Date): FleetReport {
  const stacks = outcomes.map((outcome): StackReport => {
    const { stack } = outcome;
    const observation = outcome.state === "skipped" ? undefined : outcome.result;
    const error = outcome.state === "failed" ? outcome.error : null;
    const gateways = isRecord(observation?.gateways) ? observation.gateways : {};
    const clusterNames = [...new Set([...stack.clusters, ...Object.keys(gateways)])];
    const failedCluster = observation?.failedResource === undefined ? undefined : clusterOfResource(observation.failedResource, clusterNames);
    return {
      stack: stack.name,
      ring: stack.ring,
      tenant: stack.tenant ?? null,
      environment: stack.environment ?? null,
      result: outcome.state,
      deployed: observation?.deployed ?? false,
      lastUpdate: observation?.lastUpdate ?? null,
      error,
      rollback: observation?.rollback ?? null,
      clusters: clusterNames.map((cluster) =>
        clusterReport(cluster, gateways[cluster], error !== null && failedCluster === cluster ? error : null, observation?.outputsStale === true && gateways[cluster] !== undefined, observation?.podWarnings?.[cluster]),
      ),
    };
  });
  return {
    command,
    generatedAt: generatedAt.toISOString(),
    stacks,
    failed: stacks.flatMap((s) => (s.error !== null ? [{ stack: s.stack, ring: s.ring, error: s.error }] : [])),
  };
}

/**
 * The cluster a resource belongs to: every resource of a gateway is named `<cluster>-<what>`, so the longest cluster
 * name that is followed by `-` is the one (with clusters `eu` and `eu-west`, `eu-west-deployment` is eu-west's only).
 */
export function clusterOfResource(resource: string, clusters: readonly string[]): string | undefined {
  return clusters.filter((cluster) => resource.startsWith(`${cluster}-`)).sort((a, b) => b.length - a.length)[0];
}

/** One gateway's cell, taking only known fields of known types from the output. */
function clusterReport(cluster: string, output: unknown, error: string | null, stale: boolean, warnings: readonly PodWarning[] = []): ClusterReport {
  const gateway = isRecord(output) ? output : {};
  const rollout = isRecord(gateway.rollout) ? gateway.rollout : undefined;
  const status = rollout?.status;
  return {
    cluster,
    region: typeof gateway.region === "string" ? gateway.region : null,
    wave: typeof gateway.wave === "number" ? gateway.wave : null,
    image: typeof gateway.image === "string" ? gateway.image : null,
    rollout: rollout === undefined ? "not-deployed" : CELL_ROLLOUTS.includes(status as CellRollout) ? (status as CellRollout) : "unknown",
    ready: typeof rollout?.readyReplicas === "number" && typeof rollout.replicas === "number" ? `${rollout.readyReplicas}/${rollout.replicas}` : null,
    // A live read that could not reach the cluster says why in the cell.
    error: error ?? (typeof rollout?.error === "string" ? rollout.error : null),
    stale,
    live: rollout?.source === "cluster",
    warnings: warnings.map(({ reason, message, count, lastSeen, pod }) => ({ reason, message, count, lastSeen, pod })),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
