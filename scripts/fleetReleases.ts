// `npm run fleet -- releases [...]` (scripts/fleet.ts hands it the arguments after `releases`): the fleet's stacks
// as `fleet status` selects them, each one's running image from the state backend's outputs (the stack config's for
// a stack never deployed), the registry's tags, and the newer versions of each image's variant as a table or JSON.
// Exit: 0 listed, 1 a registry unreachable or failing, 2 bad input (arguments, config, credentials, repository).
import { localWorkspaceOptions, projectDir, redactBackendUrl } from "../components/automation/localPulumi.js";
import { InputError } from "../components/config/errors.js";
import { FLEET_USAGE } from "../components/fleetops/cliArgs.js";
import { discoverStacks, selectStacks, type FleetStack } from "../components/fleetops/stackDiscovery.js";
import { backendStacks, commandErrorSummary, readGatewaysOutput } from "../components/fleetops/stackRunner.js";
import { registryCredentials } from "../components/releases/registryAuth.js";
import { parseReleasesArgs } from "../components/releases/releasesArgs.js";
import { listReleases, type ReleasesStack } from "../components/releases/releasesListing.js";
import { releasesJson, releasesTable } from "../components/releases/releasesTable.js";
import { loadStackFile } from "../components/render/renderStack.js";

/** Runs the command; returns the exit code (never throws for what the user can fix). */
export async function runReleases(argv: readonly string[]): Promise<number> {
  let args;
  let selected: FleetStack[];
  let stacks: Omit<ReleasesStack, "gatewaysOutput">[];
  let credentials;
  let engine;
  try {
    args = parseReleasesArgs(argv);
    selected = selectStacks(discoverStacks(projectDir), args);
    // The program's own reading of each stack file: a cluster's overrides.image counts, bad config is refused here.
    stacks = selected.map((stack) => ({ name: stack.name, ring: stack.ring, model: loadStackFile(projectDir, stack.name) }));
    credentials = registryCredentials();
    engine = await localWorkspaceOptions({});
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    console.error(`fleet releases: ${error.message}\n${FLEET_USAGE}\n(npm run fleet -- --help for every option)`);
    return 2;
  }
  const state = redactBackendUrl(engine.envVars.PULUMI_BACKEND_URL!);
  console.error(`fleet releases: ${stacks.length} stack(s), state ${state}`);
  // A deployed stack whose outputs cannot be read is an error, never listed from its config as if it ran nothing.
  let reading = "the stack list";
  const withOutputs: ReleasesStack[] = [];
  try {
    const deployed = await backendStacks(projectDir, engine);
    for (const stack of stacks) {
      reading = `stack ${stack.name}'s outputs`;
      withOutputs.push({ ...stack, gatewaysOutput: deployed.has(stack.name) ? await readGatewaysOutput(stack.name, projectDir, engine) : undefined });
    }
  } catch (error) {
    // The CLI's message repeats the backend URL as given: its user and password are blanked as the header's are.
    const cause = commandErrorSummary((error as { stderr?: string }).stderr || error).replace(/\b([a-z][a-z0-9+.-]*):\/\/[^\s/@"']+@/gi, "$1://***@");
    console.error(`fleet releases: the state backend ${state}: cannot read ${reading} (${cause}); check PULUMI_BACKEND_URL`);
    return 1;
  }
  const listing = await listReleases(withOutputs, {
    ...(args.registry !== undefined ? { registry: args.registry } : {}),
    preReleases: args.preReleases,
    ...(credentials ? { credentials } : {}),
  });
  if (listing.errors.length > 0) {
    for (const error of listing.errors) console.error(`fleet releases: ${error.message}`);
    return listing.errors.some((error) => error.kind === "unreachable" || error.kind === "server") ? 1 : 2;
  }
  process.stdout.write(args.json ? releasesJson(listing) : `${releasesTable(listing)}\n`);
  return 0;
}
