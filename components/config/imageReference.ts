/**
 * What an image reference pins. OpenClaw publishes version tags (`2026.9.6`, `2026.9.6-beta.1`,
 * optionally `-slim`/`-browser`) and moving tags (`latest`, `main`, `slim`, `extended-stable`, and
 * their `-slim`/`-browser` variants). A moving tag with IfNotPresent never upgrades (openclaw PR #122477),
 * so production must pin a version or a digest.
 */
export type ImagePin = "digest" | "version" | "moving";

const DIGEST = /@sha256:[a-f0-9]{64}$/;
const VERSION_TAG = /^\d{4}\.\d{1,2}\.\d{1,2}(?:-beta\.\d+)?(?:-(?:slim|browser))?$/;

export function imageTag(image: string): string | undefined {
  const withoutDigest = image.replace(DIGEST, "");
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf("/") + 1);
  const colon = lastSegment.indexOf(":");
  return colon === -1 ? undefined : lastSegment.slice(colon + 1);
}

export function imagePin(image: string): ImagePin {
  if (DIGEST.test(image)) return "digest";
  const tag = imageTag(image);
  return tag !== undefined && VERSION_TAG.test(tag) ? "version" : "moving";
}

/** A moving tag must be pulled every time or the node keeps serving whatever it cached first. */
export function pullPolicyFor(image: string): "Always" | "IfNotPresent" {
  return imagePin(image) === "moving" ? "Always" : "IfNotPresent";
}
