/**
 * Recovery from an interrupted update (a CI runner killed, a laptop closed mid-`pulumi up`). The engine
 * leaves the creates it had started as "pending creates" in the state: the objects may or may not exist on
 * the cluster. `pulumi refresh --clear-pending-creates` drops them, and the next `up` then fails with
 * "already exists" for those that did reach the cluster (the provider refuses to create over an existing
 * object). So after clearing them, each pending Kubernetes object is imported back into the state under its
 * own URN (`pulumi import`, the ID being `<namespace>/<name>`, or `<name>` for cluster-scoped kinds, from the
 * object's recorded inputs); one that never reached the cluster is left for `up` to create. Only this
 * stack's own objects are named (their URNs and names are in its state), so nothing of anyone else's is
 * taken. (`pulumi refresh --import-pending-creates` would be the one-step way, but the engine of 3.259 drops
 * the imports it marks: seen here, and in its journal only pending creates survive a refresh.)
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One create the engine started and never finished, as `pulumi stack export` records it. */
export interface PendingCreate {
  urn: string;
  type: string;
  /** The provider ID to import it by; undefined when it cannot be known (e.g. a random password). */
  id?: string;
  /** The URN of its parent component, and of its provider. */
  parent?: string;
  provider?: string;
}

interface ExportedOperation {
  type?: string;
  resource?: { urn?: string; type?: string; parent?: string; provider?: string; inputs?: { metadata?: { name?: unknown; namespace?: unknown } } };
}

/** Kinds without a namespace among those the program creates. */
const CLUSTER_SCOPED = new Set(["kubernetes:core/v1:Namespace"]);

/** The pending creates of a `pulumi stack export` document (`deployment.pending_operations`). */
export function pendingCreates(exported: unknown): PendingCreate[] {
  const operations = ((exported as { deployment?: { pending_operations?: ExportedOperation[] } })?.deployment?.pending_operations ?? []).filter(
    (operation) => operation.type === "creating" && operation.resource?.urn && operation.resource.type,
  );
  return operations.map(({ resource }) => {
    const { urn, type, parent, provider, inputs } = resource!;
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
export function importFile(create: PendingCreate & { id: string }) {
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

/** Runs the Pulumi CLI on the stack being recovered; throws with the CLI's output when it fails. */
export type PulumiCli = (args: string[]) => string;

export interface Recovery {
  imported: PendingCreate[];
  /** Pending creates that never reached the cluster (or cannot be imported): the next `up` creates them. */
  dropped: PendingCreate[];
}

/**
 * The recovery, in order: release the dead update's lock (`pulumi cancel`: a lock file on a self-managed
 * backend, an update in progress in Pulumi Cloud), drop the pending creates with a refresh (which also
 * reads every other object as it is), then import each pending object that exists.
 */
export function recoverInterruptedUpdate(
  pulumi: PulumiCli,
  log: (line: string) => void = () => undefined,
  /** Puts back the last good checkpoint when the killed engine left it unreadable; true when it did (fileBackend.ts). */
  restoreCheckpoint: () => boolean = () => false,
): Recovery {
  try {
    pulumi(["cancel", "--yes"]);
  } catch {
    // No update holds the lock.
  }
  let exported: string;
  try {
    exported = pulumi(["stack", "export"]);
  } catch (error) {
    if (!/failed to load checkpoint/.test(`${String((error as { stderr?: string }).stderr ?? "")}${String(error)}`) || !restoreCheckpoint()) throw error;
    log("the checkpoint was cut off mid-write: restored the backend's previous one");
    exported = pulumi(["stack", "export"]);
  }
  const pending = pendingCreates(JSON.parse(exported));
  pulumi(["refresh", "--yes", "--non-interactive", "--clear-pending-creates"]);
  const recovery: Recovery = { imported: [], dropped: [] };
  const dir = mkdtempSync(join(tmpdir(), "openclaw-recover-"));
  try {
    for (const create of pending) {
      if (create.id === undefined) {
        recovery.dropped.push(create);
        continue;
      }
      const file = join(dir, "import.json");
      writeFileSync(file, JSON.stringify(importFile(create as PendingCreate & { id: string })));
      try {
        pulumi(["import", "--file", file, "--yes", "--non-interactive", "--protect=false", "--generate-code=false"]);
        recovery.imported.push(create);
        log(`imported ${create.type} ${create.id}`);
      } catch (error) {
        if (!/not found|does not exist/i.test(String((error as { stdout?: string }).stdout ?? "") + String(error))) throw error;
        recovery.dropped.push(create);
        log(`not on the cluster: ${create.type} ${create.id} (the next up creates it)`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return recovery;
}
