// Offline render: `npm run render -- --stack dev [--out DIR]`. No Pulumi CLI, no cluster, secrets redacted.
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatWarning, InputError } from "../components/config/errors.js";
import { renderStack } from "../components/render/renderStack.js";
import { writeRenderedFleet } from "../components/render/writeManifests.js";

const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { stack: { type: "string", default: "dev" }, out: { type: "string" } } });
const stack = values.stack!;
const outDir = resolve(values.out ?? join(projectDir, "rendered", stack));

try {
  const rendered = await renderStack(projectDir, stack);
  for (const warning of rendered.model.warnings) console.warn(formatWarning(warning));
  for (const key of rendered.opaqueSecrets) {
    console.warn(`warning: openclaw-fleet:${key} is encrypted as a whole; its entries are not rendered (set them per key with --path to render their names)`);
  }
  if (rendered.schemaProblems.length > 0) {
    console.error(`${rendered.schemaProblems.length} rendered object(s) fail the Kubernetes schema:`);
    for (const problem of rendered.schemaProblems) console.error(`  ${problem.object}: ${problem.message}`);
    process.exit(1);
  }
  const files = writeRenderedFleet(outDir, rendered.clusters);
  console.log(`stack ${stack}: tenant ${rendered.model.tenant}, environment ${rendered.model.environment}`);
  rendered.clusters.forEach((cluster, index) => {
    console.log(`  wave ${cluster.wave}  ${cluster.cluster.padEnd(20)} ${String(cluster.manifests.length).padStart(2)} objects, schema-valid -> ${relative(process.cwd(), files[index]!)}`);
  });
} catch (error) {
  if (error instanceof InputError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
