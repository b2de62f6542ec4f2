import * as pulumi from "@pulumi/pulumi";
import { withAgentContent } from "./agent/load.js";
import { ConfigError } from "./config/errors.js";
import { loadStackFleet, stackSecrets } from "./config/stackConfig.js";
import { deployFleet } from "./fleet/fleet.js";
import { fleetOutputs } from "./fleet/outputs.js";

/** The whole program: validated config -> one Gateway per cluster, wave by wave -> the outputs contract. */
export function fleetProgram() {
  // The SDK's debug log of RPC payloads is filtered by loading the Gateway (components/gateway/gateway.ts).
  const model = agentContentOf(loadStackFleet());
  const deployed = deployFleet(model, stackSecrets());
  return fleetOutputs(model, deployed);
}

/** The agent folder, read from the project directory Pulumi runs the program in; a bad folder registers nothing. */
function agentContentOf(model: ReturnType<typeof loadStackFleet>) {
  try {
    return withAgentContent(model, process.cwd());
  } catch (error) {
    if (error instanceof ConfigError) throw new pulumi.RunError(error.message);
    throw error;
  }
}
