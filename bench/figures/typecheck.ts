/**
 * Figure 5: the project's type-check, TypeScript 7's native compiler (what `npm test` runs) against
 * TypeScript 5.9, the same comparison as bench/typecheck.sh (which installs 5.9 into the cache and prints
 * where). No target: it shows what the native compiler saves.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Figure } from "../results.js";
import type { BenchContext } from "../context.js";
import { compareSides } from "./compare.js";

const run = promisify(execFile);

export async function typecheckFigure(context: BenchContext): Promise<Figure> {
  const { stdout } = await run(join(context.projectDir, "bench/typecheck.sh"), ["--print-ts5"], { cwd: context.projectDir });
  const ts5 = stdout.trim();
  const native = join(context.projectDir, "node_modules/.bin/tsc");
  const side = (name: string, tsc: string) => ({ name, run: async () => void (await run(tsc, ["-p", "."], { cwd: context.projectDir })) });
  await run(native, ["-p", "."], { cwd: context.projectDir }); // warm the file cache, as typecheck.sh does
  return compareSides(context, "type-check", {
    id: "typecheck",
    title: "type-check (tsc -p .)",
    measured: side("typescript 7 (native)", native),
    baseline: side("typescript 5.9", ts5),
  });
}
