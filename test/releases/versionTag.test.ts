import assert from "node:assert/strict";
import { compareVersions, newerVersions, parseVersionTag, type VersionTag } from "../../components/releases/versionTag.js";

const version = (tag: string): VersionTag => {
  const parsed = parseVersionTag(tag);
  assert.ok(parsed, `${tag} parses`);
  return parsed;
};
const sorted = (tags: string[]) => [...tags].map(version).sort(compareVersions).map((each) => each.tag);

describe("OpenClaw version tags", () => {
  describe("parsing", () => {
    it("reads the date version, the pre-release and the variant apart", () => {
      assert.deepEqual(version("2026.9.6"), { tag: "2026.9.6", core: [2026, 9, 6], preRelease: [], variant: "" });
      assert.deepEqual(version("2026.9.6-slim"), { tag: "2026.9.6-slim", core: [2026, 9, 6], preRelease: [], variant: "slim" });
      assert.deepEqual(version("2026.10.0-beta.1"), { tag: "2026.10.0-beta.1", core: [2026, 10, 0], preRelease: ["beta", "1"], variant: "" });
      assert.deepEqual(version("2026.10.0-beta.1-slim"), { tag: "2026.10.0-beta.1-slim", core: [2026, 10, 0], preRelease: ["beta", "1"], variant: "slim" });
      assert.equal(version("2026.10.0-rc.2-browser").variant, "browser");
    });

    it("refuses moving tags and anything else that is not a version", () => {
      for (const tag of ["latest", "main", "slim", "extended-stable", "latest-slim", "2026.9", "v2026.9.6", "2026.9.6-", "2026.9.6--slim", "2026.9.6-beta..1", "sha256-abc.sig"]) {
        assert.equal(parseVersionTag(tag), undefined, tag);
      }
    });
  });

  describe("order", () => {
    it("compares the date parts as numbers, not strings", () => {
      assert.deepEqual(sorted(["2026.10.1", "2026.9.10", "2026.9.6", "2027.1.0", "2026.9.7"]), ["2026.9.6", "2026.9.7", "2026.9.10", "2026.10.1", "2027.1.0"]);
    });

    it("puts a pre-release before its release and after the previous release, numbered identifiers as numbers", () => {
      assert.deepEqual(sorted(["2026.10.0", "2026.10.0-beta.10", "2026.9.30", "2026.10.0-beta.2", "2026.10.0-alpha.1", "2026.10.0-rc.1"]), [
        "2026.9.30",
        "2026.10.0-alpha.1",
        "2026.10.0-beta.2",
        "2026.10.0-beta.10",
        "2026.10.0-rc.1",
        "2026.10.0",
      ]);
    });

    it("ranks a shorter pre-release before a longer one with the same start (semver)", () => {
      assert.ok(compareVersions(version("2026.10.0-beta"), version("2026.10.0-beta.1")) < 0);
      assert.equal(compareVersions(version("2026.10.0-beta.1"), version("2026.10.0-beta.1-slim")), 0, "the variant is not part of the order");
    });
  });

  describe("newer versions offered", () => {
    const registry = [
      "latest",
      "slim",
      "2026.9.5-slim",
      "2026.9.6-slim",
      "2026.9.7-slim",
      "2026.9.10-slim",
      "2026.10.0-beta.1-slim",
      "2026.10.1-slim",
      "2026.10.0",
      "2026.10.1",
      "2026.10.1-browser",
    ];
    const offered = (running: string, options = {}) => newerVersions(version(running), registry, options).map((each) => each.tag);

    it("offers a -slim fleet -slim tags only, newest first, none older or equal", () => {
      assert.deepEqual(offered("2026.9.6-slim"), ["2026.10.1-slim", "2026.9.10-slim", "2026.9.7-slim"]);
    });

    it("offers the plain image's fleet plain tags only (not -slim, not -browser)", () => {
      assert.deepEqual(offered("2026.9.6"), ["2026.10.1", "2026.10.0"]);
      assert.deepEqual(offered("2026.10.0-browser"), ["2026.10.1-browser"]);
    });

    it("leaves pre-releases out unless asked for, or already run", () => {
      assert.deepEqual(offered("2026.9.10-slim"), ["2026.10.1-slim"]);
      assert.deepEqual(offered("2026.9.10-slim", { preReleases: true }), ["2026.10.1-slim", "2026.10.0-beta.1-slim"]);
      assert.deepEqual(offered("2026.10.0-alpha.3-slim"), ["2026.10.1-slim", "2026.10.0-beta.1-slim"]);
    });

    it("offers nothing to a fleet on the newest version", () => {
      assert.deepEqual(offered("2026.10.1-slim"), []);
    });
  });
});
