// `npm run fleet -- <status|preview|up|refresh|destroy> [...]`: every stack of the project (Pulumi.<stack>.yaml),
// ring by ring, through the Automation API and the engine `npm run demo` uses; then fleet-report.json and
// fleet-report.html. State: $PULUMI_BACKEND_URL (a shared PostgreSQL, Pulumi Cloud), else the cache's file
// backend. Exit: 0 all succeeded, 1 a stack failed (each named with its first error), 2 bad arguments or config.
import { writeFileSync } from "node:fs";
import { localWorkspaceOptions, projectDir } from "../components/automation/localPulumi.js";
import { InputError } from "../components/config/errors.js";
import { FLEET_USAGE, parseFleetArgs } from "../components/fleetops/cliArgs.js";
import { buildFleetReport } from "../components/fleetops/fleetReport.js";
import { FleetProgress, plainDisplay, terminalDisplay } from "../components/fleetops/progress.js";
import { releaseImage } from "../components/fleetops/releaseImage.js";
import { runRingByRing } from "../components/fleetops/ringSchedule.js";
import { reportPage } from "../components/fleetops/reportPage.js";
import { discoverStacks, selectStacks, type FleetStack } from "../components/fleetops/stackDiscovery.js";
import { automationStackRunner, backendStacks, MUTATING_COMMANDS } from "../components/fleetops/stackRunner.js";

let args;
let stacks: FleetStack[];
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
} catch (error) {
  if (!(error instanceof InputError)) throw error;
  console.error(`fleet: ${error.message}\n${FLEET_USAGE}`);
  process.exit(2);
}

const engine = await localWorkspaceOptions({});
console.error(`fleet ${args.command}: ${stacks.length} stack(s), concurrency ${args.concurrency}, state ${engine.envVars.PULUMI_BACKEND_URL!.replace(/\/\/[^@/]*@/, "//***@")}`);
const deployedStacks = await backendStacks(projectDir, engine);
const display = process.stderr.isTTY ? terminalDisplay((text) => process.stderr.write(text)) : plainDisplay((text) => process.stderr.write(text));
const progress = new FleetProgress(stacks, display);
const runner = automationStackRunner({
  command: args.command,
  workDir: projectDir,
  engine,
  deployedStacks,
  ...(args.image !== undefined ? { release: args.image } : {}),
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
if (result.failed.length > 0) {
  const stopped = result.stoppedAfterRing !== undefined ? `; stopped after ring ${result.stoppedAfterRing}, later stacks not started` : "";
  console.error(`fleet ${args.command} failed on ${result.failed.length} stack(s)${stopped}:\n${result.failed.map((f) => `  ${f.stack} (ring ${f.ring}): ${f.error}`).join("\n")}`);
  process.exit(1);
}
