/** `npm run fleet -- <command> [options]`, parsed and checked before anything runs (a bad argument exits 2). */
import { parseArgs } from "node:util";
import { InputError } from "../config/errors.js";
import { DEFAULT_ROLLBACK_ATTEMPTS } from "./rollback.js";
import { FLEET_COMMANDS, type FleetCommand } from "./stackRunner.js";

export const FLEET_USAGE = `usage: npm run fleet -- <${FLEET_COMMANDS.join("|")}> [--stacks GLOB] [--ring N] [--concurrency K] [--image TAG [--rollback-on-failure [--rollback-attempts N]]] [--policy-pack DIR] [--secrets-provider URL] [--html FILE] [--json FILE]
       npm run fleet -- releases [--stacks GLOB] [--ring N] [--registry HOST] [--pre-releases] [--json]
       npm run fleet -- --help`;

/** What `npm run fleet -- --help` prints: every command, every option, examples (docs/fleet.md has the rest). */
export const FLEET_HELP = `${FLEET_USAGE}

Runs a command on every tenant stack of the project (the Pulumi.<stack>.yaml files that say
openclaw-fleet:fleet: true), ring by ring: ring 0 (the canaries) first, ring N only when every earlier
ring succeeded. Then writes a JSON report and an HTML page of every stack's rollout.

Commands:
  status     read every stack's outputs; change nothing
  preview    show what up would change, checked by the policy pack
  up         deploy or update every stack, checked by the policy pack; stops after a ring with a failure
  refresh    read the clusters' live state into every stack's state
  destroy    delete what every stack deployed (claims and Namespaces are retained)
  releases   list the image versions the registry has that are newer than what each stack runs (the
             image of its last successful update, from the state backend; the stack config's when never
             deployed): same variant only (a -slim fleet is offered -slim tags), newest first; changes nothing

Options:
  --stacks GLOB             only the stacks whose names match (e.g. 'acme-*', '*-prod')
  --ring N                  only the stacks of ring N
  --concurrency K           at most K stacks of a ring at once (default 4)
  --image TAG               up only: the release to roll out, a tag (2026.9.7-slim) or a full image reference
  --rollback-on-failure     with --image: a stack whose release fails (up fails, or its rollout is not
                            complete) is put back on the image of its last successful update, and each
                            gateway with backups restores the archive taken before that upgrade
                            (restore.beforeUpgrade); the fleet still stops after that ring and exits 1
  --rollback-attempts N     up runs a rollback may take before it is reported failed (default 2)
  --policy-pack DIR         the policy pack preview and up run (default: the repository's policy/)
  --secrets-provider URL    key service for stacks created on a shared backend (awskms://, gcpkms://,
                            azurekeyvault://, hashivault://) instead of PULUMI_CONFIG_PASSPHRASE
  --json FILE               the report as JSON (default fleet-report.json); for releases: no FILE, the
                            listing as JSON on stdout instead of the table
  --registry HOST           releases only: list the tags on this registry (a mirror) instead of the one
                            each image names
  --pre-releases            releases only: offer pre-releases (2026.10.0-beta.1) too; a stack that runs
                            one is always offered them
  --html FILE               the report page (default fleet-report.html)
  -h, --help                this text

Environment:
  PULUMI_BACKEND_URL        the state backend (default: a file backend in this machine's cache)
  PULUMI_CONFIG_PASSPHRASE, PULUMI_CONFIG_PASSPHRASE_FILE
                            the key of a shared backend's stacks (required there unless a key service is named)
  OPENCLAW_FLEET_REGISTRY_USERNAME, OPENCLAW_FLEET_REGISTRY_PASSWORD (or _PASSWORD_FILE)
                            releases: credentials for a registry that challenges (Bearer token flow or
                            Basic); sent only when asked, over HTTPS or to loopback; never printed

Examples:
  npm run fleet -- status --html fleet-report.html
  npm run fleet -- preview --stacks 'prod*'
  npm run fleet -- up --image 2026.9.7-slim --concurrency 8
  npm run fleet -- up --image 2026.9.7 --stacks '*-prod' --rollback-on-failure
  npm run fleet -- releases --stacks '*-prod' --json

Exit: 0 all succeeded, 1 a stack failed (each named with its first error), 2 bad arguments or config.
releases: 0 listed, 1 a registry or the state backend unreachable or failing, 2 bad arguments or config,
missing or refused credentials, or a repository the registry does not have.`;

export interface FleetArgs {
  command: FleetCommand;
  stacks?: string;
  ring?: number;
  concurrency: number;
  image?: string;
  /** `--rollback-on-failure` (with its `--rollback-attempts`): how many `up` runs a rollback may take; unset: no rollback. */
  rollbackAttempts?: number;
  /** `--policy-pack DIR`, as given (resolved against the working directory by the caller). */
  policyPack?: string;
  secretsProvider?: string;
  html: string;
  json: string;
}

export const DEFAULT_CONCURRENCY = 4;

const OPTIONS = {
  stacks: { type: "string" },
  ring: { type: "string" },
  concurrency: { type: "string" },
  image: { type: "string" },
  "rollback-on-failure": { type: "boolean" },
  "rollback-attempts": { type: "string" },
  "policy-pack": { type: "string" },
  "secrets-provider": { type: "string" },
  html: { type: "string" },
  json: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function wholeNumber(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new InputError(`${flag} ${value}: must be a whole number >= ${min}`);
  return Number(value);
}

/**
 * True when the arguments ask for the help text (`--help`, `-h`, or the command `help`), whatever else they hold: a
 * user asking how to call the command gets the answer rather than an error about the rest of the line.
 */
export function wantsHelp(argv: readonly string[], options: { commandWord?: boolean } = {}): boolean {
  const end = argv.indexOf("--");
  const args = end === -1 ? argv : argv.slice(0, end);
  return args.includes("--help") || args.includes("-h") || (options.commandWord !== false && args[0] === "help");
}

export function parseFleetArgs(argv: readonly string[]): FleetArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [command, ...extra] = positionals;
  if (!command || !(FLEET_COMMANDS as readonly string[]).includes(command)) throw new InputError(command ? `unknown command ${command}` : "a command is required");
  if (extra.length > 0) throw new InputError(`unexpected argument ${extra[0]}`);
  if (values.image !== undefined && command !== "up") throw new InputError("--image is for up only (the release to roll out)");
  if (values["policy-pack"] !== undefined && command !== "up" && command !== "preview") throw new InputError("--policy-pack is for preview and up (the commands the policy pack checks)");
  const secretsProvider = values["secrets-provider"];
  if (secretsProvider !== undefined && !/^(awskms|gcpkms|azurekeyvault|hashivault):\/\/./.test(secretsProvider)) {
    throw new InputError(`--secrets-provider ${secretsProvider}: must be a key service URL: awskms://..., gcpkms://..., azurekeyvault://... or hashivault://... (a passphrase goes in PULUMI_CONFIG_PASSPHRASE)`);
  }
  const rollback = values["rollback-on-failure"] === true;
  if (rollback && values.image === undefined) throw new InputError("--rollback-on-failure is for up --image (it puts a failed release's stacks back on their previous image)");
  if (values["rollback-attempts"] !== undefined && !rollback) throw new InputError("--rollback-attempts is for --rollback-on-failure");
  const rollbackAttempts = rollback ? (wholeNumber("--rollback-attempts", values["rollback-attempts"], 1) ?? DEFAULT_ROLLBACK_ATTEMPTS) : undefined;
  const ring = wholeNumber("--ring", values.ring, 0);
  return {
    command: command as FleetCommand,
    ...(values.stacks !== undefined ? { stacks: values.stacks } : {}),
    ...(ring !== undefined ? { ring } : {}),
    concurrency: wholeNumber("--concurrency", values.concurrency, 1) ?? DEFAULT_CONCURRENCY,
    ...(values.image !== undefined ? { image: values.image } : {}),
    ...(rollbackAttempts !== undefined ? { rollbackAttempts } : {}),
    ...(values["policy-pack"] !== undefined ? { policyPack: values["policy-pack"] } : {}),
    ...(secretsProvider !== undefined ? { secretsProvider } : {}),
    html: values.html ?? "fleet-report.html",
    json: values.json ?? "fleet-report.json",
  };
}
