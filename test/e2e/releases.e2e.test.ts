/**
 * `npm run fleet -- releases` against a real registry on loopback (crane's, test/e2e/registry.ts) with tags pushed
 * by the test: a deployed stack's running image comes from the state backend's outputs (its stack file names a newer
 * one, never rolled out), stacks never deployed from their config; variants and pre-releases are kept apart; a
 * registry behind a Bearer token flow is listed with credentials from the environment and refused without them; an
 * unknown repository and an unreachable registry are one-line errors with their exit codes. The CLI runs as a child
 * process, as in a terminal; the state is a `file://` backend in a temp dir.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { LOCAL_PASSPHRASE } from "../../components/automation/localPulumi.js";
import type { ReleasesRow } from "../../components/releases/releasesListing.js";
import { E2eStack, useStacks, runScript } from "./harness.js";
import { craneBinary, freePort, startRegistry, startTokenAuthFront, type LocalRegistry, type TokenAuthFront } from "./registry.js";


const TAGS = [
  "2026.9.5-slim",
  "2026.9.6-slim",
  "2026.9.7-slim",
  "2026.9.10-slim",
  "2026.10.0-beta.1-slim",
  "2026.10.0-beta.2-slim",
  "2026.10.1-slim",
  "2026.10.0",
  "2026.10.1",
  "2026.10.1-browser",
  "latest",
  "slim",
];

describe("end to end: npm run fleet -- releases lists the registry's newer versions (crane's registry on loopback)", function () {
  this.timeout(20 * 60_000);
  // The deployed stack: `pulumi up` by the real engine (as `fleet up` would), its state in this suite's backend.
  const [deployed] = useStacks([{ name: "e2e-rel-ok-deployed", tenant: "e2e-rd" }]) as [E2eStack];
  const configOnly = {
    plain: new E2eStack("e2e-rel-ok-plain", "e2e-rp", ""),
    beta: new E2eStack("e2e-rel-ok-beta", "e2e-rb", ""),
    auth: new E2eStack("e2e-rel-auth", "e2e-ra", ""),
    unknownRepository: new E2eStack("e2e-rel-bad-repo", "e2e-rx", ""),
    unreachable: new E2eStack("e2e-rel-bad-down", "e2e-ru", ""),
  };
  const credentials = { username: "fleet-ci", password: `pw-${randomBytes(12).toString("hex")}` };
  let registry: LocalRegistry;
  let front: TokenAuthFront;

  /** `npm run fleet -- releases ARGS` with this suite's backend: exit code, stdout, stderr. */
  async function releases(args: string[], env: NodeJS.ProcessEnv = {}) {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, PULUMI_BACKEND_URL: `file://${deployed.stateDir}`, PULUMI_CONFIG_PASSPHRASE: LOCAL_PASSPHRASE, ...env };
    for (const name of ["OPENCLAW_FLEET_REGISTRY_USERNAME", "OPENCLAW_FLEET_REGISTRY_PASSWORD", "OPENCLAW_FLEET_REGISTRY_PASSWORD_FILE"]) if (!(name in env)) delete childEnv[name];
    return runScript("fleet.ts", ["releases", ...args], childEnv, 5 * 60_000);
  }
  const rows = (stdout: string) => (JSON.parse(stdout) as { stacks: ReleasesRow[] }).stacks;
  const row = (all: ReleasesRow[], stack: string) => all.find((each) => each.stack === stack)!;
  /** A failure's stderr: one line of ours after the `fleet releases: N stack(s)` header, and no stack trace. */
  const errorLines = (stderr: string) => stderr.split("\n").filter((line) => line.startsWith("fleet releases: ") && !/stack\(s\), state/.test(line));

  before(async function () {
    this.timeout(10 * 60_000);
    registry = await startRegistry(await craneBinary());
    await registry.push("openclaw/openclaw", TAGS);
    front = await startTokenAuthFront(registry.host, credentials);
    const image = (host: string, repository: string, tag: string) => ({ gateway: { image: `${host}/${repository}:${tag}` } });
    // Deployed on 2026.9.6-slim; then its file names 2026.10.1-slim, which no update has rolled out.
    deployed.write({ fleet: true, ring: 0, ...image(registry.host, "openclaw/openclaw", "2026.9.6-slim") });
    await deployed.up();
    deployed.write({ fleet: true, ring: 0, ...image(registry.host, "openclaw/openclaw", "2026.10.1-slim") });
    configOnly.plain.write({ fleet: true, ring: 1, ...image(registry.host, "openclaw/openclaw", "2026.10.0") });
    configOnly.beta.write({ fleet: true, ring: 1, ...image(registry.host, "openclaw/openclaw", "2026.10.0-beta.1-slim") });
    configOnly.auth.write({ fleet: true, ring: 2, ...image(front.host, "openclaw/openclaw", "2026.9.7-slim") });
    configOnly.unknownRepository.write({ fleet: true, ring: 2, ...image(registry.host, "openclaw/nope", "2026.9.6-slim") });
    configOnly.unreachable.write({ fleet: true, ring: 2, ...image(`127.0.0.1:${await freePort()}`, "openclaw/openclaw", "2026.9.6-slim") });
  });

  after(async () => {
    for (const stack of Object.values(configOnly)) rmSync(stack.file, { force: true });
    await front?.stop();
    await registry?.stop();
  });

  it("offers each stack the newer versions of its own variant, newest first, reading a deployed stack's image from its outputs", async () => {
    const { code, stdout, stderr } = await releases(["--stacks", "e2e-rel-ok-*", "--json"]);
    assert.equal(code, 0, stderr);
    const listed = rows(stdout);
    assert.deepEqual(listed.map((each) => each.stack).sort(), ["e2e-rel-ok-beta", "e2e-rel-ok-deployed", "e2e-rel-ok-plain"]);
    const running = row(listed, "e2e-rel-ok-deployed");
    assert.equal(running.source, "outputs");
    assert.equal(running.running, "2026.9.6-slim", "the image of the last update, not the stack file's 2026.10.1-slim");
    assert.deepEqual(running.clusters, ["local-1", "local-2"]);
    // 2026.9.10 after 2026.9.7 (numbers, not strings); no pre-release, no plain or -browser tag, nothing older.
    assert.deepEqual(running.newer, ["2026.10.1-slim", "2026.9.10-slim", "2026.9.7-slim"]);
    const plain = row(listed, "e2e-rel-ok-plain");
    assert.equal(plain.source, "config");
    assert.deepEqual(plain.newer, ["2026.10.1"]);
    // A stack on a pre-release is offered the later pre-release and the release.
    assert.deepEqual(row(listed, "e2e-rel-ok-beta").newer, ["2026.10.1-slim", "2026.10.0-beta.2-slim"]);
  });

  it("prints a table by default, and offers pre-releases with --pre-releases", async () => {
    const table = await releases(["--stacks", "e2e-rel-ok-deployed"]);
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trim().split("\n");
    assert.match(lines[0]!, /^STACK\s+RING\s+CLUSTERS\s+RUNNING\s+FROM\s+NEWER/);
    assert.match(lines[1]!, /^e2e-rel-ok-deployed\s+0\s+local-1,local-2\s+2026\.9\.6-slim\s+outputs\s+2026\.10\.1-slim, 2026\.9\.10-slim, 2026\.9\.7-slim$/);
    const pre = await releases(["--stacks", "e2e-rel-ok-deployed", "--pre-releases", "--json"]);
    assert.equal(pre.code, 0, pre.stderr);
    assert.deepEqual(row(rows(pre.stdout), "e2e-rel-ok-deployed").newer, ["2026.10.1-slim", "2026.10.0-beta.2-slim", "2026.10.0-beta.1-slim", "2026.9.10-slim", "2026.9.7-slim"]);
  });

  it("lists a registry behind a Bearer token flow with credentials from the environment, never printing them", async () => {
    const without = await releases(["--stacks", "e2e-rel-auth", "--json"]);
    assert.equal(without.code, 2);
    assert.equal(without.stdout, "");
    const [missing, ...more] = errorLines(without.stderr);
    assert.deepEqual(more, []);
    assert.match(missing!, new RegExp(`registry ${front.host}, repository openclaw/openclaw: the registry requires credentials \\(401\\); set OPENCLAW_FLEET_REGISTRY_USERNAME and OPENCLAW_FLEET_REGISTRY_PASSWORD`));
    assert.doesNotMatch(without.stderr, /\n\s+at /, "no stack trace");

    const wrong = await releases(["--stacks", "e2e-rel-auth", "--json"], { OPENCLAW_FLEET_REGISTRY_USERNAME: credentials.username, OPENCLAW_FLEET_REGISTRY_PASSWORD: "not-the-password" });
    assert.equal(wrong.code, 2);
    assert.match(errorLines(wrong.stderr).join("\n"), /repository openclaw\/openclaw: the registry refused the credentials \(401\)/);
    assert.doesNotMatch(wrong.stderr, /not-the-password/);

    const right = await releases(["--stacks", "e2e-rel-auth", "--json"], { OPENCLAW_FLEET_REGISTRY_USERNAME: credentials.username, OPENCLAW_FLEET_REGISTRY_PASSWORD: credentials.password });
    assert.equal(right.code, 0, right.stderr);
    assert.deepEqual(row(rows(right.stdout), "e2e-rel-auth").newer, ["2026.10.1-slim", "2026.9.10-slim"]);
    assert.ok(!(right.stdout + right.stderr).includes(credentials.password), "the password is never printed");
    // The token was asked for this repository's pull scope, with the user's Basic credentials.
    assert.deepEqual(front.tokenRequests.at(-1), { user: credentials.username, scope: "repository:openclaw/openclaw:pull", service: "fleet-test-registry" });
  });

  it("refuses an unknown repository (exit 2) and reports an unreachable registry (exit 1), each in one line naming what to fix", async () => {
    const unknown = await releases(["--stacks", "e2e-rel-bad-repo"]);
    assert.equal(unknown.code, 2);
    const [unknownLine, ...moreUnknown] = errorLines(unknown.stderr);
    assert.deepEqual(moreUnknown, []);
    assert.match(unknownLine!, new RegExp(`registry ${registry.host}, repository openclaw/nope: no such repository \\(404 NAME_UNKNOWN\\); asked by e2e-rel-bad-repo \\(their openclaw-fleet:gateway.image, or --registry HOST for a mirror\\)`));
    assert.doesNotMatch(unknown.stderr, /\n\s+at /);

    const down = await releases(["--stacks", "e2e-rel-bad-down"]);
    assert.equal(down.code, 1);
    const [downLine, ...moreDown] = errorLines(down.stderr);
    assert.deepEqual(moreDown, []);
    assert.match(downLine!, /registry 127\.0\.0\.1:\d+, repository openclaw\/openclaw: unreachable at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); asked by e2e-rel-bad-down/);
    assert.doesNotMatch(down.stderr, /\n\s+at /);

    // The same stacks listed through --registry: the mirror (the real registry) has the repository.
    const mirrored = await releases(["--stacks", "e2e-rel-bad-down", "--registry", registry.host, "--json"]);
    assert.equal(mirrored.code, 0, mirrored.stderr);
    assert.deepEqual(row(rows(mirrored.stdout), "e2e-rel-bad-down").newer, ["2026.10.1-slim", "2026.9.10-slim", "2026.9.7-slim"]);
  });

  it("reports a state backend it cannot read in one line (exit 1), without its password, rather than listing from config", async () => {
    const secret = `pw-${randomBytes(8).toString("hex")}`;
    const backend = `postgres://fleet:${secret}@127.0.0.1:${await freePort()}/state?sslmode=disable`;
    const { code, stdout, stderr } = await releases(["--stacks", "e2e-rel-ok-plain"], { PULUMI_BACKEND_URL: backend });
    assert.equal(code, 1);
    assert.equal(stdout, "");
    const [line, ...more] = errorLines(stderr);
    assert.deepEqual(more, []);
    assert.match(line!, /^fleet releases: the state backend postgres:\/\/\*\*\*@127\.0\.0\.1:\d+\/state\?sslmode=disable: cannot read the stack list \(.*connection refused\); check PULUMI_BACKEND_URL$/);
    assert.ok(!stderr.includes(secret), "the backend's password is never printed");
  });

  it("refuses bad arguments with exit 2 before asking any registry", async () => {
    const scheme = await releases(["--registry", "http://ghcr.io"]);
    assert.equal(scheme.code, 2);
    assert.match(scheme.stderr, /--registry http:\/\/ghcr\.io: must be a registry host as image references name it/);
    const unknown = await releases(["--image", "2026.9.7-slim"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /releases: Unknown option '--image'/);
    const noMatch = await releases(["--stacks", "e2e-rel-none-*"]);
    assert.equal(noMatch.code, 2);
    assert.match(noMatch.stderr, /no fleet stack matches --stacks e2e-rel-none-\*/);
  });
});
