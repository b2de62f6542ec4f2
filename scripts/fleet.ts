// `npm run fleet -- <status|preview|up|refresh|destroy|releases> [...]`: every tenant stack of the project (the
// Pulumi.<stack>.yaml files that say `openclaw-fleet:fleet: true`), ring by ring, through the Automation API and the
// engine `npm run demo` uses, `preview` and `up` checked by the policy pack; then fleet-report.json and
// fleet-report.html. State: $PULUMI_BACKEND_URL (a shared PostgreSQL, Pulumi Cloud), else the cache's file
// backend. Exit: 0 all succeeded, 1 a stack failed (each named with its first error), 2 bad arguments or config.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { localWorkspaceOptions, projectDir, redactBackendUrl } from "../components/automation/localPulumi.js";
import { InputError } from "../components/config/errors.js";
import { FLEET_HELP, FLEET_USAGE, parseFleetArgs, wantsHelp } from "../components/fleetops/cliArgs.js";
import { notReadyLines } from "../components/fleetops/podWarnings.js";
import { policyPackDir, POLICY_CHECKED_COMMANDS } from "../components/fleetops/policyPack.js";
import { buildProgram, PROGRAM_BUILD_ENV } from "../components/fleetops/programBuild.js";
import { buildFleetReport } from "../components/fleetops/fleetReport.js";
import { FleetProgress, plainDisplay, terminalDisplay } from "../components/fleetops/progress.js";
import { releaseImage } from "../components/fleetops/releaseImage.js";
import { runRingByRing } from "../components/fleetops/ringSchedule.js";
import { reportPage } from "../components/fleetops/reportPage.js";
import { discoverStacks, selectStacks, type FleetStack } from "../components/fleetops/stackDiscovery.js";
import { automationStackRunner, backendStacks, MUTATING_COMMANDS } from "../components/fleetops/stackRunner.js";
import { runReleases } from "./fleetReleases.js";

if (wantsHelp(process.argv.slice(2))) {
  console.log(FLEET_HELP);
  process.exit(0);
}
// `releases` reads stacks and a registry, runs no engine command on a stack: its own arguments and output.
if (process.argv[2] === "releases") process.exit(await runReleases(process.argv.slice(3)));

let args;
let stacks: FleetStack[];
let policyPacks: string[] = [];
let engine;
try {
  args = parseFleetArgs(process.argv.slice(2));
  stacks = selectStacks(discoverStacks(projectDir), args);
  if (args.image !== undefined) {
    for (const stack of stacks) releaseImage(stack.image, args.image);
    const pinned = stacks.filter((stack) => stack.clustersPinningImage.length > 0);
    if (pinned.length > 0) {
      throw new InputError(
        `--image would not reach clusters whose overrides pin an image: ${pinned.map((s) => `${s.name} (${s.clustersPinningImage.join(", ")})`).join("; ")}; ` +
          "remove their overrides.image or leave those stacks out with --stacks",
      );
    }
  }
  if (POLICY_CHECKED_COMMANDS.has(args.command)) {
    const installDependencies = (dir: string) => void execFileSync(join(dir, "install.sh"), { stdio: ["ignore", "ignore", "inherit"] });
    policyPacks = [policyPackDir({ projectDir, ...(args.policyPack !== undefined ? { given: args.policyPack } : {}), installDependencies })];
  }
  // A shared backend without a key of the user's is refused here (SecretsKeyError), before any stack is selected or created.
  const secretsProvider = args.secretsProvider ?? sharedKeyService(stacks);
  engine = await localWorkspaceOptions(secretsProvider !== undefined ? { secretsProvider } : {});
} catch (error) {
  if (!(error instanceof InputError)) throw error;
  console.error(`fleet: ${error.message}\n${FLEET_USAGE}\n(npm run fleet -- --help for every option)`);
  process.exit(2);
}

/** What runs the program: `up` and `preview`, and `refresh` (runProgram); `status` and `destroy` do not. */
const PROGRAM_COMMANDS: ReadonlySet<string> = new Set(["up", "preview", "refresh"]);

/** The key service every selected stack file names (`secretsprovider: awskms://...`), if they all name the same one. */
function sharedKeyService(selected: readonly FleetStack[]): string | undefined {
  const providers = new Set(selected.map((stack) => stack.secretsProvider));
  const [only] = providers;
  return providers.size === 1 && only !== undefined && only !== "passphrase" && only !== "default" ? only : undefined;
}

// The commands that run the program run it compiled once for this run (programBuild.ts); without a build, from the sources.
if (PROGRAM_COMMANDS.has(args.command)) {
  try {
    engine = { ...engine, envVars: { ...engine.envVars, [PROGRAM_BUILD_ENV]: await buildProgram(projectDir) } };
  } catch (error) {
    console.error(`fleet: ${error instanceof Error ? error.message : String(error)}\nfleet: the stacks run the program from its sources`);
  }
}

const policy = policyPacks.length > 0 ? `, policy pack ${policyPacks.join(", ")}` : "";
console.error(`fleet ${args.command}: ${stacks.length} stack(s), concurrency ${args.concurrency}, state ${redactBackendUrl(engine.envVars.PULUMI_BACKEND_URL!)}${policy}`);
const deployedStacks = await backendStacks(projectDir, engine);
const display = process.stderr.isTTY ? terminalDisplay((text) => process.stderr.write(text)) : plainDisplay((text) => process.stderr.write(text));
const progress = new FleetProgress(stacks, display);
const runner = automationStackRunner({
  command: args.command,
  workDir: projectDir,
  engine,
  deployedStacks,
  ...(args.image !== undefined ? { release: args.image } : {}),
  ...(args.rollbackAttempts !== undefined ? { rollbackAttempts: args.rollbackAttempts } : {}),
  policyPacks,
  onProgress: (stack, update) => progress.runner(stack, update),
});
const result = await runRingByRing(stacks, runner, {
  concurrency: args.concurrency,
  stopOnFailure: MUTATING_COMMANDS.has(args.command),
  onStart: (stack) => progress.start(stack),
  onFinish: (outcome) => progress.finish(outcome),
});
progress.close(result.outcomes);

const report = buildFleetReport([args.command, ...process.argv.slice(3)].join(" "), result.outcomes, new Date());
writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(args.html, reportPage(report));
console.error(`report: ${args.json}, ${args.html}`);
const notReady = notReadyLines(report.stacks);
if (notReady.length > 0) console.error(`not ready (the pods' last warnings):\n${notReady.join("\n")}`);
if (result.failed.length > 0) {
  const stopped = result.stoppedAfterRing !== undefined ? `; stopped after ring ${result.stoppedAfterRing}, later stacks not started` : "";
  console.error(`fleet ${args.command} failed on ${result.failed.length} stack(s)${stopped}:\n${result.failed.map((f) => `  ${f.stack} (ring ${f.ring}): ${f.error}`).join("\n")}`);
  process.exit(1);
}
