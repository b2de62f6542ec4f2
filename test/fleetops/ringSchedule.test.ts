import assert from "node:assert/strict";
import { firstErrorLine, runRingByRing, StackFailure, type RingMember } from "../../components/fleetops/ringSchedule.js";

const stack = (name: string, ring: number): RingMember => ({ name, ring });

/** A fake fleet whose stacks finish when the test says so, recording what ran and how many at once. */
function fakeFleet(fail: Record<string, string> = {}) {
  const started: string[] = [];
  const pending = new Map<string, () => void>();
  let running = 0;
  let mostAtOnce = 0;
  const waiters: (() => void)[] = [];
  const runStack = (s: RingMember) =>
    new Promise<string>((resolve, reject) => {
      started.push(s.name);
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      pending.set(s.name, () => {
        running -= 1;
        pending.delete(s.name);
        if (fail[s.name]) reject(new Error(fail[s.name]));
        else resolve(`${s.name} done`);
      });
      waiters.splice(0).forEach((wake) => wake());
    });
  /** Resolves once `count` stacks are running (a microtask handshake, no timers). */
  const whenRunning = async (count: number) => {
    while (pending.size < count) await new Promise<void>((wake) => waiters.push(wake));
  };
  const finish = (name: string) => {
    const done = pending.get(name);
    assert.ok(done, `${name} is not running; running: ${[...pending.keys()].join(", ")}`);
    done();
  };
  return { runStack, started, pending, whenRunning, finish, mostAtOnce: () => mostAtOnce };
}

describe("fleet rollout schedule", () => {
  it("runs rings in ascending order, names sorted within a ring, whatever order the stacks come in", async () => {
    const order: string[] = [];
    const result = await runRingByRing([stack("zeta", 1), stack("beta", 2), stack("canary", 0), stack("alpha", 1)], async (s) => {
      order.push(s.name);
      return s.name;
    }, { concurrency: 1 });
    assert.deepEqual(order, ["canary", "alpha", "zeta", "beta"]);
    assert.deepEqual(result.outcomes.map((o) => o.state), ["succeeded", "succeeded", "succeeded", "succeeded"]);
    assert.deepEqual(result.failed, []);
    assert.equal(result.stoppedAfterRing, undefined);
  });

  it("runs at most K stacks of a ring at once, and starts the next one as soon as a slot is free", async () => {
    const fleet = fakeFleet();
    const stacks = ["a", "b", "c", "d", "e", "f"].map((name) => stack(name, 1));
    const run = runRingByRing(stacks, fleet.runStack, { concurrency: 4 });
    await fleet.whenRunning(4);
    assert.deepEqual([...fleet.pending.keys()], ["a", "b", "c", "d"]);
    fleet.finish("c");
    await fleet.whenRunning(4);
    assert.deepEqual([...fleet.pending.keys()].sort(), ["a", "b", "d", "e"]);
    for (const name of ["a", "b", "d", "e"]) fleet.finish(name);
    await fleet.whenRunning(1);
    fleet.finish("f");
    await run;
    assert.equal(fleet.mostAtOnce(), 4);
  });

  it("does not start a ring before every stack of the previous ring is done", async () => {
    const fleet = fakeFleet();
    const run = runRingByRing([stack("canary-a", 0), stack("canary-b", 0), stack("tenant", 1)], fleet.runStack, { concurrency: 4 });
    await fleet.whenRunning(2);
    fleet.finish("canary-a");
    // canary-b still runs: ring 1 must wait although three slots are free.
    await Promise.resolve();
    assert.deepEqual(fleet.started, ["canary-a", "canary-b"]);
    fleet.finish("canary-b");
    await fleet.whenRunning(1);
    assert.deepEqual(fleet.started, ["canary-a", "canary-b", "tenant"]);
    fleet.finish("tenant");
    await run;
  });

  it("stops at a failing canary: running stacks finish, nothing else starts, every failure is listed with its first error", async () => {
    const fleet = fakeFleet({ "canary-a": "update failed\nmore detail", "canary-b": "readiness never passed" });
    const stacks = [stack("canary-a", 0), stack("canary-b", 0), stack("canary-c", 0), stack("tenant-a", 1), stack("tenant-b", 2)];
    const run = runRingByRing(stacks, fleet.runStack, { concurrency: 2 });
    await fleet.whenRunning(2);
    fleet.finish("canary-a");
    // canary-b was running when canary-a failed: it finishes (and fails too); canary-c never starts.
    await Promise.resolve();
    fleet.finish("canary-b");
    const result = await run;
    assert.deepEqual(fleet.started, ["canary-a", "canary-b"]);
    assert.deepEqual(result.outcomes.map((o) => `${o.stack.name}:${o.state}`), ["canary-a:failed", "canary-b:failed", "canary-c:skipped", "tenant-a:skipped", "tenant-b:skipped"]);
    assert.deepEqual(result.failed, [
      { stack: "canary-a", ring: 0, error: "update failed" },
      { stack: "canary-b", ring: 0, error: "readiness never passed" },
    ]);
    assert.equal(result.stoppedAfterRing, 0);
  });

  it("lets a running stack of the failing ring succeed", async () => {
    const fleet = fakeFleet({ a: "boom" });
    const run = runRingByRing([stack("a", 1), stack("b", 1)], fleet.runStack, { concurrency: 2 });
    await fleet.whenRunning(2);
    fleet.finish("a");
    fleet.finish("b");
    const result = await run;
    assert.deepEqual(result.outcomes.map((o) => o.state), ["failed", "succeeded"]);
  });

  it("runs every ring for read-only commands, failures or not", async () => {
    const result = await runRingByRing([stack("a", 0), stack("b", 1)], async (s) => {
      if (s.name === "a") throw new Error("no such stack");
      return s.name;
    }, { concurrency: 1, stopOnFailure: false });
    assert.deepEqual(result.outcomes.map((o) => o.state), ["failed", "succeeded"]);
    assert.deepEqual(result.failed, [{ stack: "a", ring: 0, error: "no such stack" }]);
    assert.equal(result.stoppedAfterRing, undefined);
  });

  it("keeps what a failed stack's runner learned before it failed", async () => {
    const result = await runRingByRing([stack("a", 0)], async () => {
      throw new StackFailure("wave 0 failed", { outputs: "partial" });
    }, { concurrency: 1 });
    const [outcome] = result.outcomes;
    assert.equal(outcome!.state, "failed");
    assert.deepEqual(outcome!.state === "failed" && outcome!.result, { outputs: "partial" });
  });

  it("reports start and finish of each stack to the progress display", async () => {
    const events: string[] = [];
    await runRingByRing([stack("a", 0), stack("b", 1)], async (s) => s.name, {
      concurrency: 1,
      onStart: (s) => events.push(`start ${s.name}`),
      onFinish: (o) => events.push(`${o.state} ${o.stack.name}`),
    });
    assert.deepEqual(events, ["start a", "succeeded a", "start b", "succeeded b"]);
  });

  it("refuses a concurrency below 1", async () => {
    await assert.rejects(runRingByRing([stack("a", 0)], async () => "", { concurrency: 0 }), /concurrency must be a whole number >= 1/);
  });

  it("takes the first non-empty line of an error as its summary", () => {
    assert.equal(firstErrorLine(new Error("\n  error: boom \nstack trace")), "error: boom");
    assert.equal(firstErrorLine("plain"), "plain");
  });
});
