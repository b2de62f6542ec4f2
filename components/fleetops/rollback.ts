/**
 * `npm run fleet -- up --image X --rollback-on-failure`: a stack whose release failed goes back to the image its last
 * successful update ran, and every gateway with backups restores the archive its backup init container took before
 * the failed upgrade (`restore.beforeUpgrade`: since OpenClaw 2026.9.x a failed upgrade can leave the state migrated
 * forward, so the old image alone is no rollback). The pod finds that archive (restore.ts); the program cannot name
 * it, because the pod names it at start. Pure logic here; the stack runner writes the config and runs `up`.
 */
import { CONFIG_NAMESPACE } from "../config/errors.js";
import type { FleetModel } from "../config/load.js";

/** What a rollback did, for the report: kept in the stack's observation. */
export interface RollbackRecord {
  /** The release that failed. */
  from: string;
  /** The image the stack went back to. */
  to: string;
  /** Clusters whose pod restores the archive taken before the upgrade. */
  restored: string[];
  /** Clusters with backups off: the old image only (nothing was archived to restore). */
  imageOnly: string[];
  /** `up` runs the rollback took (at most the `--rollback-attempts` bound). */
  attempts: number;
  result: "rolled-back" | "failed";
  /** Why the last attempt failed, when it did. */
  error?: string;
}

/** `pulumi config set/rm --path` operations on one stack. */
export interface ConfigWrites {
  remove: string[];
  set: { key: string; value: string }[];
}

export const DEFAULT_ROLLBACK_ATTEMPTS = 2;

const clusterRestoreKey = (index: number) => `${CONFIG_NAMESPACE}:clusters[${index}].overrides.restore`;

/**
 * The writes that put a stack back on `previousImage`: the stack's image, and per cluster with backups a
 * `restore.beforeUpgrade` naming the failed image (replacing any restore that cluster had: a cluster's restore
 * replaces the stack's, load.ts). `clusterOrder` is the stack file's cluster names in order (their `--path` index).
 */
export function rollbackWrites(model: FleetModel, clusterOrder: readonly string[], previousImage: string, failedImage: string): ConfigWrites & Pick<RollbackRecord, "restored" | "imageOnly"> {
  const restored = model.gateways.filter((gateway) => gateway.settings.backup.enabled).map((gateway) => gateway.cluster);
  const imageOnly = model.gateways.filter((gateway) => !gateway.settings.backup.enabled).map((gateway) => gateway.cluster);
  const indexes = restored.map((cluster) => clusterOrder.indexOf(cluster));
  return {
    remove: indexes.map(clusterRestoreKey),
    set: [
      { key: `${CONFIG_NAMESPACE}:gateway.image`, value: previousImage },
      ...indexes.map((index) => ({ key: `${clusterRestoreKey(index)}.beforeUpgrade`, value: failedImage })),
    ],
    restored,
    imageOnly,
  };
}

/**
 * Before a new release: the `restore.beforeUpgrade` an earlier rollback left on clusters is removed with the release
 * (it would do nothing, being once per image, but it is no longer what the stack is asked to do).
 */
export function clearRollbackRestores(clusterOrder: readonly string[], clustersUndoing: readonly string[]): string[] {
  return clustersUndoing.map((cluster) => clusterRestoreKey(clusterOrder.indexOf(cluster)));
}

/**
 * The image every gateway ran at the stack's last successful update (its `gateways` output), or undefined when there
 * is none (never deployed) or they differ (then the stack file's image before the release is the fallback).
 */
export function deployedImage(gateways: unknown): string | undefined {
  if (typeof gateways !== "object" || gateways === null) return undefined;
  const images = new Set(Object.values(gateways as Record<string, { image?: unknown }>).map((gateway) => gateway?.image));
  const [only] = images;
  return images.size === 1 && typeof only === "string" ? only : undefined;
}

/** One line for the failed stack's error and the progress display. */
export function rollbackSummary(record: RollbackRecord): string {
  const restore = record.restored.length > 0 ? `, restoring the pre-upgrade archive on ${record.restored.join(", ")}` : "";
  const imageOnly = record.imageOnly.length > 0 ? `, image only on ${record.imageOnly.join(", ")} (backups off)` : "";
  return record.result === "rolled-back"
    ? `rolled back to ${record.to}${restore}${imageOnly} (${record.attempts} attempt${record.attempts === 1 ? "" : "s"})`
    : `rollback to ${record.to} failed after ${record.attempts} attempt${record.attempts === 1 ? "" : "s"}: ${record.error ?? "unknown error"}`;
}
