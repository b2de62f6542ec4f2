import { loadStackFleet, stackSecrets } from "./config/stackConfig.js";
import { deployFleet } from "./fleet/fleet.js";
import { fleetOutputs } from "./fleet/outputs.js";

/** The whole program: validated config -> one Gateway per cluster, wave by wave -> the outputs contract. */
export function fleetProgram() {
  // The SDK's debug log of RPC payloads is filtered by loading the Gateway (components/gateway/gateway.ts).
  const model = loadStackFleet();
  const deployed = deployFleet(model, stackSecrets());
  return fleetOutputs(model, deployed);
}
