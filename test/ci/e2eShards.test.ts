/**
 * The e2e suite's two shards (test/e2e/mocharc.shard.cjs, run at once by scripts/e2e-shards.sh): every scenario
 * that drives the fleet or promote CLI is in the fleet shard, because those CLIs read every stack file of the
 * project and must not see another shard's stacks come and go; every other scenario runs in the engine shard.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const e2eDir = "test/e2e";
const configPath = require.resolve(`../../${e2eDir}/mocharc.shard.cjs`);

interface MochaConfig {
  spec: string[];
  ignore?: string[];
}

function shardConfig(shard: string | undefined): MochaConfig {
  const previous = process.env.OPENCLAW_E2E_SHARD;
  if (shard === undefined) delete process.env.OPENCLAW_E2E_SHARD;
  else process.env.OPENCLAW_E2E_SHARD = shard;
  delete require.cache[configPath];
  try {
    return require(configPath) as MochaConfig;
  } finally {
    if (previous === undefined) delete process.env.OPENCLAW_E2E_SHARD;
    else process.env.OPENCLAW_E2E_SHARD = previous;
  }
}

const scenarioFiles = readdirSync(e2eDir)
  .filter((name) => name.endsWith(".e2e.test.ts"))
  .map((name) => `${e2eDir}/${name}`);

const escaped = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
/** A mocha spec or ignore pattern of these configs (`*` within a name, `**` across folders) as a test on a path. */
function matcher(pattern: string): (file: string) => boolean {
  const source = pattern.split("**/").map((part) => part.split("*").map(escaped).join("[^/]*")).join("(?:.*/)?");
  const regExp = new RegExp(`^${source}$`);
  return (file) => regExp.test(file);
}

/** The scenario files a config runs: those its spec patterns match, less those its ignore patterns match. */
function filesOf(config: MochaConfig): string[] {
  return scenarioFiles.filter((file) => config.spec.some((spec) => matcher(spec)(file)) && !(config.ignore ?? []).some((ignore) => matcher(ignore)(file))).sort();
}

describe("the e2e suite's shards", () => {
  const fleet = filesOf(shardConfig("fleet"));
  const engine = filesOf(shardConfig("engine"));
  const live = filesOf(require(`../../${e2eDir}/live.mocharc.json`) as MochaConfig);

  it("refuses a run that names no shard or an unknown one", () => {
    assert.throws(() => shardConfig(undefined), /OPENCLAW_E2E_SHARD must be "fleet" or "engine"/);
    assert.throws(() => shardConfig("both"), /got "both"/);
  });

  it("puts every scenario that runs the fleet or promote CLI in the fleet shard", () => {
    const drivesCli = scenarioFiles.filter((file) => /scripts\/fleet\.ts|"fleet\.ts"|"promote\.ts"/.test(readFileSync(file, "utf8")));
    assert.ok(drivesCli.length >= 5, `expected the fleet CLI scenarios, found ${drivesCli.join(", ")}`);
    for (const file of drivesCli) if (!live.includes(file)) assert.ok(fleet.includes(file), `${file} runs a fleet CLI but is not in the fleet shard`);
  });

  it("runs every scenario of the suite in exactly one shard, and the live-pod suites in neither", () => {
    for (const file of shardConfig("fleet").spec) assert.ok(scenarioFiles.includes(file), `${file} (test/e2e/shards.json) is not an e2e scenario file`);
    assert.ok(live.length >= 2, `the live-pod suites: ${live.join(", ")}`);
    assert.deepEqual(fleet.filter((file) => engine.includes(file)), []);
    assert.deepEqual([...fleet, ...engine].sort(), scenarioFiles.filter((file) => !live.includes(file)).sort());
    assert.ok(engine.length > 0 && fleet.length > 0);
  });
});
