import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../../components/config/errors.js";
import { policyPackDir, POLICY_CHECKED_COMMANDS } from "../../components/fleetops/policyPack.js";

describe("fleet policy pack", () => {
  let root: string;
  let installed: string[];
  const installDependencies = (dir: string) => void installed.push(dir);
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "policy-pack-"));
    installed = [];
    mkdirSync(join(root, "project", "policy"), { recursive: true });
    writeFileSync(join(root, "project", "policy", "PulumiPolicy.yaml"), "runtime: nodejs\n");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("runs on preview and up, the commands the engine analyses", () => {
    assert.deepEqual([...POLICY_CHECKED_COMMANDS].sort(), ["preview", "up"]);
  });

  it("is the repository's policy/ by default, its dependencies installed first", () => {
    const project = join(root, "project");
    assert.equal(policyPackDir({ projectDir: project, installDependencies }), join(project, "policy"));
    assert.deepEqual(installed, [join(project, "policy")]);
  });

  it("takes another pack relative to the working directory, when it is a pack with its dependencies", () => {
    const other = join(root, "org-policies");
    mkdirSync(join(other, "node_modules"), { recursive: true });
    writeFileSync(join(other, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    assert.equal(policyPackDir({ projectDir: join(root, "project"), given: "org-policies", cwd: root, installDependencies }), other);
    assert.deepEqual(installed, []);
  });

  it("refuses a folder that is no pack, or a pack whose dependencies are missing, naming it", () => {
    const project = join(root, "project");
    assert.throws(() => policyPackDir({ projectDir: project, given: "nowhere", cwd: root, installDependencies }), (error: unknown) => error instanceof InputError && /--policy-pack nowhere: .*nowhere is not a Pulumi policy pack \(no PulumiPolicy\.yaml in it\)/.test(error.message));
    const bare = join(root, "bare-pack");
    mkdirSync(bare);
    writeFileSync(join(bare, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    assert.throws(() => policyPackDir({ projectDir: project, given: bare, installDependencies }), (error: unknown) => error instanceof InputError && /its dependencies are not installed .*run npm ci there first/.test(error.message));
  });
});
