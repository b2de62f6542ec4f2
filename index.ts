// openclaw-fleet: stack config -> one hardened OpenClaw gateway per cluster, wave by wave -> rollout outputs.
import { fleetProgram } from "./components/program.js";

const outputs = fleetProgram();

/** Per cluster: where the gateway runs, what it runs, and its rollout as data. */
export const gateways = outputs.gateways;
/** Per cluster: the generated gateway token (secret). */
export const gatewayTokens = outputs.gatewayTokens;
/** Tenant, environment, clusters, waves, and whether every rollout is complete. */
export const fleet = outputs.fleet;
