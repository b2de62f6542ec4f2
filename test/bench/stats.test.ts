import assert from "node:assert/strict";
import { describeTarget, judge, summarize } from "../../bench/stats.js";

describe("benchmark statistics", () => {
  it("summarizes an odd count by its middle sample, whatever the order", () => {
    assert.deepEqual(summarize([3, 1, 2]), { n: 3, min: 1, median: 2, max: 3 });
  });

  it("takes the mean of the two middle samples of an even count", () => {
    assert.deepEqual(summarize([4, 1, 3, 2]), { n: 4, min: 1, median: 2.5, max: 4 });
  });

  it("summarizes a single sample as itself", () => {
    assert.deepEqual(summarize([1.25]), { n: 1, min: 1.25, median: 1.25, max: 1.25 });
  });

  it("refuses no samples and nonsense samples", () => {
    assert.throws(() => summarize([]), /no samples/);
    assert.throws(() => summarize([1, Number.NaN]), /finite/);
    assert.throws(() => summarize([-1]), /finite and >= 0/);
  });
});

describe("judgement against a target", () => {
  const of = (median: number) => ({ n: 1, min: median, median, max: median });

  it("a ratio target compares the medians", () => {
    const judgement = judge(of(3), of(2), { kind: "ratio", max: 1.5 });
    assert.equal(judgement.ratio, 1.5);
    assert.equal(judgement.met, true, "exactly on the target is met");
    assert.equal(judge(of(3.1), of(2), { kind: "ratio", max: 1.5 }).met, false);
  });

  it("an overhead target compares the difference of the medians, not their ratio", () => {
    const judgement = judge(of(4.5), of(2), { kind: "overhead", seconds: 2 });
    assert.equal(judgement.overhead, 2.5);
    assert.equal(judgement.met, false);
    assert.equal(judge(of(30), of(29), { kind: "overhead", seconds: 2 }).met, true, "a large ratio of small numbers is not what counts");
  });

  it("says the target the way the table prints it", () => {
    assert.equal(describeTarget({ kind: "ratio", max: 1.3 }), "<= 1.3x");
    assert.equal(describeTarget({ kind: "overhead", seconds: 2 }), "<= floor + 2 s");
  });

  it("refuses a baseline of zero", () => {
    assert.throws(() => judge(of(1), of(0), { kind: "ratio", max: 1.5 }), /baseline/);
  });
});

describe("a figure without a target", () => {
  it("is reported with its ratio and never judged", () => {
    const of = (median: number) => ({ n: 1, min: median, median, max: median });
    const judgement = judge(of(1), of(4), undefined);
    assert.equal(judgement.ratio, 0.25);
    assert.equal(judgement.met, null);
    assert.equal(judgement.target, "none");
  });
});
