/**
 * Asks the real gateway whether a generated `openclaw.json` is one it will boot with:
 * `openclaw config validate --json` against the file, in a throwaway HOME so nothing of the user's leaks in.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { OpenclawInstall } from "./install.js";

const run = promisify(execFile);

export interface ConfigIssue {
  /** JSON path inside openclaw.json, e.g. `gateway.bind` (`<root>` for the file as a whole). */
  path: string;
  message: string;
}

export interface ConfigVerdict {
  valid: boolean;
  issues: ConfigIssue[];
  warnings: ConfigIssue[];
}

interface ValidateOutput {
  valid?: boolean;
  issues?: ConfigIssue[];
  warnings?: ConfigIssue[];
}

export async function validateOpenclawConfig(install: OpenclawInstall, configText: string): Promise<ConfigVerdict> {
  const dir = mkdtempSync(join(tmpdir(), "openclaw-validate-"));
  try {
    const file = join(dir, "openclaw.json");
    writeFileSync(file, configText);
    const env = { PATH: process.env.PATH ?? "", HOME: dir, OPENCLAW_CONFIG_PATH: file, NO_COLOR: "1" };
    // Exit 1 means "invalid" and still prints the verdict on stdout.
    const { stdout } = await run(process.execPath, [install.cli, "config", "validate", "--json"], { env, maxBuffer: 16 * 1024 * 1024 }).catch(
      (error: { stdout?: string; message: string }) => {
        if (error.stdout) return { stdout: error.stdout };
        throw new Error(`openclaw config validate failed to run: ${error.message}`);
      },
    );
    const output = JSON.parse(stdout) as ValidateOutput;
    return { valid: output.valid === true, issues: output.issues ?? [], warnings: output.warnings ?? [] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
