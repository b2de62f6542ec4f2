/**
 * Live progress of a fleet command: one row per stack (ring, stack, clusters done/total, rollout, elapsed).
 * The rows are plain state fed by the orchestration; a display turns them into text: redrawn in place on a
 * terminal, one appended line per change elsewhere (CI logs keep every line, and cursor codes would garble them).
 */
import type { StackOutcome } from "./ringSchedule.js";
import type { StackProgress } from "./stackRunner.js";
import type { FleetStack } from "./stackDiscovery.js";

export interface ProgressRow {
  ring: number;
  stack: string;
  clustersTotal: number;
  clustersDone: number;
  /** waiting | a runner phase | succeeded | failed | skipped */
  phase: string;
  rollout: string;
  startedAt?: number;
  finishedAt?: number;
}

export interface ProgressDisplay {
  /** `row` changed; `rows` is every stack's row, in fleet order. */
  update(rows: readonly ProgressRow[], row: ProgressRow): void;
  close(rows: readonly ProgressRow[]): void;
}

function elapsed(row: ProgressRow, now: number): string {
  if (row.startedAt === undefined) return "-";
  const seconds = Math.floor(((row.finishedAt ?? now) - row.startedAt) / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
}

/** One stack's progress as a fixed-column line. */
export function progressLine(row: ProgressRow, now: number, stackWidth = row.stack.length): string {
  return [
    `ring ${row.ring}`.padEnd(7),
    row.stack.padEnd(stackWidth),
    `clusters ${row.clustersDone}/${row.clustersTotal}`.padEnd(14),
    `rollout ${row.rollout}`.padEnd(20),
    row.phase.padEnd(16),
    elapsed(row, now),
  ]
    .join(" ")
    .trimEnd();
}

/** The rows of a fleet run, updated from the schedule's and the runner's callbacks. */
export class FleetProgress {
  readonly rows: ProgressRow[];
  constructor(
    stacks: readonly FleetStack[],
    private readonly display: ProgressDisplay,
    private readonly now: () => number = Date.now,
  ) {
    this.rows = [...stacks]
      .sort((a, b) => a.ring - b.ring || a.name.localeCompare(b.name))
      .map((stack) => ({ ring: stack.ring, stack: stack.name, clustersTotal: stack.clusters.length, clustersDone: 0, phase: "waiting", rollout: "-" }));
  }

  private change(stack: string, update: Partial<ProgressRow>): void {
    const row = this.rows.find((r) => r.stack === stack);
    if (!row) return;
    Object.assign(row, update);
    this.display.update(this.rows, row);
  }

  start(stack: FleetStack): void {
    this.change(stack.name, { phase: "starting", startedAt: this.now() });
  }

  runner(stack: string, progress: StackProgress): void {
    this.change(stack, { phase: progress.phase, clustersDone: progress.clustersDone, ...(progress.rollout ? { rollout: progress.rollout } : {}) });
  }

  finish(outcome: StackOutcome<FleetStack, unknown>): void {
    this.change(outcome.stack.name, { phase: outcome.state, ...(outcome.state === "skipped" ? {} : { finishedAt: this.now() }) });
  }

  /**
   * The final frame: stacks that never started (a failure stopped the rollout before their turn) get no finish
   * callback from the schedule, so they would stay `waiting`; they are marked `skipped`, as the report says.
   */
  close(outcomes: readonly StackOutcome<FleetStack, unknown>[] = []): void {
    for (const outcome of outcomes) {
      const row = this.rows.find((r) => r.stack === outcome.stack.name);
      if (outcome.state === "skipped" && row?.phase === "waiting") row.phase = "skipped";
    }
    this.display.close(this.rows);
  }
}

/** Append-only: a line when a row's content changes (elapsed time alone is no change). */
export function plainDisplay(write: (text: string) => void, now: () => number = Date.now): ProgressDisplay {
  const last = new Map<string, string>();
  const update = (rows: readonly ProgressRow[], row: ProgressRow) => {
    const width = Math.max(...rows.map((r) => r.stack.length));
    const key = progressLine({ ...row, startedAt: undefined, finishedAt: undefined }, 0, width);
    if (last.get(row.stack) === key) return;
    last.set(row.stack, key);
    write(`${progressLine(row, now(), width)}\n`);
  };
  return {
    update,
    // Rows changed at the close (skipped stacks) get their line too.
    close: (rows) => rows.forEach((row) => update(rows, row)),
  };
}

const CURSOR_UP = (lines: number) => `\x1b[${lines}A`;
const CLEAR_LINE = "\x1b[2K";

/** Redrawn in place: every row once, then the cursor goes back up over them for the next frame. Ticks each second for elapsed. */
export function terminalDisplay(write: (text: string) => void, now: () => number = Date.now, tickMs = 1000): ProgressDisplay {
  let drawn = 0;
  let latest: readonly ProgressRow[] = [];
  const draw = (rows: readonly ProgressRow[]) => {
    latest = rows;
    const width = Math.max(...rows.map((r) => r.stack.length));
    write((drawn > 0 ? CURSOR_UP(drawn) : "") + rows.map((row) => `${CLEAR_LINE}${progressLine(row, now(), width)}\n`).join(""));
    drawn = rows.length;
  };
  const timer = setInterval(() => drawn > 0 && draw(latest), tickMs);
  timer.unref();
  return {
    update: (rows) => draw(rows),
    close(rows) {
      clearInterval(timer);
      draw(rows);
    },
  };
}
