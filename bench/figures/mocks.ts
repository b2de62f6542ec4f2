/**
 * Figure 4: the program's evaluation under Pulumi mocks at several fleet sizes against the SDK floor (the same
 * number of components, providers and custom resources, each resource trivial). Each evaluation runs in a
 * fresh process and reports its own time, imports excluded (reported apart).
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Evaluation, RegisteredCounts } from "../mocks/evaluate.js";
import type { Figure } from "../results.js";
import { summarize } from "../stats.js";
import type { BenchContext } from "../context.js";
import { compareSides } from "./compare.js";

const run = promisify(execFile);

async function evaluate(context: BenchContext, args: string[]): Promise<Evaluation> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", join(context.projectDir, "bench/mocks/evaluate.ts"), ...args], {
    cwd: context.projectDir,
    maxBuffer: 16 * 2 ** 20,
  });
  return JSON.parse(stdout.trim().split("\n").pop()!) as Evaluation;
}

export async function mocksFigures(context: BenchContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const clusters of context.options.mockSizes) {
    // The floor registers exactly what the program registers: learn the counts from one untimed program run.
    const shape: RegisteredCounts = (await evaluate(context, ["program", String(clusters)])).counts;
    const evaluations: Record<string, Evaluation[]> = { program: [], floor: [] };
    const side = (name: "program" | "floor", args: string[]) => ({
      name,
      run: async () => {
        const evaluation = await evaluate(context, args);
        if (JSON.stringify(evaluation.counts) !== JSON.stringify(shape)) {
          throw new Error(`mocks: the ${name} registered ${JSON.stringify(evaluation.counts)}, expected ${JSON.stringify(shape)}`);
        }
        evaluations[name]!.push(evaluation);
        return evaluation.seconds;
      },
    });
    figures.push(
      await compareSides(context, `mocks ${clusters}`, {
        id: `mocks-${clusters}`,
        title: `mocks, ${clusters} cluster${clusters === 1 ? "" : "s"}`,
        measured: side("program", ["program", String(clusters)]),
        baseline: { ...side("floor", ["floor", String(clusters), String(shape.providers), String(shape.customs), String(shape.components)]), label: "SDK floor" },
        // The target is set for the largest fleet; smaller ones are reported against the same bar.
        target: { kind: "ratio", max: 1.5 },
        breakdown: () => ({
          registered: shape,
          programImportSeconds: summarize(evaluations.program!.map((e) => e.importSeconds)),
          floorImportSeconds: summarize(evaluations.floor!.map((e) => e.importSeconds)),
          programModelAndSpecsSeconds: summarize(evaluations.program!.map((e) => e.modelAndSpecsSeconds ?? 0)),
        }),
      }),
    );
  }
  return figures;
}
