import { shellCommand } from "./shell.js";

/**
 * Shell lines that set `starting` to the OpenClaw version the image runs, from its own answer (`openclaw
 * --version`), never the tag: prod may pin a digest and a moving tag changes version under one name. Needs
 * `fail` (strictScript). Shared by the backup and restore init containers, which must agree on the version an
 * archive name carries.
 */
export function imageVersionLines(cli: readonly string[]): string {
  const openclaw = shellCommand(cli);
  return `version_output=$(${openclaw} --version) || fail "could not ask the image for its version (openclaw --version failed; is gateway.command right for this image?)"
starting=$(printf '%s\\n' "$version_output" | sed -n 's/^OpenClaw \\([0-9][0-9A-Za-z.+-]*\\).*$/\\1/p' | head -n 1)
[ -n "$starting" ] || fail "could not read a version from the image's answer: $version_output"`;
}
