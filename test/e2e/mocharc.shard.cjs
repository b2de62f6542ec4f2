// One of the e2e suite's two shards, which scripts/e2e-shards.sh runs at once on two cluster pairs.
// OPENCLAW_E2E_SHARD=fleet: the files that run `npm run fleet` or `npm run promote` (test/e2e/shards.json). Those
// CLIs read every stack file of the project, and one of these scenarios writes a stack file the fleet must refuse,
// so they run one after another, in one shard. OPENCLAW_E2E_SHARD=engine: every other scenario (each drives only
// its own stacks through the Automation API).
const base = require("./mocharc.json");
const { fleet } = require("./shards.json");

const shard = process.env.OPENCLAW_E2E_SHARD;
if (shard !== "fleet" && shard !== "engine") {
  throw new Error(`OPENCLAW_E2E_SHARD must be "fleet" or "engine" (got ${JSON.stringify(shard)})`);
}
module.exports = shard === "fleet" ? { ...base, spec: fleet } : { ...base, ignore: [...base.ignore, ...fleet] };
