/**
 * `npm run fleet` refusing what it must, on the real engine: a shared backend without a key of the user's (the
 * repository's passphrase is public), a stack file that does not say whether it is in the fleet, and a stack that
 * violates a mandatory policy of the repository's pack. The state is a `file://` backend in a temp dir: not the
 * cache's own, so it is held to a shared backend's rules. The CLI runs as a child process, as in a terminal.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { CoreV1Api } from "@kubernetes/client-node";
import { parse, stringify } from "yaml";
import { LOCAL_PASSPHRASE, localWorkspaceOptions, projectDir } from "../../components/automation/localPulumi.js";
import type { FleetReport } from "../../components/fleetops/fleetReport.js";
import { connect, testKubeconfigPath, type TestCluster } from "../cluster/kube.js";
import { E2eStack, namespaceGone, runScript } from "./harness.js";

const run = promisify(execFile);
const POLICY = "network-policy-per-gateway-namespace";

describe("end to end: what npm run fleet refuses (a shared backend without a key, unmarked stack files, policy violations)", function () {
  this.timeout(20 * 60_000);
  // Ring 0: a tenant whose gateways would run without a NetworkPolicy (a mandatory policy of policy/). Ring 1: a
  // compliant tenant, which a failing ring 0 must keep from starting. And a stack that says it is not in the fleet.
  const violating = new E2eStack("e2e-cli-policy", "e2e-cp", "");
  const next = new E2eStack("e2e-cli-next", "e2e-cn", "");
  const outside = new E2eStack("e2e-cli-off", "e2e-co", "");
  const unmarked = join(projectDir, "Pulumi.e2e-cli-unmarked.yaml");
  const backendDir = mkdtempSync(join(tmpdir(), "fleet-cli-backend-"));
  const backend = `file://${backendDir}`;
  const passphrase = randomBytes(32).toString("hex");
  const scratch = mkdtempSync(join(tmpdir(), "fleet-cli-e2e-"));
  let clusters: TestCluster[];

  /** `npm run fleet -- ARGS` over this suite's stacks, with the given key settings: exit code, stderr, report. */
  async function fleet(args: string[], key: { passphrase?: string } = { passphrase }) {
    const json = join(scratch, `${args[0]}.json`);
    rmSync(json, { force: true });
    const argv = [...args, "--stacks", "e2e-cli-*", "--concurrency", "2", "--json", json, "--html", join(scratch, `${args[0]}.html`)];
    const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_BACKEND_URL: backend, KUBECONFIG: testKubeconfigPath() };
    delete env.PULUMI_CONFIG_PASSPHRASE;
    delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
    if (key.passphrase !== undefined) env.PULUMI_CONFIG_PASSPHRASE = key.passphrase;
    const outcome = await runScript("fleet.ts", argv, env);
    return { ...outcome, report: () => JSON.parse(readFileSync(json, "utf8")) as FleetReport };
  }

  /** The stacks the backend holds (a file backend keeps one checkpoint per stack under .pulumi/stacks/<project>/). */
  const backendStacks = () => {
    const dir = join(backendDir, ".pulumi", "stacks", "openclaw-fleet");
    return existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith(".json")).map((file) => file.replace(/\.json$/, "")).sort() : [];
  };
  const namespaceExists = async (cluster: TestCluster, name: string) =>
    cluster.config.makeApiClient(CoreV1Api).readNamespace({ name }).then(() => true, () => false);

  before(async function () {
    this.timeout(5 * 60_000);
    violating.write({ fleet: true, ring: 0, gateway: { networkPolicy: { enabled: false } } });
    next.write({ fleet: true, ring: 1 });
    outside.write({ fleet: false, ring: 0 });
    clusters = violating.model().gateways.map((gateway) => connect(gateway.context!));
    for (const stack of [violating, next, outside]) for (const cluster of clusters) await namespaceGone(cluster, `openclaw-${stack.tenant}`);
  });

  after(async () => {
    try {
      // What the failed `up` deployed goes with `fleet destroy`; the retained Namespaces (and claims) after it.
      if (backendStacks().length > 0) await fleet(["destroy"]);
      for (const stack of [violating, next, outside]) for (const cluster of clusters ?? []) await namespaceGone(cluster, `openclaw-${stack.tenant}`);
    } finally {
      for (const file of [violating.file, next.file, outside.file, unmarked]) rmSync(file, { force: true });
      rmSync(backendDir, { recursive: true, force: true });
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("refuses a shared backend without the user's passphrase or key service: exit 2 naming them, no stack created", async () => {
    const before = [violating, next, outside].map((stack) => readFileSync(stack.file, "utf8"));
    // Unset or empty (an empty passphrase is as well known as the repository's), for a command that creates stacks and one that reads them.
    for (const [command, key] of [["up", {}], ["preview", { passphrase: "" }], ["status", {}]] as const) {
      const refused = await fleet([command], key);
      assert.equal(refused.code, 2, `${command}: ${refused.stderr}`);
      assert.match(refused.stderr, /not this machine's cache.*PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE.*--secrets-provider/s);
      assert.ok(!refused.stderr.includes(LOCAL_PASSPHRASE), "the repository's passphrase is named in the error");
    }
    assert.deepEqual(backendStacks(), []);
    // No `encryptionsalt` (or anything else) written into the stack files: no stack was created with any key.
    assert.deepEqual([violating, next, outside].map((stack) => readFileSync(stack.file, "utf8")), before);
  });

  it("refuses a stack file that does not say whether it is in the fleet, naming it, before anything runs", async () => {
    const config = structuredClone((parse(readFileSync(next.file, "utf8")) as { config: Record<string, unknown> }).config);
    delete config["openclaw-fleet:fleet"];
    writeFileSync(unmarked, stringify({ config: { ...config, "openclaw-fleet:tenant": "e2e-cu" } }));
    try {
      const refused = await fleet(["up"]);
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, /Pulumi\.e2e-cli-unmarked\.yaml: openclaw-fleet:fleet is not set; .*`fleet: true`.*`fleet: false`/);
      assert.deepEqual(backendStacks(), []);
    } finally {
      rmSync(unmarked, { force: true });
    }
  });

  it("runs the repository's policy pack: preview and up stop at the violating canary, ring 1 and the stack outside the fleet untouched; the state is under the user's key", async () => {
    const preview = await fleet(["preview"]);
    assert.equal(preview.code, 1, preview.stderr);
    assert.match(preview.stderr, new RegExp(`e2e-cli-policy \\(ring 0\\): .*policy openclaw-fleet/${POLICY}: .*Deployment openclaw-e2e-cp/openclaw-e2e-cp on local-\\d`));
    assert.match(preview.stderr, /policy pack .*\/policy\b/);
    assert.deepEqual(preview.report().stacks.map((s) => [s.stack, s.result]), [["e2e-cli-policy", "failed"], ["e2e-cli-next", "succeeded"]]);
    // A preview deploys nothing, even for the stack it refused.
    for (const cluster of clusters) assert.equal(await namespaceExists(cluster, "openclaw-e2e-cp"), false);

    const up = await fleet(["up"]);
    assert.equal(up.code, 1, up.stderr);
    assert.match(up.stderr, new RegExp(`fleet up failed on 1 stack\\(s\\); stopped after ring 0.*\\n  e2e-cli-policy \\(ring 0\\): .*policy openclaw-fleet/${POLICY}`, "s"));
    assert.deepEqual(up.report().stacks.map((s) => [s.stack, s.result]), [["e2e-cli-policy", "failed"], ["e2e-cli-next", "skipped"]]);
    for (const cluster of clusters) assert.equal(await namespaceExists(cluster, "openclaw-e2e-cn"), false, `ring 1 was started on ${cluster.context}`);
    // The stack that says fleet: false was never selected, created or deployed.
    assert.ok(!backendStacks().includes("e2e-cli-off"), backendStacks().join(", "));
    for (const cluster of clusters) assert.equal(await namespaceExists(cluster, "openclaw-e2e-co"), false);

    // What it created is encrypted with the user's passphrase (the state holds the gateway token), not the repository's.
    const { pulumiCommand, envVars } = await localWorkspaceOptions({ backendUrl: backend, passphrase });
    const exportWith = (key: string) =>
      run(pulumiCommand.command, ["stack", "export", "--show-secrets", "--stack", "e2e-cli-policy"], { cwd: projectDir, env: { ...process.env, ...envVars, PULUMI_CONFIG_PASSPHRASE: key }, maxBuffer: 64 * 1024 * 1024 });
    const state = JSON.parse((await exportWith(passphrase)).stdout) as { deployment: { resources?: { type: string }[] } };
    assert.ok(state.deployment.resources?.some((resource) => resource.type === "random:index/randomPassword:RandomPassword"), "the gateway token is in the state");
    await assert.rejects(exportWith(LOCAL_PASSPHRASE), /incorrect passphrase/i);
  });

  it("takes another policy pack with --policy-pack, and refuses a folder that is none", async () => {
    // The repository's pack with its NetworkPolicy rule advisory: the same stack then passes the preview.
    const pack = join(scratch, "advisory-pack");
    cpSync(join(projectDir, "policy"), pack, { recursive: true, filter: (source) => !source.includes("node_modules") });
    symlinkSync(join(projectDir, "policy", "node_modules"), join(pack, "node_modules"));
    const policies = readFileSync(join(pack, "policies.ts"), "utf8");
    const relaxed = policies.replace(new RegExp(`(name: "${POLICY}",[\\s\\S]*?enforcementLevel: )"mandatory"`), '$1"advisory"');
    assert.notEqual(relaxed, policies);
    writeFileSync(join(pack, "policies.ts"), relaxed);
    const preview = await fleet(["preview", "--policy-pack", pack]);
    assert.equal(preview.code, 0, preview.stderr);
    assert.match(preview.stderr, new RegExp(`policy pack ${pack}`));

    const none = await fleet(["preview", "--policy-pack", scratch]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /is not a Pulumi policy pack \(no PulumiPolicy\.yaml in it\)/);
  });
});
