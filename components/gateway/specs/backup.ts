import type { IContainer, IPersistentVolumeClaim, IVolume } from "kubernetes-models/v1";
import { openclawCliFromCommand } from "../../config/openclawCli.js";
import type { GatewaySettings } from "../../config/schema.js";
import type { GatewayContext } from "../context.js";
import { containerSecurityContext } from "../hardening.js";
import { gatewayObjectNames } from "../naming.js";
import { preUpgradeBackupScript } from "../scripts/preUpgradeBackup.js";
import { restoreScript } from "../scripts/restore.js";
import { BACKUP_DIR, STATE_DIR, TMP_DIR } from "./paths.js";
import { stateMount } from "./stateLayout.js";
import { buildClaim } from "./storage.js";

/** The backup claim's name when backups are on, else undefined. */
export function backupClaimName(context: GatewayContext): string | undefined {
  return context.gateway.settings.backup.enabled ? gatewayObjectNames(context.tenant).backupClaim : undefined;
}

/**
 * The claim that holds the pre-upgrade archives (`openclaw backup create`). A claim of its own, not a
 * directory on the state claim: OpenClaw refuses an archive path inside the state it archives, and an
 * archive must outlive a state volume that an upgrade or an operator damaged. Kept like the state claim
 * (gateway.ts: retainOnDelete, protect in prod, spec create-only).
 */
export function buildBackupClaim(context: GatewayContext): IPersistentVolumeClaim | undefined {
  const name = backupClaimName(context);
  return name ? buildClaim(context, name, context.gateway.settings.backup) : undefined;
}

/** What the backup and restore init containers share with the gateway container. */
export interface OpenclawContainerBase {
  image: string;
  imagePullPolicy: IContainer["imagePullPolicy"];
  /** The gateway's runtime env (HOME, OPENCLAW_STATE_DIR, caches in /tmp, heap cap), without secrets. */
  env: { name: string; value: string }[];
  resources: GatewaySettings["resources"];
}

const tmpMount = { name: "tmp", mountPath: TMP_DIR };

/**
 * The init containers that run before the config copy: restore (when `restore` is set), then the
 * pre-upgrade backup (when backups are on). Same image and hardening (hardening.ts) as the gateway, and the gateway's
 * resources rather than the copy container's: they run the OpenClaw CLI, which peaked at 377 MB RSS for a
 * small state (`/usr/bin/time -v openclaw backup create --verify`), far above the copy container's 64Mi, and
 * an init container at the gateway's size changes neither the pod's effective requests nor the quota.
 * No Secret: neither command needs the token or an API key (the config keeps its `${...}` references).
 * The termination message falls back to the log tail, so `kubectl describe pod` shows why one failed.
 */
export function buildStateInitContainers(context: GatewayContext, base: OpenclawContainerBase): IContainer[] {
  const { backup, restore, command } = context.gateway.settings;
  // The loader refuses backup or restore with a command it cannot derive the CLI from.
  const cli = openclawCliFromCommand(command);
  if (!cli || !backup.enabled) return [];
  const backupMount = (readOnly: boolean) => ({ name: "backups", mountPath: BACKUP_DIR, ...(readOnly ? { readOnly } : {}) });
  const common = {
    image: base.image,
    imagePullPolicy: base.imagePullPolicy,
    resources: base.resources,
    terminationMessagePolicy: "FallbackToLogsOnError" as const,
  };
  const containers: IContainer[] = [];
  if (restore) {
    containers.push({
      ...common,
      name: "restore-state",
      securityContext: containerSecurityContext(),
      command: ["sh", "-c", restoreScript(cli, restore.archive !== undefined ? "archive" : "beforeUpgrade")],
      env: [
        ...base.env.filter((variable) => variable.name !== "OPENCLAW_STATE_DIR"),
        // The CLI refuses a restore target inside its live state dir: its own state is scratch in /tmp.
        { name: "OPENCLAW_STATE_DIR", value: `${TMP_DIR}/openclaw-restore-cli` },
        { name: "OPENCLAW_FLEET_STATE_VOLUME", value: STATE_DIR },
        { name: "OPENCLAW_FLEET_BACKUP_DIR", value: BACKUP_DIR },
        restore.archive !== undefined
          ? { name: "OPENCLAW_FLEET_RESTORE_ARCHIVE", value: restore.archive }
          : { name: "OPENCLAW_FLEET_RESTORE_BEFORE_UPGRADE", value: restore.beforeUpgrade! },
      ],
      volumeMounts: [stateMount, backupMount(true), tmpMount],
    });
  }
  containers.push({
    ...common,
    name: "backup-before-upgrade",
    securityContext: containerSecurityContext(),
    command: ["sh", "-c", preUpgradeBackupScript(cli, backup.keep)],
    env: [...base.env, { name: "OPENCLAW_FLEET_BACKUP_DIR", value: BACKUP_DIR }],
    volumeMounts: [stateMount, backupMount(false), tmpMount],
  });
  return containers;
}

/** The pod volume for the backup claim, when backups are on. */
export function buildBackupVolumes(context: GatewayContext): IVolume[] {
  const claimName = backupClaimName(context);
  return claimName ? [{ name: "backups", persistentVolumeClaim: { claimName } }] : [];
}
