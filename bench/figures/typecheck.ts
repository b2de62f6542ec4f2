/**
 * Figure 5: the project's type-check, TypeScript 7's native compiler (what `npm test` runs) against
 * TypeScript 5.9, the same comparison as bench/typecheck.sh (which installs 5.9 into the cache and prints
 * where). No target: it shows what the native compiler saves.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { runAlternating } from "../alternate.js";
import { makeFigure, type Figure } from "../results.js";
import type { BenchContext } from "../context.js";

const run = promisify(execFile);

export async function typecheckFigure(context: BenchContext): Promise<Figure> {
  const { stdout } = await run(join(context.projectDir, "bench/typecheck.sh"), ["--print-ts5"], { cwd: context.projectDir });
  const ts5 = stdout.trim();
  const native = join(context.projectDir, "node_modules/.bin/tsc");
  const side = (name: string, tsc: string) => ({ name, run: async () => void (await run(tsc, ["-p", "."], { cwd: context.projectDir })) });
  await run(native, ["-p", "."], { cwd: context.projectDir }); // warm the file cache, as typecheck.sh does
  const samples = await runAlternating(side("typescript 7 (native)", native), side("typescript 5.9", ts5), {
    repetitions: context.options.repetitions,
    onRun: context.progress("type-check"),
  });
  return makeFigure(
    "typecheck",
    "type-check (tsc -p .)",
    { name: "typescript 7 (native)", samples: samples["typescript 7 (native)"]! },
    { name: "typescript 5.9", samples: samples["typescript 5.9"]! },
    undefined,
  );
}
