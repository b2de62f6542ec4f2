// `npm run demo`: local clusters up with a real node in cluster 1 (if needed), then the `local` stack deployed to
// them by the real Pulumi engine through the Automation API, the fleet's rollout as a table, and the gateway on the
// real node called through its Service: `/healthz`, then the real OpenClaw client with the stack's token and without.
// `--simulated`: kwok's nodes only (a machine that cannot run containers); nothing to call then.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { localStack, projectDir, redactBackendUrl } from "../components/automation/localPulumi.js";
import { projectCopy } from "../components/automation/projectCopy.js";
import { placeOnRealNode } from "../components/automation/realNodePlacement.js";
import { rolloutTable } from "../components/automation/rolloutTable.js";
import { clusterIpUrl } from "../components/automation/serviceAddress.js";
import type { GatewayOutput } from "../components/fleet/outputs.js";
import { healthCheck } from "../components/openclaw/client.js";
import { cacheRoot, ensureOpenclaw } from "../components/openclaw/install.js";

const REAL_CLUSTER = "local-1";
const REAL_CONTEXT = "openclaw-local-1";
const simulated = process.argv.includes("--simulated");

const kubeconfig = process.env.OPENCLAW_FLEET_TEST_KUBECONFIG ?? join(cacheRoot(), "clusters", "kubeconfig");
if (!process.env.OPENCLAW_FLEET_TEST_KUBECONFIG) {
  execFileSync(join(projectDir, "scripts/clusters.sh"), simulated ? ["up"] : ["up", "--real-node"], { stdio: ["ignore", "inherit", "inherit"] });
}

// The engine writes the stack's encryptionsalt into its stack file: a copy of the project in the cache takes it, and
// Pulumi.local.yaml in the checkout stays as committed. The copy also carries local-1's placement on the real node.
const workDir = projectCopy(projectDir, join(cacheRoot(), "demo-project"), "local");
if (!simulated) {
  const stackFile = join(workDir, "Pulumi.local.yaml");
  writeFileSync(stackFile, placeOnRealNode(readFileSync(stackFile, "utf8"), REAL_CLUSTER));
}
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
const gateways = result.outputs.gateways!.value as Record<string, GatewayOutput>;
console.log(`\n${rolloutTable(gateways)}`);
const fleet = result.outputs.fleet!.value as { complete: boolean };
console.log(`\nfleet complete: ${fleet.complete}   tokens: cd ${workDir} && pulumi stack output gatewayTokens --show-secrets -s local (KUBECONFIG=${kubeconfig})`);

if (!simulated) {
  // The gateway that really runs, called the way a client on the network would: through its Service.
  const url = await clusterIpUrl(kubeconfig, REAL_CONTEXT, gateways[REAL_CLUSTER]!.serviceUrl);
  const health = await fetch(`${url}/healthz`);
  console.log(`\n${REAL_CLUSTER} on the real node, through its Service (${url}):`);
  console.log(`  GET /healthz: ${health.status} ${(await health.text()).trim()}`);
  const token = ((result.outputs.gatewayTokens!.value ?? {}) as Record<string, string>)[REAL_CLUSTER];
  const install = ensureOpenclaw();
  const wsUrl = url.replace(/^http:/, "ws:");
  const authenticated = await healthCheck(install, wsUrl, token);
  console.log(`  openclaw gateway health with the stack's token: ${authenticated.ok ? "ok" : `FAILED: ${authenticated.output.trim()}`}`);
  const anonymous = await healthCheck(install, wsUrl, undefined);
  console.log(`  the same without a token: ${anonymous.ok ? "ANSWERED (the token is not enforced)" : "refused"}`);
  if (health.status !== 200 || !authenticated.ok || anonymous.ok) process.exit(1);
}
