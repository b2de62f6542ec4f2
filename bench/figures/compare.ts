// One figure from two sides: run them alternately (bench/alternate.ts), then summarise and judge the samples.
import { runAlternating, type Side } from "../alternate.js";
import type { BenchContext } from "../context.js";
import { makeFigure, type Figure } from "../results.js";
import type { Target } from "../stats.js";

export interface Comparison {
  id: string;
  title: string;
  /** The side's name in the table when it differs from the name it runs under (e.g. "SDK floor" for "floor"). */
  measured: Side & { label?: string };
  baseline: Side & { label?: string };
  target?: Target;
  /** Read after the runs: what the sides recorded while they ran (engine phases, import times). */
  breakdown?: () => Record<string, unknown>;
}

export async function compareSides(context: BenchContext, progress: string, comparison: Comparison): Promise<Figure> {
  const { measured, baseline } = comparison;
  const samples = await runAlternating(measured, baseline, { repetitions: context.options.repetitions, onRun: context.progress(progress) });
  return makeFigure(
    comparison.id,
    comparison.title,
    { name: measured.label ?? measured.name, samples: samples[measured.name]! },
    { name: baseline.label ?? baseline.name, samples: samples[baseline.name]! },
    comparison.target,
    comparison.breakdown?.(),
  );
}
