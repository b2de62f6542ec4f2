import type { GatewaySettings } from "./schema.js";

/** How long the startup probe lets a gateway take before Kubernetes restarts it. */
export function startupBudgetSeconds(settings: GatewaySettings): number {
  const { initialDelaySeconds, periodSeconds, failureThreshold } = settings.probes.startup;
  return initialDelaySeconds + periodSeconds * failureThreshold;
}
