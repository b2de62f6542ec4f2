/**
 * The fleet's rollout order, as pure logic: rings ascending (ring 0, the canary tenants, first); inside a ring
 * at most `concurrency` stacks at once; when a stack fails, the stacks already running finish and no other
 * stack starts, of this ring or a later one (a release that broke one tenant is not pushed on to the next). What running a stack means is the injected runner's business (the Automation API in
 * `npm run fleet`, fakes in the unit tests).
 */

/** What the schedule needs to know of a stack. */
export interface RingMember {
  name: string;
  ring: number;
}

/** A failed stack's runner throws this to hand back what it learned before failing (outputs, the failing resource). */
export class StackFailure<R> extends Error {
  constructor(
    message: string,
    readonly result: R,
  ) {
    super(message);
    this.name = "StackFailure";
  }
}

export type StackOutcome<S extends RingMember, R> =
  | { stack: S; state: "succeeded"; result: R }
  | { stack: S; state: "failed"; error: string; result?: R }
  /** Never started: a stack failed before its turn came (in its own ring or an earlier one). */
  | { stack: S; state: "skipped" };

export interface ScheduleResult<S extends RingMember, R> {
  /** Every stack, in ring order then name order. */
  outcomes: StackOutcome<S, R>[];
  /** Every failed stack with its first error, in the order they appear in `outcomes`. */
  failed: { stack: string; ring: number; error: string }[];
  /** The ring in which a stack failed and stopped the rollout, if one did. */
  stoppedAfterRing?: number;
}

export interface ScheduleOptions<S extends RingMember, R> {
  /** At most this many stacks of a ring run at once (>= 1). */
  concurrency: number;
  /** False for read-only commands (status, preview): every ring runs whatever failed before. */
  stopOnFailure?: boolean;
  onStart?: (stack: S) => void;
  onFinish?: (outcome: StackOutcome<S, R>) => void;
}

/** The first line of an error's message: what a person reads in a list of failures. */
export function firstErrorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n").find((line) => line.trim() !== "")?.trim() ?? "failed without a message";
}

/** Stacks grouped by ring, rings ascending, names sorted within a ring (so runs are repeatable). */
export function ringsOf<S extends RingMember>(stacks: readonly S[]): { ring: number; stacks: S[] }[] {
  const byRing = new Map<number, S[]>();
  for (const stack of stacks) byRing.set(stack.ring, [...(byRing.get(stack.ring) ?? []), stack]);
  return [...byRing.entries()]
    .sort(([a], [b]) => a - b)
    .map(([ring, members]) => ({ ring, stacks: members.sort((a, b) => a.name.localeCompare(b.name)) }));
}

export async function runRingByRing<S extends RingMember, R>(
  stacks: readonly S[],
  runStack: (stack: S) => Promise<R>,
  options: ScheduleOptions<S, R>,
): Promise<ScheduleResult<S, R>> {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new RangeError(`concurrency must be a whole number >= 1, got ${options.concurrency}`);
  const stopOnFailure = options.stopOnFailure ?? true;
  const outcomes: StackOutcome<S, R>[] = [];
  let stoppedAfterRing: number | undefined;

  for (const { ring, stacks: members } of ringsOf(stacks)) {
    if (stoppedAfterRing !== undefined) {
      outcomes.push(...members.map((stack) => ({ stack, state: "skipped" as const })));
      continue;
    }
    const ringOutcomes: StackOutcome<S, R>[] = members.map((stack) => ({ stack, state: "skipped" }));
    let next = 0;
    let halted = false;
    // A pool of `concurrency` workers, each taking the next stack when its own is done: a slow stack holds one slot, not the ring.
    const worker = async () => {
      while (next < members.length && !halted) {
        const index = next++;
        const stack = members[index]!;
        options.onStart?.(stack);
        let outcome: StackOutcome<S, R>;
        try {
          outcome = { stack, state: "succeeded", result: await runStack(stack) };
        } catch (error) {
          outcome = { stack, state: "failed", error: firstErrorLine(error), ...(error instanceof StackFailure ? { result: error.result as R } : {}) };
        }
        ringOutcomes[index] = outcome;
        if (outcome.state === "failed" && stopOnFailure) halted = true;
        options.onFinish?.(outcome);
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, members.length) }, worker));
    outcomes.push(...ringOutcomes);
    if (halted) stoppedAfterRing = ring;
  }

  const failed = outcomes.flatMap((outcome) => (outcome.state === "failed" ? [{ stack: outcome.stack.name, ring: outcome.stack.ring, error: outcome.error }] : []));
  return { outcomes, failed, ...(stoppedAfterRing !== undefined ? { stoppedAfterRing } : {}) };
}
