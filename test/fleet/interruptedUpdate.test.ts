import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { importFile, LockHeldError, plannedCreates, recoverInterruptedUpdate, type LockInspection } from "../../components/automation/interruptedUpdate.js";
import type { StackLock } from "../../components/automation/stackLocks.js";

const GATEWAY = "urn:pulumi:local::openclaw-fleet::openclaw:fleet:Gateway::local-1-gateway";
const PROVIDER = "urn:pulumi:local::openclaw-fleet::pulumi:providers:kubernetes::local-1-kubernetes";
const RETAINED = "urn:pulumi:local::openclaw-fleet::pulumi:providers:kubernetes::local-1-kubernetes-retained";
const urn = (type: string, name: string) => `urn:pulumi:local::openclaw-fleet::openclaw:fleet:Gateway$${type}::${name}`;
const create = (type: string, name: string, metadata?: Record<string, string>, provider = PROVIDER) => ({
  op: "create",
  urn: urn(type, name),
  newState: { type, parent: GATEWAY, provider: `${provider}::4f6c-id`, inputs: metadata ? { metadata } : {} },
});
const preview = {
  steps: [
    create("kubernetes:core/v1:Service", "local-1-service", { name: "openclaw-local", namespace: "openclaw-local" }),
    create("kubernetes:core/v1:Namespace", "local-1-namespace", { name: "openclaw-local" }),
    create("random:index/randomPassword:RandomPassword", "local-1-gateway-token"),
    create("kubernetes:core/v1:PersistentVolumeClaim", "local-1-state", { name: "openclaw-local-state", namespace: "openclaw-local" }, RETAINED),
    create("kubernetes:core/v1:ConfigMap", "local-2-config", { name: "openclaw-local-config", namespace: "openclaw-local" }, "urn:pulumi:local::openclaw-fleet::pulumi:providers:kubernetes::local-2-kubernetes"),
    { op: "same", urn: urn("kubernetes:apps/v1:Deployment", "local-1-deployment"), newState: { type: "kubernetes:apps/v1:Deployment" } },
  ],
};
const state = {
  deployment: {
    resources: [
      { urn: GATEWAY },
      { urn: PROVIDER, type: "pulumi:providers:kubernetes", inputs: { enableServerSideApply: "true" } },
      { urn: RETAINED, type: "pulumi:providers:kubernetes", inputs: { enableServerSideApply: "true", upsertExistingObjects: "true" } },
    ],
  },
};

/** A fake CLI: answers export and preview, and fails the imports named in `missing` as the real one does. */
function fakeCli(missing: string[] = [], calls: string[][] = []) {
  return (args: string[]) => {
    calls.push(args);
    if (args[0] === "stack") return JSON.stringify(state);
    if (args[0] === "preview") return JSON.stringify(preview);
    if (args[0] === "import") {
      const id = (JSON.parse(readFileSync(args[2]!, "utf8")) as { resources: { id: string }[] }).resources[0]!.id;
      if (missing.includes(id)) throw Object.assign(new Error("Command failed"), { stdout: `error: Preview failed: resource '${id}' does not exist` });
    }
    return "";
  };
}

describe("recovery from an interrupted update", () => {
  it("finds what up would create, with the ID each is imported by (namespace/name, or the name when cluster-scoped), parent and provider", () => {
    const found = plannedCreates(preview);
    assert.deepEqual(found.map((planned) => [planned.urn.split("::").at(-1), planned.id]), [
      ["local-1-service", "openclaw-local/openclaw-local"],
      ["local-1-namespace", "openclaw-local"],
      ["local-1-gateway-token", undefined],
      ["local-1-state", "openclaw-local/openclaw-local-state"],
      ["local-2-config", "openclaw-local/openclaw-local-config"],
    ]);
    assert.equal(found[0]!.parent, GATEWAY);
    assert.equal(found[0]!.provider, PROVIDER, "the provider reference's ::id is cut off: import wants the URN");
    assert.deepEqual(plannedCreates({ steps: [] }), []);
  });

  it("imports an object under its own URN: same name, parent and provider", () => {
    const [service] = plannedCreates(preview);
    assert.deepEqual(importFile(service as typeof service & { id: string }), {
      nameTable: { parent: GATEWAY, provider: PROVIDER },
      resources: [{ type: "kubernetes:core/v1:Service", name: "local-1-service", id: "openclaw-local/openclaw-local", parent: "parent", provider: "provider" }],
    });
  });

  it("clears the pending creates, imports what exists and leaves the rest to up; an unlocked stack is never cancelled", () => {
    const calls: string[][] = [];
    const recovery = recoverInterruptedUpdate(fakeCli(["openclaw-local"], calls));
    assert.deepEqual(calls.map((call) => call[0]), ["stack", "refresh", "stack", "preview", "import", "import"]);
    assert.ok(calls[1]!.includes("--clear-pending-creates"));
    assert.deepEqual(recovery.imported.map((planned) => planned.id), ["openclaw-local/openclaw-local"]);
    // Not on the cluster; not Kubernetes; adopted by its provider's create (never imported); its provider not in the state yet.
    assert.deepEqual(recovery.left.map((planned) => planned.urn.split("::").at(-1)), ["local-1-namespace", "local-1-gateway-token", "local-1-state", "local-2-config"]);
  });

  it("restores the last good checkpoint when the killed engine left it unreadable, then recovers", () => {
    let restored = false;
    const cli = fakeCli();
    const recovery = recoverInterruptedUpdate(
      (args) => {
        if (args[0] === "stack" && !restored) throw Object.assign(new Error("Command failed"), { stderr: "error: failed to load checkpoint: EOF" });
        return cli(args);
      },
      () => undefined,
      () => (restored = true),
    );
    assert.equal(restored, true);
    assert.equal(recovery.imported.length, 2);
  });

  it("stops on an import failure that is not a missing object", () => {
    assert.throws(
      () =>
        recoverInterruptedUpdate((args) => {
          if (args[0] === "import") throw Object.assign(new Error("Command failed"), { stdout: "error: connection refused" });
          return fakeCli()(args);
        }),
      /Command failed/,
    );
  });

  describe("a stack locked by an earlier update", () => {
    const LOCK_URL = "file:///tmp/state/.pulumi/locks/organization/openclaw-fleet/local/8a1f.json";
    const lockedError = (host: string, pid: number, at = "2026-11-29T09:00:00Z") =>
      Object.assign(new Error("Command failed: pulumi refresh"), {
        stderr:
          "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n" +
          `  ${LOCK_URL}: created by root@${host} (pid ${pid}) at ${at}\n`,
      });
    /** A CLI whose first refresh is refused by that lock; later ones succeed. */
    const lockedCli = (host: string, pid: number, calls: string[][]) => {
      let refused = false;
      return (args: string[]) => {
        if (args[0] === "refresh" && !refused) {
          refused = true;
          calls.push(args);
          throw lockedError(host, pid);
        }
        return fakeCli([], calls)(args);
      };
    };
    const inspection = (running: Record<number, Date | undefined>, removed: StackLock[], removable = true): LockInspection => ({
      hostname: "runner-1",
      probe: (pid) => (pid in running ? { running: true, startedAt: running[pid] } : { running: false }),
      remove: (lock) => (removed.push(lock), removable),
    });

    it("removes exactly the lock of an update whose process is gone, then refreshes again", () => {
      const calls: string[][] = [];
      const removed: StackLock[] = [];
      const lines: string[] = [];
      const recovery = recoverInterruptedUpdate(lockedCli("runner-1", 4242, calls), (line) => lines.push(line), undefined, inspection({}, removed));
      assert.deepEqual(removed.map((lock) => [lock.where, lock.pid, lock.host]), [[LOCK_URL, 4242, "runner-1"]]);
      assert.deepEqual(calls.map((call) => call[0]), ["stack", "refresh", "refresh", "stack", "preview", "import", "import"]);
      assert.equal(recovery.imported.length, 2);
      assert.match(lines.join("\n"), /removed the lock of root@runner-1 \(pid 4242, since 2026-11-29T09:00:00\.000Z\)/);
    });

    it("treats a PID that now runs a process started after the lock as gone (the PID was reused)", () => {
      const removed: StackLock[] = [];
      recoverInterruptedUpdate(lockedCli("runner-1", 4242, []), undefined, undefined, inspection({ 4242: new Date("2026-11-29T09:05:00Z") }, removed));
      assert.equal(removed.length, 1);
    });

    it("falls back to pulumi cancel on a backend whose locks cannot be removed one by one", () => {
      const calls: string[][] = [];
      recoverInterruptedUpdate(lockedCli("runner-1", 4242, calls), undefined, undefined, inspection({}, [], false));
      assert.deepEqual(calls.map((call) => call[0]).slice(0, 4), ["stack", "refresh", "cancel", "refresh"]);
    });

    it("never steals the lock of an update that still runs, and says which", () => {
      const calls: string[][] = [];
      const removed: StackLock[] = [];
      assert.throws(
        () => recoverInterruptedUpdate(lockedCli("runner-1", 4242, calls), undefined, undefined, inspection({ 4242: new Date("2026-11-29T08:59:58Z") }, removed)),
        (error: Error) => error instanceof LockHeldError && /still running: root@runner-1 \(pid 4242/.test(error.message),
      );
      assert.deepEqual(removed, []);
      assert.ok(!calls.some((call) => call[0] === "cancel" || call[0] === "import"));
    });

    it("leaves another machine's lock alone and tells how to release it by hand", () => {
      const removed: StackLock[] = [];
      assert.throws(
        () => recoverInterruptedUpdate(lockedCli("ci-runner-7", 4242, []), undefined, undefined, inspection({}, removed)),
        (error: Error) => error instanceof LockHeldError && /another machine: root@ci-runner-7/.test(error.message) && /pulumi cancel/.test(error.message),
      );
      assert.deepEqual(removed, []);
    });

    it("reports an update in progress on Pulumi Cloud instead of cancelling it", () => {
      assert.throws(
        () =>
          recoverInterruptedUpdate((args) => {
            if (args[0] === "refresh") throw Object.assign(new Error("Command failed"), { stderr: "error: [409] Conflict: Another update is currently in progress." });
            return fakeCli()(args);
          }),
        LockHeldError,
      );
    });
  });
});
