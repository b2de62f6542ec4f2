import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, InputError } from "../../components/config/errors.js";
import { DEFAULT_IMAGE } from "../../components/config/versions.js";
import { projectDir } from "../../components/automation/localPulumi.js";
import { discoverStacks, readStackFile, selectStacks, type FleetStack } from "../../components/fleetops/stackDiscovery.js";

const stackFile = (config: Record<string, unknown>) =>
  `config:\n${Object.entries(config)
    .map(([key, value]) => `  openclaw-fleet:${key}: ${JSON.stringify(value)}`)
    .join("\n")}\n`;

describe("fleet stack discovery", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "fleet-stacks-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("finds every Pulumi.<stack>.yaml (not Pulumi.yaml) with its membership, ring, tenant, clusters and image", () => {
    writeFileSync(join(dir, "Pulumi.yaml"), "name: openclaw-fleet\n");
    writeFileSync(join(dir, "Pulumi.acme-prod.yaml"), stackFile({ tenant: "acme", environment: "prod", fleet: true, ring: 0, gateway: { image: "ghcr.io/openclaw/openclaw:2026.9.5" }, clusters: [{ name: "eu", overrides: { restore: { beforeUpgrade: "ghcr.io/openclaw/openclaw:2026.9.7" } } }, { name: "us", overrides: { image: "mirror/openclaw:old", restore: { archive: "a.tar.gz" } } }] }));
    writeFileSync(join(dir, "Pulumi.beta-dev.yaml"), stackFile({ tenant: "beta", environment: "dev", clusters: [{ name: "eu" }] }));
    writeFileSync(join(dir, "notes.yaml"), "config: {}\n");
    assert.deepEqual(discoverStacks(dir), [
      { name: "acme-prod", fleet: true, ring: 0, tenant: "acme", environment: "prod", clusters: ["eu", "us"], image: "ghcr.io/openclaw/openclaw:2026.9.5", clustersPinningImage: ["us"], clustersUndoingUpgrade: ["eu"] },
      { name: "beta-dev", ring: 1, tenant: "beta", environment: "dev", clusters: ["eu"], image: DEFAULT_IMAGE, clustersPinningImage: [], clustersUndoingUpgrade: [] },
    ]);
  });

  it("reads a quoted ring and membership as the program does (Pulumi hands every value over as a string)", () => {
    assert.equal(readStackFile("s", 'config:\n  openclaw-fleet:ring: "0"\n').ring, 0);
    assert.equal(readStackFile("s", 'config:\n  openclaw-fleet:fleet: "true"\n').fleet, true);
    assert.equal(readStackFile("s", "config:\n  openclaw-fleet:fleet: false\n").fleet, false);
  });

  it("refuses a membership that is not true or false, naming the file and the config key", () => {
    writeFileSync(join(dir, "Pulumi.a.yaml"), stackFile({ fleet: "yes" }));
    assert.throws(() => discoverStacks(dir), (error: unknown) => error instanceof ConfigError && /Pulumi\.a\.yaml: openclaw-fleet:fleet: must be true .* or false/.test(error.message));
  });

  it("refuses a bad ring in any stack file, naming each file and the config key", () => {
    writeFileSync(join(dir, "Pulumi.a.yaml"), stackFile({ ring: -1 }));
    writeFileSync(join(dir, "Pulumi.b.yaml"), stackFile({ ring: "canary" }));
    assert.throws(
      () => discoverStacks(dir),
      (error: unknown) =>
        error instanceof ConfigError &&
        /Pulumi\.a\.yaml: openclaw-fleet:ring: must be 0 or greater/.test(error.message) &&
        /Pulumi\.b\.yaml: openclaw-fleet:ring: must be a whole number/.test(error.message),
    );
  });

  it("reads a stack file with no config as ring 1 with no clusters", () => {
    assert.deepEqual(readStackFile("bare", ""), { name: "bare", ring: 1, clusters: [], image: DEFAULT_IMAGE, clustersPinningImage: [], clustersUndoingUpgrade: [] });
  });
});

describe("fleet stack selection", () => {
  const stack = (name: string, ring: number, fleet?: boolean): FleetStack => ({ name, ...(fleet !== undefined ? { fleet } : {}), ring, clusters: [], image: DEFAULT_IMAGE, clustersPinningImage: [], clustersUndoingUpgrade: [] });
  const stacks: FleetStack[] = [stack("acme-prod", 0, true), stack("acme-dev", 1, true), stack("beta-prod", 1, true), stack("local", 1, false)];
  const names = (filter: Parameters<typeof selectStacks>[1]) => selectStacks(stacks, filter).map((s) => s.name);

  it("filters by a glob over stack names, by ring, or both", () => {
    assert.deepEqual(names({}), ["acme-prod", "acme-dev", "beta-prod"]);
    assert.deepEqual(names({ stacks: "acme-*" }), ["acme-prod", "acme-dev"]);
    assert.deepEqual(names({ stacks: "*-prod" }), ["acme-prod", "beta-prod"]);
    assert.deepEqual(names({ ring: 1 }), ["acme-dev", "beta-prod"]);
    assert.deepEqual(names({ stacks: "*-prod", ring: 1 }), ["beta-prod"]);
  });

  it("leaves out the stacks that say fleet: false, even when the glob names them", () => {
    assert.ok(!names({}).includes("local"));
    assert.throws(() => names({ stacks: "local" }), (error: unknown) => error instanceof InputError && /no fleet stack matches --stacks local/.test(error.message));
  });

  it("refuses a stack file that does not say whether it is in the fleet, naming it and the key", () => {
    const withLeftover = [...stacks, stack("scale-001", 1), stack("dev", 1)];
    assert.throws(
      () => selectStacks(withLeftover, {}),
      (error: unknown) => error instanceof InputError && /^Pulumi\.scale-001\.yaml, Pulumi\.dev\.yaml: openclaw-fleet:fleet is not set; .*`fleet: true` .*`fleet: false`/.test(error.message),
    );
    // A glob that leaves the unmarked files out runs.
    assert.deepEqual(selectStacks(withLeftover, { stacks: "acme-*" }).map((s) => s.name), ["acme-prod", "acme-dev"]);
  });

  it("refuses a filter no stack matches, listing the fleet's stacks", () => {
    assert.throws(() => names({ stacks: "acme-*", ring: 7 }), (error: unknown) => error instanceof InputError && /no fleet stack matches --stacks acme-\* --ring 7; fleet stacks: acme-prod \(ring 0\), acme-dev \(ring 1\), beta-prod \(ring 1\)$/.test(error.message));
  });

  it("says so when no stack file of the project is in the fleet", () => {
    assert.throws(() => selectStacks([stack("local", 1, false)], {}), (error: unknown) => error instanceof InputError && /fleet stacks: none \(no stack file says fleet: true\)/.test(error.message));
  });
});

describe("this repository's stack files", () => {
  it("each say whether npm run fleet takes them: prod is the one tenant stack; dev, local and the pr template are not", () => {
    const repoStacks = discoverStacks(projectDir).filter((stack) => ["dev", "local", "pr", "prod"].includes(stack.name));
    assert.deepEqual(repoStacks.map((s) => [s.name, s.fleet]), [["dev", false], ["local", false], ["pr", false], ["prod", true]]);
  });
});
