/**
 * Budgets the pod spec must leave the gateway, derived from the settings so the loader checks and the Deployment
 * uses the same numbers: how long it may take to stop, and how much ephemeral storage `/tmp` needs.
 */
import { quantityToNumber } from "./quantity.js";
import type { GatewaySettings } from "./schema.js";
import { GATEWAY_STOP_POLICY_SECONDS } from "./versions.js";

/** Kubernetes' SIGKILL must not come while the gateway is still finishing its own stop: a margin past its policy. */
export const STOP_MARGIN_SECONDS = 10;
export const MINIMUM_GRACE_SECONDS = GATEWAY_STOP_POLICY_SECONDS + STOP_MARGIN_SECONDS;

const MiB = 2 ** 20;
/**
 * The gateway's own log file in `/tmp/openclaw` rotates at `logging.maxFileBytes` (OpenClaw's default 100 MiB),
 * keeps 5 rotated files, and prunes files older than a day: up to 12 files (yesterday's and today's) at once. The
 * program sets 32 MiB in openclaw.json, so the log stays within 384 MiB.
 */
export const DEFAULT_LOG_FILE_BYTES = 32 * MiB;
const LOG_FILES_KEPT = 12;
/** Caches and npm's files in /tmp besides the log (measured by the gateway contract tests: kilobytes). */
export const TMP_WORKING_BYTES = 64 * MiB;
/** The kubelet keeps at most 5 x 10 MiB of a container's stdout (its default rotation); it counts as ephemeral storage too. */
export const CONTAINER_LOG_BYTES = 64 * MiB;

/** `logging.maxFileBytes` as the gateway will use it: the user's `config` value, else the program's. */
export function logFileBytes(settings: GatewaySettings): number {
  const logging = settings.config.logging as { maxFileBytes?: unknown } | undefined;
  return typeof logging?.maxFileBytes === "number" ? logging.maxFileBytes : DEFAULT_LOG_FILE_BYTES;
}

/** What `/tmp` may hold at most: every kept log file plus working space. */
export function tmpNeedBytes(settings: GatewaySettings): number {
  return LOG_FILES_KEPT * logFileBytes(settings) + TMP_WORKING_BYTES;
}

/**
 * The `/tmp` emptyDir's sizeLimit: the gateway's ephemeral-storage limit less its stdout log, so the kubelet
 * evicts for a full `/tmp` (which names the volume) before the pod as a whole runs over.
 */
export function tmpSizeLimitBytes(settings: GatewaySettings): number {
  return quantityToNumber(settings.resources.limits["ephemeral-storage"]) - CONTAINER_LOG_BYTES;
}
