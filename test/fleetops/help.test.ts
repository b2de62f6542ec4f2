import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { projectDir } from "../../components/automation/localPulumi.js";
import { parseRecoverArgs, RECOVER_HELP } from "../../components/automation/recoverArgs.js";
import { InputError } from "../../components/config/errors.js";
import { FLEET_HELP, wantsHelp } from "../../components/fleetops/cliArgs.js";
import { FLEET_COMMANDS } from "../../components/fleetops/stackRunner.js";

/** A script of the project run as `npm run <script> -- ARGS` runs it (node with tsx), without npm's own banner. */
function runScript(script: string, args: string[]) {
  const result = spawnSync(process.execPath, ["--import", "tsx", join(projectDir, "scripts", script), ...args], { cwd: projectDir, encoding: "utf8", timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run fleet -- --help", function () {
  this.timeout(120_000);

  it("prints the usage with every command, every option and an example, and exits 0", () => {
    for (const flag of ["--help", "-h"]) {
      const { code, stdout, stderr } = runScript("fleet.ts", [flag]);
      assert.equal(code, 0, stderr);
      assert.equal(stdout.trim(), FLEET_HELP);
    }
    for (const command of [...FLEET_COMMANDS, "releases"]) assert.match(FLEET_HELP, new RegExp(`^  ${command}\\s+\\S`, "m"), `command ${command}`);
    for (const option of ["--stacks GLOB", "--ring N", "--concurrency K", "--image TAG", "--policy-pack DIR", "--secrets-provider URL", "--json FILE", "--html FILE", "--registry HOST", "--pre-releases", "-h, --help"]) {
      assert.match(FLEET_HELP, new RegExp(`^  ${option.replace(/[-]/g, "\\-")}\\s`, "m"), `option ${option}`);
    }
    assert.match(FLEET_HELP, /^Examples:\n  npm run fleet -- \w+/m);
  });

  it("lists exactly the options the parser takes", () => {
    const listed = [...FLEET_HELP.matchAll(/^ {2}(?:-h, )?--([a-z-]+)/gm)].map((match) => match[1]).sort();
    assert.deepEqual(listed, ["concurrency", "help", "html", "image", "json", "policy-pack", "pre-releases", "registry", "ring", "rollback-attempts", "rollback-on-failure", "secrets-provider", "stacks"]);
  });

  it("answers help whatever else is on the line, and only before a `--`", () => {
    assert.ok(wantsHelp(["up", "--help"]));
    assert.ok(wantsHelp(["--colour", "-h"]));
    assert.ok(wantsHelp(["help"]));
    assert.ok(!wantsHelp(["up", "--stacks", "acme-*"]));
    assert.ok(!wantsHelp(["up", "--", "--help"]));
  });

  it("still refuses an unknown option with exit 2, pointing at --help", () => {
    const { code, stderr } = runScript("fleet.ts", ["up", "--colour"]);
    assert.equal(code, 2);
    assert.match(stderr, /Unknown option '--colour'/);
    assert.match(stderr, /npm run fleet -- --help/);
  });
});

describe("npm run recover -- --help", function () {
  this.timeout(120_000);

  it("prints the usage, the option and an example, and exits 0", () => {
    for (const flag of ["--help", "-h"]) {
      const { code, stdout, stderr } = runScript("recover.ts", [flag]);
      assert.equal(code, 0, stderr);
      assert.equal(stdout.trim(), RECOVER_HELP);
    }
    assert.match(RECOVER_HELP, /^ {2}--stack NAME\s/m);
    assert.match(RECOVER_HELP, /^Example:\n {2}npm run recover -- --stack \w+/m);
  });

  it("parses --stack, and refuses a missing stack or an unknown option as input errors (exit 2)", () => {
    assert.deepEqual(parseRecoverArgs(["--stack", "prod"]), { help: false, stack: "prod" });
    assert.deepEqual(parseRecoverArgs(["--stack", "prod", "--colour", "--help"]), { help: true });
    assert.throws(() => parseRecoverArgs([]), (error: unknown) => error instanceof InputError && /--stack NAME is required/.test(error.message));
    assert.throws(() => parseRecoverArgs(["--stak", "prod"]), (error: unknown) => error instanceof InputError && /Unknown option '--stak'/.test(error.message));
    const { code, stderr } = runScript("recover.ts", []);
    assert.equal(code, 2);
    assert.match(stderr, /--stack NAME is required\nusage: npm run recover -- --stack NAME/);
  });
});
