/**
 * The program compiled once for a fleet run: every stack's `pulumi up` then starts it as JavaScript
 * (scripts/programLoader.mjs) instead of through tsx, whose module hooks cost each start about a CPU second
 * (docs/performance.md). The build lives in the project (`.fleet-build/`, gitignored) so its imports resolve to the
 * project's node_modules, the same SDK the language host runs; a build is made once per version of the sources.
 */
import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { promisify } from "node:util";

export const PROGRAM_BUILD_ENV = "OPENCLAW_FLEET_PROGRAM_BUILD";
const BUILD_ROOT = ".fleet-build";
const SOURCES = ["index.ts", "tsconfig.json", "tsconfig.program.json", "package-lock.json"];

/** A digest of what the build is made from: the program's TypeScript and the settings and packages it compiles with. */
export function programSourceDigest(projectDir: string): string {
  const files = [...SOURCES.map((file) => join(projectDir, file)), ...typeScriptFiles(join(projectDir, "components"))].filter((file) => existsSync(file)).sort();
  const hash = createHash("sha256");
  for (const file of files) hash.update(relative(projectDir, file)).update("\0").update(readFileSync(file)).update("\0");
  return hash.digest("hex");
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? typeScriptFiles(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}

/**
 * Compiles the program into `.fleet-build/<digest>/` unless a build of the same sources is there; returns its directory,
 * for PROGRAM_BUILD_ENV. A build is written beside and renamed into place when complete, and never changed after:
 * two fleet runs from one checkout never see each other's half-written build. Builds of other sources older than a
 * day are removed. A compile error throws with tsc's output.
 */
export async function buildProgram(projectDir: string): Promise<string> {
  const root = join(projectDir, BUILD_ROOT);
  const digest = programSourceDigest(projectDir).slice(0, 16);
  const dir = join(root, digest);
  if (existsSync(join(dir, "index.js"))) return dir;
  mkdirSync(root, { recursive: true });
  pruneOldBuilds(root, digest);
  const staging = mkdtempSync(join(root, `.${digest}-`));
  try {
    await promisify(execFile)(join(projectDir, "node_modules/.bin/tsc"), ["-p", join(projectDir, "tsconfig.program.json"), "--outDir", staging], { cwd: projectDir, maxBuffer: 16 * 1024 * 1024 });
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (existsSync(join(dir, "index.js"))) return dir; // another run renamed the same build into place first
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`compiling the program (tsc -p tsconfig.program.json) failed:\n${`${stdout}${stderr}`.trim() || String(error)}`);
  }
  return dir;
}

function pruneOldBuilds(root: string, keep: string): void {
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const entry of readdirSync(root)) {
    const path = join(root, entry);
    if (entry !== keep && statSync(path).mtimeMs < dayAgo) rmSync(path, { recursive: true, force: true });
  }
}
