import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../../components/config/errors.js";
import { parseChallenge, registryCredentials } from "../../components/releases/registryAuth.js";

describe("registry credentials and challenges", () => {
  it("reads credentials from the environment, or the password from a file (a mounted secret)", () => {
    assert.equal(registryCredentials({}), undefined);
    assert.deepEqual(registryCredentials({ OPENCLAW_FLEET_REGISTRY_USERNAME: "ci", OPENCLAW_FLEET_REGISTRY_PASSWORD: "pw" }), { username: "ci", password: "pw" });
    const dir = mkdtempSync(join(tmpdir(), "registry-auth-"));
    try {
      writeFileSync(join(dir, "password"), "from-file\n");
      assert.deepEqual(registryCredentials({ OPENCLAW_FLEET_REGISTRY_USERNAME: "ci", OPENCLAW_FLEET_REGISTRY_PASSWORD_FILE: join(dir, "password") }), { username: "ci", password: "from-file" });
      assert.throws(() => registryCredentials({ OPENCLAW_FLEET_REGISTRY_USERNAME: "ci", OPENCLAW_FLEET_REGISTRY_PASSWORD_FILE: join(dir, "missing") }), /OPENCLAW_FLEET_REGISTRY_PASSWORD_FILE .*missing: cannot be read \(ENOENT\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses half of them, naming the variables and never the value", () => {
    assert.throws(() => registryCredentials({ OPENCLAW_FLEET_REGISTRY_PASSWORD: "secret-value" }), (error: Error) => error instanceof InputError && /OPENCLAW_FLEET_REGISTRY_USERNAME is not/.test(error.message) && !error.message.includes("secret-value"));
    assert.throws(() => registryCredentials({ OPENCLAW_FLEET_REGISTRY_USERNAME: "ci" }), /OPENCLAW_FLEET_REGISTRY_USERNAME is set but no password/);
    assert.throws(() => registryCredentials({ OPENCLAW_FLEET_REGISTRY_USERNAME: "ci", OPENCLAW_FLEET_REGISTRY_PASSWORD: "a", OPENCLAW_FLEET_REGISTRY_PASSWORD_FILE: "/x" }), /both set/);
  });

  it("parses WWW-Authenticate challenges (quoted values with commas, bare tokens, any case)", () => {
    assert.deepEqual(parseChallenge('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:openclaw/openclaw:pull,push"'), {
      scheme: "bearer",
      params: { realm: "https://ghcr.io/token", service: "ghcr.io", scope: "repository:openclaw/openclaw:pull,push" },
    });
    assert.deepEqual(parseChallenge('Basic realm="Registry Realm"'), { scheme: "basic", params: { realm: "Registry Realm" } });
    assert.deepEqual(parseChallenge("bearer realm=https://x/token, service=x"), { scheme: "bearer", params: { realm: "https://x/token", service: "x" } });
    assert.equal(parseChallenge(null), undefined);
  });
});
