import assert from "node:assert/strict";
import { DEFAULT_IMAGE } from "../../components/config/versions.js";
import { FleetProgress, plainDisplay, progressLine, terminalDisplay } from "../../components/fleetops/progress.js";
import type { FleetStack } from "../../components/fleetops/stackDiscovery.js";

const stack = (name: string, ring: number, clusters = ["eu", "us"]): FleetStack => ({ name, ring, clusters, image: DEFAULT_IMAGE, clustersPinningImage: [], clustersUndoingUpgrade: [] });

describe("fleet progress", () => {
  it("shows ring, stack, clusters done of total, rollout, what runs and the elapsed time", () => {
    const line = progressLine({ ring: 0, stack: "acme-prod", clustersTotal: 2, clustersDone: 1, phase: "up", rollout: "progressing", startedAt: 1_000, finishedAt: undefined }, 76_000);
    assert.match(line, /^ring 0 +acme-prod +clusters 1\/2 +rollout progressing +up +1m15s$/);
  });

  it("writes one plain line per change, in the order things happened, for CI logs", () => {
    const lines: string[] = [];
    let clock = 0;
    const progress = new FleetProgress([stack("tenant-b", 1), stack("canary", 0)], plainDisplay((text) => lines.push(text), () => clock), () => clock);
    progress.start(stack("canary", 0));
    clock = 3_000;
    progress.runner("canary", { phase: "up", clustersDone: 0 });
    progress.runner("canary", { phase: "up", clustersDone: 0 }); // no change: no line
    progress.runner("canary", { phase: "up", clustersDone: 2, rollout: "complete" });
    progress.finish({ stack: stack("canary", 0), state: "succeeded", result: undefined });
    progress.finish({ stack: stack("tenant-b", 1), state: "skipped" });
    assert.equal(lines.length, 5);
    assert.ok(lines.every((line) => line.endsWith("\n") && !line.includes("\x1b")), "plain lines carry no terminal codes");
    assert.match(lines[0]!, /^ring 0 +canary +clusters 0\/2 +rollout - +starting +0s/);
    assert.match(lines[2]!, /canary +clusters 2\/2 +rollout complete +up +3s/);
    assert.match(lines[3]!, /canary .* succeeded +3s/);
    assert.match(lines[4]!, /^ring 1 +tenant-b +clusters 0\/2 +rollout - +skipped +-\n$/);
  });

  it("ends with every stack that never started marked skipped, on a terminal and in a CI log", () => {
    const outcomes = [
      { stack: stack("canary", 0), state: "failed" as const, error: "boom" },
      { stack: stack("same-ring", 0), state: "skipped" as const },
      { stack: stack("later", 1), state: "skipped" as const },
    ];
    let screen = "";
    const terminal = new FleetProgress(outcomes.map((o) => o.stack), terminalDisplay((text) => (screen += text), () => 0), () => 0);
    const lines: string[] = [];
    const plain = new FleetProgress(outcomes.map((o) => o.stack), plainDisplay((text) => lines.push(text), () => 0), () => 0);
    for (const progress of [terminal, plain]) {
      progress.start(outcomes[0]!.stack);
      progress.finish(outcomes[0]!);
      progress.close(outcomes);
      assert.deepEqual(progress.rows.map((row) => [row.stack, row.phase]), [["canary", "failed"], ["same-ring", "skipped"], ["later", "skipped"]]);
    }
    const lastFrame = screen.split("\x1b[3A").pop()!;
    assert.doesNotMatch(lastFrame, /waiting/);
    assert.match(lastFrame, /ring 1 +later .* skipped/);
    assert.match(lines.at(-1)!, /ring 1 +later .* skipped/);
    assert.match(lines.at(-2)!, /ring 0 +same-ring .* skipped/);
  });

  it("redraws every stack's line in place on a terminal", () => {
    let screen = "";
    const display = terminalDisplay((text) => (screen += text), () => 0);
    const progress = new FleetProgress([stack("a", 0), stack("b", 1)], display, () => 0);
    progress.start(stack("a", 0));
    progress.runner("a", { phase: "up", clustersDone: 1 });
    progress.close();
    const frames = screen.split("\x1b[2A");
    assert.equal(frames.length, 3, "the second and third frames move the cursor back up over the two lines");
    assert.match(frames[2]!, /ring 0 +a +clusters 1\/2 .* up/);
    assert.match(frames[2]!, /ring 1 +b +clusters 0\/2 .* waiting/);
  });
});
