import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { projectDir } from "../../components/automation/localPulumi.js";
import { REAL_NODE_PLACEMENT, placeOnRealNode } from "../../components/automation/realNodePlacement.js";
import { loadStackFile } from "../../components/render/renderStack.js";

type Clusters = Array<{ name: string; overrides?: Record<string, unknown> }>;
const clustersOf = (text: string) => (parse(text) as { config: Record<string, unknown> }).config["openclaw-fleet:clusters"] as Clusters;

describe("placeOnRealNode (npm run demo's local-1 on the real node)", () => {
  const local = readFileSync(join(projectDir, "Pulumi.local.yaml"), "utf8");

  it("places only the named cluster, keeping the rest of the stack file", () => {
    const placed = placeOnRealNode(local, "local-1");
    const [one, two] = clustersOf(placed);
    assert.deepEqual(one!.overrides, REAL_NODE_PLACEMENT);
    assert.equal(two!.overrides, undefined);
    const before = parse(local) as { config: Record<string, unknown> };
    const after = parse(placed) as { config: Record<string, unknown> };
    assert.deepEqual({ ...after.config, "openclaw-fleet:clusters": undefined }, { ...before.config, "openclaw-fleet:clusters": undefined });
  });

  it("keeps the cluster's own overrides beside the placement", () => {
    const withOwn = local.replace("wave: 0", "wave: 0\n      overrides: { env: { DEMO: \"1\" } }");
    const [one] = clustersOf(placeOnRealNode(withOwn, "local-1"));
    assert.deepEqual(one!.overrides!.env, { DEMO: "1" });
    assert.deepEqual(one!.overrides!.nodeSelector, { "openclaw-fleet/node": "real" });
  });

  it("the placed stack still loads, with the toleration and the resources the real start needs", () => {
    const dir = mkdtempSync(join(tmpdir(), "real-node-placement-"));
    copyFileSync(join(projectDir, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
    writeFileSync(join(dir, "Pulumi.local.yaml"), placeOnRealNode(local, "local-1"));
    const model = loadStackFile(dir, "local");
    rmSync(dir, { recursive: true, force: true });
    const gateway = model.gateways.find((g) => g.cluster === "local-1")!;
    assert.deepEqual(gateway.settings.nodeSelector, { "openclaw-fleet/node": "real" });
    assert.equal(gateway.settings.resources.limits.memory, "2Gi");
  });

  it("names the config path when the cluster is not in the stack", () => {
    assert.throws(() => placeOnRealNode(local, "eu-west"), /openclaw-fleet:clusters: no cluster named eu-west/);
  });
});
