/** bench/results.json: its schema (checked before it is written), and the table printed on stdout. */
import { z } from "zod";
import { describeTarget, judge, summarize, type Target } from "./stats.js";

const summarySchema = z.object({ n: z.number().int().positive(), min: z.number(), median: z.number(), max: z.number() });
const sideSchema = z.object({ name: z.string().min(1), samples: z.array(z.number().nonnegative()).min(1), summary: summarySchema });
const targetSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("ratio"), max: z.number().positive() }),
  z.object({ kind: z.literal("overhead"), seconds: z.number().nonnegative() }),
]);

export const figureSchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  measured: sideSchema,
  baseline: sideSchema,
  /** Absent: reported for information, never judged. */
  target: targetSchema.optional(),
  judgement: z.object({ ratio: z.number(), overhead: z.number(), met: z.boolean().nullable(), target: z.string() }),
  /** Where the time goes, when the figure measured it (e.g. engine phases), seconds per phase. */
  breakdown: z.record(z.string(), z.unknown()).optional(),
});

export const resultsSchema = z.object({
  generatedAt: z.string().datetime(),
  quick: z.boolean(),
  repetitions: z.number().int().positive(),
  machine: z.object({ cpus: z.number().int().positive(), cpuModel: z.string(), memoryBytes: z.number().positive(), platform: z.string() }),
  versions: z.object({
    node: z.string(),
    pulumiCli: z.string(),
    pulumiSdk: z.string(),
    pulumiKubernetes: z.string(),
    kubernetes: z.string(),
    /** Absent in runs without a Helm figure (and in results written before there were any). */
    helm: z.string().optional(),
  }),
  figures: z.array(figureSchema),
});

export type Figure = z.infer<typeof figureSchema>;
export type Results = z.infer<typeof resultsSchema>;

/** A figure from both sides' samples (seconds): summaries and the judgement against its target. */
export function makeFigure(
  id: string,
  title: string,
  measured: { name: string; samples: number[] },
  baseline: { name: string; samples: number[] },
  target: Target | undefined,
  breakdown?: Record<string, unknown>,
): Figure {
  const measuredSide = { ...measured, summary: summarize(measured.samples) };
  const baselineSide = { ...baseline, summary: summarize(baseline.samples) };
  return {
    id,
    title,
    measured: measuredSide,
    baseline: baselineSide,
    ...(target ? { target } : {}),
    judgement: judge(measuredSide.summary, baselineSide.summary, target),
    ...(breakdown ? { breakdown } : {}),
  };
}

const seconds = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
/** A side's min / median / max as the table prints it (three significant figures from 10 s up). */
export const spread = (summary: z.infer<typeof summarySchema>) => `${seconds(summary.min)} / ${seconds(summary.median)} / ${seconds(summary.max)}`;

/** The stdout table: one line per figure, times in seconds as min / median / max. */
export function formatTable(figures: readonly Figure[]): string {
  const header = ["FIGURE", "MEASURED", "s min / median / max", "BASELINE", "s min / median / max", "RATIO", "+s", "TARGET", "RESULT"];
  const rows = figures.map((figure) => [
    figure.title,
    figure.measured.name,
    spread(figure.measured.summary),
    figure.baseline.name,
    spread(figure.baseline.summary),
    `${figure.judgement.ratio.toFixed(2)}x`,
    `${figure.judgement.overhead >= 0 ? "+" : ""}${seconds(figure.judgement.overhead)}`,
    describeTarget(figure.target),
    figure.judgement.met === null ? "-" : figure.judgement.met ? "met" : "MISSED",
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return [header, ...rows].map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd()).join("\n");
}

type KindCells = Record<string, { processes: number; cpuSeconds: number }>;

/**
 * The CPU breakdowns the figures recorded (`processCpuSecondsPerStack`: per side, per kind of process), one table with
 * a column per side, so what a change removes shows as a row: CPU seconds per stack (processes per stack).
 */
export function formatProcessCpu(figures: readonly Figure[]): string {
  const sides: [string, KindCells][] = [];
  for (const figure of figures) {
    const perStack = figure.breakdown?.processCpuSecondsPerStack as Record<string, KindCells> | undefined;
    for (const [side, kinds] of Object.entries(perStack ?? {})) if (!sides.some(([name]) => name === side)) sides.push([side, kinds]);
  }
  if (sides.length === 0) return "";
  const last = ["(not sampled)", "total"];
  const kinds = [...new Set(sides.flatMap(([, cells]) => Object.keys(cells)))].filter((kind) => !last.includes(kind));
  // Most CPU first, by the first side's figures (then the others').
  const weight = (kind: string) => sides.reduce((sum, [, cells]) => sum + (cells[kind]?.cpuSeconds ?? 0), 0);
  kinds.sort((a, b) => weight(b) - weight(a));
  const cell = (cells: KindCells, kind: string) => {
    const entry = cells[kind];
    if (!entry) return "-";
    return last.includes(kind) ? entry.cpuSeconds.toFixed(2) : `${entry.cpuSeconds.toFixed(2)} (${Number(entry.processes.toFixed(2))})`;
  };
  const header = ["CPU s per stack (processes)", ...sides.map(([name]) => name)];
  const rows = [...kinds, ...last].map((kind) => [kind, ...sides.map(([, cells]) => cell(cells, kind))]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return [header, ...rows].map((row) => row.map((text, column) => (column === 0 ? text.padEnd(widths[column]!) : text.padStart(widths[column]!))).join("  ")).join("\n");
}
