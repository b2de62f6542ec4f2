/** `npm run fleet -- <command> [options]`, parsed and checked before anything runs (a bad argument exits 2). */
import { parseArgs } from "node:util";
import { InputError } from "../config/errors.js";
import { FLEET_COMMANDS, type FleetCommand } from "./stackRunner.js";

export const FLEET_USAGE = `usage: npm run fleet -- <${FLEET_COMMANDS.join("|")}> [--stacks GLOB] [--ring N] [--concurrency K] [--image TAG] [--html FILE] [--json FILE]`;

export interface FleetArgs {
  command: FleetCommand;
  stacks?: string;
  ring?: number;
  concurrency: number;
  image?: string;
  html: string;
  json: string;
}

export const DEFAULT_CONCURRENCY = 4;

function wholeNumber(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new InputError(`${flag} ${value}: must be a whole number >= ${min}`);
  return Number(value);
}

export function parseFleetArgs(argv: readonly string[]): FleetArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        stacks: { type: "string" },
        ring: { type: "string" },
        concurrency: { type: "string" },
        image: { type: "string" },
        html: { type: "string" },
        json: { type: "string" },
      },
    });
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [command, ...extra] = positionals;
  if (!command || !(FLEET_COMMANDS as readonly string[]).includes(command)) throw new InputError(command ? `unknown command ${command}` : "a command is required");
  if (extra.length > 0) throw new InputError(`unexpected argument ${extra[0]}`);
  if (values.image !== undefined && command !== "up") throw new InputError("--image is for up only (the release to roll out)");
  const ring = wholeNumber("--ring", values.ring, 0);
  return {
    command: command as FleetCommand,
    ...(values.stacks !== undefined ? { stacks: values.stacks } : {}),
    ...(ring !== undefined ? { ring } : {}),
    concurrency: wholeNumber("--concurrency", values.concurrency, 1) ?? DEFAULT_CONCURRENCY,
    ...(values.image !== undefined ? { image: values.image } : {}),
    html: values.html ?? "fleet-report.html",
    json: values.json ?? "fleet-report.json",
  };
}
