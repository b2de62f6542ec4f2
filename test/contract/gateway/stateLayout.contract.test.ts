/**
 * The prepare-state init container (specs/stateLayout.ts), run with `sh` as the pod runs it: the gateway's state is
 * a directory of the claim (`openclaw-fleet-state/`), made by the pod's user; a claim from before that layout has its state moved in,
 * and the real gateway starts on the moved state.
 */
import assert from "node:assert/strict";
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { GatewayContext } from "../../../components/gateway/context.js";
import { buildGatewayManifests, type GatewayManifests } from "../../../components/gateway/manifests.js";
import { secretKeys } from "../../../components/gateway/specs/secret.js";
import { ensureOpenclaw } from "../../../components/openclaw/install.js";
import { gatewayContexts } from "../../../components/render/renderFleet.js";
import { model } from "../../fixtures.js";
import { gatewayContainer, makePodDirs, removePodDirs, runInitContainer, runNamedInitContainer, startGateway, waitForProbe, type PodDirs } from "./harness.js";

function manifests(): GatewayManifests {
  const context: GatewayContext = gatewayContexts(model({ tenant: "layout", environment: "staging", clusters: [{ name: "perm" }] }))[0]!;
  return buildGatewayManifests(context, Object.fromEntries(secretKeys(context).map((key) => [key, `${key.toLowerCase()}-contract`])));
}

describe("state layout contract: prepare-state makes the gateway's own state directory inside the claim", function () {
  this.timeout(180_000);
  const m = manifests();
  let dirs: PodDirs;
  const prepare = () => runNamedInitContainer(m, dirs, "prepare-state");
  const listing = (dir: string) => readdirSync(dir).sort();
  beforeEach(() => {
    dirs = makePodDirs();
  });
  afterEach(() => removePodDirs(dirs));

  it("is the first init container, sees the claim's root, and every other container mounts only its state directory", () => {
    const pod = m.deployment.spec!.template.spec!;
    assert.equal(pod.initContainers![0]!.name, "prepare-state");
    const mounts = [...pod.initContainers!, ...pod.containers].flatMap((c) => (c.volumeMounts ?? []).filter((v) => v.name === "state").map((v) => ({ container: c.name, ...v })));
    assert.deepEqual(mounts.filter((v) => v.subPath !== "openclaw-fleet-state").map((v) => v.container), ["prepare-state"]);
  });

  it("a new claim: makes the state directory (0700, the running user's) and nothing else", async () => {
    const result = await prepare();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /made .*\/openclaw-fleet-state \(moved 0 entries/);
    assert.deepEqual(listing(dirs.claim), ["openclaw-fleet-state"]);
    assert.equal(statSync(dirs.state).mode & 0o777, 0o700);
    assert.equal(statSync(dirs.state).uid, process.getuid!());
  });

  it("a claim from before: moves every entry of its root (OpenClaw's own `state/` among them) but lost+found into it, once", async () => {
    writeFileSync(join(dirs.claim, "openclaw.json"), "{}\n");
    writeFileSync(join(dirs.claim, ".openclaw-fleet-version"), "2026.9.5\n");
    mkdirSync(join(dirs.claim, "agents", "main"), { recursive: true });
    writeFileSync(join(dirs.claim, "agents", "main", "sessions.json"), "[]\n");
    mkdirSync(join(dirs.claim, "state")); // OpenClaw's own, not the layout's
    mkdirSync(join(dirs.claim, "lost+found"));
    const result = await prepare();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /moved 4 entries/);
    assert.deepEqual(listing(dirs.claim), ["lost+found", "openclaw-fleet-state"]);
    assert.deepEqual(listing(dirs.state), [".openclaw-fleet-version", "agents", "openclaw.json", "state"]);
    assert.equal(readFileSync(join(dirs.state, "agents", "main", "sessions.json"), "utf8"), "[]\n");
    // The next start finds the directory and moves nothing, even what appears at the root later.
    writeFileSync(join(dirs.claim, "stray"), "x");
    const again = await prepare();
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /moved/);
    assert.deepEqual(listing(dirs.claim), ["lost+found", "openclaw-fleet-state", "stray"]);
  });

  it("a move that stopped midway finishes on the next start", async () => {
    mkdirSync(join(dirs.claim, "openclaw-fleet-state.partial"));
    writeFileSync(join(dirs.claim, "openclaw-fleet-state.partial", "openclaw.json"), "{}\n");
    writeFileSync(join(dirs.claim, "credentials.json"), "{}\n");
    const result = await prepare();
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(listing(dirs.claim), ["openclaw-fleet-state"]);
    assert.deepEqual(listing(dirs.state), ["credentials.json", "openclaw.json"]);
  });

  it("the state directory owned by another user: fails naming the owner, before the gateway could", async () => {
    mkdirSync(dirs.state);
    chownSync(dirs.state, 4242, 4242);
    const result = await prepare();
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^openclaw-fleet prepare-state: .*\/openclaw-fleet-state belongs to uid 4242, not to uid \d+ the gateway runs as/m);
  });

  it("the real gateway starts on a state it wrote at the claim's root, once moved", async function () {
    const install = ensureOpenclaw();
    // The previous layout: the claim's root is the state directory.
    const legacy: PodDirs = { ...dirs, state: dirs.claim };
    await runInitContainer(m, legacy);
    const before = await startGateway(m, legacy, install);
    assert.ok((await waitForProbe(before, gatewayContainer(m).startupProbe!)).answer, before.output().slice(-2000));
    await before.stop();
    writeFileSync(join(dirs.claim, "e2e-marker"), "kept\n");
    const written = listing(dirs.claim);
    assert.ok(written.includes("openclaw.json"), written.join(", "));

    assert.equal((await prepare()).code, 0);
    await runInitContainer(m, dirs);
    assert.deepEqual(listing(dirs.claim), ["openclaw-fleet-state"]);
    assert.ok(existsSync(join(dirs.state, "e2e-marker")));
    const after = await startGateway(m, dirs, install);
    try {
      assert.ok((await waitForProbe(after, gatewayContainer(m).startupProbe!)).answer, after.output().slice(-2000));
      for (const entry of written) assert.ok(existsSync(join(dirs.state, entry)), `${entry} was not moved`);
    } finally {
      await after.stop();
    }
  });
});
