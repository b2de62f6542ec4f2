/**
 * `npm run promote -- --from dev --to stage` on the real engine and the local clusters: a dev-like and a stage-like
 * stack of one tenant (`e2e-prm-dev` -> `e2e-prm-stage`), each deployed by `pulumi up`, their state in this suite's
 * file backend. The dev stack runs a newer image and an app config fragment; promote checks its gates through the
 * engine, writes only the release keys into the stage stack file, writes nothing the second time, and `npm run fleet
 * -- up` rolls the promoted release out. A drifted source (a file that says what no update applied, a Deployment
 * deleted behind the engine's back) and a failed one are refused with exit 1, nothing written. The CLIs run as child
 * processes, as in a terminal. Bad input (the same or an unknown environment, a cluster pinning a release key) exits 2
 * before any engine runs.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AppsV1Api } from "@kubernetes/client-node";
import { parse, stringify } from "yaml";
import { LOCAL_PASSPHRASE } from "../../components/automation/localPulumi.js";
import type { FleetReport } from "../../components/fleetops/fleetReport.js";
import { testKubeconfigPath } from "../cluster/kube.js";
import { useStacks, type E2eStack, type StackShape, runScript } from "./harness.js";

const IMAGE = (version: string) => `ghcr.io/openclaw/openclaw:${version}-slim`;
const APP_CONFIG = { agents: { defaults: { timeoutSeconds: 600 } } };

// A rollout that never completes: requests no node can hold, a short deadline (as in fleetRings.e2e.test.ts).
const NEVER_READY = {
  resources: { requests: { cpu: "900", memory: "512Mi" }, limits: { cpu: "900", memory: "1Gi" } },
  probes: { startup: { periodSeconds: 5, failureThreshold: 2 } },
  progressDeadlineSeconds: 20,
  terminationGracePeriodSeconds: 30,
};

describe("end to end: npm run promote carries dev's release to stage, release keys only", function () {
  this.timeout(20 * 60_000);
  const devShape: StackShape = { environment: "dev", fleet: false, gateway: { image: IMAGE("2026.9.7"), config: APP_CONFIG } };
  const stageShape: StackShape = { environment: "staging", fleet: true, ring: 0, gateway: { image: IMAGE("2026.9.6"), storage: { size: "1Gi" } } };
  const [dev, stage] = useStacks([
    { name: "e2e-prm-dev", tenant: "e2e-pd", shape: devShape },
    { name: "e2e-prm-stage", tenant: "e2e-ps", shape: stageShape },
  ]) as [E2eStack, E2eStack];

  const env = (): NodeJS.ProcessEnv => ({ ...process.env, PULUMI_BACKEND_URL: `file://${dev.stateDir}`, PULUMI_CONFIG_PASSPHRASE: LOCAL_PASSPHRASE, KUBECONFIG: testKubeconfigPath() });
  async function cli(script: string, args: string[]) {
    return runScript(script, args, env());
  }
  const promote = (...extra: string[]) => cli("promote.ts", ["--from", "dev", "--to", "stage", "--stacks", "e2e-prm-*", ...extra]);
  const stageText = () => readFileSync(stage.file, "utf8");
  const config = (text: string) => (parse(text) as { config: Record<string, any> }).config;

  before(async function () {
    this.timeout(10 * 60_000);
    await dev.up();
    await stage.up();
  });

  it("--dry-run passes the gates and prints the diff of release keys, writing nothing", async () => {
    const before = stageText();
    const { code, stdout, stderr } = await promote("--dry-run");
    assert.equal(code, 0, stderr);
    assert.match(stderr, /promote dev -> stage: checking e2e-prm-dev/);
    assert.match(stdout, /^Pulumi\.e2e-prm-stage\.yaml \(from e2e-prm-dev\):$/m);
    assert.match(stdout, /^ {2}openclaw-fleet:gateway\.image: ghcr\.io\/openclaw\/openclaw:2026\.9\.6-slim -> ghcr\.io\/openclaw\/openclaw:2026\.9\.7-slim$/m);
    assert.match(stdout, /^ {2}openclaw-fleet:gateway\.config: sha256:[0-9a-f]{12} -> sha256:[0-9a-f]{12}$/m);
    assert.doesNotMatch(stdout, /timeoutSeconds|storage|resources/);
    assert.match(stdout, /--dry-run: nothing written/);
    assert.equal(stageText(), before);
  });

  it("writes only the release keys into the stage stack file; a second promote writes nothing; fleet up rolls it out", async () => {
    const before = stageText();
    const promoted = await promote();
    assert.equal(promoted.code, 0, promoted.stderr);
    assert.match(promoted.stdout, /written: Pulumi\.e2e-prm-stage\.yaml/);
    const [was, now] = [config(before), config(stageText())];
    assert.equal(now["openclaw-fleet:gateway"].image, IMAGE("2026.9.7"));
    assert.deepEqual(now["openclaw-fleet:gateway"].config, APP_CONFIG);
    // Every other key as it was: stage's own storage, tenant, environment, ring, fleet, clusters; and the engine's encryptionsalt.
    const { image: _i, config: _c, ...gatewayNow } = now["openclaw-fleet:gateway"];
    const { image: _j, ...gatewayWas } = was["openclaw-fleet:gateway"];
    assert.deepEqual(gatewayNow, gatewayWas);
    for (const key of Object.keys(was).filter((key) => key !== "openclaw-fleet:gateway")) assert.deepEqual(now[key], was[key], key);
    assert.equal((parse(stageText()) as { encryptionsalt?: string }).encryptionsalt, (parse(before) as { encryptionsalt?: string }).encryptionsalt);

    const after = stageText();
    const again = await promote();
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /nothing to promote/);
    assert.equal(stageText(), after, "the second promote changed the stack file");

    // The release reaches stage's clusters through the fleet, as docs/releases.md says.
    const up = await cli("fleet.ts", ["up", "--stacks", "e2e-prm-stage", "--json", join(dev.stateDir, "report.json"), "--html", join(dev.stateDir, "report.html")]);
    assert.equal(up.code, 0, up.stderr);
    const report = JSON.parse(readFileSync(join(dev.stateDir, "report.json"), "utf8")) as FleetReport;
    const cells = report.stacks.find((each) => each.stack === "e2e-prm-stage")!;
    assert.equal(cells.result, "succeeded");
    for (const gateway of stage.model().gateways) {
      const deployment = await stage.cluster(gateway.cluster).config.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: `openclaw-${stage.tenant}`, namespace: gateway.namespace });
      assert.equal(deployment.spec!.template.spec!.containers.find((c) => c.name === "gateway")!.image, IMAGE("2026.9.7"), gateway.cluster);
    }
  });

  it("refuses a drifted source, nothing written: a stack file no update applied, a Deployment deleted behind the engine's back", async () => {
    const before = stageText();
    dev.write({ ...devShape, gateway: { ...devShape.gateway, image: IMAGE("2026.9.8") } });
    const unapplied = await promote();
    assert.equal(unapplied.code, 1, unapplied.stderr);
    assert.match(unapplied.stderr, /promote dev -> stage refused; nothing written:\n {2}e2e-prm-dev: drifted: preview --refresh would change update [^\n]*deployment[^\n]*; what runs is not what its stack file says: run npm run fleet -- up --stacks e2e-prm-dev/);
    assert.equal(stageText(), before);

    await dev.up();
    const [first] = dev.model().gateways;
    await dev.cluster(first!.cluster).config.makeApiClient(AppsV1Api).deleteNamespacedDeployment({ name: `openclaw-${dev.tenant}`, namespace: first!.namespace });
    const deleted = await promote();
    assert.equal(deleted.code, 1, deleted.stderr);
    assert.match(deleted.stderr, /e2e-prm-dev: drifted: preview --refresh would change create [^\n]*deployment/);
    assert.equal(stageText(), before);
  });

  it("refuses a source whose last update failed, nothing written", async () => {
    const before = stageText();
    dev.write({ ...devShape, gateway: { ...devShape.gateway, image: IMAGE("2026.9.9") }, overrides: { "local-1": NEVER_READY } });
    await assert.rejects(dev.up());
    const refused = await promote();
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /e2e-prm-dev: its last update failed; fix the stack and run npm run fleet -- up --stacks e2e-prm-dev/);
    assert.equal(stageText(), before);
  });

  it("refuses bad input with exit 2 before any engine runs, nothing written: the same or an unknown environment, a release key the target pins per cluster", async () => {
    const same = await cli("promote.ts", ["--from", "dev", "--to", "dev"]);
    assert.equal(same.code, 2);
    assert.match(same.stderr, /--from dev --to dev: the same environment/);
    const unknown = await cli("promote.ts", ["--from", "dev", "--to", "qa"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--to qa: unknown environment; the environments are dev -> stage -> prod/);

    const original = stageText();
    const pinned = parse(original) as { config: Record<string, any> };
    pinned.config["openclaw-fleet:clusters"][1].overrides = { image: IMAGE("2026.9.5") };
    const pinnedText = stringify(pinned);
    writeFileSync(stage.file, pinnedText);
    try {
      const refused = await promote();
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, /Pulumi\.e2e-prm-stage\.yaml: openclaw-fleet:clusters\[1\]\.overrides\.image \(local-2\) pins a release key, so the promoted release would not reach that cluster/);
      assert.doesNotMatch(refused.stderr, /checking e2e-prm-dev/, "the gates ran on bad input");
      assert.equal(stageText(), pinnedText);
    } finally {
      writeFileSync(stage.file, original);
    }
  });
});
