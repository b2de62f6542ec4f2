/**
 * OpenClaw's version tags and their order. The versions are dates (`2026.9.6`, `2026.10.1`) compared as semver
 * numbers, not strings (`2026.10.1` is newer than `2026.9.10`); a pre-release (`2026.10.0-beta.1`) comes before its
 * release; a variant (`-slim`, `-browser`) is a different image, never an upgrade of another variant
 * (openclaw-facts.md: tag forms). Anything else the registry holds (`latest`, `main`, `slim`) is not a version.
 */

export interface VersionTag {
  tag: string;
  /** major.minor.patch: OpenClaw's year, month and day-of-release numbers. */
  core: readonly [number, number, number];
  /** The pre-release identifiers (`beta.1` -> ["beta", "1"]), empty for a release. */
  preRelease: readonly string[];
  /** The variant (`slim`, `browser`), "" for the plain image. */
  variant: string;
}

const VERSION = /^(\d+)\.(\d+)\.(\d+)((?:-[0-9A-Za-z.]+)*)$/;
// The pre-release labels OpenClaw and semver tools use; whatever else follows a `-` names a variant.
const PRE_RELEASE = /^(?:alpha|beta|rc|pre)(?:\.[0-9A-Za-z]+)*$/i;

/** The tag as a version, or undefined for a tag that is not one (a moving tag, a commit, a digest-like tag). */
export function parseVersionTag(tag: string): VersionTag | undefined {
  const match = VERSION.exec(tag);
  if (!match) return undefined;
  const parts = match[4] ? match[4].slice(1).split("-") : [];
  if (parts.some((part) => part === "" || part.split(".").includes(""))) return undefined;
  const preRelease = parts.length > 0 && PRE_RELEASE.test(parts[0]!) ? parts.shift()!.split(".") : [];
  return {
    tag,
    core: [Number(match[1]), Number(match[2]), Number(match[3])],
    preRelease,
    variant: parts.join("-"),
  };
}

function compareIdentifiers(a: string, b: string): number {
  const numericA = /^\d+$/.test(a);
  const numericB = /^\d+$/.test(b);
  if (numericA && numericB) return Number(a) - Number(b);
  // semver: numeric identifiers sort before alphanumeric ones.
  if (numericA !== numericB) return numericA ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Semver precedence of two versions (variants are not compared: see `sameVariant`). */
export function compareVersions(a: VersionTag, b: VersionTag): number {
  for (let i = 0; i < 3; i++) if (a.core[i] !== b.core[i]) return a.core[i]! - b.core[i]!;
  if (a.preRelease.length === 0 || b.preRelease.length === 0) return b.preRelease.length - a.preRelease.length;
  for (let i = 0; i < Math.min(a.preRelease.length, b.preRelease.length); i++) {
    const order = compareIdentifiers(a.preRelease[i]!, b.preRelease[i]!);
    if (order !== 0) return order;
  }
  return a.preRelease.length - b.preRelease.length;
}

export interface NewerOptions {
  /** Offer pre-releases too (always when the running version is itself one: that fleet already takes them). */
  preReleases?: boolean;
}

/**
 * The registry's tags that are upgrades of `running`: versions of the same variant, newer than it, newest first.
 * A fleet on `-slim` is offered `-slim` tags only; pre-releases only when asked for or already run.
 */
export function newerVersions(running: VersionTag, tags: readonly string[], options: NewerOptions = {}): VersionTag[] {
  const withPreReleases = options.preReleases === true || running.preRelease.length > 0;
  return tags
    .map(parseVersionTag)
    .filter((candidate): candidate is VersionTag => candidate !== undefined)
    .filter((candidate) => candidate.variant === running.variant)
    .filter((candidate) => withPreReleases || candidate.preRelease.length === 0)
    .filter((candidate) => compareVersions(candidate, running) > 0)
    .sort((a, b) => compareVersions(b, a));
}
