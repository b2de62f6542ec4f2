/**
 * Whether a source stack's release may move on: its last update succeeded, every gateway's rollout in its outputs is
 * `complete`, and a `preview --refresh` shows no change (what the clusters run is what the stack file says). Each
 * failing gate is one line naming what to do; the observation itself comes from the engine (observeSource.ts).
 */
export interface SourceObservation {
  /** Whether the state backend holds the stack. */
  deployed: boolean;
  /** The last update's kind and result (`pulumi stack history`), when there was one. */
  lastUpdate?: { kind: string; result: string };
  /** The `gateways` output (undefined when the stack has none). */
  gateways?: unknown;
  /** What `preview --refresh` would change: `op name` per resource; empty when nothing. */
  drift: string[];
}

/** Why the stack's release may not be promoted; empty when every gate passes. */
export function gateFailures(stack: string, observed: SourceObservation): string[] {
  if (!observed.deployed) return [`${stack}: not deployed (the state backend has no such stack); deploy and test the release there first: npm run fleet -- up --stacks ${stack}`];
  const failures: string[] = [];
  if (observed.lastUpdate === undefined) failures.push(`${stack}: no update recorded; run npm run fleet -- up --stacks ${stack} first`);
  else if (observed.lastUpdate.result !== "succeeded") {
    failures.push(`${stack}: its last ${observed.lastUpdate.kind} ${observed.lastUpdate.result}; fix the stack and run npm run fleet -- up --stacks ${stack} until it succeeds`);
  }
  const gateways = typeof observed.gateways === "object" && observed.gateways !== null ? (observed.gateways as Record<string, { rollout?: { status?: unknown } }>) : undefined;
  if (gateways === undefined || Object.keys(gateways).length === 0) failures.push(`${stack}: no gateways output, so no rollout to confirm; run npm run fleet -- up --stacks ${stack}`);
  else {
    const incomplete = Object.entries(gateways)
      .map(([cluster, gateway]) => `${cluster} ${String(gateway?.rollout?.status ?? "unknown")}`)
      .filter((entry) => !entry.endsWith(" complete"));
    if (incomplete.length > 0) failures.push(`${stack}: rollout not complete (${incomplete.join(", ")}, gateways.*.rollout.status); wait for it or fix it, then npm run fleet -- refresh --stacks ${stack}`);
  }
  if (observed.drift.length > 0) {
    const shown = observed.drift.slice(0, 5).join(", ") + (observed.drift.length > 5 ? `, and ${observed.drift.length - 5} more` : "");
    failures.push(`${stack}: drifted: preview --refresh would change ${shown}; what runs is not what its stack file says: run npm run fleet -- up --stacks ${stack} (or revert the file) before promoting`);
  }
  return failures;
}
