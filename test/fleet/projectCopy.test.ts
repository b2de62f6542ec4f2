import assert from "node:assert/strict";
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { projectCopy } from "../../components/automation/projectCopy.js";

describe("project copy for the engine to write into", () => {
  let root: string;
  let project: string;
  let copy: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "project-copy-"));
    project = join(root, "project");
    copy = join(root, "cache", "demo-project");
    mkdirSync(join(project, "components"), { recursive: true });
    writeFileSync(join(project, "Pulumi.yaml"), "name: openclaw-fleet\n");
    writeFileSync(join(project, "index.ts"), "export {};\n");
    writeFileSync(join(project, "Pulumi.local.yaml"), "config:\n  openclaw-fleet:tenant: local\n");
    writeFileSync(join(project, "Pulumi.prod.yaml"), "config:\n  openclaw-fleet:tenant: acme\n");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("links the program and holds its own copy of the one stack file", () => {
    projectCopy(project, copy, "local");
    assert.ok(lstatSync(join(copy, "index.ts")).isSymbolicLink());
    assert.equal(realpathSync(join(copy, "components")), realpathSync(join(project, "components")));
    assert.ok(!lstatSync(join(copy, "Pulumi.local.yaml")).isSymbolicLink());
    assert.throws(() => lstatSync(join(copy, "Pulumi.prod.yaml")), /ENOENT/);
  });

  it("leaves the tracked stack file as it was when the engine writes into the copy, and keeps the engine's salt across runs", () => {
    const tracked = readFileSync(join(project, "Pulumi.local.yaml"), "utf8");
    projectCopy(project, copy, "local");
    // What the CLI does on `stack init` with a passphrase: the salt beside the config, the file re-serialised.
    writeFileSync(join(copy, "Pulumi.local.yaml"), "encryptionsalt: v1:abc:def\nconfig:\n  openclaw-fleet:tenant: local\n");
    assert.equal(readFileSync(join(project, "Pulumi.local.yaml"), "utf8"), tracked);

    // The next run takes the tracked file's (new) config and keeps the salt.
    writeFileSync(join(project, "Pulumi.local.yaml"), "config:\n  openclaw-fleet:tenant: renamed\n");
    projectCopy(project, copy, "local");
    assert.deepEqual(parse(readFileSync(join(copy, "Pulumi.local.yaml"), "utf8")), { encryptionsalt: "v1:abc:def", config: { "openclaw-fleet:tenant": "renamed" } });
  });
});
