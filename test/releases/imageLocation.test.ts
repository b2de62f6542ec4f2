import assert from "node:assert/strict";
import { isLoopbackHost, parseImageLocation, registryBaseUrl } from "../../components/releases/imageLocation.js";

const DIGEST = `sha256:${"a".repeat(64)}`;

describe("image locations (where a reference's tags are listed)", () => {
  it("splits registry, repository, tag and digest", () => {
    assert.deepEqual(parseImageLocation("ghcr.io/openclaw/openclaw:2026.9.6-slim"), { registry: "ghcr.io", repository: "openclaw/openclaw", tag: "2026.9.6-slim" });
    assert.deepEqual(parseImageLocation(`ghcr.io/openclaw/openclaw:2026.9.6@${DIGEST}`), { registry: "ghcr.io", repository: "openclaw/openclaw", tag: "2026.9.6", digest: DIGEST });
    assert.deepEqual(parseImageLocation(`ghcr.io/openclaw/openclaw@${DIGEST}`), { registry: "ghcr.io", repository: "openclaw/openclaw", digest: DIGEST });
  });

  it("reads a port as part of the registry, not as a tag", () => {
    assert.deepEqual(parseImageLocation("127.0.0.1:5000/openclaw/openclaw:2026.9.6"), { registry: "127.0.0.1:5000", repository: "openclaw/openclaw", tag: "2026.9.6" });
    assert.deepEqual(parseImageLocation("localhost:5000/openclaw"), { registry: "localhost:5000", repository: "openclaw" });
    assert.deepEqual(parseImageLocation("localhost/openclaw:1"), { registry: "localhost", repository: "openclaw", tag: "1" });
  });

  it("gives short names Docker Hub's defaults", () => {
    assert.deepEqual(parseImageLocation("openclaw/openclaw:2026.9.6"), { registry: "docker.io", repository: "openclaw/openclaw", tag: "2026.9.6" });
    assert.deepEqual(parseImageLocation("nginx:1"), { registry: "docker.io", repository: "library/nginx", tag: "1" });
    assert.equal(registryBaseUrl("docker.io"), "https://registry-1.docker.io");
  });

  it("speaks plain HTTP to loopback registries only", () => {
    assert.equal(registryBaseUrl("127.0.0.1:5000"), "http://127.0.0.1:5000");
    assert.equal(registryBaseUrl("localhost:5000"), "http://localhost:5000");
    assert.equal(registryBaseUrl("[::1]:5000"), "http://[::1]:5000");
    assert.equal(registryBaseUrl("ghcr.io"), "https://ghcr.io");
    assert.equal(registryBaseUrl("registry.local:5000"), "https://registry.local:5000");
    assert.ok(!isLoopbackHost("127.example.com"));
  });
});
