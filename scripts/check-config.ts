// `npm run check-config -- --stack <name>`: every cluster's generated openclaw.json, judged by the real gateway.
// Runs offline (no Pulumi CLI, no cluster): a pull-request step before `pulumi up`.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatWarning, InputError } from "../components/config/errors.js";
import { renderOpenclawConfig } from "../components/gateway/openclawConfig.js";
import { ensureOpenclaw } from "../components/openclaw/install.js";
import { validateOpenclawConfig } from "../components/openclaw/validateConfig.js";
import { gatewayContexts } from "../components/render/renderFleet.js";
import { loadStackFile } from "../components/render/renderStack.js";

const { values } = parseArgs({ options: { stack: { type: "string", default: "dev" }, project: { type: "string" } } });
const projectDir = resolve(values.project ?? resolve(dirname(fileURLToPath(import.meta.url)), ".."));

try {
  const model = loadStackFile(projectDir, values.stack!);
  for (const warning of model.warnings) console.warn(formatWarning(warning));
  const install = ensureOpenclaw();
  let invalid = 0;
  for (const context of gatewayContexts(model)) {
    const verdict = await validateOpenclawConfig(install, renderOpenclawConfig(context));
    const cluster = context.gateway.cluster;
    if (verdict.valid) {
      console.log(`ok       ${cluster}: openclaw.json accepted by openclaw ${install.version}`);
      continue;
    }
    invalid += 1;
    console.error(`INVALID  ${cluster}: openclaw ${install.version} refuses the generated openclaw.json`);
    for (const issue of verdict.issues) console.error(`  ${cluster}: ${issue.path}: ${issue.message}`);
  }
  if (invalid > 0) {
    console.error(`\n${invalid} cluster(s) would crash-loop; fix openclaw-fleet:gateway.config, the cluster's overrides.config or the agent's config.yaml (openclaw-fleet:agent.path)`);
    process.exit(1);
  }
} catch (error) {
  if (error instanceof InputError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
