import assert from "node:assert/strict";
import { FIGURES, FULL_ONLY_FIGURES, parseBenchArgs, UsageError } from "../../bench/args.js";

describe("bench arguments", () => {
  it("defaults to every figure, 5 repetitions, full sizes", () => {
    assert.deepEqual(parseBenchArgs([], "out.json"), {
      quick: false,
      repetitions: 5,
      figures: [...FIGURES],
      mockSizes: [1, 10, 50],
      fanOutClusters: 4,
      fleetTenants: 10,
      fleetConcurrency: 4,
      breakdownStacks: 4,
      out: "out.json",
    });
  });

  it("--quick runs every figure but the Helm ones and the fleet's CPU breakdown once, at small sizes", () => {
    const options = parseBenchArgs(["--quick"], "out.json");
    assert.equal(options.repetitions, 1);
    assert.deepEqual(options.figures, ["first-deploy", "fan-out", "no-op", "mocks", "typecheck"]);
    assert.ok(FULL_ONLY_FIGURES.every((figure) => FIGURES.includes(figure) && !options.figures.includes(figure)), "a cold CI does not build Helm nor release a fleet three times");
    assert.equal(options.breakdownStacks, 1);
    assert.equal(options.fleetTenants, 2);
    assert.deepEqual(options.mockSizes, [1, 10]);
    assert.equal(options.fanOutClusters, 2);
    assert.equal(options.out, "out-quick.json", "a quick run keeps the last full results");
  });

  it("--quick runs a Helm figure that --only names", () => {
    assert.deepEqual(parseBenchArgs(["--quick", "--only", "helm-fleet,mocks"], "out.json").figures, ["mocks", "helm-fleet"]);
  });

  it("takes repetitions, a figure list (kept in canonical order) and an output file", () => {
    const options = parseBenchArgs(["--repetitions", "7", "--only", "typecheck,mocks", "--out", "/tmp/r.json"], "out.json");
    assert.equal(options.repetitions, 7);
    assert.deepEqual(options.figures, ["mocks", "typecheck"]);
    assert.equal(options.out, "/tmp/r.json");
  });

  it("refuses bad input, naming it", () => {
    assert.throws(() => parseBenchArgs(["--repetitions", "0"], "o"), (error: Error) => error instanceof UsageError && /--repetitions.*"0"/.test(error.message));
    assert.throws(() => parseBenchArgs(["--repetitions", "2.5"], "o"), UsageError);
    assert.throws(() => parseBenchArgs(["--only", "mocks,speed"], "o"), /unknown figure\(s\) "speed"/);
    assert.throws(() => parseBenchArgs(["--fast"], "o"), UsageError);
    assert.throws(() => parseBenchArgs(["extra"], "o"), UsageError);
  });
});
