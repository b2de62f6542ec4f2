import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertEngineComplete, backendSettings, installedPackageVersion, LOCAL_PASSPHRASE, PLUGIN_PACKAGES, projectDir, redactBackendUrl, REQUIRED_PLUGINS, SecretsKeyError } from "../../components/automation/localPulumi.js";
import { InputError } from "../../components/config/errors.js";

describe("local Pulumi engine check", () => {
  let bin: string;
  let plugins: string;
  beforeEach(() => {
    bin = mkdtempSync(join(tmpdir(), "pulumi-bin-"));
    plugins = mkdtempSync(join(tmpdir(), "plugins-"));
    writeFileSync(join(bin, "pulumi"), "");
  });
  afterEach(() => {
    rmSync(bin, { recursive: true, force: true });
    rmSync(plugins, { recursive: true, force: true });
  });

  it("names every plugin missing from the plugin directories", () => {
    writeFileSync(join(plugins, "pulumi-resource-random"), "");
    assert.throws(() => assertEngineComplete(bin, [plugins]), /incomplete: pulumi-language-nodejs, pulumi-resource-kubernetes not found/);
  });
  it("names a missing CLI", () => {
    rmSync(join(bin, "pulumi"));
    for (const plugin of REQUIRED_PLUGINS) writeFileSync(join(plugins, plugin), "");
    assert.throws(() => assertEngineComplete(bin, [plugins]), /incomplete: pulumi not found/);
  });
  it("accepts the CLI with every plugin in one of the plugin directories", () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "plugins-"));
    try {
      writeFileSync(join(plugins, REQUIRED_PLUGINS[0]!), "");
      for (const plugin of REQUIRED_PLUGINS.slice(1)) writeFileSync(join(elsewhere, plugin), "");
      assert.doesNotThrow(() => assertEngineComplete(bin, [plugins, elsewhere]));
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

describe("local Pulumi engine backend", () => {
  it("uses a given state dir as a file backend with the local passphrase, whatever the environment says", () => {
    const dir = mkdtempSync(join(tmpdir(), "state-"));
    try {
      assert.deepEqual(backendSettings({ stateDir: dir }, { PULUMI_BACKEND_URL: "postgres://elsewhere", PULUMI_CONFIG_PASSPHRASE: "theirs" }), {
        PULUMI_BACKEND_URL: `file://${dir}`,
        PULUMI_CONFIG_PASSPHRASE: LOCAL_PASSPHRASE,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  const theirs = { PULUMI_CONFIG_PASSPHRASE: "theirs" };
  it("reads a PostgreSQL backend's stacks with one worker (the 3.259 CLI deadlocks its pool with more), unless the user chose", () => {
    assert.equal(backendSettings({}, { PULUMI_BACKEND_URL: "postgres://fleet@db/state", ...theirs }).PULUMI_DIY_BACKEND_PARALLEL, "1");
    assert.equal(backendSettings({}, { PULUMI_BACKEND_URL: "postgres://fleet@db/state", PULUMI_DIY_BACKEND_PARALLEL: "3", ...theirs }).PULUMI_DIY_BACKEND_PARALLEL, undefined);
    assert.equal(backendSettings({}, { PULUMI_BACKEND_URL: "s3://bucket", ...theirs }).PULUMI_DIY_BACKEND_PARALLEL, undefined);
  });
  it("honours PULUMI_BACKEND_URL (a shared PostgreSQL, Pulumi Cloud) with the user's passphrase or passphrase file", () => {
    assert.deepEqual(backendSettings({}, { PULUMI_BACKEND_URL: "postgres://fleet@db/state", ...theirs }), { PULUMI_BACKEND_URL: "postgres://fleet@db/state", PULUMI_DIY_BACKEND_PARALLEL: "1", PULUMI_CONFIG_PASSPHRASE: "theirs" });
    // A passphrase file is read by the CLI itself: setting PULUMI_CONFIG_PASSPHRASE too would override it.
    assert.deepEqual(backendSettings({}, { PULUMI_BACKEND_URL: "s3://bucket", PULUMI_CONFIG_PASSPHRASE_FILE: "/run/pass" }), { PULUMI_BACKEND_URL: "s3://bucket" });
  });
  for (const url of ["postgres://fleet:hunter2@db/state", "s3://bucket/state", "file:///srv/shared-state", "azblob://container"]) {
    it(`never uses the repository's passphrase for ${url.replace(/:hunter2/, "")}: refuses, naming what to set and masking credentials`, () => {
      for (const passphrase of [undefined, ""]) {
        assert.throws(
          () => backendSettings({}, { PULUMI_BACKEND_URL: url, ...(passphrase !== undefined ? { PULUMI_CONFIG_PASSPHRASE: passphrase } : {}) }),
          (error: unknown) =>
            error instanceof SecretsKeyError &&
            error instanceof InputError &&
            /PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE/.test(error.message) &&
            /--secrets-provider/.test(error.message) &&
            !error.message.includes("hunter2") &&
            !error.message.includes(LOCAL_PASSPHRASE),
        );
      }
    });
  }
  it("takes a key service instead of a passphrase, and Pulumi Cloud's own key, without setting the local passphrase", () => {
    assert.deepEqual(backendSettings({ secretsProvider: "awskms://alias/fleet" }, { PULUMI_BACKEND_URL: "s3://bucket" }), { PULUMI_BACKEND_URL: "s3://bucket" });
    assert.deepEqual(backendSettings({}, { PULUMI_BACKEND_URL: "https://api.pulumi.com" }), { PULUMI_BACKEND_URL: "https://api.pulumi.com" });
  });
  it("prefers an explicit backend URL over the environment's", () => {
    assert.equal(backendSettings({ backendUrl: "postgres://a/b" }, { PULUMI_BACKEND_URL: "postgres://c/d", ...theirs }).PULUMI_BACKEND_URL, "postgres://a/b");
  });
  it("masks a backend URL's credentials", () => {
    assert.equal(redactBackendUrl("postgres://pulumi:s3cret@127.0.0.1:5432/pulumi?sslmode=disable"), "postgres://***@127.0.0.1:5432/pulumi?sslmode=disable");
  });
});

describe("engine plugin versions", () => {
  it("package.json pins the package of each plugin exactly, and node_modules has that version", () => {
    const manifest = JSON.parse(readFileSync(join(projectDir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    for (const { packageName } of PLUGIN_PACKAGES) {
      assert.match(manifest.dependencies[packageName]!, /^\d+\.\d+\.\d+$/, `${packageName} must be pinned: the engine plugin is installed at this version`);
      assert.equal(installedPackageVersion(packageName), manifest.dependencies[packageName]);
    }
  });
});

describe("scripts/engine-plugins.sh", () => {
  const script = join(projectDir, "scripts/engine-plugins.sh");
  let source: string;
  let cache: string;
  beforeEach(() => {
    source = mkdtempSync(join(tmpdir(), "plugin-source-"));
    cache = mkdtempSync(join(tmpdir(), "plugin-cache-"));
  });
  afterEach(() => {
    rmSync(source, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });
  const run = () =>
    execFileSync(script, [], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, OPENCLAW_FLEET_PULUMI_PLUGINS: source, OPENCLAW_FLEET_CACHE: cache } });
  /** A plugin source like ../shared/pulumi-plugins, with small stand-in binaries; `tamper` corrupts one after its digest was taken. */
  function writeSource(tamper?: string): void {
    const digests: string[] = [];
    for (const plugin of REQUIRED_PLUGINS) {
      const body = join(source, plugin);
      writeFileSync(body, `#!/bin/sh\necho ${plugin}\n`);
      digests.push(`${execFileSync("sha256sum", [body], { encoding: "utf8" }).split(" ")[0]}  ${plugin}`);
      if (plugin === tamper) writeFileSync(body, "#!/bin/sh\necho tampered\n");
      execFileSync("zstd", ["-q", "--rm", body, "-o", `${body}.zst`]);
    }
    writeFileSync(join(source, "SHA256SUMS"), `${digests.join("\n")}\n`);
  }

  it("unpacks every plugin, executable, into a cache directory named after the digests", () => {
    writeSource();
    const binDir = run().trim();
    assert.ok(binDir.startsWith(join(cache, "tools", "pulumi-plugins-")), binDir);
    for (const plugin of REQUIRED_PLUGINS) assert.equal(execFileSync(join(binDir, plugin), { encoding: "utf8" }).trim(), plugin);
    assert.equal(run().trim(), binDir, "a second run finds the same directory");
  });
  it("refuses a binary whose digest does not match, and leaves nothing that looks unpacked", () => {
    writeSource("pulumi-resource-kubernetes");
    assert.throws(run, (error: { stderr: string }) => /digest mismatch/.test(error.stderr) && /pulumi-resource-kubernetes: FAILED/.test(error.stderr));
    mkdirSync(join(cache, "tools"), { recursive: true });
    assert.deepEqual(
      execFileSync("find", [join(cache, "tools"), "-name", "pulumi-resource-*"], { encoding: "utf8" }).trim(),
      "",
    );
  });
  it("names what is missing when the source lacks the plugins", () => {
    assert.throws(run, (error: { stderr: string }) => /missing: SHA256SUMS pulumi-language-nodejs.zst/.test(error.stderr) && error.stderr.includes(source));
  });
});
