import assert from "node:assert/strict";
import { InputError } from "../../components/config/errors.js";
import { parseFleetArgs } from "../../components/fleetops/cliArgs.js";

describe("npm run fleet arguments", () => {
  it("takes a command with its filters and defaults concurrency to 4 and the report files to the current directory", () => {
    assert.deepEqual(parseFleetArgs(["up", "--stacks", "acme-*", "--ring", "0", "--image", "2026.9.7-slim"]), {
      command: "up",
      stacks: "acme-*",
      ring: 0,
      concurrency: 4,
      image: "2026.9.7-slim",
      html: "fleet-report.html",
      json: "fleet-report.json",
    });
    assert.equal(parseFleetArgs(["status", "--concurrency", "8", "--html", "/tmp/x.html"]).html, "/tmp/x.html");
  });
  it("takes another policy pack for preview and up, and a key service for new stacks", () => {
    assert.equal(parseFleetArgs(["preview", "--policy-pack", "../org-policies"]).policyPack, "../org-policies");
    assert.equal(parseFleetArgs(["up", "--secrets-provider", "awskms://alias/fleet"]).secretsProvider, "awskms://alias/fleet");
  });
  it("takes --rollback-on-failure with a release, with 2 attempts unless told", () => {
    assert.equal(parseFleetArgs(["up", "--image", "2026.9.7", "--rollback-on-failure"]).rollbackAttempts, 2);
    assert.equal(parseFleetArgs(["up", "--image", "2026.9.7", "--rollback-on-failure", "--rollback-attempts", "3"]).rollbackAttempts, 3);
    assert.equal(parseFleetArgs(["up", "--image", "2026.9.7"]).rollbackAttempts, undefined);
  });
  for (const [argv, message] of [
    [[], /a command is required/],
    [["deploy"], /unknown command deploy/],
    [["up", "extra"], /unexpected argument extra/],
    [["up", "--ring", "one"], /--ring one: must be a whole number >= 0/],
    [["up", "--concurrency", "0"], /--concurrency 0: must be a whole number >= 1/],
    [["status", "--image", "2026.9.7"], /--image is for up only/],
    [["up", "--colour"], /Unknown option '--colour'/],
    [["up", "--rollback-on-failure"], /--rollback-on-failure is for up --image/],
    [["up", "--image", "2026.9.7", "--rollback-attempts", "2"], /--rollback-attempts is for --rollback-on-failure/],
    [["up", "--image", "2026.9.7", "--rollback-on-failure", "--rollback-attempts", "0"], /--rollback-attempts 0: must be a whole number >= 1/],
    [["status", "--policy-pack", "policy"], /--policy-pack is for preview and up/],
    [["up", "--secrets-provider", "passphrase"], /--secrets-provider passphrase: must be a key service URL: awskms:/],
  ] as const) {
    it(`refuses ${JSON.stringify(argv)} as an input error`, () => {
      assert.throws(() => parseFleetArgs(argv), (error: unknown) => error instanceof InputError && message.test(error.message));
    });
  }
});
