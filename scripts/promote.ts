// `npm run promote -- --from dev --to stage [--stacks GLOB] [--dry-run]`: carries each source stack's release (the
// release keys of components/releases/releaseKeys.ts) into the paired target stack's file, once the source passed
// its gates (last update succeeded, rollouts complete, no drift), read through the engine the fleet uses. Writes the
// stack files only; `npm run fleet -- up` rolls the release out. Exit: 0 promoted or nothing to promote, 1 a source
// stack failed a gate or the state backend could not be read, 2 bad input (nothing written either way).
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { localWorkspaceOptions, projectDir, redactBackendUrl } from "../components/automation/localPulumi.js";
import { InputError } from "../components/config/errors.js";
import { backendStacks, commandErrorSummary } from "../components/fleetops/stackRunner.js";
import { observeSource } from "../components/promotion/observeSource.js";
import { parsePromoteArgs, PROMOTE_HELP, PROMOTE_USAGE, wantsPromoteHelp } from "../components/promotion/promoteArgs.js";
import { planPromotion, type PlannedPromotion } from "../components/promotion/promotionPlan.js";
import { formatChanges } from "../components/promotion/releaseValues.js";
import { gateFailures } from "../components/promotion/sourceGates.js";

const argv = process.argv.slice(2);
if (wantsPromoteHelp(argv)) {
  console.log(PROMOTE_HELP);
  process.exit(0);
}

let args;
let plan: PlannedPromotion[];
try {
  args = parsePromoteArgs(argv);
  const stackNames = readdirSync(projectDir).flatMap((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1] ?? []);
  plan = planPromotion(projectDir, stackNames, args);
} catch (error) {
  if (!(error instanceof InputError)) throw error;
  console.error(`promote: ${error.message}\n${PROMOTE_USAGE}\n(npm run promote -- --help for every option)`);
  process.exit(2);
}

const pending = plan.filter((each) => each.changes.length > 0);
if (pending.length === 0) {
  console.log(`promote ${args.from} -> ${args.to}: nothing to promote (${plan.map((each) => each.target).join(", ")} already on ${args.from}'s release)`);
  process.exit(0);
}

// The gates: only the sources whose release would change something are asked (a no-op needs no engine).
let engine;
try {
  engine = await localWorkspaceOptions({});
} catch (error) {
  // A shared backend without a key of the user's (SecretsKeyError): refused before any stack is read.
  if (!(error instanceof InputError)) throw error;
  console.error(`promote: ${error.message}; nothing written`);
  process.exit(2);
}
const state = redactBackendUrl(engine.envVars.PULUMI_BACKEND_URL!);
console.error(`promote ${args.from} -> ${args.to}: checking ${pending.map((each) => each.source).join(", ")} (state ${state})`);
const failures: string[] = [];
try {
  const deployed = await backendStacks(projectDir, engine);
  for (const each of pending) failures.push(...gateFailures(each.source, await observeSource(each.source, projectDir, engine, deployed)));
} catch (error) {
  const cause = commandErrorSummary((error as { stderr?: string }).stderr || error).replace(/\b([a-z][a-z0-9+.-]*):\/\/[^\s/@"']+@/gi, "$1://***@");
  console.error(`promote: cannot read the source stacks from the state backend ${state} (${cause}); nothing written`);
  process.exit(1);
}
if (failures.length > 0) {
  console.error(`promote ${args.from} -> ${args.to} refused; nothing written:\n${failures.map((failure) => `  ${failure}`).join("\n")}`);
  process.exit(1);
}

for (const each of plan) {
  if (each.changes.length === 0) console.log(`${each.targetFile}: nothing to promote`);
  else console.log(formatChanges(each.targetFile, each.source, each.changes));
}
if (args.dryRun) {
  console.log("--dry-run: nothing written");
  process.exit(0);
}
for (const each of pending) writeFileSync(join(projectDir, each.targetFile), each.newText);
console.log(`written: ${pending.map((each) => each.targetFile).join(", ")}; roll it out with npm run fleet -- up --stacks '${args.stacks ?? `*${args.to}`}'`);
