import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { lockHolder, linuxProcessProbe, locksFromError } from "../../components/automation/stackLocks.js";

describe("stack locks", () => {
  it("reads every lock a locked-stack error lists, and nothing from other errors", () => {
    const locks = locksFromError(
      "error: the stack is currently locked by 2 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n" +
        "  file:///s/.pulumi/locks/organization/p/dev/a.json: created by root@vm (pid 17) at 2026-11-29T09:00:00Z\n" +
        "  postgres://****:****@127.0.0.1:5432/pulumi/.pulumi/locks/organization/p/dev/b.json: created by ci@runner-2 (pid 901) at 2026-11-29T09:01:30+01:00\n",
    );
    assert.deepEqual(
      locks?.map((lock) => [lock.host, lock.user, lock.pid, lock.since.toISOString()]),
      [
        ["vm", "root", 17, "2026-11-29T09:00:00.000Z"],
        ["runner-2", "ci", 901, "2026-11-29T08:01:30.000Z"],
      ],
    );
    assert.equal(locksFromError("error: failed to load checkpoint: EOF"), undefined);
  });

  it("tells a running holder on this host from a gone one and from another host's", () => {
    const lock = { where: "file:///x", user: "root", host: "vm", pid: 17, since: new Date("2026-11-29T09:00:00Z") };
    assert.equal(lockHolder(lock, "vm", () => ({ running: false })), "gone");
    assert.equal(lockHolder(lock, "vm", () => ({ running: true, startedAt: new Date("2026-11-29T08:59:59.5Z") })), "running");
    // Started within the lock timestamp's second: may be the holder (RFC 3339 drops the fraction).
    assert.equal(lockHolder(lock, "vm", () => ({ running: true, startedAt: new Date("2026-11-29T09:00:00.9Z") })), "running");
    assert.equal(lockHolder(lock, "vm", () => ({ running: true, startedAt: new Date("2026-11-29T09:00:02Z") })), "gone");
    assert.equal(lockHolder(lock, "vm", () => ({ running: true })), "running");
    assert.equal(lockHolder(lock, "other", () => ({ running: false })), "elsewhere");
  });

  it("reads this machine's process table: a live child with its start time, then gone once it has exited", async () => {
    const before = Date.now();
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { stdio: "ignore" });
    try {
      const live = linuxProcessProbe(child.pid!);
      assert.equal(live.running, true);
      // Boot time is in whole seconds and ticks are 10 ms: within a few seconds of when it was spawned.
      assert.ok(Math.abs(live.startedAt!.getTime() - before) < 5000, `start time ${live.startedAt?.toISOString()} far from ${new Date(before).toISOString()}`);
    } finally {
      child.kill("SIGKILL");
    }
    await new Promise((resolve) => child.once("exit", resolve));
    assert.equal(linuxProcessProbe(child.pid!).running, false);
  });
});
