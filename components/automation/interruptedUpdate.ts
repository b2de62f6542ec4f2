/**
 * Recovery from an interrupted update (a CI runner killed, a laptop closed mid-`pulumi up`). The engine
 * leaves the creates it had started as "pending creates" in the state, and a kill during a checkpoint write
 * can cost the file backend the last steps entirely (fileBackend.ts). Either way some objects exist on the
 * cluster that the state does not own, and every `up` then fails with "already exists" (the provider refuses
 * to create over an existing object). So the recovery asks the engine what `up` would create (`pulumi preview
 * --json`, after `pulumi refresh --clear-pending-creates` made the state consistent) and imports back each
 * of those Kubernetes objects that is already there, under the URN, parent and provider the program gives it
 * (`pulumi import`; the ID is `<namespace>/<name>`, or `<name>` for cluster-scoped kinds). What is not there
 * is left for `up` to create. Only names this stack's program declares are imported; should another stack
 * own one, its labels (owned by that stack's field manager) make the next `up` fail with a conflict.
 * (`pulumi refresh --import-pending-creates` would be the one-step way for pending creates, but the 3.259
 * engine drops the imports it marks: seen here, and in its journal only pending creates survive a refresh.)
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describeLock, linuxProcessProbe, lockHolder, locksFromError, type ProcessProbe, type StackLock } from "./stackLocks.js";

/** An object `up` would create, with what importing it takes. */
export interface PlannedCreate {
  urn: string;
  type: string;
  /** The provider ID to import it by; undefined when it cannot be known (not a Kubernetes object). */
  id?: string;
  /** The URN of its parent component, and of its provider. */
  parent?: string;
  provider?: string;
}

interface PreviewStep {
  op?: string;
  urn?: string;
  newState?: { type?: string; parent?: string; provider?: string; inputs?: { metadata?: { name?: unknown; namespace?: unknown } } };
}

/** Kinds without a namespace among those the program creates. */
const CLUSTER_SCOPED = new Set(["kubernetes:core/v1:Namespace"]);

/** The creates of a `pulumi preview --json` document. */
export function plannedCreates(preview: unknown): PlannedCreate[] {
  const steps = ((preview as { steps?: PreviewStep[] })?.steps ?? []).filter((step) => step.op === "create" && step.urn && step.newState?.type);
  return steps.map(({ urn, newState }) => {
    const { type, parent, provider, inputs } = newState!;
    return {
      urn: urn!,
      type: type!,
      ...kubernetesId(type!, inputs?.metadata),
      ...(parent ? { parent } : {}),
      // A provider reference is `<urn>::<id>`.
      ...(provider ? { provider: provider.slice(0, provider.lastIndexOf("::")) } : {}),
    };
  });
}

function kubernetesId(type: string, metadata: { name?: unknown; namespace?: unknown } | undefined): { id?: string } {
  if (!type.startsWith("kubernetes:") || typeof metadata?.name !== "string") return {};
  if (CLUSTER_SCOPED.has(type)) return { id: metadata.name };
  return typeof metadata.namespace === "string" ? { id: `${metadata.namespace}/${metadata.name}` } : {};
}

/** A `pulumi import --file` document that brings one object back under its own URN (parent and provider). */
export function importFile(create: PlannedCreate & { id: string }) {
  const nameTable: Record<string, string> = {};
  if (create.parent) nameTable.parent = create.parent;
  if (create.provider) nameTable.provider = create.provider;
  return {
    nameTable,
    resources: [
      {
        type: create.type,
        name: create.urn.slice(create.urn.lastIndexOf("::") + 2),
        id: create.id,
        ...(create.parent ? { parent: "parent" } : {}),
        ...(create.provider ? { provider: "provider" } : {}),
      },
    ],
  };
}

interface ExportedState {
  deployment?: { resources?: { urn?: string; type?: string; inputs?: Record<string, unknown> }[] };
}

/** The Kubernetes providers in the state that create by server-side apply over an existing object. */
export function upsertingProviders(state: ExportedState): Set<string> {
  return new Set(
    (state.deployment?.resources ?? [])
      .filter((resource) => resource.type === "pulumi:providers:kubernetes" && String(resource.inputs?.upsertExistingObjects) === "true")
      .map((resource) => resource.urn!),
  );
}

/** Runs the Pulumi CLI on the stack being recovered; throws with the CLI's output when it fails. */
export type PulumiCli = (args: string[]) => string;

export interface Recovery {
  imported: PlannedCreate[];
  /** Planned creates not on the cluster (or not importable yet): the next `up` creates them. */
  left: PlannedCreate[];
}

/** What recovery needs to tell a dead update's lock from a live one's (stackLocks.ts). */
export interface LockInspection {
  hostname: string;
  probe: ProcessProbe;
  /** Deletes one lock object; false when this backend's locks cannot be deleted one by one (then `pulumi cancel`). */
  remove: (lock: StackLock) => boolean;
}

export const localLockInspection: LockInspection = {
  hostname: hostname(),
  probe: linuxProcessProbe,
  remove: removeFileBackendLock,
};

/** A file backend's lock is one file (with the blob store's `.attrs` beside it): delete just that one. */
export function removeFileBackendLock(lock: StackLock): boolean {
  if (!lock.where.startsWith("file://")) return false;
  const file = fileURLToPath(lock.where.split("?")[0]!);
  rmSync(file, { force: true });
  rmSync(`${file}.attrs`, { force: true });
  return true;
}

/** Recovery stopped rather than touch a lock it cannot prove dead. */
export class LockHeldError extends Error {}

const cliText = (error: unknown) => {
  const { stdout, stderr } = error as { stdout?: unknown; stderr?: unknown };
  return `${String(error)}\n${String(stderr ?? "")}\n${String(stdout ?? "")}`;
};

/**
 * Runs a command that locks the stack; when it is refused because an update that no longer runs left its lock,
 * removes exactly those locks and runs it again. A lock whose process still runs, or that another machine
 * holds, is reported and left alone: `pulumi cancel` would end a live update and let two writers race.
 */
function runReleasingDeadLocks(pulumi: PulumiCli, args: string[], inspection: LockInspection, log: (line: string) => void): string {
  try {
    return pulumi(args);
  } catch (error) {
    const text = cliText(error);
    if (/Another update is currently in progress/.test(text)) {
      throw new LockHeldError(
        "an update of this stack is in progress on its backend; recover cannot tell whether its process still runs. " +
          "Wait for it to end; if it was killed, run `pulumi cancel` for the stack, then recover again.",
      );
    }
    const locks = locksFromError(text);
    if (!locks || locks.length === 0) throw error;
    const held = locks.filter((lock) => lockHolder(lock, inspection.hostname, inspection.probe) !== "gone");
    if (held.length > 0) {
      const live = held.filter((lock) => lock.host === inspection.hostname);
      throw new LockHeldError(
        live.length > 0
          ? `the stack is locked by an update that is still running: ${live.map(describeLock).join(", ")}. Wait for it to end, then run recover again (it never ends a running update).`
          : `the stack is locked by an update on another machine: ${held.map(describeLock).join(", ")}. Recover cannot tell whether it still runs: once you are sure it has ended, run \`pulumi cancel\` for the stack, then recover again.`,
      );
    }
    for (const lock of locks) log(`removed the lock of ${describeLock(lock)}: that update is no longer running`);
    if (!locks.every((lock) => inspection.remove(lock))) pulumi(["cancel", "--yes"]);
    return pulumi(args);
  }
}

/**
 * The recovery, in order: make the state readable (`restoreCheckpoint`, for a file backend's checkpoint cut
 * off mid-write); drop the pending creates with a refresh, which also reads every other object as it is (the
 * dead update's lock is removed first when its process is gone: runReleasingDeadLocks); then import each
 * Kubernetes object the next `up` would create that already exists.
 */
export function recoverInterruptedUpdate(
  pulumi: PulumiCli,
  log: (line: string) => void = () => undefined,
  /** Puts back the last good checkpoint when the killed engine left it unreadable; true when it did (fileBackend.ts). */
  restoreCheckpoint: () => boolean = () => false,
  inspection: LockInspection = localLockInspection,
): Recovery {
  try {
    pulumi(["stack", "export"]);
  } catch (error) {
    if (!/failed to load checkpoint/.test(cliText(error)) || !restoreCheckpoint()) throw error;
    log("the checkpoint was cut off mid-write: restored the backend's previous one");
  }
  runReleasingDeadLocks(pulumi, ["refresh", "--yes", "--non-interactive", "--clear-pending-creates"], inspection, log);
  const state = JSON.parse(pulumi(["stack", "export"])) as ExportedState;
  const inState = new Set((state.deployment?.resources ?? []).map((resource) => resource.urn));
  const upserting = upsertingProviders(state);
  const recovery: Recovery = { imported: [], left: [] };
  const dir = mkdtempSync(join(tmpdir(), "openclaw-recover-"));
  try {
    for (const create of plannedCreates(JSON.parse(pulumi(["preview", "--json", "--non-interactive"])))) {
      // An object can only be imported through a provider (and under a parent) the state already has. One whose
      // provider creates over an existing object (the retained Namespace and claims) needs no import: `up` adopts
      // it, and an import would make our field manager own every live field (a claim's defaulted storageClassName
      // and volumeName among them), so the next apply without them would try to unset an immutable field.
      const importable = create.id !== undefined && (!create.provider || inState.has(create.provider)) && (!create.parent || inState.has(create.parent));
      if (!importable || (create.provider && upserting.has(create.provider))) {
        recovery.left.push(create);
        continue;
      }
      const file = join(dir, "import.json");
      writeFileSync(file, JSON.stringify(importFile(create as PlannedCreate & { id: string })));
      try {
        pulumi(["import", "--file", file, "--yes", "--non-interactive", "--protect=false", "--generate-code=false"]);
        recovery.imported.push(create);
        log(`imported ${create.type} ${create.id}`);
      } catch (error) {
        if (!/not found|does not exist/i.test(String((error as { stdout?: string }).stdout ?? "") + String(error))) throw error;
        recovery.left.push(create);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return recovery;
}
