import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { currentOrganization } from "../runtime/organization.js";
import { parse } from "yaml";
import { isPlainObject } from "./deepMerge.js";
import { ConfigError, CONFIG_NAMESPACE } from "./errors.js";
import { loadFleetConfig, type FleetModel } from "./load.js";
import { plaintextSecretEntries } from "./stackFileSecrets.js";

/** Keys (without the namespace) the stack holds as secrets (`--secret`, or a secure value under `--path`). */
export function secretStackKeys(): string[] {
  // Exported by the SDK at run time, though not declared in its typings.
  const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret: (key: string) => boolean }).isConfigSecret;
  return Object.keys(rawStackConfig()).filter((key) => isConfigSecret(`${CONFIG_NAMESPACE}:${key}`));
}

/** The `openclaw-fleet:` values of the running stack, keyed without the namespace. */
export function rawStackConfig(): Record<string, string> {
  const prefix = `${CONFIG_NAMESPACE}:`;
  return Object.fromEntries(
    Object.entries(pulumi.runtime.allConfig())
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, value]) => [key.slice(prefix.length), value]),
  );
}

/**
 * The running stack's fleet model. A bad config becomes a RunError: Pulumi prints its message (every
 * problem with its config path) without a stack trace, and registers nothing.
 */
export function loadStackFleet(): FleetModel {
  try {
    const stack = pulumi.getStack();
    const model = loadFleetConfig(rawStackConfig(), { secretKeys: secretStackKeys(), plaintextEntries: stackFilePlaintextEntries(stack), stack });
    for (const warning of model.warnings) void pulumi.log.warn(`${warning.path}: ${warning.message}`);
    const organization = currentOrganization();
    return { ...model, project: pulumi.getProject(), ...(organization !== undefined ? { organization } : {}) };
  } catch (error) {
    if (error instanceof ConfigError) throw new pulumi.RunError(error.message);
    throw error;
  }
}

/**
 * The engine marks a key secret when any value under it is, so `apiKeys.A` set with `--secret` hides a plaintext
 * `apiKeys.B` beside it: the stack file in the project directory (where Pulumi runs the program) tells them apart.
 * Config from an ESC environment is not in the file; the engine's marks cover it.
 */
function stackFilePlaintextEntries(stack: string): string[][] {
  const file = join(process.cwd(), `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) return [];
  const document = parse(readFileSync(file, "utf8")) as unknown;
  return isPlainObject(document) && isPlainObject(document.config) ? plaintextSecretEntries(document.config) : [];
}

/** The secret config values, read only as secrets (`getSecretObject` marks them; `getObject` would not). */
export function stackSecrets() {
  const config = new pulumi.Config(CONFIG_NAMESPACE);
  return {
    apiKeys: config.getSecretObject<Record<string, string>>("apiKeys"),
    kubeconfigs: config.getSecretObject<Record<string, string>>("kubeconfigs"),
  };
}
