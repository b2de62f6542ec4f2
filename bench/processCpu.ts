/**
 * CPU seconds by kind of process (issue 22): which of the processes a fleet release starts costs what. Samples
 * /proc/<pid>/stat of every descendant of a root process (by default the bench itself) until `stop`, keeping each
 * process's last user+system time; a process's CPU after its last sample is lost, so the total its waited-for
 * descendants really used (the root's `cutime`+`cstime`, exact) is reported beside the sum as `unsampled`.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { basename } from "node:path";

export interface ProcStat {
  pid: number;
  ppid: number;
  /** Clock ticks since boot: with the pid, tells a process from a later one that reuses its pid. */
  startTicks: number;
  /** utime + stime of the process (all its threads), clock ticks. */
  cpuTicks: number;
  /** cutime + cstime: the CPU of the children it has waited for, clock ticks. */
  childTicks: number;
}

/** `/proc/<pid>/stat`; the command name between the parentheses may hold spaces and parentheses itself. */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) throw new Error(`not a /proc/<pid>/stat line: ${JSON.stringify(text.slice(0, 80))}`);
  // Fields after the name, counted from 3 (state) as in proc(5): ppid 4, utime 14, stime 15, cutime 16, cstime 17, starttime 22.
  const fields = text.slice(close + 2).trim().split(/\s+/);
  const field = (number: number) => {
    const value = Number(fields[number - 3]);
    if (!Number.isFinite(value)) throw new Error(`/proc/<pid>/stat field ${number} missing in ${JSON.stringify(text.slice(0, 80))}`);
    return value;
  };
  return {
    pid: Number(text.slice(0, open).trim()),
    ppid: field(4),
    startTicks: field(22),
    cpuTicks: field(14) + field(15),
    childTicks: field(16) + field(17),
  };
}

const PULUMI_SUBCOMMANDS_OF_TWO_WORDS = new Set(["stack", "config", "plugin", "state"]);

/**
 * The kind a process counts under, from its command line: the Pulumi CLI by subcommand (`pulumi up` runs the engine,
 * `pulumi stack output` and `stack history` are the Automation API's and the runner's reads), its plugins by name, the
 * program (node running the SDK's `cmd/run`), other node scripts by their script.
 */
export function processKind(argv: readonly string[]): string {
  const [command = "", ...args] = argv;
  const name = basename(command);
  if (name === "pulumi") {
    const words = args.filter((arg) => !arg.startsWith("-"));
    const sub = words[0] === undefined ? "" : PULUMI_SUBCOMMANDS_OF_TWO_WORDS.has(words[0]) && words[1] ? `${words[0]} ${words[1]}` : words[0];
    return `pulumi ${sub}`.trim();
  }
  if (name === "pulumi-language-nodejs") return "nodejs language host";
  const plugin = /^pulumi-(resource|analyzer)-(.+)$/.exec(name);
  if (plugin) return plugin[1] === "resource" ? `${plugin[2]} provider` : `${plugin[2]} analyzer`;
  if (/^node(js)?(\d+)?$/.test(name)) {
    // `node -e SCRIPT`: the language host's short probes, whose text names the SDK's launchers; not a launcher itself.
    if (args.some((arg) => ["-e", "--eval", "-p", "--print"].includes(arg))) return "node -e";
    if (args.some((arg) => /@pulumi[/\\]pulumi[/\\]cmd[/\\]run-policy-pack/.test(arg))) return "policy pack (node)";
    if (args.some((arg) => /@pulumi[/\\]pulumi[/\\]cmd[/\\]run([/\\]|$)/.test(arg))) return "program (node)";
    const script = args.find((arg) => !arg.startsWith("-") && /\.[cm]?[jt]s$/.test(arg));
    return script ? `node ${basename(script)}` : "node";
  }
  return name || "unknown";
}

export interface ProcessCpu {
  pid: number;
  kind: string;
  cpuSeconds: number;
}

export interface KindCpu {
  kind: string;
  processes: number;
  cpuSeconds: number;
}

/** Per kind, most CPU first. */
export function cpuByKind(processes: readonly ProcessCpu[]): KindCpu[] {
  const kinds = new Map<string, KindCpu>();
  for (const { kind, cpuSeconds } of processes) {
    const entry = kinds.get(kind) ?? { kind, processes: 0, cpuSeconds: 0 };
    entry.processes += 1;
    entry.cpuSeconds += cpuSeconds;
    kinds.set(kind, entry);
  }
  return [...kinds.values()].sort((a, b) => b.cpuSeconds - a.cpuSeconds || a.kind.localeCompare(b.kind));
}

/** What the sampler reads; injectable so the accounting is testable without real processes. */
export interface ProcReader {
  /** Every pid with its stat (processes that vanish between listing and reading are left out). */
  stats(): ProcStat[];
  /** The command line, or undefined once the process is gone. */
  argv(pid: number): string[] | undefined;
  ticksPerSecond: number;
}

export const linuxProcReader = (): ProcReader => ({
  stats() {
    const stats: ProcStat[] = [];
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        stats.push(parseProcStat(readFileSync(`/proc/${entry}/stat`, "utf8")));
      } catch {
        // Exited between the listing and the read.
      }
    }
    return stats;
  },
  argv(pid) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (argv.at(-1) === "") argv.pop();
      return argv.length > 0 ? argv : undefined;
    } catch {
      return undefined;
    }
  },
  ticksPerSecond: clockTicksPerSecond(),
});

function clockTicksPerSecond(): number {
  try {
    const value = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    return Number.isFinite(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
}

export interface ProcessCpuReport {
  processes: ProcessCpu[];
  byKind: KindCpu[];
  /** CPU of the root's descendants that exited and were waited for during the sampling, exact (the root's cutime+cstime). */
  waitedCpuSeconds: number;
  /** What the samples missed of it: CPU after a process's last sample, and processes too short-lived to be seen. */
  unsampledCpuSeconds: number;
}

interface Tracked {
  kind?: string;
  /** CPU ticks when first seen; a process already running at `start` counts from there. */
  baseTicks: number;
  lastTicks: number;
}

/** Samples the root's descendants every `intervalMs` from `start` to `stop`. One sampler per measured run. */
export class ProcessCpuSampler {
  private readonly tracked = new Map<string, Tracked & { pid: number }>();
  private timer?: NodeJS.Timeout;
  private rootChildTicksAtStart = 0;

  constructor(
    private readonly rootPid = process.pid,
    private readonly reader: ProcReader = linuxProcReader(),
    private readonly intervalMs = 50,
  ) {}

  start(): void {
    this.rootChildTicksAtStart = this.sample(true);
    this.timer = setInterval(() => this.sample(false), this.intervalMs);
  }

  stop(): ProcessCpuReport {
    if (this.timer) clearInterval(this.timer);
    const rootChildTicks = this.sample(false);
    const ticks = this.reader.ticksPerSecond;
    const processes = [...this.tracked.values()].map(({ pid, kind, baseTicks, lastTicks }) => ({ pid, kind: kind ?? "unknown", cpuSeconds: (lastTicks - baseTicks) / ticks }));
    const sampled = processes.reduce((sum, p) => sum + p.cpuSeconds, 0);
    const waited = (rootChildTicks - this.rootChildTicksAtStart) / ticks;
    return { processes, byKind: cpuByKind(processes), waitedCpuSeconds: waited, unsampledCpuSeconds: Math.max(0, waited - sampled) };
  }

  /** One pass now (the timer does this every interval). */
  sampleOnce(): void {
    this.sample(false);
  }

  /** One pass over /proc; returns the root's childTicks. */
  private sample(first: boolean): number {
    const stats = this.reader.stats();
    const children = new Map<number, ProcStat[]>();
    let root: ProcStat | undefined;
    for (const stat of stats) {
      if (stat.pid === this.rootPid) root = stat;
      children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
    }
    const queue = [...(children.get(this.rootPid) ?? [])];
    while (queue.length > 0) {
      const stat = queue.shift()!;
      queue.push(...(children.get(stat.pid) ?? []));
      const key = `${stat.pid}:${stat.startTicks}`;
      let entry = this.tracked.get(key);
      if (!entry) {
        entry = { pid: stat.pid, baseTicks: first ? stat.cpuTicks : 0, lastTicks: stat.cpuTicks };
        this.tracked.set(key, entry);
      }
      // The command line of a process just forked is its parent's until it execs: read again until it is not.
      const argv = this.reader.argv(stat.pid);
      if (argv) entry.kind = processKind(argv);
      entry.lastTicks = Math.max(entry.lastTicks, stat.cpuTicks);
    }
    return root?.childTicks ?? 0;
  }
}

/** A report's kinds as a table (CPU seconds per unit of work, e.g. per stack), for stdout. */
export function formatCpuBreakdown(title: string, byKind: readonly KindCpu[], unsampledCpuSeconds: number, per = 1): string {
  const rows = [...byKind.map((k) => [k.kind, String(k.processes / per), (k.cpuSeconds / per).toFixed(2)]), ["(not sampled)", "", (unsampledCpuSeconds / per).toFixed(2)]];
  const total = byKind.reduce((sum, k) => sum + k.cpuSeconds, unsampledCpuSeconds) / per;
  rows.push(["total", "", total.toFixed(2)]);
  const header = ["PROCESS KIND", "PROCESSES", "CPU s"];
  const widths = header.map((h, column) => Math.max(h.length, ...rows.map((row) => row[column]!.length)));
  return [title, ...[header, ...rows].map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  "))].join("\n");
}
