import assert from "node:assert/strict";
import { ConfigError } from "../components/config/errors.js";
import { loadFleetConfig, type FleetModel } from "../components/config/load.js";
import type { GatewayContext } from "../components/gateway/context.js";

/** Stack config (user-facing shape) -> the raw strings Pulumi hands the program. */
export function raw(config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]));
}

/** The validated model of a stack config whose `apiKeys` and `kubeconfigs` are secret, as a real stack's must be. */
export function model(config: Record<string, unknown>): FleetModel {
  return loadFleetConfig(raw(config), { secretKeys: ["apiKeys", "kubeconfigs"] });
}

/**
 * The problems a stack config is refused with, as `path: message` lines; fails the test when it is accepted. `load`
 * is the loading under test (default: `model`, secret `apiKeys` and `kubeconfigs`).
 */
export function configProblems(config: Record<string, unknown>, load: (config: Record<string, unknown>) => unknown = model): string[] {
  try {
    load(config);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
  assert.fail("config was accepted");
}

/** Asserts that a stack config is refused with a problem at `path` whose line matches `message`. */
export function assertConfigProblem(config: Record<string, unknown>, path: string, message: RegExp): void {
  const found = configProblems(config);
  assert.ok(
    found.some((line) => line.startsWith(`${path}: `) && message.test(line)),
    `expected a problem at ${path} matching ${message}; got:\n${found.join("\n")}`,
  );
}

/** The context of the first gateway of a one-cluster stack, with optional stack-level gateway settings. */
export function gatewayContext(gateway: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): GatewayContext {
  const fleet = model({ tenant: "acme", environment: "dev", gateway, clusters: [{ name: "alpha", ...extra }] });
  return { tenant: fleet.tenant, environment: fleet.environment, gateway: fleet.gateways[0]!, apiKeyNames: ["ANTHROPIC_API_KEY"] };
}

/**
 * Every Kubernetes provider switch the SDK would take from a `PULUMI_K8S_*` variable, set the other way round from
 * the program's choice (`enablePatchForce`, left to the environment on purpose, is not among them).
 */
export const PROVIDER_SWITCHES_FLIPPED: Readonly<Record<string, string>> = {
  PULUMI_K8S_DELETE_UNREACHABLE: "true",
  PULUMI_K8S_UPSERT_EXISTING_OBJECTS: "true",
  PULUMI_K8S_SKIP_UPDATE_UNREACHABLE: "true",
  PULUMI_K8S_ENABLE_SERVER_SIDE_APPLY: "false",
  PULUMI_K8S_ENABLE_CONFIGMAP_MUTABLE: "false",
  PULUMI_K8S_ENABLE_SECRET_MUTABLE: "false",
  PULUMI_K8S_SUPPRESS_DEPRECATION_WARNINGS: "true",
  PULUMI_K8S_SUPPRESS_HELM_HOOK_WARNINGS: "true",
};
