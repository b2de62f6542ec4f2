/**
 * `pulumi up` for the fleet runner: the CLI itself, its engine events read from its event log, instead of the
 * Automation API's `Stack.up`. That one runs three more CLIs after every update, each loading and decrypting the
 * checkpoint: `pulumi stack output` twice (masked, then `--show-secrets`, which puts the gateway tokens in plaintext in
 * this process) and `pulumi stack history`; the fleet needs neither. The stack's outputs are in the engine's own event
 * for the stack resource (secret ones masked), the update's end in the last event's timestamp.
 */
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import type { EngineWorkspace } from "./stackRunner.js";

const STACK_TYPE = "pulumi:pulumi:Stack";

export interface EngineUpOptions {
  refresh?: boolean;
  policyPacks?: string[];
  onEvent?: (event: EngineEvent) => void;
}

export interface EngineUpResult {
  /** The outputs the update registered on the stack (secret values as `[secret]`); undefined when the events had none. */
  outputs?: Record<string, unknown>;
  /** When the engine's last event was sent (1 s resolution, as the stack's history records it). */
  endTime?: Date;
}

/** The CLI's arguments for the update (`--event-log` added by engineUp). */
export function upArguments(stackName: string, options: EngineUpOptions): string[] {
  return [
    "up",
    "--yes",
    "--skip-preview",
    ...(options.refresh ? ["--refresh"] : []),
    ...(options.policyPacks ?? []).flatMap((pack) => ["--policy-pack", pack]),
    "--color",
    "never",
    "--non-interactive",
    "--stack",
    stackName,
  ];
}

/**
 * What an update's events say about its result: the last outputs the stack resource registered in the update (not in
 * the refresh before it, whose events read the previous outputs back), and the last event's time.
 */
export function upResultCollector() {
  const result: EngineUpResult = {};
  return {
    result,
    observe(event: EngineEvent) {
      if (typeof event.timestamp === "number" && event.timestamp > 0) result.endTime = new Date(event.timestamp * 1000);
      const outputs = event.resOutputsEvent?.metadata;
      if (outputs?.type === STACK_TYPE && outputs.op !== "refresh" && outputs.new?.outputs) result.outputs = outputs.new.outputs as Record<string, unknown>;
    },
  };
}

/**
 * Splits appended text into complete lines, keeping a partial last line for the next chunk: the CLI writes the event
 * log while it runs, so a read can end mid-line.
 */
export function lineSplitter(onLine: (line: string) => void) {
  let pending = "";
  return {
    push(chunk: string) {
      const lines = (pending + chunk).split("\n");
      pending = lines.pop()!;
      for (const line of lines) if (line.trim() !== "") onLine(line);
    },
    end() {
      if (pending.trim() !== "") onLine(pending);
      pending = "";
    },
  };
}

/** A failed update: the CLI's output (its `error:` lines name the cause) and what its events said until then. */
export class EngineUpError extends Error {
  constructor(
    message: string,
    readonly result: EngineUpResult,
  ) {
    super(message);
  }
}

/** Runs the update; a non-zero exit throws an EngineUpError. */
export async function engineUp(stackName: string, workDir: string, engine: EngineWorkspace, options: EngineUpOptions = {}): Promise<EngineUpResult> {
  const dir = mkdtempSync(join(tmpdir(), "openclaw-fleet-events-"));
  const eventLog = join(dir, "events.jsonl");
  writeFileSync(eventLog, "", { mode: 0o600 });
  const collector = upResultCollector();
  const lines = lineSplitter((line) => {
    let event: EngineEvent;
    try {
      event = JSON.parse(line) as EngineEvent;
    } catch {
      return;
    }
    collector.observe(event);
    options.onEvent?.(event);
  });
  const fd = openSync(eventLog, "r");
  const buffer = Buffer.alloc(1 << 16);
  const drain = () => {
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) lines.push(buffer.toString("utf8", 0, read));
  };
  // The progress the fleet shows comes from these events: read them as they are written, not only at the end.
  const poll = setInterval(drain, 200);
  try {
    const output: Buffer[] = [];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(engine.pulumiCommand.command, [...upArguments(stackName, options), "--event-log", eventLog], {
        cwd: workDir,
        // --event-log is among the flags the CLI shows only with PULUMI_DEBUG_COMMANDS (the Automation API sets it too).
        env: { ...process.env, ...engine.envVars, PULUMI_DEBUG_COMMANDS: "true", PULUMI_AUTOMATION_API: "true" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout.on("data", (chunk: Buffer) => output.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => output.push(chunk));
      child.on("error", reject);
      child.on("close", resolve);
    });
    clearInterval(poll);
    drain();
    lines.end();
    if (code !== 0) throw new EngineUpError(`pulumi up --stack ${stackName} exited ${code}:\n${Buffer.concat(output).toString()}`, collector.result);
    return collector.result;
  } finally {
    clearInterval(poll);
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}
