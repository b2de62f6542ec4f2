/**
 * The real OpenClaw gateway from the npm registry (`openclaw`, the same version numbers as the image tags),
 * installed once per version into a cache outside the repo: about 650 MB, which the project's own
 * node_modules should not carry.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { OPENCLAW_VERSION } from "../config/versions.js";

/** The gateway needs Node >= 24.16 (its package's engines). */
const MINIMUM_NODE = [24, 16] as const;

export function cacheRoot(): string {
  return process.env.OPENCLAW_FLEET_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "openclaw-fleet");
}

export interface OpenclawInstall {
  version: string;
  /** The package directory: the npm layout mirrors the image's `/app` (`dist/index.js`). */
  packageDir: string;
  /** The CLI entry point (`openclaw.mjs`), run with this process's Node. */
  cli: string;
}

function installAt(version: string): OpenclawInstall {
  const packageDir = join(cacheRoot(), `openclaw-${version}`, "node_modules", "openclaw");
  return { version, packageDir, cli: join(packageDir, "openclaw.mjs") };
}

function installedVersion(install: OpenclawInstall): string | undefined {
  const manifest = join(install.packageDir, "package.json");
  return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, "utf8")) as { version?: string }).version : undefined;
}

export function assertNodeCanRunOpenclaw(nodeVersion = process.versions.node): void {
  const [major = 0, minor = 0] = nodeVersion.split(".").map(Number);
  if (major < MINIMUM_NODE[0] || (major === MINIMUM_NODE[0] && minor < MINIMUM_NODE[1])) {
    throw new Error(`openclaw needs Node >= ${MINIMUM_NODE.join(".")}, this is ${nodeVersion}; run through scripts/run.sh`);
  }
}

/** The cached install of `openclaw@version`, installing it first when missing. Warm: one stat. */
export function ensureOpenclaw(version = OPENCLAW_VERSION, log: (line: string) => void = (line) => console.error(line)): OpenclawInstall {
  assertNodeCanRunOpenclaw();
  const install = installAt(version);
  if (installedVersion(install) === version) return install;

  const target = join(cacheRoot(), `openclaw-${version}`);
  mkdirSync(cacheRoot(), { recursive: true });
  // Install beside the target and rename, so an interrupted install never looks like a finished one.
  const staging = mkdtempSync(join(cacheRoot(), `.openclaw-${version}-`));
  try {
    log(`openclaw: installing openclaw@${version} into ${target} (about 650 MB, once per version)`);
    writeFileSync(join(staging, "package.json"), JSON.stringify({ private: true }));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--save-exact", `openclaw@${version}`], { cwd: staging, stdio: ["ignore", "ignore", "inherit"] });
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  if (installedVersion(install) !== version) throw new Error(`openclaw@${version} did not install into ${target}`);
  return install;
}
