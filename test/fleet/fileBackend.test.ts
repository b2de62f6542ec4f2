import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { restoreCheckpointBackup } from "../../components/automation/fileBackend.js";

describe("file backend checkpoint cut off by a killed engine", () => {
  let dir: string;
  let stacks: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "state-"));
    stacks = join(dir, ".pulumi", "stacks", "openclaw-fleet");
    mkdirSync(stacks, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("puts the previous checkpoint back and keeps the broken one aside", () => {
    writeFileSync(join(stacks, "dev.json"), "");
    writeFileSync(join(stacks, "dev.json.bak"), '{"version":3}');
    writeFileSync(join(stacks, "dev.json.bak.attrs"), '{"md5":"x"}');
    assert.equal(restoreCheckpointBackup(`${pathToFileURL(dir).href}?no_tmp_dir=true`, "openclaw-fleet", "dev"), true);
    assert.equal(readFileSync(join(stacks, "dev.json"), "utf8"), '{"version":3}');
    assert.equal(readFileSync(join(stacks, "dev.json.attrs"), "utf8"), '{"md5":"x"}');
    assert.equal(readdirSync(stacks).filter((name) => name.startsWith("dev.json.broken-")).length, 1);
  });
  it("does nothing for another backend or without a backup", () => {
    assert.equal(restoreCheckpointBackup("https://api.pulumi.com", "openclaw-fleet", "dev"), false);
    writeFileSync(join(stacks, "dev.json"), "");
    assert.equal(restoreCheckpointBackup(pathToFileURL(dir).href, "openclaw-fleet", "dev"), false);
    assert.ok(existsSync(join(stacks, "dev.json")));
  });
});
