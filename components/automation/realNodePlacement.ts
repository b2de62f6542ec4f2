/**
 * Where a gateway goes to run for real: the node `scripts/real-node.sh` joins to local cluster 1 is labelled
 * `openclaw-fleet/node=real` and tainted so nothing lands there by accident (the kwok node takes everything else).
 * `npm run demo` and the live-pod suite place local-1's gateway there with the same overrides a user would write.
 */
import { parse, stringify } from "yaml";

/**
 * The cluster overrides that put a gateway on the real node. Resources are set, not taken from the defaults: a
 * real start is CPU-bound (about 18 s of CPU) and the memory is what components/config/gatewayFootprint.ts records.
 */
export const REAL_NODE_PLACEMENT = {
  nodeSelector: { "openclaw-fleet/node": "real" },
  tolerations: [{ key: "openclaw-fleet/real-node", operator: "Exists", effect: "NoSchedule" }],
  resources: {
    requests: { cpu: "500m", memory: "1088Mi", "ephemeral-storage": "256Mi" },
    limits: { cpu: "2", memory: "2Gi", "ephemeral-storage": "1Gi" },
  },
} as const;

interface StackFile {
  config?: Record<string, unknown>;
}

/** A stack file's text with `cluster`'s gateway placed on the real node (its other overrides kept). */
export function placeOnRealNode(stackFileText: string, cluster: string): string {
  const file = (parse(stackFileText) ?? {}) as StackFile;
  const clusters = file.config?.["openclaw-fleet:clusters"];
  const entry = Array.isArray(clusters) ? (clusters as Array<Record<string, unknown>>).find((c) => c.name === cluster) : undefined;
  if (!entry) throw new Error(`openclaw-fleet:clusters: no cluster named ${cluster} to place on the real node`);
  entry.overrides = { ...((entry.overrides as Record<string, unknown> | undefined) ?? {}), ...structuredClone(REAL_NODE_PLACEMENT) };
  return stringify(file);
}
