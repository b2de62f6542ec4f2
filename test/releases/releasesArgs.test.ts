import assert from "node:assert/strict";
import { InputError } from "../../components/config/errors.js";
import { parseReleasesArgs } from "../../components/releases/releasesArgs.js";

describe("npm run fleet -- releases arguments", () => {
  it("takes the stack filter, a mirror registry, pre-releases and JSON output", () => {
    assert.deepEqual(parseReleasesArgs([]), { preReleases: false, json: false });
    assert.deepEqual(parseReleasesArgs(["--stacks", "*-prod", "--ring", "0", "--registry", "mirror.example.com:5000", "--pre-releases", "--json"]), {
      stacks: "*-prod",
      ring: 0,
      registry: "mirror.example.com:5000",
      preReleases: true,
      json: true,
    });
  });

  it("refuses what it cannot use, naming the argument", () => {
    assert.throws(() => parseReleasesArgs(["--registry", "https://ghcr.io"]), (error: Error) => error instanceof InputError && /--registry https:\/\/ghcr\.io: must be a registry host/.test(error.message));
    assert.throws(() => parseReleasesArgs(["--registry", "ghcr.io/openclaw"]), InputError);
    assert.throws(() => parseReleasesArgs(["--ring", "one"]), /--ring one: must be a whole number/);
    assert.throws(() => parseReleasesArgs(["--image", "2026.9.7"]), /Unknown option '--image'/);
    assert.throws(() => parseReleasesArgs(["--json", "out.json"]), /unexpected argument out\.json \(--json takes no FILE for releases/);
  });
});
