/**
 * Runs the two sides of a figure in turns, one repetition after the other, swapping which side goes first
 * every repetition: on a shared machine, load that comes and goes then falls on both sides alike, and
 * neither side always runs with the other's leftovers (warm caches, a just-freed CPU). Only `run` is timed;
 * `prepare` (a clean namespace, a fresh stack) is not.
 */

export interface Side {
  name: string;
  /** Untimed: brings the world to this side's starting point. */
  prepare?: () => Promise<void>;
  /** Timed. Returns nothing, or seconds it measured itself (e.g. inside a child process), which then count instead. */
  run: () => Promise<number | void>;
  /** Untimed: cleans up after the timed part. */
  cleanup?: () => Promise<void>;
}

export interface AlternateOptions {
  repetitions: number;
  /** Seconds since an arbitrary origin; injectable so the order and accounting are testable without timers. */
  clock?: () => number;
  /** Called before each timed run, e.g. to log progress. */
  onRun?: (side: string, repetition: number) => void;
}

export const monotonicSeconds = () => Number(process.hrtime.bigint()) / 1e9;

/** Samples in seconds, per side name, in repetition order: two sides in turns, each first every other repetition. */
export async function runAlternating(measured: Side, baseline: Side, options: AlternateOptions): Promise<Record<string, number[]>> {
  return runInTurns([measured, baseline], options);
}

/** Repetition r starts with side r mod n and keeps the order after it: each side goes first as often as the others. */
export function rotation<T>(repetition: number, sides: readonly T[]): T[] {
  const start = repetition % sides.length;
  return [...sides.slice(start), ...sides.slice(0, start)];
}

/** runAlternating for three or more sides in one run (e.g. `pulumi up`, Helm, kubectl on the same cluster). */
export async function runInTurns(sides: readonly Side[], options: AlternateOptions): Promise<Record<string, number[]>> {
  if (!Number.isInteger(options.repetitions) || options.repetitions < 1) throw new Error(`repetitions must be a positive integer, got ${options.repetitions}`);
  const names = sides.map((side) => side.name);
  if (new Set(names).size !== names.length) throw new Error(`the sides need different names: ${names.join(", ")}`);
  const clock = options.clock ?? monotonicSeconds;
  const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let repetition = 0; repetition < options.repetitions; repetition++) {
    for (const side of rotation(repetition, sides)) {
      await side.prepare?.();
      options.onRun?.(side.name, repetition);
      const start = clock();
      const reported = await side.run();
      const elapsed = clock() - start;
      await side.cleanup?.();
      samples[side.name]!.push(typeof reported === "number" ? reported : elapsed);
    }
  }
  return samples;
}
