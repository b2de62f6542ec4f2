import assert from "node:assert/strict";
import { rotation, runAlternating, runInTurns } from "../../bench/alternate.js";

/** A clock the sides advance by hand: what the runner counts is exactly what the test says each step costs. */
function fakeClock() {
  let now = 0;
  return { clock: () => now, advance: (seconds: number) => void (now += seconds) };
}

describe("alternating the two sides", () => {
  it("swaps which side runs first every repetition", () => {
    assert.deepEqual([0, 1, 2, 3].map((repetition) => rotation(repetition, ["a", "b"])), [["a", "b"], ["b", "a"], ["a", "b"], ["b", "a"]]);
  });

  it("runs prepare, run and cleanup in that order, alternating the sides", async () => {
    const log: string[] = [];
    const side = (name: string) => ({
      name,
      prepare: async () => void log.push(`${name}:prepare`),
      run: async () => void log.push(`${name}:run`),
      cleanup: async () => void log.push(`${name}:cleanup`),
    });
    await runAlternating(side("up"), side("floor"), { repetitions: 2, clock: fakeClock().clock });
    assert.deepEqual(log, [
      "up:prepare", "up:run", "up:cleanup", "floor:prepare", "floor:run", "floor:cleanup",
      "floor:prepare", "floor:run", "floor:cleanup", "up:prepare", "up:run", "up:cleanup",
    ]);
  });

  it("times the run only, never prepare or cleanup", async () => {
    const { clock, advance } = fakeClock();
    const samples = await runAlternating(
      { name: "measured", prepare: async () => advance(100), run: async () => advance(3), cleanup: async () => advance(50) },
      { name: "baseline", run: async () => advance(2) },
      { repetitions: 3, clock },
    );
    assert.deepEqual(samples, { measured: [3, 3, 3], baseline: [2, 2, 2] });
  });

  it("counts the seconds a side measured itself when it reports them", async () => {
    const { clock, advance } = fakeClock();
    const samples = await runAlternating(
      { name: "program", run: async () => { advance(9); return 1.5; } },
      { name: "floor", run: async () => 0.5 },
      { repetitions: 1, clock },
    );
    assert.deepEqual(samples, { program: [1.5], floor: [0.5] });
  });

  it("refuses zero repetitions and two sides of one name", async () => {
    const side = { name: "same", run: async () => undefined };
    await assert.rejects(runAlternating(side, { ...side, name: "other" }, { repetitions: 0 }), /positive integer/);
    await assert.rejects(runAlternating(side, side, { repetitions: 1 }), /different names/);
  });
});

describe("taking turns among three sides", () => {
  it("lets each side start a repetition in rotation, keeping the order after it", () => {
    assert.deepEqual([0, 1, 2, 3].map((repetition) => rotation(repetition, ["up", "helm", "kubectl"])), [
      ["up", "helm", "kubectl"],
      ["helm", "kubectl", "up"],
      ["kubectl", "up", "helm"],
      ["up", "helm", "kubectl"],
    ]);
  });

  it("times each side's run only, per side, in repetition order", async () => {
    let now = 0;
    const log: string[] = [];
    const side = (name: string, seconds: number) => ({
      name,
      prepare: async () => void (now += 100),
      run: async () => {
        log.push(name);
        now += seconds;
      },
      cleanup: async () => void (now += 50),
    });
    const samples = await runInTurns([side("up", 5), side("helm", 2), side("kubectl", 1)], { repetitions: 2, clock: () => now });
    assert.deepEqual(samples, { up: [5, 5], helm: [2, 2], kubectl: [1, 1] });
    assert.deepEqual(log, ["up", "helm", "kubectl", "helm", "kubectl", "up"]);
  });

  it("refuses two sides of one name", async () => {
    const side = { name: "same", run: async () => undefined };
    await assert.rejects(runInTurns([side, side, { name: "other", run: async () => undefined }], { repetitions: 1 }), /different names/);
  });
});
