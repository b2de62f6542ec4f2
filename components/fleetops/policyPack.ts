/**
 * The policy pack `npm run fleet -- preview|up` runs, as the GitHub workflows run it (`policyPacks: policy`): the
 * repository's `policy/` unless `--policy-pack DIR` names another. There is no switch to run without one: the
 * pack's policies are mandatory wherever the stacks are deployed from.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../config/errors.js";
import type { FleetCommand } from "./stackRunner.js";

/** The commands the engine runs a policy pack on (it analyses the resources a program registers). */
export const POLICY_CHECKED_COMMANDS: ReadonlySet<FleetCommand> = new Set(["preview", "up"]);

export function repositoryPolicyPack(projectDir: string): string {
  return join(projectDir, "policy");
}

/**
 * The pack's folder, checked before anything runs: a Pulumi policy pack (`PulumiPolicy.yaml`) whose dependencies
 * are installed (the engine loads them from its `node_modules`; `installDependencies` does it for the repository's).
 */
export function policyPackDir(options: { projectDir: string; given?: string; cwd?: string; installDependencies: (dir: string) => void }): string {
  const dir = options.given !== undefined ? resolve(options.cwd ?? process.cwd(), options.given) : repositoryPolicyPack(options.projectDir);
  if (!existsSync(join(dir, "PulumiPolicy.yaml"))) {
    throw new InputError(`--policy-pack ${options.given ?? dir}: ${dir} is not a Pulumi policy pack (no PulumiPolicy.yaml in it)`);
  }
  if (dir === repositoryPolicyPack(options.projectDir)) options.installDependencies(dir);
  else if (!existsSync(join(dir, "node_modules"))) {
    throw new InputError(`--policy-pack ${options.given}: its dependencies are not installed (no node_modules in ${dir}): run npm ci there first`);
  }
  return dir;
}
