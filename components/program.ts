import { loadStackFleet, stackSecrets } from "./config/stackConfig.js";
import { deployFleet } from "./fleet/fleet.js";
import { fleetOutputs } from "./fleet/outputs.js";
import { dropRpcResponseDebugLog } from "./runtime/rpcDebugLog.js";

/** The whole program: validated config -> one Gateway per cluster, wave by wave -> the outputs contract. */
export function fleetProgram() {
  // Before the first resource: the SDK's debug log of RPC responses would put the generated tokens in the event log.
  dropRpcResponseDebugLog();
  const model = loadStackFleet();
  const deployed = deployFleet(model, stackSecrets());
  return fleetOutputs(model, deployed);
}
