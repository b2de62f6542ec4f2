/** One problem in the stack config, located by its config path (`openclaw-fleet:clusters[1].name`). */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** A problem with what the user gave (config, stack name, paths): printed as it is, without a stack trace. */
export class InputError extends Error {
  override name = "InputError";
}

/** Every problem in the stack config at once, so a user fixes them in one pass. */
export class ConfigError extends InputError {
  constructor(readonly problems: ConfigProblem[]) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super(`Invalid stack config (${count}); nothing was deployed:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export const CONFIG_NAMESPACE = "openclaw-fleet";

/** A config warning as every command prints it: `warning: <config path>: <message>`. */
export function formatWarning(warning: ConfigProblem): string {
  return `warning: ${warning.path}: ${warning.message}`;
}

/** `["clusters", 1, "name"]` -> `openclaw-fleet:clusters[1].name`. */
export function configPath(segments: readonly PropertyKey[]): string {
  let path = "";
  for (const segment of segments) {
    if (typeof segment === "number") path += `[${segment}]`;
    else if (path === "") path = String(segment);
    else path += /^[A-Za-z_][A-Za-z0-9_-]*$/.test(String(segment)) ? `.${String(segment)}` : `[${JSON.stringify(String(segment))}]`;
  }
  return `${CONFIG_NAMESPACE}:${path}`;
}
