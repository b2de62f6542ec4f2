/**
 * Wall-clock and CPU seconds of a command and every process it starts: run under bash, whose `times` builtin
 * reports the user and system CPU of the children it waited for (each waited for its own in turn: the Pulumi CLI
 * its plugins, Helm nothing), so no tool beyond bash is needed.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monotonicSeconds } from "./alternate.js";

export interface CpuTimed {
  seconds: number;
  cpuSeconds: number;
}

/** `times` prints two lines, the shell's user and system time, then its children's: `0m1.250s 0m0.310s`. */
export function parseBashTimes(output: string): number {
  const lines = output.trim().split("\n");
  const children = lines[1]?.trim().split(/\s+/) ?? [];
  const seconds = (field: string | undefined) => {
    const match = /^(\d+)m([\d.]+)s$/.exec(field ?? "");
    if (!match) throw new Error(`unexpected output of bash's times: ${JSON.stringify(output)}`);
    return Number(match[1]) * 60 + Number(match[2]);
  };
  if (children.length !== 2) throw new Error(`unexpected output of bash's times: ${JSON.stringify(output)}`);
  return seconds(children[0]) + seconds(children[1]);
}

/** Runs `command args...` (stdout discarded, stderr kept for the error), throwing on a non-zero exit. */
export async function runCpuTimed(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CpuTimed> {
  const dir = mkdtempSync(join(tmpdir(), "openclaw-bench-times-"));
  const timesFile = join(dir, "times");
  try {
    const start = monotonicSeconds();
    const stderr: Buffer[] = [];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn("bash", ["-c", '"$@"; status=$?; times > "$OPENCLAW_BENCH_TIMES"; exit $status', "bench", command, ...args], {
        cwd: options.cwd,
        env: { ...(options.env ?? process.env), OPENCLAW_BENCH_TIMES: timesFile },
        stdio: ["ignore", "ignore", "pipe"],
      });
      child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
      child.on("error", reject);
      child.on("close", resolve);
    });
    const seconds = monotonicSeconds() - start;
    if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited ${code}:\n${Buffer.concat(stderr).toString().split("\n").slice(-12).join("\n")}`);
    return { seconds, cpuSeconds: parseBashTimes(readFileSync(timesFile, "utf8")) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
