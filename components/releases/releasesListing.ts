/**
 * `npm run fleet -- releases`: for each selected stack and each image it runs, the registry's newer versions of the
 * same variant. Each repository is listed once however many stacks use it; a registry failure names the stacks that
 * asked and the config that points there.
 */
import { CONFIG_NAMESPACE } from "../config/errors.js";
import type { FleetModel } from "../config/load.js";
import { parseImageLocation } from "./imageLocation.js";
import type { RegistryCredentials } from "./registryAuth.js";
import { runningImages, type ImageSource } from "./runningImages.js";
import { listTags, RegistryError, type RegistryErrorKind } from "./tagList.js";
import { newerVersions, parseVersionTag } from "./versionTag.js";

export interface ReleasesStack {
  name: string;
  ring: number;
  model: Pick<FleetModel, "gateways">;
  /** The backend's `gateways` output (undefined: not deployed, or no outputs). */
  gatewaysOutput: unknown;
}

export interface ReleasesOptions {
  /** `--registry HOST`: list tags there (a mirror) instead of the registry each image names. */
  registry?: string;
  preReleases?: boolean;
  credentials?: RegistryCredentials;
  fetch?: typeof fetch;
}

export interface ReleasesRow {
  stack: string;
  ring: number;
  clusters: string[];
  /** The image running (or, for a stack never deployed, configured). */
  image: string;
  source: ImageSource;
  /** The registry and repository listed. */
  registry: string;
  repository: string;
  /** The running version tag; undefined when the image is pinned by digest alone or by a tag that is not a version. */
  running?: string;
  variant?: string;
  /** Newer versions of the same variant, newest first. */
  newer: string[];
  /** Why no versions are compared for this row. */
  note?: string;
}

export interface ReleasesListing {
  rows: ReleasesRow[];
  /** One line per repository that could not be listed. */
  errors: { kind: RegistryErrorKind; message: string }[];
}

export async function listReleases(stacks: readonly ReleasesStack[], options: ReleasesOptions = {}): Promise<ReleasesListing> {
  const rows: ReleasesRow[] = [];
  for (const stack of stacks) {
    for (const running of runningImages(stack.model, stack.gatewaysOutput)) {
      const location = parseImageLocation(running.image);
      const version = location.tag !== undefined ? parseVersionTag(location.tag) : undefined;
      rows.push({
        stack: stack.name,
        ring: stack.ring,
        clusters: running.clusters,
        image: running.image,
        source: running.source,
        registry: options.registry ?? location.registry,
        repository: location.repository,
        ...(version ? { running: version.tag, variant: version.variant } : {}),
        newer: [],
        ...(version ? {} : { note: location.tag === undefined ? "pinned by digest only: no version to compare" : `tag ${location.tag} is not a version` }),
      });
    }
  }

  const repositories = new Map<string, { registry: string; repository: string; stacks: Set<string> }>();
  for (const row of rows.filter((each) => each.running !== undefined)) {
    const key = `${row.registry}/${row.repository}`;
    const entry = repositories.get(key) ?? { registry: row.registry, repository: row.repository, stacks: new Set<string>() };
    entry.stacks.add(row.stack);
    repositories.set(key, entry);
  }

  const errors: ReleasesListing["errors"] = [];
  const tagsByRepository = new Map<string, string[]>();
  await Promise.all(
    [...repositories].map(async ([key, entry]) => {
      try {
        tagsByRepository.set(key, await listTags(entry.registry, entry.repository, {
            ...(options.credentials ? { credentials: options.credentials } : {}),
            ...(options.fetch ? { fetch: options.fetch } : {}),
          }));
      } catch (error) {
        if (!(error instanceof RegistryError)) throw error;
        errors.push({ kind: error.kind, message: `${error.message}; asked by ${[...entry.stacks].join(", ")} (${whereToFix(error.kind, options)})` });
      }
    }),
  );

  for (const row of rows) {
    const tags = tagsByRepository.get(`${row.registry}/${row.repository}`);
    const running = row.running !== undefined ? parseVersionTag(row.running) : undefined;
    if (tags && running) row.newer = newerVersions(running, tags, options).map((version) => version.tag);
  }
  return { rows, errors: errors.sort((a, b) => a.message.localeCompare(b.message)) };
}

function whereToFix(kind: RegistryErrorKind, options: ReleasesOptions): string {
  const image = `${CONFIG_NAMESPACE}:gateway.image`;
  if (kind === "unauthorized") return `their ${image} names the repository`;
  return options.registry !== undefined ? `--registry ${options.registry}` : `their ${image}, or --registry HOST for a mirror`;
}
