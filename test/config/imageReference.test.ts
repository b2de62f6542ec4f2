import assert from "node:assert/strict";
import { imagePin, imageTag, pullPolicyFor } from "../../components/config/imageReference.js";

describe("image references", () => {
  it("recognises version tags, with variants and betas", () => {
    for (const image of ["ghcr.io/openclaw/openclaw:2026.9.6", "ghcr.io/openclaw/openclaw:2026.9.6-slim", "openclaw/openclaw:2026.2.26-beta.1-browser"]) {
      assert.equal(imagePin(image), "version", image);
    }
  });
  it("treats the documented moving tags and untagged images as moving", () => {
    for (const image of ["ghcr.io/openclaw/openclaw", "ghcr.io/openclaw/openclaw:latest", "ghcr.io/openclaw/openclaw:main", "ghcr.io/openclaw/openclaw:slim", "ghcr.io/openclaw/openclaw:extended-stable", "ghcr.io/openclaw/openclaw:main-slim", "ghcr.io/openclaw/openclaw:latest-browser"]) {
      assert.equal(imagePin(image), "moving", image);
    }
  });
  it("accepts a digest whatever the tag", () => {
    assert.equal(imagePin(`ghcr.io/openclaw/openclaw:latest@sha256:${"a".repeat(64)}`), "digest");
    assert.equal(imagePin(`ghcr.io/openclaw/openclaw@sha256:${"b".repeat(64)}`), "digest");
  });
  it("does not mistake a registry port for a tag", () => {
    assert.equal(imageTag("registry.local:5000/openclaw"), undefined);
    assert.equal(imageTag("registry.local:5000/openclaw:2026.9.6"), "2026.9.6");
  });
  it("pulls moving tags every time and pinned ones once", () => {
    assert.equal(pullPolicyFor("ghcr.io/openclaw/openclaw:latest"), "Always");
    assert.equal(pullPolicyFor("ghcr.io/openclaw/openclaw:2026.9.6-slim"), "IfNotPresent");
  });
});
