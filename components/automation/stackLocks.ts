/**
 * Who holds a stack's lock, and whether that process still runs. A self-managed backend (file://, s3://,
 * postgres://) locks a stack with one lock object per running update, holding the update's user, host and
 * PID; an update killed outright (SIGKILL, a runner losing its machine) leaves its lock behind, and every
 * later update fails with "the stack is currently locked". `pulumi cancel` deletes every lock of the stack,
 * a live update's too, so recovery must only call it for locks whose process is gone.
 */
import { readFileSync } from "node:fs";

/** One lock, as the CLI reports it ("<where>: created by <user>@<host> (pid <pid>) at <time>"). */
export interface StackLock {
  where: string;
  user: string;
  host: string;
  pid: number;
  since: Date;
}

const LOCKED = /the stack is currently locked by \d+ lock\(s\)/;
const LOCK_LINE = /^\s*(\S+): created by ([^@\s]+)@(\S+) \(pid (\d+)\) at (\S+)\s*$/;

/** The locks a CLI error lists; undefined when the error is not about a locked stack. */
export function locksFromError(text: string): StackLock[] | undefined {
  if (!LOCKED.test(text)) return undefined;
  return text
    .split("\n")
    .map((line) => LOCK_LINE.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, where, user, host, pid, since]) => ({ where: where!, user: user!, host: host!, pid: Number(pid), since: new Date(since!) }));
}

/** What can be known of a process on this machine: whether it runs, and since when (to tell a reused PID). */
export interface ProcessInfo {
  running: boolean;
  startedAt?: Date;
}

export type ProcessProbe = (pid: number) => ProcessInfo;

/** gone: the lock's update ended without releasing it; running: it may still write the state; elsewhere: another machine's. */
export type LockHolder = "gone" | "running" | "elsewhere";

/**
 * A lock of this host whose PID does not run, or runs a process started after the lock was taken (the PID was
 * reused), is gone. RFC 3339 seconds and clock ticks are both coarse: a second of slack keeps a real holder live.
 */
export function lockHolder(lock: StackLock, hostname: string, probe: ProcessProbe): LockHolder {
  if (lock.host !== hostname) return "elsewhere";
  const process = probe(lock.pid);
  if (!process.running) return "gone";
  if (process.startedAt && process.startedAt.getTime() > lock.since.getTime() + 1000) return "gone";
  return "running";
}

/** The process table of this (Linux) machine: /proc/<pid>/stat's start time in clock ticks after boot. */
export const linuxProcessProbe: ProcessProbe = (pid) => {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return { running: false };
  }
  // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // A zombie has ended: it only waits to be reaped and holds nothing.
  if (fields[0] === "Z") return { running: false };
  const startTicks = Number(fields[19]);
  const bootSeconds = Number(/^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))?.[1]);
  if (!Number.isFinite(startTicks) || !Number.isFinite(bootSeconds)) return { running: true };
  // USER_HZ is 100 on every Linux architecture Node runs on (sysconf(_SC_CLK_TCK)).
  return { running: true, startedAt: new Date(bootSeconds * 1000 + startTicks * 10) };
};

/** One line per lock, for messages. */
export function describeLock(lock: StackLock): string {
  return `${lock.user}@${lock.host} (pid ${lock.pid}, since ${lock.since.toISOString()})`;
}
