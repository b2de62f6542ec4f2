import assert from "node:assert/strict";
import { parseBashTimes, runCpuTimed } from "../../bench/cpuTime.js";

describe("CPU seconds of a command's processes", () => {
  it("reads the children's user and system time from bash's times", () => {
    assert.equal(parseBashTimes("0m0.004s 0m0.002s\n1m2.500s 0m0.250s\n"), 62.75);
  });

  it("refuses output it does not know", () => {
    assert.throws(() => parseBashTimes("0m0.004s 0m0.002s\n"), /unexpected output/);
    assert.throws(() => parseBashTimes("0m0.004s 0m0.002s\n1.5 0.2\n"), /unexpected output/);
  });

  it("reports a command's exit and the end of its stderr when it fails", async () => {
    await assert.rejects(runCpuTimed("bash", ["-c", "echo broken-on-purpose >&2; exit 3"]), /exited 3:\nbroken-on-purpose/);
  });

  it("counts the CPU of the processes a command starts, not only its own", async function () {
    this.timeout(120_000);
    // A grandchild does a fixed amount of work (about 0.3 s of CPU); the bash between does next to none.
    const timed = await runCpuTimed("bash", ["-c", "bash -c 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done'; true"]);
    assert.ok(timed.cpuSeconds >= 0.05, `the grandchild's work counted (got ${timed.cpuSeconds} s)`);
  });
});
