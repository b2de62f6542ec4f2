import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertEngineComplete, REQUIRED_PLUGINS } from "../../components/automation/localPulumi.js";

describe("local Pulumi engine check", () => {
  let bin: string;
  beforeEach(() => (bin = mkdtempSync(join(tmpdir(), "pulumi-bin-"))));
  afterEach(() => rmSync(bin, { recursive: true, force: true }));

  it("names every plugin missing beside the CLI and on PATH", () => {
    writeFileSync(join(bin, "pulumi-resource-random"), "");
    assert.throws(() => assertEngineComplete(bin, []), /incomplete: pulumi-language-nodejs, pulumi-resource-kubernetes not found/);
  });
  it("accepts plugins found beside the CLI or on PATH", () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "plugins-"));
    try {
      writeFileSync(join(bin, REQUIRED_PLUGINS[0]!), "");
      for (const plugin of REQUIRED_PLUGINS.slice(1)) writeFileSync(join(elsewhere, plugin), "");
      assert.doesNotThrow(() => assertEngineComplete(bin, [elsewhere]));
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
