import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpuByKind, formatCpuBreakdown, parseProcStat, ProcessCpuSampler, processKind, type ProcReader, type ProcStat } from "../../bench/processCpu.js";

/** A /proc line as the kernel writes it: pid (comm) state ppid ... utime stime cutime cstime ... starttime ... */
function statLine(pid: number, comm: string, ppid: number, utime: number, stime: number, cutime = 0, cstime = 0, start = 1000): string {
  const fields = ["S", ppid, 1, 1, 0, -1, 4194560, 100, 0, 0, 0, utime, stime, cutime, cstime, 20, 0, 8, 0, start, 100000, 500];
  return `${pid} (${comm}) ${fields.join(" ")}\n`;
}

describe("CPU seconds by kind of process", () => {
  it("reads a process's CPU, its waited children's and its parent from /proc/<pid>/stat, whatever its name holds", () => {
    assert.deepEqual(parseProcStat(statLine(42, "a (weird) name", 7, 120, 30, 500, 45, 9876)), { pid: 42, ppid: 7, startTicks: 9876, cpuTicks: 150, childTicks: 545 });
    assert.throws(() => parseProcStat("garbage"), /not a \/proc/);
  });

  it("names the Pulumi CLI by subcommand, its plugins by name and the program apart from other node scripts", () => {
    assert.equal(processKind(["/x/bin/pulumi", "up", "--yes", "--skip-preview", "--refresh"]), "pulumi up");
    assert.equal(processKind(["pulumi", "stack", "output", "--json", "--show-secrets"]), "pulumi stack output");
    assert.equal(processKind(["pulumi", "stack", "history", "--json"]), "pulumi stack history");
    assert.equal(processKind(["pulumi", "config", "set", "--path", "a", "b"]), "pulumi config set");
    assert.equal(processKind(["/h/plugins/pulumi-language-nodejs", "-root", "/p", "127.0.0.1:1"]), "nodejs language host");
    assert.equal(processKind(["/h/plugins/resource-kubernetes-v4.32.0/pulumi-resource-kubernetes", "127.0.0.1:1"]), "kubernetes provider");
    assert.equal(processKind(["/h/pulumi-resource-random"]), "random provider");
    assert.equal(processKind(["/h/pulumi-analyzer-policy", "x"]), "policy analyzer");
    assert.equal(processKind(["/n/bin/node", "--import", "tsx", "/p/node_modules/@pulumi/pulumi/cmd/run", "/p"]), "program (node)");
    assert.equal(processKind(["/n/bin/node", "/p/policy/node_modules/@pulumi/pulumi/cmd/run-policy-pack", "127.0.0.1:1", "."]), "policy pack (node)");
    assert.equal(processKind(["/n/bin/node", "-e", "try { require.resolve('@pulumi/pulumi/cmd/run-policy-pack') } catch { process.exit(1) }"]), "node -e");
    assert.equal(processKind(["/n/bin/node", "--import", "tsx", "/p/scripts/fleet.ts", "up"]), "node fleet.ts");
    assert.equal(processKind(["/usr/bin/kubectl", "get", "ns"]), "kubectl");
  });

  it("sums per kind, most CPU first", () => {
    const kinds = cpuByKind([
      { pid: 1, kind: "kubernetes provider", cpuSeconds: 0.5 },
      { pid: 2, kind: "pulumi up", cpuSeconds: 2 },
      { pid: 3, kind: "kubernetes provider", cpuSeconds: 0.75 },
    ]);
    assert.deepEqual(kinds, [
      { kind: "pulumi up", processes: 1, cpuSeconds: 2 },
      { kind: "kubernetes provider", processes: 2, cpuSeconds: 1.25 },
    ]);
  });

  it("counts each descendant of the root from when it was first seen, leaves other processes out, and reports what the samples missed", () => {
    // Each pass of the fake /proc is one step of a run: the CLI starts, its provider works and exits, the CLI is reaped.
    const steps: { stats: ProcStat[]; argv: Record<number, string[]> }[] = [];
    const stat = (pid: number, ppid: number, cpu: number, child = 0, start = 1000): ProcStat => ({ pid, ppid, cpuTicks: cpu, childTicks: child, startTicks: start });
    const pulumi = ["pulumi", "up", "--yes"];
    const provider = ["pulumi-resource-kubernetes"];
    // Already running at the start: counts from its ticks then (50), not from 0.
    steps.push({ stats: [stat(1, 0, 0, 300), stat(9, 0, 5000), stat(10, 1, 50)], argv: { 10: pulumi } });
    steps.push({ stats: [stat(1, 0, 0, 300), stat(9, 0, 6000), stat(10, 1, 80), stat(11, 10, 20)], argv: { 10: pulumi, 11: provider } });
    // The provider exits having used 40 ticks, its last sample saw 30: the CLI waits for it (its cutime), then exits.
    steps.push({ stats: [stat(1, 0, 0, 300), stat(9, 0, 7000), stat(10, 1, 120), stat(11, 10, 30)], argv: { 10: pulumi, 11: provider } });
    // The pid 11 reused by a new process: a process of its own, not more CPU of the provider.
    steps.push({ stats: [stat(1, 0, 0, 300), stat(10, 1, 150, 40), stat(11, 10, 5, 0, 2000)], argv: { 10: pulumi, 11: ["kubectl"] } });
    steps.push({ stats: [stat(1, 0, 0, 300 + 150 + 40 + 5)], argv: {} });
    let step = 0;
    const reader: ProcReader = {
      stats: () => steps[Math.min(step, steps.length - 1)]!.stats,
      argv: (pid) => steps[Math.min(step, steps.length - 1)]!.argv[pid],
      ticksPerSecond: 100,
    };
    const sampler = new ProcessCpuSampler(1, reader, 3_600_000);
    sampler.start();
    for (step = 1; step < steps.length - 1; step++) sampler.sampleOnce();
    const report = sampler.stop();
    assert.deepEqual(report.byKind, [
      { kind: "pulumi up", processes: 1, cpuSeconds: 1 },
      { kind: "kubernetes provider", processes: 1, cpuSeconds: 0.3 },
      { kind: "kubectl", processes: 1, cpuSeconds: 0.05 },
    ]);
    // Waited for: 150 + 40 + 5 ticks; sampled from the start 100 + 30 + 5: 0.6 s missed (the CLI's 50 before the start, the provider's last 10).
    assert.equal(report.waitedCpuSeconds, 1.95);
    assert.ok(Math.abs(report.unsampledCpuSeconds - 0.6) < 1e-9, String(report.unsampledCpuSeconds));
    assert.ok(!report.processes.some((p) => p.pid === 9), "a process outside the root's tree is not counted");
  });

  it("sees a real child's work on this machine", async function () {
    this.timeout(120_000);
    const sampler = new ProcessCpuSampler(process.pid, undefined, 20);
    sampler.start();
    const child = spawn("bash", ["-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done"], { stdio: "ignore" });
    await new Promise((resolve) => child.on("close", resolve));
    const report = sampler.stop();
    const bash = report.byKind.find((kind) => kind.kind === "bash");
    assert.ok(bash && bash.cpuSeconds > 0, `bash's CPU sampled: ${JSON.stringify(report.byKind)}`);
    assert.ok(report.waitedCpuSeconds >= bash.cpuSeconds, "the exact total of waited children covers what was sampled");
  });

  it("prints the kinds per unit of work with what was not sampled and the total", () => {
    const text = formatCpuBreakdown("per stack", [{ kind: "pulumi up", processes: 2, cpuSeconds: 3 }], 0.5, 2);
    assert.match(text, /^per stack\n/);
    assert.match(text, /pulumi up\s+1\s+1\.50/);
    assert.match(text, /\(not sampled\)\s+0\.25/);
    assert.match(text, /total\s+1\.75/);
  });
});
