/**
 * The installs init container (specs/installs.ts), run with `sh` as the pod runs it, with the real OpenClaw CLI as its
 * installer, against temp dirs standing in for the state claim, and an npm registry on loopback standing in for the
 * public one (`installs.npmRegistry`, as an air-gapped mirror is configured): the plugin packages are `npm pack`ed here.
 * What this proves and what it does not (ClawHub is not reachable here): docs/agents.md, "Installing at start".
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import type { GatewayContext } from "../../../components/gateway/context.js";
import { buildGatewayManifests, type GatewayManifests } from "../../../components/gateway/manifests.js";
import { INSTALLS_RECORD } from "../../../components/gateway/scripts/stateFiles.js";
import { secretKeys } from "../../../components/gateway/specs/secret.js";
import { ensureOpenclaw, type OpenclawInstall } from "../../../components/openclaw/install.js";
import { gatewayContexts } from "../../../components/render/renderFleet.js";
import { model } from "../../fixtures.js";
import { cliEnvBeside, gatewayContainer, makePodDirs, removePodDirs, runInitContainer, runNamedInitContainer, startGateway, waitForProbe, type PodDirs } from "./harness.js";

const run = promisify(execFile);

/** A minimal OpenClaw plugin package (manifest, entry, one skill it ships), packed as npm publishes it. */
async function packPlugin(root: string, id: string, version: string): Promise<{ name: string; version: string; tarball: Buffer }> {
  const name = `openclaw-${id}`;
  const dir = join(root, `${id}-${version}`);
  mkdirSync(join(dir, "skills", `${id}-skill`), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, version, type: "module", files: ["index.js", "openclaw.plugin.json", "skills"], openclaw: { extensions: ["./index.js"] } }));
  writeFileSync(
    join(dir, "openclaw.plugin.json"),
    JSON.stringify({ id, name: id, description: "contract fixture", version, configSchema: { type: "object", additionalProperties: false, properties: {} }, skills: ["./skills"] }),
  );
  writeFileSync(join(dir, "index.js"), `export default { id: ${JSON.stringify(id)}, name: ${JSON.stringify(id)}, register() {} };\n`);
  writeFileSync(join(dir, "skills", `${id}-skill`, "SKILL.md"), `---\nname: ${id}-skill\ndescription: Shipped by the ${id} plugin.\n---\n# ${id}\n`);
  const { stdout } = await run("npm", ["pack", dir, "--pack-destination", root, "--json", "--ignore-scripts"], { env: { ...process.env, npm_config_cache: join(root, ".npm") } });
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  return { name, version, tarball: readFileSync(join(root, packed!.filename)) };
}

/** An npm registry on loopback serving the packed packages: packuments and tarballs, each request counted. */
async function startRegistry(packages: { name: string; version: string; tarball: Buffer }[]): Promise<{ url: string; requests: string[]; server: Server }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const path = decodeURIComponent((request.url ?? "/").split("?")[0]!);
    requests.push(path);
    const address = server.address() as { port: number };
    const base = `http://127.0.0.1:${address.port}`;
    const tarball = packages.find((entry) => path === `/${entry.name}/-/${entry.name}-${entry.version}.tgz`);
    if (tarball) {
      response.writeHead(200, { "content-type": "application/octet-stream" }).end(tarball.tarball);
      return;
    }
    const versions = packages.filter((entry) => path === `/${entry.name}`);
    if (versions.length === 0) {
      response.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
      return;
    }
    const packument = {
      name: versions[0]!.name,
      "dist-tags": { latest: versions.at(-1)!.version },
      versions: Object.fromEntries(
        versions.map((entry) => [
          entry.version,
          {
            name: entry.name,
            version: entry.version,
            dist: {
              tarball: `${base}/${entry.name}/-/${entry.name}-${entry.version}.tgz`,
              shasum: createHash("sha1").update(entry.tarball).digest("hex"),
              integrity: `sha512-${createHash("sha512").update(entry.tarball).digest("base64")}`,
            },
          },
        ]),
      ),
    };
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(packument));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, requests, server };
}

/** Every file under the state dir with its size and modification time: what "changes nothing" compares. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const stat = statSync(path);
        files[relative(dir, path)] = `${stat.size} ${stat.mtimeMs}`;
      }
    }
  };
  walk(dir);
  return files;
}

describe("installs contract: the installs init container installs pinned plugins with the gateway's own installer, once", function () {
  this.timeout(300_000);
  let dirs: PodDirs;
  let install: OpenclawInstall;
  let packages: string;
  let registry: Awaited<ReturnType<typeof startRegistry>>;

  before(async function () {
    install = ensureOpenclaw();
    packages = mkdtempSync(join(tmpdir(), "ocf-installs-packages-"));
    registry = await startRegistry([
      await packPlugin(packages, "fleet-hello", "1.0.0"),
      await packPlugin(packages, "fleet-hello", "1.0.1"),
      await packPlugin(packages, "fleet-other", "2.0.0"),
    ]);
  });
  after(async () => {
    await new Promise((resolve) => registry.server.close(resolve));
    rmSync(packages, { recursive: true, force: true });
  });
  beforeEach(() => {
    dirs = makePodDirs();
  });
  afterEach(() => removePodDirs(dirs));

  function manifests(plugins: { id: string; npm: string }[]): GatewayManifests {
    const fleet = model({
      tenant: "installs",
      environment: "staging",
      clusters: [{ name: "perm" }],
      // The platform's allow list: the installed plugins must join it by name, or they would not load.
      gateway: { installs: { plugins, npmRegistry: registry.url }, config: { plugins: { allow: ["memory-core"] } } },
    });
    const context: GatewayContext = gatewayContexts(fleet)[0]!;
    return buildGatewayManifests(context, Object.fromEntries(secretKeys(context).map((key) => [key, `${key.toLowerCase()}-contract`])));
  }
  async function start(m: GatewayManifests) {
    assert.equal((await runNamedInitContainer(m, dirs, "prepare-state")).code, 0);
    await runInitContainer(m, dirs);
    return runNamedInitContainer(m, dirs, "installs", install);
  }
  const record = () => readFileSync(join(dirs.state, INSTALLS_RECORD), "utf8").split("\n").filter(Boolean);
  /** Where npm installs of OpenClaw 2026.9.6 land: `<state>/npm/projects/<package>/node_modules/<package>`. */
  const pluginDir = (id: string) => join(dirs.state, "npm", "projects", `openclaw-${id}`, "node_modules", `openclaw-${id}`);
  const installedVersion = (id: string) => (JSON.parse(readFileSync(join(pluginDir(id), "package.json"), "utf8")) as { version: string }).version;

  it("installs from the registry on the first start; the second start makes no request and changes no file; the gateway loads the plugin", async () => {
    const m = manifests([{ id: "fleet-hello", npm: "openclaw-fleet-hello@1.0.0" }]);
    const first = await start(m);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    assert.match(first.stdout, /1 installed, 0 already installed, 0 removed/);
    assert.ok(registry.requests.some((path) => path.endsWith("openclaw-fleet-hello-1.0.0.tgz")), `the tarball was not fetched: ${registry.requests.join(", ")}`);
    assert.equal(installedVersion("fleet-hello"), "1.0.0");
    assert.ok(existsSync(join(pluginDir("fleet-hello"), "skills", "fleet-hello-skill", "SKILL.md")));
    assert.deepEqual(record(), ["plugin fleet-hello openclaw-fleet-hello@1.0.0"]);
    assert.equal(readFileSync(join(dirs.state, "openclaw.json"), "utf8"), m.configMap.data!["openclaw.json"], "the installer edited a scratch copy, not the gateway's config");

    const requestsBefore = registry.requests.length;
    const before = snapshot(dirs.state);
    const second = await runNamedInitContainer(m, dirs, "installs", install);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /0 installed, 1 already installed, 0 removed/);
    assert.equal(registry.requests.length, requestsBefore, "the second start asked the registry");
    const after = snapshot(dirs.state);
    // The record is renamed into place each start (same content); nothing else may change.
    delete before[INSTALLS_RECORD];
    delete after[INSTALLS_RECORD];
    assert.deepEqual(after, before);

    const gateway = await startGateway(m, dirs, install);
    try {
      assert.ok((await waitForProbe(gateway, gatewayContainer(m).startupProbe!)).answer, gateway.output().slice(-2000));
      const env = cliEnvBeside(dirs, gateway);
      const { stdout } = await run(process.execPath, [install.cli, "plugins", "list", "--json"], { env, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
      const listed = JSON.parse(stdout.slice(stdout.indexOf("{"))) as { plugins: { id: string; enabled: boolean; status: string; version?: string; rootDir?: string }[] };
      const plugin = listed.plugins.find((each) => each.id === "fleet-hello");
      assert.ok(plugin, "fleet-hello not listed");
      assert.equal(plugin.status, "loaded", JSON.stringify(plugin));
      assert.equal(plugin.version, "1.0.0");
      assert.equal(plugin.rootDir, pluginDir("fleet-hello"));
    } finally {
      await gateway.stop();
    }
  });

  // One or two CLI runs per start: the harness gives an init container 120 s, which a loaded machine needs for two.
  it("an added entry installs only itself; a removed entry is uninstalled; a changed pin installs the new version; nothing else is touched", async function () {
    this.timeout(900_000);
    const hello = { id: "fleet-hello", npm: "openclaw-fleet-hello@1.0.0" };
    const first = await start(manifests([hello]));
    assert.equal(first.code, 0, first.stderr + first.stdout);
    const added = await runNamedInitContainer(manifests([hello, { id: "fleet-other", npm: "openclaw-fleet-other@2.0.0" }]), dirs, "installs", install);
    assert.equal(added.code, 0, added.stderr + added.stdout);
    assert.match(added.stdout, /1 installed, 1 already installed, 0 removed/);
    assert.ok(existsSync(pluginDir("fleet-other")));
    // A plugin someone installed by hand is not the program's to remove.
    mkdirSync(join(dirs.state, "extensions", "hand-made"), { recursive: true });

    const removed = await runNamedInitContainer(manifests([hello]), dirs, "installs", install);
    assert.equal(removed.code, 0, removed.stderr + removed.stdout);
    assert.match(removed.stdout, /0 installed, 1 already installed, 1 removed/);
    assert.ok(!existsSync(pluginDir("fleet-other")), "the removed entry's plugin is still there");
    assert.ok(existsSync(join(dirs.state, "extensions", "hand-made")));

    const repinned = await runNamedInitContainer(manifests([{ id: "fleet-hello", npm: "openclaw-fleet-hello@1.0.1" }]), dirs, "installs", install);
    assert.equal(repinned.code, 0, repinned.stderr + repinned.stdout);
    assert.match(repinned.stdout, /1 installed, 0 already installed, 0 removed/);
    assert.equal(installedVersion("fleet-hello"), "1.0.1");
    assert.deepEqual(record(), ["plugin fleet-hello openclaw-fleet-hello@1.0.1"]);
  });

  it("a package that declares another id than the configured one fails the container, naming both", async () => {
    const result = await start(manifests([{ id: "fleet-typo", npm: "openclaw-fleet-hello@1.0.0" }]));
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^openclaw-fleet installs: openclaw-fleet-hello@1\.0\.0 installed, but not as plugin fleet-typo/m);
    assert.ok(!existsSync(join(dirs.state, INSTALLS_RECORD)), "a failed start records nothing");
  });
});
