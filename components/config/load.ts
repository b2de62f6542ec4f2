/**
 * Stack config -> validated, fully defaulted fleet model. Runs before any resource is registered, so a
 * bad config deploys nothing; every problem is reported at once with its config path.
 */
import type { z } from "zod";
import { readAgentFragment, type AgentFragment } from "./agentFragment.js";
import { gatewayDefaults } from "./defaults.js";
import { deepMerge, isPlainObject } from "./deepMerge.js";
import { ConfigError, configPath, type ConfigProblem } from "./errors.js";
import { fragmentProblems } from "./fragmentChecks.js";
import { imagePin } from "./imageReference.js";
import { openclawCliFromCommand } from "./openclawCli.js";
import { CONTAINER_LOG_BYTES, logFileBytes, MINIMUM_GRACE_SECONDS, STOP_MARGIN_SECONDS, tmpNeedBytes } from "./podBudgets.js";
import { startupBudgetSeconds } from "./probes.js";
import { sizingFindings } from "./sizing.js";
import { formatBytes, quantityToNumber } from "./quantity.js";
import { gatewaySettingsSchema, stackConfigSchema, type AccessInput, type AgentSource, type Environment, type GatewaySettings } from "./schema.js";
import { GATEWAY_STOP_POLICY_SECONDS } from "./versions.js";

/** One gateway: a (cluster, tenant) pair with everything it needs resolved. */
export interface ClusterGateway {
  /** The cluster's name in the stack; prefixes every Pulumi resource name of this gateway. */
  cluster: string;
  context?: string;
  kubeconfigPath?: string;
  /** True when the stack's secret `kubeconfigs` has an entry for this cluster. */
  hasInlineKubeconfig: boolean;
  region?: string;
  wave: number;
  host?: string;
  namespace: string;
  /** Being taken out of the stack: no gateway, providers that drop an unreachable cluster's objects from the state. */
  decommission: boolean;
  /** The cluster's previous name in the stack (`renamedFrom`): its resources are aliased from it. */
  renamedFrom?: string;
  settings: GatewaySettings;
  /** The app team's openclaw.json fragment (`<agent.path>/config.yaml`), merged over the platform's config. */
  agentConfig?: Record<string, unknown>;
  /** The stack's `access`: the app team's and the platform's Kubernetes groups in the tenant namespace. */
  access?: AccessInput;
}

export interface FleetModel {
  tenant: string;
  environment: Environment;
  /** The rollout ring `npm run fleet` takes this stack in (0: canary tenants). */
  ring: number;
  /** The gateways to deploy: every cluster but the ones being decommissioned. */
  gateways: ClusterGateway[];
  /** Clusters being decommissioned (`decommission: true`): only their providers stay, to delete what the state has there. */
  decommissioned: ClusterGateway[];
  /** Names of the configured API key env vars; their values stay in the secret config. */
  apiKeyNames: string[];
  /** Whether `pulumi destroy` leaves the Namespace and claims on the cluster (`retainState`; always in prod). */
  retainState: boolean;
  /** The Pulumi stack deploying the fleet, when known: labels the objects a redeploy adopts (see naming.ts). */
  stack?: string;
  /** What the config allows but should not (a memory limit the gateway cannot live in, outside prod), by config path. */
  warnings: ConfigProblem[];
  /** That stack's project and organization (set by the program and the renderer, not by the stack config). */
  project?: string;
  organization?: string;
  /** The stack's `agent` as configured: the folder is read where the project directory is known (agent/load.ts). */
  agentSource?: AgentSource;
}

/**
 * `openclaw.json` keys under `gateway` that the Deployment, Service and Secret depend on: a user `config`
 * overriding one would break the gateway in ways no schema check sees (a port the Service does not target,
 * a bind the Service cannot reach, auth that ignores the generated token).
 */
const OWNED_KEY_REASONS = {
  mode: "the gateway runs as a local gateway",
  port: "the Service and probes target 18789",
  bind: "`lan`, so the Service can reach it",
  auth: "token auth with the generated token",
} as const;
const PROGRAM_OWNED_GATEWAY_KEYS = Object.keys(OWNED_KEY_REASONS) as (keyof typeof OWNED_KEY_REASONS)[];

/** The config keys whose values reach resources only as secret Outputs, and must be secret in the stack. */
export const SECRET_CONFIG_KEYS: ReadonlySet<string> = new Set(["apiKeys", "kubeconfigs"]);

/** Keys whose raw config value is a plain string rather than JSON. */
const STRING_KEYS = new Set(["tenant", "environment"]);

/** Keys whose raw config value is a JSON scalar (Pulumi hands `ring: 0` over as the string "0", `fleet: true` as "true"). */
const SCALAR_KEYS = new Set(["ring", "fleet", "retainState"]);

/**
 * One raw config value as the program reads it (Pulumi hands every value over as a string): `tenant` and
 * `environment` as they are, everything else as JSON. A scalar key that is no JSON keeps its string, so the schema
 * says what it expects (`ring: one` -> "must be a whole number"); any other key that is no JSON is not `ok`.
 */
export function parseConfigValue(key: string, raw: string): { ok: true; value: unknown } | { ok: false } {
  if (STRING_KEYS.has(key)) return { ok: true, value: raw };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return SCALAR_KEYS.has(key) ? { ok: true, value: raw } : { ok: false };
  }
}

export interface LoadOptions {
  /** Keys the stack holds as secrets: any encrypted value, whole or under `--path` (Pulumi marks the whole key). */
  secretKeys?: readonly string[];
  /**
   * Entries of `apiKeys` or `kubeconfigs` the stack file holds in plaintext although their key is secret through
   * another entry (`["apiKeys", "OPENAI_API_KEY"]`): the engine cannot tell them apart, the stack file can.
   */
  plaintextEntries?: readonly (readonly string[])[];
  /** The Pulumi stack: labels the objects (see naming.ts) and completes the commands error messages suggest. */
  stack?: string;
  /** Where `agent.path` is relative to: the Pulumi project directory (default: the working directory, as under `pulumi up`). */
  projectDir?: string;
}

/**
 * Parses the `openclaw-fleet:` config values (bare key -> raw string, as Pulumi hands them over)
 * into the fleet model, or throws a ConfigError listing every problem.
 */
export function loadFleetConfig(rawValues: Readonly<Record<string, string>>, options: LoadOptions = {}): FleetModel {
  const problems: ConfigProblem[] = [...plaintextSecretProblems(rawValues, options)];
  for (const key of options.secretKeys ?? []) {
    if (SECRET_CONFIG_KEYS.has(key)) continue;
    problems.push({
      path: configPath([key]),
      message:
        "holds a secret value, but only apiKeys and kubeconfigs are kept secret (everything else lands in a ConfigMap, the Deployment and plain state). " +
        'Put the secret in apiKeys (e.g. apiKeys.TELEGRAM_BOT_TOKEN) and refer to it from gateway.config as "${TELEGRAM_BOT_TOKEN}"',
    });
  }
  const input: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(rawValues)) {
    if (key === PROTOTYPE_KEY) {
      problems.push(prototypeKeyProblem([key]));
      continue;
    }
    const parsed = parseConfigValue(key, raw);
    if (parsed.ok) input[key] = parsed.value;
    // Never echo the raw value: it may be a secret.
    else problems.push({ path: configPath([key]), message: "must be structured YAML (an object or list), not a plain string" });
  }
  problems.push(...prototypeKeyProblems(input, []));
  if (problems.length > 0) throw new ConfigError(problems);

  // The stack's `gateway` is checked even when the rest of the config is broken, so one run shows everything.
  // Defaults depend on the environment (backups are on in prod); a bad environment is reported below.
  const stackGateway = deepMerge(gatewayDefaults(typeof input.environment === "string" ? input.environment : undefined), isPlainObject(input.gateway) ? input.gateway : {});
  const stackGatewayCheck = gatewaySettingsSchema.safeParse(stackGateway);
  if (!stackGatewayCheck.success) problems.push(...zodProblems(stackGatewayCheck.error, ["gateway"], gatewaySettingsSchema));

  const parsed = stackConfigSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError([...zodProblems(parsed.error, [], stackConfigSchema), ...problems]);
  const stack = parsed.data;

  let agentFragment: AgentFragment | undefined;
  if (stack.agent) {
    const read = readAgentFragment(options.projectDir ?? process.cwd(), stack.agent.path);
    problems.push(...read.problems);
    agentFragment = read.fragment;
  }

  const warnings: ConfigProblem[] = [];
  const seenNames = new Map<string, number>();
  const gateways: ClusterGateway[] = [];
  stack.clusters.forEach((cluster, index) => {
    const at = (...segments: PropertyKey[]) => ["clusters", index, ...segments];
    const earlier = seenNames.get(cluster.name);
    if (earlier !== undefined) {
      problems.push({ path: configPath(at("name")), message: `duplicates clusters[${earlier}].name "${cluster.name}"; cluster names must be unique in a stack` });
    }
    seenNames.set(cluster.name, index);

    const overrides = cluster.overrides ?? {};
    const merged = gatewaySettingsSchema.safeParse(withClusterRestore(deepMerge(stackGateway, overrides), overrides));
    if (!merged.success) {
      // Problems inherited from the stack's `gateway` are already reported there; report only the override's own.
      const own = merged.error.issues.filter((issue) => issueTouches(overrides, stackGateway, issue));
      problems.push(...zodProblems({ issues: own }, at("overrides"), gatewaySettingsSchema));
      return;
    }
    const settings = merged.data;
    // Where a merged setting came from: the cluster's override if it sets it, else the stack's `gateway`.
    const sourceOf = (...segments: string[]) => (hasPath(overrides, segments) ? at("overrides", ...segments) : ["gateway", ...segments]);
    const deadline = settings.progressDeadlineSeconds;
    if (deadline !== undefined && deadline <= startupBudgetSeconds(settings)) {
      problems.push({
        path: configPath(sourceOf("progressDeadlineSeconds")),
        message: `must be greater than the startup probe's budget (${startupBudgetSeconds(settings)} s), or every slow first start is reported as a failed rollout`,
      });
    }
    const userGateway = settings.config.gateway;
    if (userGateway !== undefined && !isPlainObject(userGateway)) {
      problems.push({ path: configPath(sourceOf("config", "gateway")), message: "must be an object (it is merged over the generated gateway section)" });
    }
    for (const key of PROGRAM_OWNED_GATEWAY_KEYS) {
      if (!isPlainObject(userGateway) || !(key in userGateway)) continue;
      problems.push({ path: configPath(sourceOf("config", "gateway", key)), message: `is set by the program (${OWNED_KEY_REASONS[key]}); remove it` });
    }
    problems.push(...resourceProblems(settings, sourceOf));
    problems.push(...plaintextHeaderProblems(settings, sourceOf));
    warnings.push(...blockedExportWarnings(settings, sourceOf));
    problems.push(...sidecarOverLimitProblems(settings, sourceOf));
    // Sizes below what the gateway was measured to use: refused in prod, where a pod killed at its memory limit is an
    // outage; a warning elsewhere, where a small cluster may knowingly run it tight.
    for (const finding of sizingFindings(settings)) {
      const problem = { path: configPath(sourceOf(...finding.setting)), message: finding.message };
      if (finding.fatalInProd && stack.environment === "prod") problems.push(problem);
      else warnings.push(problem);
    }
    // Dev and staging may trade a clean drain for faster rollouts; prod may not.
    if (stack.environment === "prod" && settings.terminationGracePeriodSeconds < MINIMUM_GRACE_SECONDS) {
      problems.push({
        path: configPath(sourceOf("terminationGracePeriodSeconds")),
        message:
          `must be at least ${MINIMUM_GRACE_SECONDS} in prod: on SIGTERM OpenClaw drains active work for up to 315 s and exits within its ${GATEWAY_STOP_POLICY_SECONDS} s stop policy ` +
          `(not configurable outside systemd), plus a ${STOP_MARGIN_SECONDS} s margin; a shorter grace period lets Kubernetes SIGKILL it mid-drain`,
      });
    }
    for (const name of Object.keys(settings.env)) {
      if (stack.apiKeys?.[name] !== undefined) {
        problems.push({ path: configPath(sourceOf("env", name)), message: "is also an apiKeys name; the plain value would hide the secret one" });
      }
    }
    if (settings.restore && !settings.backup.enabled) {
      problems.push({
        path: configPath(sourceOf("restore")),
        message: "needs gateway.backup.enabled: true (the archive is read from the backup claim); enable backups for this cluster, copy the archive onto its backup claim, then set restore",
      });
    }
    if ((settings.backup.enabled || settings.restore) && !openclawCliFromCommand(settings.command)) {
      problems.push({
        path: configPath(sourceOf("command")),
        message: `must end with "gateway run" when backup or restore is on: the init containers run the same CLI (the words before "gateway run") for \`openclaw backup\``,
      });
    }
    if (settings.installs && !openclawCliFromCommand(settings.command)) {
      problems.push({
        path: configPath(sourceOf("command")),
        message: `must end with "gateway run" when installs is on: the installs init container runs the same CLI (the words before "gateway run") for \`openclaw plugins install\``,
      });
    }
    if (settings.apiKeysSecret === `openclaw-${stack.tenant}-env`) {
      problems.push({ path: configPath(sourceOf("apiKeysSecret")), message: "names the Secret the program itself writes (apiKeys and the token); name the Secret another controller keeps" });
    }
    if (settings.ingress.enabled && !cluster.host) {
      problems.push({ path: configPath(at("host")), message: "is required when ingress is enabled (gateway.ingress.enabled or this cluster's overrides)" });
    }
    if (stack.environment === "prod" && imagePin(settings.image) === "moving") {
      problems.push({
        path: configPath(sourceOf("image")),
        message: `"${settings.image}" is a moving tag; prod requires a version tag (e.g. 2026.9.6-slim) or a digest (@sha256:...)`,
      });
    }
    if (agentFragment) problems.push(...fragmentProblems(agentFragment, { environment: stack.environment, settings, apiKeyNames: Object.keys(stack.apiKeys ?? {}) }));
    gateways.push({
      cluster: cluster.name,
      context: cluster.context,
      kubeconfigPath: cluster.kubeconfig,
      hasInlineKubeconfig: stack.kubeconfigs?.[cluster.name] !== undefined,
      region: cluster.region,
      wave: cluster.wave,
      host: cluster.host,
      namespace: cluster.namespace ?? `openclaw-${stack.tenant}`,
      decommission: cluster.decommission,
      ...(cluster.renamedFrom ? { renamedFrom: cluster.renamedFrom } : {}),
      settings,
      ...(agentFragment && Object.keys(agentFragment.config).length > 0 ? { agentConfig: agentFragment.config } : {}),
      // A cluster's own `access` replaces the stack's there (its authenticator may name the groups differently).
      ...((cluster.access ?? stack.access) ? { access: cluster.access ?? stack.access } : {}),
    });
  });

  const clusterNames = stack.clusters.map((c) => c.name);
  for (const name of Object.keys(stack.kubeconfigs ?? {})) {
    if (!clusterNames.includes(name)) {
      problems.push({ path: configPath(["kubeconfigs", name]), message: `names no cluster of this stack; clusters: ${clusterNames.join(", ")}` });
    }
  }

  for (const [index, cluster] of stack.clusters.entries()) {
    if (cluster.renamedFrom === undefined) continue;
    const path = configPath(["clusters", index, "renamedFrom"]);
    if (cluster.renamedFrom === cluster.name) problems.push({ path, message: `is the cluster's own name "${cluster.name}"; set it to the name the cluster had before, or remove it` });
    else if (clusterNames.includes(cluster.renamedFrom)) {
      problems.push({ path, message: `"${cluster.renamedFrom}" is another cluster of this stack; renamedFrom names a cluster that is no longer in the stack` });
    }
    const earlier = stack.clusters.findIndex((other, at) => at < index && other.renamedFrom === cluster.renamedFrom);
    if (earlier !== -1) problems.push({ path, message: `duplicates clusters[${earlier}].renamedFrom "${cluster.renamedFrom}"; one cluster takes over an old name` });
  }

  if (stack.environment === "prod" && !stack.retainState) {
    problems.push({ path: configPath(["retainState"]), message: "must be true in prod (the tenant's state is never deleted by Pulumi there); false is for throwaway dev and staging stacks" });
  }

  // A stack-level setting that fails a check for every cluster is one problem, reported once.
  if (stack.clusters.length > 0 && stack.clusters.every((cluster) => cluster.decommission)) {
    problems.push({ path: configPath(["clusters"]), message: "decommissions every cluster; keep at least one, or remove the whole stack with pulumi destroy" });
  }

  // A stack-level setting that fails a check for every cluster is one problem, reported once.
  const distinct = (found: ConfigProblem[]) => [...new Map(found.map((problem) => [`${problem.path}\n${problem.message}`, problem])).values()];
  const unique = distinct(problems);
  if (unique.length > 0) throw new ConfigError(unique);
  return {
    tenant: stack.tenant,
    environment: stack.environment,
    ring: stack.ring,
    gateways: gateways.filter((gateway) => !gateway.decommission),
    decommissioned: gateways.filter((gateway) => gateway.decommission),
    apiKeyNames: Object.keys(stack.apiKeys ?? {}).sort(),
    retainState: stack.retainState,
    ...(stack.agent ? { agentSource: stack.agent } : {}),
    ...(options.stack ? { stack: options.stack } : {}),
    warnings: distinct(warnings),
  };
}

/**
 * `apiKeys` and `kubeconfigs` held in plaintext: a forgotten `--secret` writes a provider key or a cluster credential
 * into the stack file (and from there into git and the state). Each entry is named with the command that stores it
 * encrypted; its value never appears in the message.
 */
function plaintextSecretProblems(rawValues: Readonly<Record<string, string>>, options: LoadOptions): ConfigProblem[] {
  const secret = new Set(options.secretKeys ?? []);
  // Entries the stack file shows in plaintext count where the engine marks their key secret; a key that is not
  // secret at all is reported entry by entry below.
  const entries: string[][] = (options.plaintextEntries ?? []).filter((path) => SECRET_CONFIG_KEYS.has(path[0]!) && secret.has(path[0]!)).map((path) => [...path]);
  for (const key of SECRET_CONFIG_KEYS) {
    const raw = rawValues[key];
    if (raw === undefined || secret.has(key)) continue;
    const parsed = parseConfigValue(key, raw);
    // An empty object (what removing the last entry with `--path` leaves) holds nothing to protect.
    if (parsed.ok && isPlainObject(parsed.value)) entries.push(...Object.keys(parsed.value).map((name) => [key, name]));
    else entries.push([key]);
  }
  return entries.map((path) => ({
    path: configPath(path),
    message: `is plaintext in the stack config; ${path[0]} must be secret (a plain value is committed with Pulumi.<stack>.yaml and kept unencrypted in the state). Store it encrypted: ${secretSetCommand(path, options.stack)}`,
  }));
}

/** The `pulumi config set --secret` command that stores one `apiKeys`/`kubeconfigs` entry encrypted. */
export function secretSetCommand(path: readonly string[], stack?: string): string {
  const [key, name] = path;
  const stackOption = stack ? ` --stack ${stack}` : "";
  if (name === undefined) return `pulumi config set --secret --path '${key}.<NAME>' <value>${stackOption}, once per entry`;
  const value = key === "kubeconfigs" ? `"$(cat ${name}.kubeconfig)"` : "<value>";
  return `pulumi config set --secret --path '${key}.${name}' ${value}${stackOption}`;
}

const RESOURCE_KINDS = ["cpu", "memory", "ephemeral-storage"] as const;

/**
 * Requests within limits for both containers; the init container within the gateway's limits (the namespace's
 * LimitRange caps every container there); and an ephemeral-storage limit that holds `/tmp` at its fullest.
 */
function resourceProblems(settings: GatewaySettings, sourceOf: (...segments: string[]) => PropertyKey[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const amount = quantityToNumber;
  for (const key of ["resources", "initContainerResources"] as const) {
    const { requests, limits } = settings[key];
    for (const kind of RESOURCE_KINDS) {
      if (amount(requests[kind]) > amount(limits[kind])) {
        problems.push({ path: configPath(sourceOf(key, "requests", kind)), message: `${requests[kind]} is more than the limit ${limits[kind]}; Kubernetes refuses a request above its limit` });
      }
    }
  }
  for (const kind of RESOURCE_KINDS) {
    const limit = settings.resources.limits[kind];
    const initLimit = settings.initContainerResources.limits[kind];
    if (amount(limit) < amount(initLimit)) {
      problems.push({
        path: configPath(sourceOf("resources", "limits", kind)),
        message: `must be at least ${initLimit}, the init container's limit (the namespace's LimitRange caps every container at the gateway's limits)`,
      });
    }
  }
  const storageLimit = settings.resources.limits["ephemeral-storage"];
  const needed = tmpNeedBytes(settings) + CONTAINER_LOG_BYTES;
  if (amount(storageLimit) < needed) {
    problems.push({
      path: configPath(sourceOf("resources", "limits", "ephemeral-storage")),
      message:
        `must be at least ${formatBytes(needed)}: /tmp keeps up to 12 gateway log files of logging.maxFileBytes (${formatBytes(logFileBytes(settings))}) and working space, ` +
        `and the container's stdout log takes ${formatBytes(CONTAINER_LOG_BYTES)}; lower gateway.config.logging.maxFileBytes or raise the limit`,
    });
  }
  return problems;
}

/**
 * `__proto__` is an own key after JSON.parse, but any object spread, assignment or zod record turns it into the
 * object's prototype: the setting would vanish without an error. It is refused wherever it appears.
 */
const PROTOTYPE_KEY = "__proto__";

function prototypeKeyProblem(path: readonly PropertyKey[]): ConfigProblem {
  return { path: configPath(path), message: "is not a known key: `__proto__` is never a setting (JavaScript would take it as the object's prototype and drop it silently); remove it" };
}

/** Every `__proto__` key in parsed config values, by path. Looks at keys only, so secret values never reach a message. */
function prototypeKeyProblems(value: unknown, path: readonly PropertyKey[]): ConfigProblem[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => prototypeKeyProblems(item, [...path, index]));
  if (!isPlainObject(value)) return [];
  return Object.keys(value).flatMap((key) => (key === PROTOTYPE_KEY ? [prototypeKeyProblem([...path, key])] : prototypeKeyProblems(value[key], [...path, key])));
}

function hasPath(value: unknown, path: readonly PropertyKey[]): boolean {
  let current = value;
  for (const segment of path) {
    if (!isPlainObject(current) && !Array.isArray(current)) return false;
    if (!(String(segment) in (current as object))) return false;
    current = (current as Record<string, unknown>)[String(segment)];
  }
  return true;
}

/**
 * Whether an issue found in a merged object comes from the given overlay: the overlay sets the value, or a
 * required value is missing from an object (or list item) only the overlay provides.
 */
function issueTouches(overlay: unknown, base: unknown, issue: z.core.$ZodIssue): boolean {
  if (issue.code === "unrecognized_keys") return issue.keys.some((key) => hasPath(overlay, [...issue.path, key]));
  if (hasPath(overlay, issue.path)) return true;
  return issue.path.length > 0 && hasPath(overlay, issue.path.slice(0, -1)) && !hasPath(base, issue.path);
}

function zodProblems(error: { issues: readonly z.core.$ZodIssue[] }, prefix: readonly PropertyKey[], schema: z.core.$ZodType): ConfigProblem[] {
  return error.issues.flatMap((issue): ConfigProblem[] => {
    if (issue.code === "unrecognized_keys") {
      const allowed = allowedKeysAt(schema, issue.path);
      const hint = allowed ? `; allowed keys: ${allowed.join(", ")}` : "";
      return issue.keys.map((key) => ({ path: configPath([...prefix, ...issue.path, key]), message: `is not a known key${hint}` }));
    }
    if (issue.code === "invalid_key") {
      // Record keys (env var names, API key names): report the key's own problem at the key's path.
      return issue.issues.map((inner) => ({ path: configPath([...prefix, ...issue.path]), message: inner.message }));
    }
    // zod says "Invalid input: expected number, received undefined" for a missing required field.
    const missing = issue.code === "invalid_type" && /received undefined$/.test(issue.message);
    return [{ path: configPath([...prefix, ...issue.path]), message: missing ? `is required (expected ${issue.expected})` : issue.message }];
  });
}

/** The keys a strict object schema accepts at a path, for "did you mean" style errors. */
function allowedKeysAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let current: z.core.$ZodType | undefined = schema;
  for (const segment of [...path, undefined]) {
    // Unwrap wrappers (optional, default, pipe) until a container type is reached.
    for (;;) {
      const def = current?._zod.def as unknown as Record<string, unknown> & { type: string };
      if (!def) return undefined;
      if (def.type === "optional" || def.type === "default" || def.type === "nullable" || def.type === "prefault") current = def.innerType as z.core.$ZodType;
      else if (def.type === "pipe") current = def.in as z.core.$ZodType;
      else break;
    }
    const def = current!._zod.def as unknown as Record<string, unknown> & { type: string };
    // A key whose schema is `never` exists only to refuse it with a pointer elsewhere: it is not offered.
    if (segment === undefined) return def.type === "object" ? Object.entries(def.shape as Record<string, z.core.$ZodType>).filter(([, field]) => !refusedOnly(field)).map(([key]) => key) : undefined;
    if (def.type === "object") current = (def.shape as Record<string, z.core.$ZodType>)[String(segment)];
    else if (def.type === "array") current = def.element as z.core.$ZodType;
    else if (def.type === "record") current = def.valueType as z.core.$ZodType;
    else return undefined;
  }
  return undefined;
}

function refusedOnly(field: z.core.$ZodType): boolean {
  const def = field._zod.def as unknown as { type: string; innerType?: z.core.$ZodType };
  if (def.type === "optional" && def.innerType) return refusedOnly(def.innerType);
  return def.type === "never";
}

/** `${NAME}`: the only form an OTLP header value may take in `gateway.config` (the gateway resolves it from its env). */
const ENV_REFERENCE = /^\$\{[A-Z_][A-Z0-9_]*\}$/;

/**
 * Header values written into `gateway.config.diagnostics.otel.headers` would sit in the ConfigMap and plain state;
 * only env references are let through. The value itself never reaches the message.
 */
function plaintextHeaderProblems(settings: GatewaySettings, sourceOf: (...segments: string[]) => PropertyKey[]): ConfigProblem[] {
  const diagnostics = settings.config.diagnostics;
  const otel = isPlainObject(diagnostics) ? diagnostics.otel : undefined;
  const headers = isPlainObject(otel) ? otel.headers : undefined;
  if (!isPlainObject(headers)) return [];
  return Object.entries(headers)
    .filter(([, value]) => typeof value !== "string" || !ENV_REFERENCE.test(value))
    .map(([name]) => ({
      path: configPath(sourceOf("config", "diagnostics", "otel", "headers", name)),
      message: "is a header value in plaintext (it would land in the ConfigMap and plain state); put it in a Secret and set gateway.observability.headersSecret and headerNames instead",
    }));
}

/**
 * The namespace's LimitRange caps every container at the gateway's limits (specs/namespace.ts): a sidecar limit above
 * them would be refused by the API server when the pod is created, and the rollout would stall on it.
 */
function sidecarOverLimitProblems(settings: GatewaySettings, sourceOf: (...segments: string[]) => PropertyKey[]): ConfigProblem[] {
  const sidecar = settings.observability?.sidecar;
  if (!settings.observability?.enabled || !sidecar?.enabled) return [];
  return (["cpu", "memory", "ephemeral-storage"] as const).flatMap((resource) => {
    const own = sidecar.resources.limits[resource];
    const cap = settings.resources.limits[resource];
    if (quantityToNumber(own) <= quantityToNumber(cap)) return [];
    return [{
      path: configPath(sourceOf("observability", "sidecar", "resources", "limits", resource)),
      message: `${own} is above the gateway's ${cap} limit, which the namespace's LimitRange caps every container at; lower it or raise gateway.resources.limits.${resource}`,
    }];
  });
}

/**
 * The NetworkPolicy lets the gateway out on 443 to public addresses only: an OTLP endpoint on another port (a
 * collector's 4318) is blocked unless `networkPolicy.extraEgress` opens that port. Its destination is not checked
 * (a Service name resolves only in the cluster), so this is a warning, by the endpoint's config path.
 */
function blockedExportWarnings(settings: GatewaySettings, sourceOf: (...segments: string[]) => PropertyKey[]): ConfigProblem[] {
  const observability = settings.observability;
  if (!observability?.enabled || !settings.networkPolicy.enabled) return [];
  const openPorts = new Set([443, ...(settings.networkPolicy.extraEgress ?? []).flatMap((rule) => rule.ports.filter((port) => port.protocol === "TCP").map((port) => port.port))]);
  return (["endpoint", "tracesEndpoint", "metricsEndpoint", "logsEndpoint"] as const).flatMap((key) => {
    const value = observability[key];
    if (value === undefined) return [];
    const url = new URL(value);
    const port = url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
    if (openPorts.has(port)) return [];
    return [{
      path: configPath(sourceOf("observability", key)),
      message: `port ${port} is closed by the gateway's NetworkPolicy (it allows 443 to public addresses); add it to gateway.networkPolicy.extraEgress (namespaces or cidrs of the collector, ports: [{port: ${port}}]) or nothing is exported`,
    }];
  });
}

/**
 * A cluster's `restore` replaces the stack's instead of merging into it: a stack-wide `archive` and one cluster's
 * `beforeUpgrade` (a rollback, written by `npm run fleet`) are two different restores, not one with both keys.
 */
function withClusterRestore(merged: unknown, overrides: unknown): unknown {
  if (!isPlainObject(merged) || !isPlainObject(overrides) || overrides.restore === undefined) return merged;
  return { ...merged, restore: overrides.restore };
}
