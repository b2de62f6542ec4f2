/**
 * The fleet's stacks: the `Pulumi.<stack>.yaml` files in the project directory that say
 * `openclaw-fleet:fleet: true`, read for what the fleet command needs before any engine runs (ring, tenant,
 * clusters, image). The stack files are the fleet's source of truth because the program's config lives there;
 * the backend's stack list only says which of them have been deployed (see stackRunner.ts). Membership is
 * explicit: a developer's stack, the demo's, a template or a benchmark's leftover in the folder must not join a
 * fleet-wide release, so a file that does not say is refused rather than guessed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, matchesGlob } from "node:path";
import { isPlainObject } from "../config/deepMerge.js";
import { ConfigError, CONFIG_NAMESPACE, InputError, type ConfigProblem } from "../config/errors.js";
import { parseConfigValue } from "../config/load.js";
import { DEFAULT_RING, fleetMembershipSchema, ringSchema } from "../config/schema.js";
import { DEFAULT_IMAGE } from "../config/versions.js";
import { parseStackFile } from "../render/stackFile.js";

export interface FleetStack {
  /** The Pulumi stack name (`Pulumi.<name>.yaml`). */
  name: string;
  /** `openclaw-fleet:fleet`: true for a tenant stack of the fleet, false for one left out, unset when the file does not say. */
  fleet?: boolean;
  ring: number;
  tenant?: string;
  environment?: string;
  /** The stack's cluster names, in config order: the report shows a cell for each even before a first deploy. */
  clusters: string[];
  /** The stack's `gateway.image` (the program's pinned default when unset). */
  image: string;
  /** Clusters whose `overrides.image` pins their own image, which a fleet-wide `--image` would not reach. */
  clustersPinningImage: string[];
  /** Clusters whose `overrides.restore.beforeUpgrade` an earlier rollback left (rollback.ts); the next release removes it. */
  clustersUndoingUpgrade: string[];
  /** The stack file's `secretsprovider` (a KMS or Vault key), when it names one. */
  secretsProvider?: string;
}

const STACK_FILE = /^Pulumi\.(.+)\.yaml$/;

export function stackFileName(stack: string): string {
  return `Pulumi.${stack}.yaml`;
}

/** Every stack file of a project directory, read; a malformed `ring` is refused naming the file and the key. */
export function discoverStacks(projectDir: string): FleetStack[] {
  const names = readdirSync(projectDir)
    .map((file) => STACK_FILE.exec(file)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
  const problems: ConfigProblem[] = [];
  const stacks: FleetStack[] = [];
  for (const name of names) {
    const file = stackFileName(name);
    try {
      stacks.push(readStackFile(name, readFileSync(join(projectDir, file), "utf8")));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems.map((problem) => ({ ...problem, path: `${file}: ${problem.path}` })));
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return stacks;
}

/**
 * One stack file's fleet facts. Only keys the fleet needs are read, each as the program reads it (`parseStackFile`
 * and `parseConfigValue`: a quoted `ring: "0"` is ring 0 there too); the program validates the rest on `up`.
 */
export function readStackFile(name: string, text: string): FleetStack {
  const { raw, secretsProvider } = parseStackFile(text);
  const value = (key: string): unknown => {
    if (raw[key] === undefined) return undefined;
    const parsed = parseConfigValue(key, raw[key]);
    return parsed.ok ? parsed.value : undefined;
  };
  const ring = ringSchema.default(DEFAULT_RING).safeParse(value("ring"));
  const fleet = fleetMembershipSchema.optional().safeParse(value("fleet"));
  const problems: ConfigProblem[] = [
    ...(ring.success ? [] : ring.error.issues.map((issue) => ({ path: `${CONFIG_NAMESPACE}:ring`, message: issue.message }))),
    ...(fleet.success ? [] : fleet.error.issues.map((issue) => ({ path: `${CONFIG_NAMESPACE}:fleet`, message: issue.message }))),
  ];
  if (!ring.success || !fleet.success) throw new ConfigError(problems);
  const clusters = Array.isArray(value("clusters")) ? (value("clusters") as unknown[]) : [];
  const gatewayValue = value("gateway");
  const gateway = isPlainObject(gatewayValue) ? gatewayValue : {};
  const tenant = value("tenant");
  const environment = value("environment");
  return {
    name,
    ...(fleet.data !== undefined ? { fleet: fleet.data } : {}),
    ring: ring.data,
    ...(typeof tenant === "string" ? { tenant } : {}),
    ...(typeof environment === "string" ? { environment } : {}),
    clusters: clusters.flatMap((cluster) => (isPlainObject(cluster) && typeof cluster.name === "string" ? [cluster.name] : [])),
    image: typeof gateway.image === "string" ? gateway.image : DEFAULT_IMAGE,
    clustersPinningImage: clusters.flatMap((cluster) =>
      isPlainObject(cluster) && typeof cluster.name === "string" && isPlainObject(cluster.overrides) && cluster.overrides.image !== undefined ? [cluster.name] : [],
    ),
    clustersUndoingUpgrade: clusters.flatMap((cluster) =>
      isPlainObject(cluster) && typeof cluster.name === "string" && isPlainObject(cluster.overrides) && isPlainObject(cluster.overrides.restore) && cluster.overrides.restore.beforeUpgrade !== undefined
        ? [cluster.name]
        : [],
    ),
    ...(secretsProvider !== undefined ? { secretsProvider } : {}),
  };
}

export interface StackFilter {
  /** A glob over stack names (`acme-*`, `*-prod`). */
  stacks?: string;
  ring?: number;
}

/**
 * The stacks a fleet command acts on: the members (`fleet: true`) the filter matches. A file the glob matches
 * that does not say whether it is a member is an input error naming it, and so is a filter no member matches
 * (a typo must not look like a no-op).
 */
export function selectStacks(stacks: readonly FleetStack[], filter: StackFilter): FleetStack[] {
  const named = stacks.filter((stack) => filter.stacks === undefined || matchesGlob(stack.name, filter.stacks));
  const unmarked = named.filter((stack) => stack.fleet === undefined);
  if (unmarked.length > 0) {
    throw new InputError(
      `${unmarked.map((stack) => stackFileName(stack.name)).join(", ")}: ${CONFIG_NAMESPACE}:fleet is not set; ` +
        "every stack file says whether npm run fleet takes it: `fleet: true` for a tenant stack, `fleet: false` to leave it out " +
        `(pulumi config set ${CONFIG_NAMESPACE}:fleet true --stack NAME), or delete a leftover file`,
    );
  }
  const members = stacks.filter((stack) => stack.fleet === true);
  const selected = named.filter((stack) => stack.fleet === true && (filter.ring === undefined || stack.ring === filter.ring));
  if (selected.length === 0) {
    const wanted = [filter.stacks !== undefined ? `--stacks ${filter.stacks}` : "", filter.ring !== undefined ? `--ring ${filter.ring}` : ""].filter(Boolean).join(" ");
    const known = members.map((stack) => `${stack.name} (ring ${stack.ring})`).join(", ") || "none (no stack file says fleet: true)";
    throw new InputError(`no fleet stack matches ${wanted || "the project"}; fleet stacks: ${known}`);
  }
  return selected;
}
