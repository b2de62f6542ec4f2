/**
 * Figure 3: `up` and `preview` of an unchanged stack (one cluster, deployed once beforehand, untimed) against
 * the same commands on an empty program with the same runtime settings (bench/floor-program): what the
 * program adds to every run over what the CLI, the engine, the language host and Node with tsx cost anyway. And
 * the same `up` with a refresh first (what `npm run fleet -- up` and the demo run) against it without.
 */
import { join } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import type { Figure } from "../results.js";
import { BENCH_NAMESPACE, type BenchEngine } from "../stacks.js";
import type { BenchContext } from "../context.js";
import { compareSides } from "./compare.js";

export async function noOpFigures(context: BenchContext, engine: BenchEngine): Promise<Figure[]> {
  const [kubeContext] = await context.clusters.ensure(1);
  await context.clusters.deleteNamespace(kubeContext!, BENCH_NAMESPACE);
  engine.writeStackFile("bench-no-op", [kubeContext!]);
  const program = await engine.stack("bench-no-op");
  const floor = await engine.stack("bench-floor", join(context.projectDir, "bench/floor-program"));
  try {
    await program.up({ color: "never" });
    await floor.up({ color: "never" });
    const unchanged = async (stack: Stack, what: string, changes: Record<string, number> | undefined) => {
      const changed = Object.entries(changes ?? {}).filter(([op, count]) => op !== "same" && count > 0);
      if (changed.length > 0) throw new Error(`no-op ${what} of ${stack.name} changed something: ${JSON.stringify(changes)}`);
    };
    const figure = async (command: "up" | "preview") => {
      const side = (name: string, stack: Stack) => ({
        name,
        run: async () => {
          if (command === "up") await unchanged(stack, command, (await stack.up({ color: "never" })).summary.resourceChanges);
          else await unchanged(stack, command, (await stack.preview({ color: "never" })).changeSummary);
        },
      });
      return compareSides(context, `no-op ${command}`, {
        id: `no-op-${command}`,
        title: `no-op ${command}, 1 cluster`,
        measured: side("program", program),
        baseline: side("empty program", floor),
        target: { kind: "overhead", seconds: 2 },
      });
    };
    // What the refresh before every fleet and demo `up` costs (stackRunner.ts): the same unchanged stack, with and
    // without it. The refresh reads every object of the stack from its cluster.
    const refreshUp = (refresh: boolean) => async () => unchanged(program, refresh ? "up --refresh" : "up", (await program.up({ color: "never", refresh })).summary.resourceChanges);
    const refreshFigure = await compareSides(context, "no-op up --refresh", {
      id: "no-op-up-refresh",
      title: "no-op up with refresh, 1 cluster",
      measured: { name: "up --refresh", run: refreshUp(true) },
      baseline: { name: "up", run: refreshUp(false) },
    });
    return [await figure("up"), await figure("preview"), refreshFigure];
  } finally {
    await program.destroy({ color: "never" }).catch(() => undefined);
    await floor.destroy({ color: "never" }).catch(() => undefined);
    await engine.remove(program).catch(() => undefined);
    await engine.remove(floor).catch(() => undefined);
    await context.clusters.deleteNamespace(kubeContext!, BENCH_NAMESPACE);
  }
}
