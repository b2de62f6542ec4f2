/**
 * The fleet's stacks: one `Pulumi.<stack>.yaml` per tenant and environment in the project directory, read
 * for what the fleet command needs before any engine runs (ring, tenant, clusters, image). The stack files
 * are the fleet's source of truth because the program's config lives there; the backend's stack list only
 * says which of them have been deployed (see stackRunner.ts).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, matchesGlob } from "node:path";
import { parse } from "yaml";
import { ConfigError, CONFIG_NAMESPACE, InputError, type ConfigProblem } from "../config/errors.js";
import { DEFAULT_RING, ringSchema } from "../config/schema.js";
import { DEFAULT_IMAGE } from "../config/versions.js";

export interface FleetStack {
  /** The Pulumi stack name (`Pulumi.<name>.yaml`). */
  name: string;
  ring: number;
  tenant?: string;
  environment?: string;
  /** The stack's cluster names, in config order: the report shows a cell for each even before a first deploy. */
  clusters: string[];
  /** The stack's `gateway.image` (the program's pinned default when unset). */
  image: string;
  /** Clusters whose `overrides.image` pins their own image, which a fleet-wide `--image` would not reach. */
  clustersPinningImage: string[];
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

/** One stack file's fleet facts. Only keys the fleet needs are read; the program validates the rest on `up`. */
export function readStackFile(name: string, text: string): FleetStack {
  const document = (parse(text) ?? {}) as { config?: Record<string, unknown> };
  const config = document.config ?? {};
  const key = (bare: string) => config[`${CONFIG_NAMESPACE}:${bare}`];
  const ring = ringSchema.default(DEFAULT_RING).safeParse(asPulumiScalar(key("ring")));
  if (!ring.success) throw new ConfigError(ring.error.issues.map((issue) => ({ path: `${CONFIG_NAMESPACE}:ring`, message: issue.message })));
  const clusters = Array.isArray(key("clusters")) ? (key("clusters") as unknown[]) : [];
  const gatewayValue = key("gateway");
  const gateway = isRecord(gatewayValue) ? gatewayValue : {};
  return {
    name,
    ring: ring.data,
    ...(typeof key("tenant") === "string" ? { tenant: key("tenant") as string } : {}),
    ...(typeof key("environment") === "string" ? { environment: key("environment") as string } : {}),
    clusters: clusters.flatMap((cluster) => (isRecord(cluster) && typeof cluster.name === "string" ? [cluster.name] : [])),
    image: typeof gateway.image === "string" ? gateway.image : DEFAULT_IMAGE,
    clustersPinningImage: clusters.flatMap((cluster) =>
      isRecord(cluster) && typeof cluster.name === "string" && isRecord(cluster.overrides) && cluster.overrides.image !== undefined ? [cluster.name] : [],
    ),
  };
}

export interface StackFilter {
  /** A glob over stack names (`acme-*`, `*-prod`). */
  stacks?: string;
  ring?: number;
}

/** The stacks a fleet command acts on; none matching is an input error (a typo must not look like a no-op). */
export function selectStacks(stacks: readonly FleetStack[], filter: StackFilter): FleetStack[] {
  const selected = stacks.filter((stack) => (filter.stacks === undefined || matchesGlob(stack.name, filter.stacks)) && (filter.ring === undefined || stack.ring === filter.ring));
  if (selected.length === 0) {
    const wanted = [filter.stacks !== undefined ? `--stacks ${filter.stacks}` : "", filter.ring !== undefined ? `--ring ${filter.ring}` : ""].filter(Boolean).join(" ");
    const known = stacks.map((stack) => `${stack.name} (ring ${stack.ring})`).join(", ") || "none";
    throw new InputError(`no stack matches ${wanted || "the project"}; stacks: ${known}`);
  }
  return selected;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The program gets every config value as a string and JSON-parses it (config/load.ts), so `ring: "0"` is ring 0 there too. */
function asPulumiScalar(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
