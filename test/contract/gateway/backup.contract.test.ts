/**
 * The backup and restore init containers, run with `sh` against state the real gateway made: the archives
 * `openclaw backup create` writes must pass `openclaw backup verify`, and a restored state must start.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { OPENCLAW_VERSION } from "../../../components/config/versions.js";
import type { GatewayContext } from "../../../components/gateway/context.js";
import { buildGatewayManifests, type GatewayManifests } from "../../../components/gateway/manifests.js";
import { RESTORE_RECORD, VERSION_MARKER } from "../../../components/gateway/scripts/stateFiles.js";
import { secretKeys } from "../../../components/gateway/specs/secret.js";
import { ensureOpenclaw, type OpenclawInstall } from "../../../components/openclaw/install.js";
import { gatewayContexts } from "../../../components/render/renderFleet.js";
import { model } from "../../fixtures.js";
import { gatewayClient, gatewayContainer, makePodDirs, removePodDirs, runInitContainer, runNamedInitContainer, startGateway, waitForProbe, type PodDirs } from "./harness.js";

const run = promisify(execFile);
const ARCHIVE = /^\d{8}T\d{6}Z-openclaw-[0-9A-Za-z.+-]+\.tar\.gz$/;
const SESSION_KEY = "backup-contract";

function contextWith(gateway: Record<string, unknown>): GatewayContext {
  const fleet = model({ tenant: "contract", environment: "staging", gateway: { backup: { enabled: true, keep: 2 }, ...gateway }, clusters: [{ name: "perm" }] });
  return gatewayContexts(fleet)[0]!;
}

function manifestsWith(gateway: Record<string, unknown> = {}): GatewayManifests {
  const context = contextWith(gateway);
  return buildGatewayManifests(context, Object.fromEntries(secretKeys(context).map((key) => [key, `${key.toLowerCase()}-contract`])));
}

/** Path -> sha256 of every file below a directory (symlinks by target), to show a state untouched. */
function snapshot(dir: string): Record<string, string> {
  const entries = readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
  return Object.fromEntries(
    entries.map((entry) => {
      const path = join(dir, entry);
      const stat = statSync(path, { throwIfNoEntry: false });
      return [entry, stat?.isFile() ? createHash("sha256").update(readFileSync(path)).digest("hex") : "dir"];
    }),
  );
}

describe(`backup and restore contract: openclaw ${OPENCLAW_VERSION} archives and restores what its gateway wrote`, function () {
  this.timeout(180_000);
  let install: OpenclawInstall;
  let dirs: PodDirs;
  const manifests = manifestsWith();
  const archives = () => readdirSync(dirs.backups).filter((name) => ARCHIVE.test(name)).sort();
  const marker = () => readFileSync(join(dirs.state, VERSION_MARKER), "utf8").trim();
  const backup = (m = manifests) => runNamedInitContainer(m, dirs, "backup-before-upgrade", install);
  const restore = (archive: string) => runNamedInitContainer(manifestsWith({ restore: { archive } }), dirs, "restore-state", install);
  const undo = (image: string) => runNamedInitContainer(manifestsWith({ restore: { beforeUpgrade: image } }), dirs, "restore-state", install);
  const cli = (...args: string[]) =>
    run(process.execPath, [install.cli, ...args], { env: { PATH: process.env.PATH ?? "", HOME: dirs.home, OPENCLAW_STATE_DIR: dirs.state, NO_COLOR: "1" }, cwd: dirs.root, timeout: 90_000 });
  const sessionKeys = async () => ((JSON.parse((await cli("sessions", "--json")).stdout) as { sessions: { key: string }[] }).sessions).map((s) => s.key);

  /** The whole init sequence and the gateway, as the pod runs them; resolves once the startup probe passes. */
  async function startPod(m: GatewayManifests) {
    for (const name of m.deployment.spec!.template.spec!.initContainers!.map((c) => c.name)) {
      if (name === "copy-config") await runInitContainer(m, dirs);
      else {
        const result = await runNamedInitContainer(m, dirs, name, install);
        assert.equal(result.code, 0, `${name}: ${result.stderr}`);
      }
    }
    const gateway = await startGateway(m, dirs, install);
    const { answer } = await waitForProbe(gateway, gatewayContainer(m).startupProbe!);
    assert.ok(answer, `the gateway did not start:\n${gateway.output().slice(-3000)}`);
    return gateway;
  }

  before(async function () {
    this.timeout(10 * 60_000);
    install = ensureOpenclaw();
    dirs = makePodDirs();
    // State made by the gateway itself: a session through its API, a file in its workspace.
    const gateway = await startPod(manifests);
    try {
      const created = await gatewayClient(install, gateway.port, gateway.token, ["gateway", "call", "sessions.create", "--json", "--params", JSON.stringify({ key: SESSION_KEY, label: "contract" })]);
      assert.equal(created.code, 0, created.output);
      writeFileSync(join(dirs.state, "workspace", "NOTES.md"), "written before the upgrade\n");
    } finally {
      await gateway.stop();
      gateway.kill();
    }
  });
  after(() => removePodDirs(dirs));

  it("runs restore, then backup, then the config copy, and backup only with the backup claim mounted", () => {
    const spec = manifestsWith({ restore: { archive: "a.tar.gz" } }).deployment.spec!.template.spec!;
    assert.deepEqual(spec.initContainers!.map((c) => c.name), ["prepare-state", "restore-state", "backup-before-upgrade", "copy-config"]);
    assert.ok(!spec.containers[0]!.volumeMounts!.some((mount) => mount.name === "backups"));
  });

  it("recorded the version on the first start and wrote no archive", async () => {
    assert.equal(marker(), OPENCLAW_VERSION);
    assert.deepEqual(readdirSync(dirs.backups), []);
    assert.ok((await sessionKeys()).some((key) => key.endsWith(SESSION_KEY)), "the session the gateway created");
  });

  it("writes no archive when the same version starts again", async () => {
    const result = await backup();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /no backup needed/);
    assert.deepEqual(readdirSync(dirs.backups), []);
  });

  it("writes a verified archive named with the old version before another version starts, then advances the marker", async () => {
    writeFileSync(join(dirs.state, VERSION_MARKER), "2026.9.5\n");
    const started = Date.now();
    const result = await backup();
    console.log(`      (backup init container: ${Date.now() - started} ms)`);
    assert.equal(result.code, 0, result.stderr);
    const [archive, ...rest] = archives();
    assert.deepEqual(rest, []);
    assert.match(archive!, /-openclaw-2026\.9\.5\.tar\.gz$/);
    const verified = await cli("backup", "verify", join(dirs.backups, archive!));
    assert.match(verified.stdout, /Backup archive OK/);
    assert.equal(marker(), OPENCLAW_VERSION);
  });

  it("keeps the `keep` newest archives of its own naming and nothing it did not write", async () => {
    writeFileSync(join(dirs.backups, "copied-by-hand.tar.gz"), "not ours to prune");
    for (const version of ["2026.9.4", "2026.9.3"]) {
      writeFileSync(join(dirs.state, VERSION_MARKER), `${version}\n`);
      await new Promise((done) => setTimeout(done, 1100)); // names have one-second resolution
      const result = await backup();
      assert.equal(result.code, 0, result.stderr);
    }
    const kept = archives();
    assert.equal(kept.length, 2);
    assert.match(kept[0]!, /2026\.9\.4/);
    assert.match(kept[1]!, /2026\.9\.3/);
    assert.ok(existsSync(join(dirs.backups, "copied-by-hand.tar.gz")));
    rmSync(join(dirs.backups, "copied-by-hand.tar.gz"));
  });

  it("fails when the backup fails, with the reason on stderr, no partial archive and the marker not advanced", async () => {
    const before = readdirSync(dirs.backups);
    writeFileSync(join(dirs.state, VERSION_MARKER), "2026.9.2\n");
    const realBackups = dirs.backups;
    dirs.backups = join(dirs.root, "not-a-directory");
    writeFileSync(dirs.backups, "a file where the backup volume should be");
    try {
      const result = await backup();
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /openclaw-fleet backup: openclaw backup create failed .* the marker still says 2026\.9\.2/);
      assert.equal(marker(), "2026.9.2");
    } finally {
      dirs.backups = realBackups;
    }
    assert.deepEqual(readdirSync(dirs.backups), before);
    writeFileSync(join(dirs.state, VERSION_MARKER), `${OPENCLAW_VERSION}\n`);
  });

  it("restores a wiped state from an archive, keeps what it replaced, and the gateway starts on it", async () => {
    const archive = archives()[0]!; // from 2026.9.4: the session and the workspace file were there
    for (const entry of readdirSync(dirs.state)) rmSync(join(dirs.state, entry), { recursive: true, force: true });
    writeFileSync(join(dirs.state, "left-by-the-wipe"), "current state\n");
    const result = await restore(archive);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(readFileSync(join(dirs.state, "workspace", "NOTES.md"), "utf8"), "written before the upgrade\n");
    assert.ok((await sessionKeys()).some((key) => key.endsWith(SESSION_KEY)), "the session came back");
    assert.equal(readFileSync(join(dirs.state, RESTORE_RECORD), "utf8"), `${archive}\n`);
    const aside = readdirSync(dirs.state).filter((entry) => entry.startsWith(".pre-restore-"));
    assert.equal(aside.length, 1);
    assert.equal(readFileSync(join(dirs.state, aside[0]!, "left-by-the-wipe"), "utf8"), "current state\n");
    assert.ok(!existsSync(join(dirs.state, ".restore-staging")));

    // The archive's marker says 2026.9.4: the pod backs the restored state up again before this version runs it.
    const m = manifestsWith({ restore: { archive } });
    const gateway = await startPod(m);
    await gateway.stop();
    gateway.kill();
    assert.equal(marker(), OPENCLAW_VERSION);
    assert.ok(archives().some((name) => name.endsWith("-openclaw-2026.9.4.tar.gz") && name !== archive));
  });

  it("restores an archive once: the same name again changes nothing", async () => {
    const archive = readFileSync(join(dirs.state, RESTORE_RECORD), "utf8").trim();
    const before = snapshot(dirs.state);
    const result = await restore(archive);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /restored from .* before; nothing to do/);
    assert.deepEqual(snapshot(dirs.state), before);
  });

  it("fails on a corrupt archive with OpenClaw's reason and leaves the state untouched", async () => {
    writeFileSync(join(dirs.backups, "corrupt.tar.gz"), "this is not a tar archive");
    const before = snapshot(dirs.state);
    const result = await restore("corrupt.tar.gz");
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /not a valid OpenClaw backup/);
    assert.match(result.stderr, /openclaw-fleet restore: openclaw backup restore refused corrupt\.tar\.gz .* the current state is untouched/);
    assert.deepEqual(snapshot(dirs.state), before);
  });

  it("wrote nothing in HOME outside the state volume (the root filesystem is read-only)", () => {
    // ~/.openclaw is the state claim's mount point (its stand-in is dirs.state, outside HOME): HOME stays empty.
    assert.deepEqual(readdirSync(dirs.home), []);
  });

  it("fails on a missing archive, naming the archives there are", async () => {
    const result = await restore("no-such.tar.gz");
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /no archive no-such\.tar\.gz on the backup volume; it holds: .*corrupt\.tar\.gz/);
  });
  describe("undoing an upgrade (restore.beforeUpgrade, what npm run fleet -- up --rollback-on-failure writes)", () => {
    const FAILED = "ghcr.io/openclaw/openclaw:2026.99.1";
    const notes = () => readFileSync(join(dirs.state, "workspace", "NOTES.md"), "utf8");
    const stamp = (date: Date) => date.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    let taken: string;

    before(async () => {
      // The state as a start of this version leaves it, and two archives of it as the backup container names them:
      // an older one, and the one taken right before the upgrade that is undone here. The state holds the
      // `.pre-restore-*` directory of the restore above, so the archives carry it: restoring one failed with "mv: ...
      // Directory not empty" until restore.ts left an archived copy of a directory the volume still has.
      writeFileSync(join(dirs.state, VERSION_MARKER), `${OPENCLAW_VERSION}\n`);
      writeFileSync(join(dirs.state, "workspace", "NOTES.md"), "an older state\n");
      await cli("backup", "create", "--verify", "--output", join(dirs.backups, `20200101T000000Z-openclaw-${OPENCLAW_VERSION}.tar.gz`));
      writeFileSync(join(dirs.state, "workspace", "NOTES.md"), "written before the failed upgrade\n");
      taken = `${stamp(new Date())}-openclaw-${OPENCLAW_VERSION}.tar.gz`;
      await cli("backup", "create", "--verify", "--output", join(dirs.backups, taken));
      // The failed version ran: it marked the state (the backup container does) and changed it.
      writeFileSync(join(dirs.state, VERSION_MARKER), "2026.99.1\n");
      writeFileSync(join(dirs.state, "workspace", "NOTES.md"), "migrated by the failed version\n");
      writeFileSync(join(dirs.state, "written-by-the-failed-version"), "x\n");
    });

    it("restores the archive taken before the upgrade (the newest of the version the image runs), keeps what it replaced, and the gateway starts on it", async () => {
      const asidesBefore = readdirSync(dirs.state).filter((entry) => entry.startsWith(".pre-restore-"));
      assert.ok(asidesBefore.length > 0, "a state kept aside by the restore above");
      const result = await undo(FAILED);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stdout.includes(`the state is marked OpenClaw 2026.99.1, this image runs ${OPENCLAW_VERSION}; ${taken} is the archive taken before that upgrade`), result.stdout);
      assert.equal(notes(), "written before the failed upgrade\n");
      assert.equal(marker(), OPENCLAW_VERSION, "the restored state carries the marker of the version it came from");
      assert.ok((await sessionKeys()).some((key) => key.endsWith(SESSION_KEY)), "the session came back");
      assert.equal(readFileSync(join(dirs.state, RESTORE_RECORD), "utf8"), `before-upgrade ${FAILED}\n${taken}\n`);
      const asides = readdirSync(dirs.state).filter((entry) => entry.startsWith(".pre-restore-")).sort();
      assert.equal(asides.length, asidesBefore.length + 1);
      const aside = asides.pop()!;
      assert.equal(readFileSync(join(dirs.state, aside, "workspace", "NOTES.md"), "utf8"), "migrated by the failed version\n");
      assert.ok(existsSync(join(dirs.state, aside, "written-by-the-failed-version")));

      const archivesBefore = archives();
      const gateway = await startPod(manifestsWith({ restore: { beforeUpgrade: FAILED } }));
      await gateway.stop();
      gateway.kill();
      assert.deepEqual(archives(), archivesBefore, "the restored state is this version's: no backup before the start");
    });

    it("undoes an upgrade once: the same image again changes nothing", async () => {
      const before = snapshot(dirs.state);
      const result = await undo(FAILED);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /the upgrade to ghcr\.io\/openclaw\/openclaw:2026\.99\.1 was undone before/);
      assert.deepEqual(snapshot(dirs.state), before);
    });

    it("restores nothing when the upgrade never moved the state off this version (its backup did not finish, its pod never started)", async () => {
      writeFileSync(join(dirs.state, "workspace", "NOTES.md"), "the current state\n");
      const result = await undo("ghcr.io/openclaw/openclaw:2026.99.2");
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /still marked OpenClaw .* the upgrade never migrated it; nothing to restore/);
      assert.equal(notes(), "the current state\n");
      assert.equal(readFileSync(join(dirs.state, RESTORE_RECORD), "utf8").split("\n")[0], "before-upgrade ghcr.io/openclaw/openclaw:2026.99.2");
    });

    it("fails, naming what the backup volume holds, when there is no archive of the version the image runs; the state is untouched", async () => {
      writeFileSync(join(dirs.state, VERSION_MARKER), "2026.99.3\n");
      for (const name of archives().filter((n) => n.endsWith(`-openclaw-${OPENCLAW_VERSION}.tar.gz`))) rmSync(join(dirs.backups, name));
      const before = snapshot(dirs.state);
      const result = await undo("ghcr.io/openclaw/openclaw:2026.99.3");
      assert.notEqual(result.code, 0);
      assert.ok(result.stderr.includes(`holds no archive of ${OPENCLAW_VERSION}`), result.stderr);
      assert.match(result.stderr, /it holds: .*corrupt\.tar\.gz/);
      assert.deepEqual(snapshot(dirs.state), before);
    });
  });
});
