import assert from "node:assert/strict";
import { releaseImage } from "../../components/fleetops/releaseImage.js";

describe("release image", () => {
  it("puts a release tag on the stack's own repository, replacing its tag or digest", () => {
    assert.equal(releaseImage("ghcr.io/openclaw/openclaw:2026.9.6-slim", "2026.9.7-slim"), "ghcr.io/openclaw/openclaw:2026.9.7-slim");
    assert.equal(releaseImage(`mirror.example.com/openclaw@sha256:${"a".repeat(64)}`, "2026.9.7"), "mirror.example.com/openclaw:2026.9.7");
    assert.equal(releaseImage("localhost:5000/openclaw", "2026.9.7"), "localhost:5000/openclaw:2026.9.7");
  });
  it("takes a full reference as it is", () => {
    assert.equal(releaseImage("ghcr.io/openclaw/openclaw:2026.9.6", "registry.example.com/oc/openclaw:2026.9.7"), "registry.example.com/oc/openclaw:2026.9.7");
  });
  it("refuses what is neither a tag nor a reference", () => {
    assert.throws(() => releaseImage("ghcr.io/openclaw/openclaw:1", "bad tag!"), /--image bad tag!: not an image tag/);
  });
});
