/**
 * A Deployment's rollout as data, derived the way `kubectl rollout status` decides it, from the live
 * object's generation and status.
 */
export type RolloutState = "complete" | "progressing" | "failed" | "unknown";

export interface DeploymentCondition {
  type?: string;
  status?: string;
  reason?: string;
}

export interface DeploymentStatusInput {
  generation?: number;
  specReplicas?: number;
  status?: {
    observedGeneration?: number;
    replicas?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    conditions?: DeploymentCondition[];
  };
}

export interface Rollout {
  status: RolloutState;
  generation: number | null;
  observedGeneration: number | null;
  replicas: number;
  readyReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
}

export function rolloutStatus({ generation, specReplicas, status }: DeploymentStatusInput): Rollout {
  const counts = {
    replicas: status?.replicas ?? 0,
    readyReplicas: status?.readyReplicas ?? 0,
    updatedReplicas: status?.updatedReplicas ?? 0,
    availableReplicas: status?.availableReplicas ?? 0,
  };
  const result = (state: RolloutState): Rollout => ({
    status: state,
    generation: generation ?? null,
    observedGeneration: status?.observedGeneration ?? null,
    ...counts,
  });

  if (status === undefined || generation === undefined || status.observedGeneration === undefined) return result("unknown");
  // The controller has not seen the latest spec yet: whatever the status says is about an older one.
  if (status.observedGeneration < generation) return result("progressing");

  const condition = (type: string) => status.conditions?.find((c) => c.type === type);
  const progressing = condition("Progressing");
  if (progressing?.reason === "ProgressDeadlineExceeded") return result("failed");

  const desired = specReplicas ?? 1;
  const allUpdated = counts.updatedReplicas === desired && counts.replicas === desired;
  const allAvailable = counts.availableReplicas === desired && counts.readyReplicas === desired;
  const available = condition("Available")?.status === "True";
  const newReplicaSetAvailable = progressing?.status === "True" && progressing.reason === "NewReplicaSetAvailable";
  if (allUpdated && allAvailable && (desired === 0 || available) && newReplicaSetAvailable) return result("complete");
  return result("progressing");
}
