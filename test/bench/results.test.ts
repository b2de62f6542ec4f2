import assert from "node:assert/strict";
import { formatProcessCpu, formatTable, makeFigure, resultsSchema, type Results } from "../../bench/results.js";

const figure = makeFigure("first-deploy", "first deploy, 1 cluster", { name: "pulumi up", samples: [12, 10, 11] }, { name: "kubectl apply", samples: [4, 5, 6] }, { kind: "ratio", max: 1.5 });

function results(overrides: Partial<Results> = {}): Results {
  return {
    generatedAt: "2026-09-20T10:00:00.000Z",
    quick: false,
    repetitions: 3,
    machine: { cpus: 2, cpuModel: "test cpu", memoryBytes: 8 * 2 ** 30, platform: "linux x64" },
    versions: { node: "24.21.0", pulumiCli: "v3.259.0", pulumiSdk: "3.259.0", pulumiKubernetes: "4.32.0", kubernetes: "v1.36.3" },
    figures: [figure],
    ...overrides,
  };
}

describe("bench results", () => {
  it("a figure carries both sides' samples, their summaries and the judgement of the medians", () => {
    assert.deepEqual(figure.measured.summary, { n: 3, min: 10, median: 11, max: 12 });
    assert.deepEqual(figure.baseline.summary, { n: 3, min: 4, median: 5, max: 6 });
    assert.equal(figure.judgement.ratio, 2.2);
    assert.equal(figure.judgement.met, false);
    assert.equal(figure.judgement.target, "<= 1.5x");
  });

  it("results.json's shape: machine, versions and each figure", () => {
    assert.deepEqual(resultsSchema.parse(results()), results());
    assert.throws(() => resultsSchema.parse({ ...results(), versions: { node: "24" } }), /pulumiCli/);
    assert.throws(() => resultsSchema.parse(results({ figures: [{ ...figure, measured: { ...figure.measured, samples: [] } }] })));
  });

  it("the table has one row per figure with min / median / max, the ratio, the target and the verdict", () => {
    const met = makeFigure("no-op", "no-op up", { name: "program", samples: [3] }, { name: "floor", samples: [2] }, { kind: "overhead", seconds: 2 });
    const lines = formatTable([figure, met]).split("\n");
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /^FIGURE\s+MEASURED/);
    assert.match(lines[1]!, /first deploy, 1 cluster\s+pulumi up\s+10\.0 \/ 11\.0 \/ 12\.0\s+kubectl apply\s+4\.00 \/ 5\.00 \/ 6\.00\s+2\.20x\s+\+6\.00\s+<= 1\.5x\s+MISSED$/);
    assert.match(lines[2]!, /no-op up .*1\.50x\s+\+1\.00\s+<= floor \+ 2 s\s+met$/);
  });

  it("the CPU breakdown has a column per side and a row per kind of process, so what one side no longer runs shows as a row", () => {
    const cells = (extra: Record<string, { processes: number; cpuSeconds: number }>) => ({ "pulumi up": { processes: 1, cpuSeconds: 2.5 }, ...extra, total: { processes: 0, cpuSeconds: 4 } });
    const withCpu = makeFigure("fleet-cpu-runner", "fleet vs by hand", { name: "fleet", samples: [6] }, { name: "by hand", samples: [5] }, undefined, {
      processCpuSecondsPerStack: { fleet: cells({ "pulumi stack history": { processes: 2, cpuSeconds: 0.4 } }), "by hand": cells({}) },
    });
    const lines = formatProcessCpu([figure, withCpu]).split("\n");
    assert.match(lines[0]!, /^CPU s per stack \(processes\)\s+fleet\s+by hand$/);
    assert.match(lines[1]!, /^pulumi up\s+2\.50 \(1\)\s+2\.50 \(1\)$/);
    assert.match(lines[2]!, /^pulumi stack history\s+0\.40 \(2\)\s+-$/);
    assert.match(lines.at(-1)!, /^total\s+4\.00\s+4\.00$/);
    assert.equal(formatProcessCpu([figure]), "", "no breakdown, no table");
  });
});
