/**
 * What the app team's fragment must satisfy beyond ownership (ownership.ts): no secret in it (it lands in a
 * ConfigMap and plain state), only env references the stack can satisfy, skill env from references only, and only
 * the plugins the platform allows. Pure; a value never reaches a message.
 */
import { isPlainObject } from "./deepMerge.js";
import type { ConfigProblem } from "./errors.js";
import { installedPluginIds } from "./installs.js";
import { fragmentPath, ownershipViolations } from "./ownership.js";
import { fragmentProblem, type AgentFragment } from "./agentFragment.js";
import { RESERVED_ENV_NAMES, type Environment, type GatewaySettings } from "./schema.js";

/** A whole value that is one env reference, `${NAME}`, which the gateway resolves from its env at load. */
const WHOLE_REFERENCE = /^\$\{([A-Z_][A-Z0-9_]*)\}$/;
const REFERENCES = /\$\{([A-Z_][A-Z0-9_]*)\}/g;

/** Key names that hold credentials in OpenClaw's config (apiKey, botToken, token, appSecret, password, ...). */
const SECRET_KEY_NAME = /(api[-_]?key|token|secret|password|passwd|credentials?|private[-_]?key)$/i;

/** Values that look like a credential whatever their key: provider and platform key prefixes, PEM blocks. */
const SECRET_LOOKING_VALUE = /^(sk-|sk_live_|rk_live_|xox[abprs]-|xapp-|ghp_|gho_|ghs_|github_pat_|glpat-|AKIA[0-9A-Z]{12}|AIza[0-9A-Za-z_-]{20}|\d{6,}:[A-Za-z0-9_-]{30,}$)|-----BEGIN [A-Z ]*PRIVATE KEY-----/;

export interface FragmentContext {
  environment: Environment;
  settings: GatewaySettings;
  /** Env var names the stack's env Secret holds (`apiKeys`). */
  apiKeyNames: readonly string[];
}

/** Every problem with the fragment for one gateway; each names the file and the path in it. */
export function fragmentProblems(fragment: AgentFragment, context: FragmentContext): ConfigProblem[] {
  const { file, config } = fragment;
  const problems: ConfigProblem[] = ownershipViolations(config, context.environment).map((violation) =>
    fragmentProblem(file, violation.path, `is owned by the platform (${violation.why}); the platform sets it in the stack's openclaw-fleet:gateway.config, the app team's config.yaml may not`),
  );
  problems.push(...secretProblems(file, config, context));
  problems.push(...skillEnvProblems(file, config));
  problems.push(...pluginProblems(file, config, context.settings));
  problems.push(...prototypeKeyProblems(file, config, []));
  return problems;
}

/** `__proto__` is never a setting: YAML keeps it as a key, but JavaScript would take it as the object's prototype. */
function prototypeKeyProblems(file: string, value: unknown, segments: (string | number)[]): ConfigProblem[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => prototypeKeyProblems(file, item, [...segments, index]));
  if (!isPlainObject(value)) return [];
  return Object.keys(value).flatMap((key) =>
    key === "__proto__"
      ? [fragmentProblem(file, fragmentPath([...segments, key]), "is not a known key: `__proto__` is never a setting (JavaScript would take it as the object's prototype); remove it")]
      : prototypeKeyProblems(file, value[key], [...segments, key]),
  );
}

/** The env names a fragment's `${NAME}` may use: the stack's Secret keys and plain env, or any with an external Secret. */
function referenceProblem(name: string, context: FragmentContext): string | undefined {
  if ((RESERVED_ENV_NAMES as readonly string[]).includes(name)) return `refers to \${${name}}, which the program sets for the platform (reserved: ${RESERVED_ENV_NAMES.join(", ")})`;
  if (context.apiKeyNames.includes(name) || name in context.settings.env || context.settings.apiKeysSecret !== undefined) return undefined;
  const declared = [...context.apiKeyNames, ...Object.keys(context.settings.env)];
  return (
    `refers to \${${name}}, which the stack does not declare (the gateway would not start); ` +
    `the platform adds it with pulumi config set --secret --path 'apiKeys.${name}' <value>` +
    (declared.length > 0 ? `; declared: ${declared.join(", ")}` : "")
  );
}

function secretProblems(file: string, config: Record<string, unknown>, context: FragmentContext): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const walk = (value: unknown, segments: (string | number)[]) => {
    if (Array.isArray(value)) return value.forEach((item, index) => walk(item, [...segments, index]));
    if (isPlainObject(value)) {
      // An env SecretRef (`{source: env, provider, id}`) names an env var, as a `${NAME}` string does.
      if (value.source === "env" && typeof value.id === "string") {
        const message = referenceProblem(value.id, context);
        if (message) problems.push(fragmentProblem(file, fragmentPath([...segments, "id"]), message));
      }
      for (const [key, child] of Object.entries(value)) walk(child, [...segments, key]);
      return;
    }
    if (typeof value !== "string") return;
    const path = fragmentPath(segments);
    const key = segments.at(-1);
    const secretLooking = SECRET_LOOKING_VALUE.test(value);
    if (secretLooking || (typeof key === "string" && SECRET_KEY_NAME.test(key) && !WHOLE_REFERENCE.test(value))) {
      problems.push(fragmentProblem(file, path, `holds ${secretLooking ? "what looks like a credential" : "a plaintext value under a credential key"} (the fragment lands in a ConfigMap and plain state); put the value in the stack's secret apiKeys (pulumi config set --secret --path 'apiKeys.<NAME>' <value>) and write "\${<NAME>}" here`));
      return;
    }
    for (const [, name] of value.matchAll(REFERENCES)) {
      const message = referenceProblem(name!, context);
      if (message) problems.push(fragmentProblem(file, path, message));
    }
  };
  walk(config, []);
  return problems;
}

/** `skills.entries.<name>.env` values are env references only: a skill's env reaches it from the env Secret. */
function skillEnvProblems(file: string, config: Record<string, unknown>): ConfigProblem[] {
  const entries = isPlainObject(config.skills) && isPlainObject(config.skills.entries) ? config.skills.entries : {};
  return Object.entries(entries).flatMap(([skill, entry]) => {
    if (!isPlainObject(entry) || !isPlainObject(entry.env)) return [];
    return Object.entries(entry.env)
      .filter(([, value]) => typeof value !== "string" || !WHOLE_REFERENCE.test(value))
      .map(([name]) => fragmentProblem(file, fragmentPath(["skills", "entries", skill, "env", name]), `must be an env reference such as "\${${/^[A-Z_][A-Z0-9_]*$/.test(name) ? name : "NAME"}}" naming a key of the stack's env Secret (apiKeys); a skill's env never holds a value in the ConfigMap`));
  });
}

/**
 * The app team enables plugins that ship in the image (or that the platform installs at start) by name (`plugins.entries.<id>`); which may load at all is the
 * platform's list, `gateway.config.plugins.allow`. A plugin outside it is refused rather than silently not loaded.
 */
function pluginProblems(file: string, config: Record<string, unknown>, settings: GatewaySettings): ConfigProblem[] {
  const entries = isPlainObject(config.plugins) && isPlainObject(config.plugins.entries) ? config.plugins.entries : {};
  const platformPlugins = isPlainObject(settings.config.plugins) ? settings.config.plugins : {};
  const listed = Array.isArray(platformPlugins.allow) ? platformPlugins.allow.filter((id): id is string => typeof id === "string") : [];
  // The plugins the platform installs at start are allowed by name too (openclawConfig.ts).
  const allowed = [...listed, ...installedPluginIds(settings.installs).filter((id) => !listed.includes(id))];
  return Object.keys(entries)
    .filter((id) => !allowed.includes(id))
    .map((id) =>
      fragmentProblem(
        file,
        fragmentPath(["plugins", "entries", id]),
        `names a plugin the platform does not allow (${allowed.length > 0 ? `allowed: ${allowed.join(", ")}` : "the stack allows none"}); the platform adds it to openclaw-fleet:gateway.config.plugins.allow`,
      ),
    );
}
