import assert from "node:assert/strict";
import { InputError } from "../../components/config/errors.js";
import { parsePromoteArgs, PROMOTE_HELP, wantsPromoteHelp } from "../../components/promotion/promoteArgs.js";

describe("npm run promote arguments", () => {
  it("takes --from, --to, --stacks and --dry-run", () => {
    assert.deepEqual(parsePromoteArgs(["--from", "dev", "--to", "stage"]), { from: "dev", to: "stage", dryRun: false });
    assert.deepEqual(parsePromoteArgs(["--from", "stage", "--to", "prod", "--stacks", "acme-*", "--dry-run"]), { from: "stage", to: "prod", stacks: "acme-*", dryRun: true });
  });

  it("refuses the same environment, naming the order", () => {
    assert.throws(() => parsePromoteArgs(["--from", "stage", "--to", "stage"]), (error: Error) => error instanceof InputError && /the same environment; .*dev -> stage -> prod/.test(error.message));
  });

  it("refuses an unknown environment, naming the known ones", () => {
    assert.throws(() => parsePromoteArgs(["--from", "dev", "--to", "staging"]), (error: Error) => error instanceof InputError && /--to staging: unknown environment; the environments are dev -> stage -> prod/.test(error.message));
    assert.throws(() => parsePromoteArgs(["--from", "qa", "--to", "prod"]), /--from qa: unknown environment/);
  });

  it("refuses a promotion backwards, missing environments and unknown options", () => {
    assert.throws(() => parsePromoteArgs(["--from", "prod", "--to", "dev"]), /not back/);
    assert.throws(() => parsePromoteArgs(["--to", "stage"]), /--from is required/);
    assert.throws(() => parsePromoteArgs(["--from", "dev", "--to", "stage", "--image", "x"]), (error: Error) => error instanceof InputError && /--image/.test(error.message));
  });

  it("has a help that names every option, the pairing and the exit codes", () => {
    assert.ok(wantsPromoteHelp(["--from", "dev", "-h"]) && !wantsPromoteHelp(["--from", "dev"]));
    for (const text of ["--from", "--to", "--stacks", "--dry-run", "<tenant>-<from> -> <tenant>-<to>", "Exit: 0", "1 a source stack failed a gate", "2 bad input"]) assert.ok(PROMOTE_HELP.includes(text), text);
  });
});
