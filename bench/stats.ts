/**
 * The statistics every figure reports and the judgement against its target. Pure: no clock, no I/O, so the
 * unit tests pin the arithmetic the README's numbers come from.
 */

export interface Summary {
  /** Number of samples. */
  n: number;
  min: number;
  median: number;
  max: number;
}

/** min / median / max of the samples (seconds); the median of an even count is the mean of the middle two. */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error("summarize: no samples");
  if (samples.some((sample) => !Number.isFinite(sample) || sample < 0)) throw new Error(`summarize: samples must be finite and >= 0, got ${samples.join(", ")}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { n: sorted.length, min: sorted[0]!, median, max: sorted[sorted.length - 1]! };
}

/**
 * A figure's target. `ratio`: the measured side's median at most `max` times the baseline's. `overhead`: the
 * measured side's median at most `seconds` above the baseline's (the no-op floor, where a ratio of two small
 * numbers would say little).
 */
export type Target = { kind: "ratio"; max: number } | { kind: "overhead"; seconds: number };

export interface Judgement {
  /** measured median / baseline median. */
  ratio: number;
  /** measured median - baseline median, in seconds. */
  overhead: number;
  /** null: the figure has no target (it is reported for information). */
  met: boolean | null;
  /** The target as people read it: "<= 1.5x", "<= floor + 2 s", "none". */
  target: string;
}

export function describeTarget(target: Target | undefined): string {
  if (!target) return "none";
  return target.kind === "ratio" ? `<= ${target.max}x` : `<= floor + ${target.seconds} s`;
}

export function judge(measured: Summary, baseline: Summary, target: Target | undefined): Judgement {
  if (baseline.median <= 0) throw new Error("judge: the baseline's median is 0, no ratio can be formed");
  const ratio = measured.median / baseline.median;
  const overhead = measured.median - baseline.median;
  const met = !target ? null : target.kind === "ratio" ? ratio <= target.max : overhead <= target.seconds;
  return { ratio, overhead, met, target: describeTarget(target) };
}
