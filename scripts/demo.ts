// `npm run demo`: local clusters up (if needed), then the `local` stack deployed to them by the real Pulumi
// engine through the Automation API, then the fleet's rollout as a table.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { localStack, projectDir, redactBackendUrl } from "../components/automation/localPulumi.js";
import { projectCopy } from "../components/automation/projectCopy.js";
import { rolloutTable } from "../components/automation/rolloutTable.js";
import type { GatewayOutput } from "../components/fleet/outputs.js";
import { cacheRoot } from "../components/openclaw/install.js";

const kubeconfig = process.env.OPENCLAW_FLEET_TEST_KUBECONFIG ?? join(cacheRoot(), "clusters", "kubeconfig");
if (!process.env.OPENCLAW_FLEET_TEST_KUBECONFIG) {
  execFileSync(join(projectDir, "scripts/clusters.sh"), ["up"], { stdio: ["ignore", "inherit", "inherit"] });
}

// The engine writes the stack's encryptionsalt into its stack file: a copy of the project in the cache takes it, and
// Pulumi.local.yaml in the checkout stays as committed.
const workDir = projectCopy(projectDir, join(cacheRoot(), "demo-project"), "local");
let stack;
try {
  stack = await localStack("local", { kubeconfig, workDir });
} catch (error) {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
console.error(`pulumi up --refresh -s local (state: ${process.env.PULUMI_BACKEND_URL ? redactBackendUrl(process.env.PULUMI_BACKEND_URL) : "file backend in the cache"}; project copy ${workDir})`);
// Refresh first: after the clusters were recreated the state still has every object, and the outputs would say
// `complete` for gateways that do not exist; the refresh finds them gone and the update recreates them.
const result = await stack.up({ onOutput: (line) => process.stderr.write(line), color: "never", refresh: true });
console.log(`\n${rolloutTable(result.outputs.gateways!.value as Record<string, GatewayOutput>)}`);
const fleet = result.outputs.fleet!.value as { complete: boolean };
console.log(`\nfleet complete: ${fleet.complete}   tokens: cd ${workDir} && pulumi stack output gatewayTokens --show-secrets -s local (KUBECONFIG=${kubeconfig})`);
