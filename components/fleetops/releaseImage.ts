/**
 * `npm run fleet -- up --image X`: X is a release tag (`2026.9.7-slim`), rolled out on each stack's own image
 * repository (a tenant may pull from a mirror), or a full reference (`registry/repo:tag`, `...@sha256:...`)
 * used as it is.
 */
import { InputError } from "../config/errors.js";

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function isFullImageReference(release: string): boolean {
  return release.includes("/") || release.includes("@");
}

/** The image a stack runs after the release: `current`'s repository with the new tag, or the full reference. */
export function releaseImage(current: string, release: string): string {
  if (isFullImageReference(release)) return release;
  if (!TAG.test(release)) throw new InputError(`--image ${release}: not an image tag (letters, digits, '_', '.', '-'; at most 128) nor a full reference such as ghcr.io/openclaw/openclaw:2026.9.7-slim`);
  const withoutDigest = current.replace(/@sha256:[a-f0-9]{64}$/, "");
  const slash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.lastIndexOf(":");
  // A colon before the last slash is a registry port (localhost:5000/openclaw), not a tag.
  const repository = colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
  return `${repository}:${release}`;
}
