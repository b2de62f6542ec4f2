import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectDir } from "../../components/automation/localPulumi.js";
import { gatewaySettingsSchema, stackConfigSchema } from "../../components/config/schema.js";
import { ENVIRONMENT_GATEWAY_KEYS, ENVIRONMENT_STACK_KEYS, RELEASE_KEYS, releaseKeyName, STACK_RELEASE_KEYS } from "../../components/releases/releaseKeys.js";

describe("release keys and environment keys", () => {
  const release = RELEASE_KEYS.map((key) => key.path);

  it("classify every gateway setting exactly once", () => {
    const all = [...release, ...ENVIRONMENT_GATEWAY_KEYS];
    assert.deepEqual([...all].sort(), Object.keys(gatewaySettingsSchema.shape).sort());
    assert.equal(new Set(all).size, all.length, "a key is both a release and an environment key");
  });

  it("classify every top-level stack key: gateway is split, the rest belong to the environment", () => {
    assert.deepEqual([...ENVIRONMENT_STACK_KEYS, ...STACK_RELEASE_KEYS.map((key) => key.path), "gateway"].sort(), Object.keys(stackConfigSchema.shape).sort());
  });

  it("make the image, its command and the app team's config the release", () => {
    assert.deepEqual(release, ["image", "command", "config"]);
    assert.equal(RELEASE_KEYS.find((key) => key.path === "config")?.shown, "contentHash");
  });

  it("are listed in docs/releases.md as the module lists them", () => {
    const page = readFileSync(join(projectDir, "docs/releases.md"), "utf8");
    const section = (heading: string) => {
      const start = page.indexOf(heading);
      assert.ok(start !== -1, `docs/releases.md has no "${heading}"`);
      const rest = page.slice(start + heading.length);
      return rest.slice(0, rest.search(/\n#+ /) === -1 ? undefined : rest.search(/\n#+ /));
    };
    const keysIn = (text: string) => [...text.matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1]);
    assert.deepEqual(keysIn(section("### Release keys")), [...RELEASE_KEYS, ...STACK_RELEASE_KEYS].map(releaseKeyName));
    assert.deepEqual(
      keysIn(section("### Environment keys")).sort(),
      [...ENVIRONMENT_STACK_KEYS, ...ENVIRONMENT_GATEWAY_KEYS.map((key) => `gateway.${key}`)].sort(),
    );
  });
});
