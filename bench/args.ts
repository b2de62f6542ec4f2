/** `npm run bench -- [--quick] [--repetitions N] [--only a,b] [--out FILE]`: what to measure, and how often. */
import { parseArgs } from "node:util";

export const FIGURES = ["first-deploy", "fan-out", "no-op", "mocks", "typecheck", "helm-first-deploy", "helm-no-op", "helm-fleet", "fleet-cpu"] as const;
export type FigureId = (typeof FIGURES)[number];
/** The figures that need Helm (`scripts/build-tools.sh helm` builds it from the Go module proxy). */
export const HELM_FIGURES: readonly FigureId[] = ["helm-first-deploy", "helm-no-op", "helm-fleet"];
/**
 * Left out of `--quick` unless `--only` names them: Helm costs about 4 CPU minutes to build cold, and the fleet's CPU
 * breakdown three fleet-sized releases a repetition, more than a cold CI run can spare.
 */
export const FULL_ONLY_FIGURES: readonly FigureId[] = [...HELM_FIGURES, "fleet-cpu"];

export interface BenchOptions {
  quick: boolean;
  repetitions: number;
  figures: FigureId[];
  /** Cluster counts of the mock evaluation. */
  mockSizes: number[];
  /** Clusters of the fan-out's wide side (its other side has one). */
  fanOutClusters: number;
  /** Tenant stacks (of 2 clusters each) the Helm fleet figure releases, and how many at once on both sides. */
  fleetTenants: number;
  fleetConcurrency: number;
  /** Tenant stacks (of 2 clusters each) the fleet's CPU breakdown releases. */
  breakdownStacks: number;
  out: string;
}

export const USAGE = `usage: npm run bench -- [--quick] [--repetitions N] [--only ${FIGURES.join(",")}] [--out FILE]
  --quick          1 repetition, small sizes (mocks at 1 and 10 clusters, fan-out to 2): proves the benchmark works, never judges a time
  --repetitions N  repetitions per figure (default 5; each runs both sides, in alternating order)
  --only LIST      comma-separated figures to run (default: all; with --quick all but ${FULL_ONLY_FIGURES.join(", ")})
  --out FILE       where the results go (default bench/results.json; bench/results-quick.json with --quick)`;

export class UsageError extends Error {}

/** `defaultOut` is where a full run writes; a quick run writes beside it (`results-quick.json`), keeping the last full numbers. */
export function parseBenchArgs(argv: readonly string[], defaultOut: string): BenchOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        quick: { type: "boolean", default: false },
        repetitions: { type: "string" },
        only: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  if (parsed.help) throw new UsageError(USAGE);
  const quick = parsed.quick!;
  let repetitions = quick ? 1 : 5;
  if (parsed.repetitions !== undefined) {
    repetitions = Number(parsed.repetitions);
    if (!/^\d+$/.test(parsed.repetitions) || repetitions < 1) throw new UsageError(`--repetitions must be a positive integer, got "${parsed.repetitions}"\n${USAGE}`);
  }
  let figures: FigureId[] = FIGURES.filter((figure) => !quick || !FULL_ONLY_FIGURES.includes(figure));
  if (parsed.only !== undefined) {
    const names = parsed.only.split(",").map((name) => name.trim()).filter((name) => name !== "");
    const unknown = names.filter((name) => !(FIGURES as readonly string[]).includes(name));
    if (unknown.length > 0 || names.length === 0) throw new UsageError(`--only: unknown figure(s) "${unknown.join(", ")}"; known: ${FIGURES.join(", ")}\n${USAGE}`);
    // Keep the canonical order: the cluster figures share clusters, and the table reads the same every time.
    figures = FIGURES.filter((figure) => names.includes(figure));
  }
  return {
    quick,
    repetitions,
    figures,
    mockSizes: quick ? [1, 10] : [1, 10, 50],
    fanOutClusters: quick ? 2 : 4,
    fleetTenants: quick ? 2 : 10,
    fleetConcurrency: 4,
    breakdownStacks: quick ? 1 : 4,
    out: parsed.out ?? (quick ? defaultOut.replace(/\.json$/, "-quick.json") : defaultOut),
  };
}
