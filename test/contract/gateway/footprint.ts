/**
 * What the running gateway costs, measured from outside as the kubelet's cgroup would see it: the resident memory
 * of every process of the "pod" (the process group the harness starts), the V8 heap of the gateway process (from a
 * preload that reports `process.memoryUsage()`; nothing else), and the CPU time its start took. Linux /proc only.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const MiB = 2 ** 20;
/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** The preload: appends the process's own memory use to a file every half second, never keeping the process alive. */
const PRELOAD = `import { appendFileSync } from "node:fs";
const file = process.env.OPENCLAW_CONTRACT_MEMORY_FILE;
if (file) {
  const sample = () => { const m = process.memoryUsage(); appendFileSync(file, JSON.stringify({ pid: process.pid, rss: m.rss, heapTotal: m.heapTotal, heapUsed: m.heapUsed }) + "\\n"); };
  setInterval(sample, 500).unref();
}
`;

export interface Footprint {
  /** Peak of the summed resident memory of the gateway's processes (MiB). */
  peakMiB: number;
  /** The last sample's summed resident memory, once it is idle after start and the health calls (MiB). */
  idleMiB: number;
  /** The largest V8 heap (heapTotal) of the gateway process (MiB). */
  peakHeapMiB: number;
  /** The most resident memory the gateway process held outside its V8 heap (MiB): what a heap cap cannot bound. */
  nonHeapMiB: number;
}

/** Adds the preload to a container env's NODE_OPTIONS (keeping the program's heap cap) and names its output file. */
export function withMemoryPreload(env: Record<string, string>, dir: string): Record<string, string> {
  const preload = join(dir, "memory-preload.mjs");
  writeFileSync(preload, PRELOAD);
  const file = join(dir, "memory-samples.jsonl");
  writeFileSync(file, "");
  return { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ""} --import=${preload}`.trim(), OPENCLAW_CONTRACT_MEMORY_FILE: file };
}

function groupPids(group: number): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => statFields(pid)?.[4] === String(group));
}

/** /proc/<pid>/stat split after the command name (which may hold spaces); index 0 is field 3 (state). */
function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return ["", "", ...text.slice(text.lastIndexOf(")") + 2).trim().split(" ")];
  } catch {
    return undefined; // gone
  }
}

function residentBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds the group has used so far: each live process's user and system time, with its reaped children's. */
export function groupCpuSeconds(group: number): number {
  let ticks = 0;
  for (const pid of groupPids(group)) {
    const fields = statFields(pid);
    // Fields 14-17: utime, stime, cutime, cstime.
    if (fields) ticks += [14, 15, 16, 17].reduce((sum, field) => sum + Number(fields[field - 1]), 0);
  }
  return ticks / TICKS_PER_SECOND;
}

/** Samples the group's resident memory until stopped; `stop` reads the preload's samples too. */
export function meterMemory(group: number, samplesFile: string): { stop: () => Footprint } {
  const totals: number[] = [];
  const sample = () => totals.push(groupPids(group).reduce((sum, pid) => sum + residentBytes(pid), 0));
  sample();
  const timer = setInterval(sample, 250);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      const samples = existsSync(samplesFile)
        ? readFileSync(samplesFile, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as { pid: number; rss: number; heapTotal: number })
        : [];
      const own = samples.filter((s) => s.pid === group);
      const worst = own.reduce<{ rss: number; heapTotal: number } | undefined>((best, s) => (!best || s.rss - s.heapTotal > best.rss - best.heapTotal ? s : best), undefined);
      const live = totals.filter((total) => total > 0);
      return {
        peakMiB: Math.max(...live) / MiB,
        idleMiB: (live.at(-1) ?? 0) / MiB,
        peakHeapMiB: Math.max(0, ...own.map((s) => s.heapTotal)) / MiB,
        nonHeapMiB: worst ? (worst.rss - worst.heapTotal) / MiB : Number.NaN,
      };
    },
  };
}
