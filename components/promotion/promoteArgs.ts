/**
 * `npm run promote -- --from ENV --to ENV [--stacks GLOB] [--dry-run]`, parsed and checked before any stack is read
 * or any engine runs (a bad argument exits 2). The environments are the stack-name suffixes of this repository, in
 * promotion order; each names the `openclaw-fleet:environment` its stacks declare.
 */
import { parseArgs } from "node:util";
import { InputError } from "../config/errors.js";

/** Promotion order: a release moves left to right. */
export const PROMOTION_ENVIRONMENTS = ["dev", "stage", "prod"] as const;
export type PromotionEnvironment = (typeof PROMOTION_ENVIRONMENTS)[number];

export interface PromoteArgs {
  from: PromotionEnvironment;
  to: PromotionEnvironment;
  /** A glob over the target stack names (`acme-*`, `*-stage`). */
  stacks?: string;
  /** Print the diff and write nothing. */
  dryRun: boolean;
}

export const PROMOTE_USAGE = "usage: npm run promote -- --from dev|stage --to stage|prod [--stacks GLOB] [--dry-run]";

export const PROMOTE_HELP = `${PROMOTE_USAGE}

Copies the release keys (openclaw-fleet:gateway.image, .command, .config) of each source stack into its target
stack's file, after checking that the source's last update succeeded, every rollout in its outputs is complete and
a preview --refresh shows no drift. Environment keys (clusters, sizes, hosts, secrets, rings...) are never touched.

Pairs: <tenant>-<from> -> <tenant>-<to>, and the bare <from> -> <to> (dev -> stage).
  --from ENV      the environment the release was tested in: ${PROMOTION_ENVIRONMENTS.join(", ")}
  --to ENV        the environment it goes to
  --stacks GLOB   only target stacks whose name matches (e.g. 'acme-*')
  --dry-run       print the changes, write nothing
Then roll it out: npm run fleet -- up --stacks '*stage'

Exit: 0 promoted (or nothing to promote), 1 a source stack failed a gate, 2 bad input (nothing written).`;

export function wantsPromoteHelp(argv: readonly string[]): boolean {
  return argv.includes("--help") || argv.includes("-h");
}

function environment(option: string, value: string | undefined): PromotionEnvironment {
  if (value === undefined) throw new InputError(`${option} is required: one of ${PROMOTION_ENVIRONMENTS.join(", ")}`);
  if (!(PROMOTION_ENVIRONMENTS as readonly string[]).includes(value)) {
    throw new InputError(`${option} ${value}: unknown environment; the environments are ${PROMOTION_ENVIRONMENTS.join(" -> ")} (the stack-name suffixes Pulumi.<tenant>-<env>.yaml)`);
  }
  return value as PromotionEnvironment;
}

export function parsePromoteArgs(argv: readonly string[]): PromoteArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: false, strict: true, options: { from: { type: "string" }, to: { type: "string" }, stacks: { type: "string" }, "dry-run": { type: "boolean" } } });
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error));
  }
  const from = environment("--from", parsed.values.from);
  const to = environment("--to", parsed.values.to);
  if (from === to) throw new InputError(`--from ${from} --to ${to}: the same environment; a release moves to the next one (${PROMOTION_ENVIRONMENTS.join(" -> ")})`);
  if (PROMOTION_ENVIRONMENTS.indexOf(to) < PROMOTION_ENVIRONMENTS.indexOf(from)) {
    throw new InputError(`--from ${from} --to ${to}: promotion goes ${PROMOTION_ENVIRONMENTS.join(" -> ")}, not back; to put an environment back on an older release, set its openclaw-fleet:gateway.image and run npm run fleet -- up`);
  }
  return { from, to, ...(parsed.values.stacks !== undefined ? { stacks: parsed.values.stacks } : {}), dryRun: parsed.values["dry-run"] === true };
}
