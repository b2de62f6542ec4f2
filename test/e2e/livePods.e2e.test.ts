/**
 * The gateway on live pods: the same engine and program as the rest of the e2e suite, but local-1's gateway is
 * scheduled on the real node (`scripts/real-node.sh`: kubelet, containerd, runc, the OpenClaw image built offline),
 * where its container really starts, its probes really run and its state is really written. local-2 stays on the
 * kwok node (wave 1), so a canary that really fails on local-1 must leave it alone.
 *
 * Needs `scripts/clusters.sh up --real-node` (own mocha config: test/e2e/live.mocharc.json, `npm run test:live`).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { AppsV1Api, CoreV1Api, type V1Deployment, type V1PersistentVolumeClaim, type V1Pod, type V1Service } from "@kubernetes/client-node";
import { REAL_NODE_PLACEMENT } from "../../components/automation/realNodePlacement.js";
import { heapCapMebibytes } from "../../components/config/sizing.js";
import { OPENCLAW_VERSION } from "../../components/config/versions.js";
import { readPodWarnings } from "../../components/fleetops/podWarnings.js";
import { STATE_DIR } from "../../components/gateway/specs/paths.js";
import { ensureOpenclaw } from "../../components/openclaw/install.js";
import { waitFor, type TestCluster } from "../cluster/kube.js";
import { healthCheck } from "../contract/gateway/harness.js";
import { type E2eStack, type StackShape, useStacks } from "./harness.js";
import { REAL_NODE, condition, execIn, kubectlIn, podsIn, readyPodIn, requireRealNode } from "./livePod.js";

const run = promisify(execFile);
const IMAGE = (version: string) => `ghcr.io/openclaw/openclaw:${version}-slim`;
/** The release before the pinned one: both are built offline and loaded on the real node (scripts/real-node.sh). */
const PREVIOUS_VERSION = OPENCLAW_VERSION.replace(/\.(\d+)$/, (_, last: string) => `.${Number(last) - 1}`);
const namespace = "openclaw-live";

/** local-1 on the real node: the overrides `npm run demo` uses too. */
const onRealNode = REAL_NODE_PLACEMENT;

function shape(extra: { gateway?: Record<string, unknown>; local1?: Record<string, unknown> } = {}): StackShape {
  return {
    gateway: { image: IMAGE(PREVIOUS_VERSION), backup: { enabled: true, size: "1Gi", keep: 3 }, ...extra.gateway },
    overrides: { "local-1": { ...onRealNode, ...extra.local1 } },
  };
}

const livePods = (cluster: TestCluster) => podsIn(cluster, namespace);
const readyPod = (cluster: TestCluster, exceptUid?: string) => readyPodIn(cluster, namespace, exceptUid);
const exec = (cluster: TestCluster, pod: V1Pod, script: string) => execIn(cluster, namespace, pod, script);
const kubectl = (cluster: TestCluster, args: string[], timeout?: number) => kubectlIn(cluster, namespace, args, timeout);

/**
 * `openclaw gateway call` from inside the gateway's container, over loopback with the pod's own token: the gateway
 * grants a token-only client from another address no operator scopes (config.get answers "missing scope:
 * operator.read" through the Service; scopes need a paired device). The client's own files go to /tmp.
 */
async function gatewayCallInPod<T>(cluster: TestCluster, pod: V1Pod, method: string, params: object = {}): Promise<T> {
  const client = ["env", "HOME=/tmp/openclaw-cli", "OPENCLAW_STATE_DIR=/tmp/openclaw-cli/state", "OPENCLAW_GATEWAY_URL=ws://127.0.0.1:18789", "NO_COLOR=1"];
  const args = ["exec", pod.metadata!.name!, "-c", "gateway", "--", ...client, "node", "/app/dist/index.js", "gateway", "call", method, "--json", "--params", JSON.stringify(params)];
  return JSON.parse(await kubectl(cluster, args, 180_000)) as T;
}

/** The part of `config.get`'s answer the config scenario reads: the config the running gateway runs with (after a hot reload too). */
interface RunningConfig {
  runtimeConfig: { agents?: { defaults?: { timeoutSeconds?: number } } };
}

/** The directory on this machine that holds a claim (the local clusters' hostPath PVs). */
async function claimDirectory(cluster: TestCluster, claim: string): Promise<string> {
  const core = cluster.config.makeApiClient(CoreV1Api);
  const pvc = await core.readNamespacedPersistentVolumeClaim({ namespace, name: claim });
  const pv = await core.readPersistentVolume({ name: pvc.spec!.volumeName! });
  return pv.spec!.hostPath!.path;
}

async function serviceUrl(live: E2eStack): Promise<string> {
  const service = await live.live<V1Service>("local-1", "Service");
  return `ws://${service.spec!.clusterIP}:${service.spec!.ports![0]!.port}`;
}

async function token(live: E2eStack): Promise<string> {
  return ((await live.stack.outputs()).gatewayTokens!.value as Record<string, string>)["local-1"]!;
}

describe("end to end on live pods: the gateway on the real node", function () {
  this.timeout(20 * 60_000);
  const [live] = useStacks([{ name: "e2e-live", tenant: "live", shape: shape() }]) as [E2eStack];
  const marker = `marker-${randomBytes(8).toString("hex")}`;

  before(async function () {
    await requireRealNode(live.cluster("local-1"));
    // Leftovers of an earlier, interrupted run would carry an older marker: start from an empty tenant.
    await live.freshTenant();
  });

  it("first up: the pod starts on the real node, its probes pass on the real gateway, and the rollout is complete only after Ready", async () => {
    const { gateways } = await live.up();
    const upReturned = Date.now();
    assert.equal(gateways["local-1"]!.rollout.status, "complete", JSON.stringify(gateways["local-1"]));
    assert.equal(gateways["local-2"]!.rollout.status, "complete", JSON.stringify(gateways["local-2"]));
    const [pod] = await livePods(live.cluster("local-1"));
    assert.equal(pod!.spec!.nodeName, REAL_NODE);
    const gateway = pod!.status!.containerStatuses!.find((s) => s.name === "gateway")!;
    assert.equal(condition(pod!, "Ready")?.status, "True", JSON.stringify(pod!.status));
    assert.equal(gateway.started, true);
    assert.equal(gateway.restartCount, 0);
    assert.ok(gateway.state?.running, JSON.stringify(gateway.state));
    // The copy-config init container ran for real and exited 0.
    const copy = pod!.status!.initContainerStatuses!.find((s) => s.name === "copy-config")!;
    assert.equal(copy.state?.terminated?.exitCode, 0, JSON.stringify(copy.state));
    const created = +new Date(pod!.metadata!.creationTimestamp!);
    const started = +new Date(gateway.state!.running!.startedAt!);
    const readyAt = +new Date(condition(pod!, "Ready")!.lastTransitionTime!);
    assert.ok(readyAt <= upReturned, "pulumi up returned before the pod was Ready");
    assert.ok(readyAt >= started, "Ready before the container started");
    console.log(`      real start: pod created -> container running ${((started - created) / 1000).toFixed(1)} s -> Ready ${((readyAt - started) / 1000).toFixed(1)} s (${((readyAt - created) / 1000).toFixed(1)} s in all)`);
    // The probe endpoint answers with the gateway's health JSON (not a Control UI catch-all page).
    const answer = await exec(live.cluster("local-1"), pod!, "wget -q -O - http://127.0.0.1:18789/startupz");
    assert.equal(answer.code, 0, answer.output);
    assert.doesNotThrow(() => JSON.parse(answer.output), answer.output);
  });

  it("runtime hardening holds: UID 1000, no capabilities, read-only root, /tmp and the state volume writable, the heap cap", async () => {
    const cluster = live.cluster("local-1");
    const pod = await readyPod(cluster);
    const status = await exec(cluster, pod, "grep -E '^(Uid|Gid|CapEff|NoNewPrivs):' /proc/1/status; tr '\\0' ' ' < /proc/1/cmdline");
    assert.equal(status.code, 0, status.output);
    assert.match(status.output, /^Uid:\s+1000\s+1000\s+1000\s+1000$/m);
    assert.match(status.output, /^Gid:\s+1000\s+1000\s+1000\s+1000$/m);
    assert.match(status.output, /^CapEff:\s+0000000000000000$/m);
    assert.match(status.output, /^NoNewPrivs:\s+1$/m);
    assert.match(status.output, /\/app\/dist\/index\.js gateway run/);
    const root = await exec(cluster, pod, "touch /e2e-root-write");
    assert.notEqual(root.code, 0);
    assert.match(root.output, /Read-only file system/);
    const app = await exec(cluster, pod, "touch /app/e2e-write");
    assert.match(app.output, /Read-only file system/);
    const writable = await exec(cluster, pod, `touch /tmp/e2e-write && rm /tmp/e2e-write && touch ${STATE_DIR}/e2e-write && rm ${STATE_DIR}/e2e-write && echo writable`);
    assert.equal(writable.code, 0, writable.output);
    assert.match(writable.output, /writable/);
    // The state directory is the gateway's own (stateLayout.ts), so OpenClaw can keep it at 0700 and write its config.
    const owner = await exec(cluster, pod, `stat -c %u:%a ${STATE_DIR}`);
    assert.equal(owner.output.trim(), "1000:700", owner.output);
    const env = await exec(cluster, pod, "tr '\\0' '\\n' < /proc/1/environ | grep '^NODE_OPTIONS='");
    // The limit less what the gateway's version holds outside the heap (config/sizing.ts), as the process itself sees it.
    const image = pod.spec!.containers.find((container) => container.name === "gateway")?.image ?? pod.spec!.containers[0]!.image!;
    const cap = heapCapMebibytes(onRealNode.resources.limits.memory, image);
    assert.match(env.output, new RegExp(`^NODE_OPTIONS=--max-old-space-size=${cap}$`, "m"), env.output);
  });

  it("a real client through the Service: `openclaw gateway health` succeeds with the token, is refused without it or with a wrong one", async function () {
    this.timeout(5 * 60_000);
    const url = await serviceUrl(live);
    const install = ensureOpenclaw();
    const ok = await healthCheck(install, url, await token(live));
    assert.equal(ok.ok, true, ok.output);
    const wrong = await healthCheck(install, url, `wrong-${randomBytes(8).toString("hex")}`);
    assert.equal(wrong.ok, false, wrong.output);
    assert.match(wrong.output, /AUTH_TOKEN_MISMATCH/);
    const none = await healthCheck(install, url, undefined);
    assert.equal(none.ok, false, none.output);
    // Plain HTTP through the same Service: the liveness endpoint, unauthenticated by design.
    const health = await fetch(url.replace(/^ws:/, "http:") + "/healthz");
    assert.equal(health.status, 200);
  });

  it("config: overwrite rolls the pod and the running gateway reports the new value; in seed mode the gateway's own edit survives a restart and an up that changes the stack's value (no roll)", async function () {
    this.timeout(12 * 60_000);
    const cluster = live.cluster("local-1");
    /** What the running gateway itself reports (config.get), not the file the init container wrote. */
    const reported = async (pod: V1Pod) => (await gatewayCallInPod<RunningConfig>(cluster, pod, "config.get")).runtimeConfig.agents?.defaults?.timeoutSeconds;
    const timeout = (seconds: number) => ({ agents: { defaults: { timeoutSeconds: seconds } } });

    // overwrite (the default): a config change in the stack rolls the pod, and the new gateway runs with it.
    const before = await readyPod(cluster);
    live.write(shape({ local1: { config: timeout(601) } }));
    await live.up();
    const overwritten = await readyPod(cluster, before.metadata!.uid);
    assert.equal(await reported(overwritten), 601);

    // seed: the config on the state volume is the gateway's; the stack's only seeds a missing file.
    live.write(shape({ local1: { configMode: "seed", config: timeout(601) } }));
    await live.up();
    const seeded = await readyPod(cluster, overwritten.metadata!.uid);
    const current = await gatewayCallInPod<{ hash: string }>(cluster, seeded, "config.get");
    await gatewayCallInPod(cluster, seeded, "config.patch", { raw: JSON.stringify(timeout(777)), baseHash: current.hash });
    assert.equal(await waitFor("the gateway's own edit applied", 60_000, async () => ((await reported(seeded)) === 777 ? 777 : undefined)), 777);
    await cluster.config.makeApiClient(CoreV1Api).deleteNamespacedPod({ namespace, name: seeded.metadata!.name! });
    const restarted = await readyPod(cluster, seeded.metadata!.uid);
    assert.equal(await reported(restarted), 777, "the edit did not survive a restart in seed mode");
    // A new stack value in seed mode does not roll the pod (components/gateway/checksum.ts: the file on the volume is
    // the gateway's), and the gateway keeps its own edit; the restarted pod's copy kept the file.
    live.write(shape({ local1: { configMode: "seed", config: timeout(602) } }));
    await live.up();
    const kept = await readyPod(cluster);
    assert.equal(kept.metadata!.uid, restarted.metadata!.uid, "seed mode rolled the pod for a config change");
    assert.equal(await reported(kept), 777, "seed mode overwrote the gateway's edit on an up");
    const initLog = await kubectl(cluster, ["logs", kept.metadata!.name!, "-c", "copy-config"]);
    assert.match(initLog, /kept existing \(seed\)/);
    // Back to overwrite: the pod rolls (the init script and the checksum change) and the stack's value wins again.
    live.write(shape({ local1: { config: timeout(602) } }));
    await live.up();
    assert.equal(await reported(await readyPod(cluster, kept.metadata!.uid)), 602);
  });

  it("state: a marker on the state volume survives deleting the pod and an up that replaces it", async () => {
    const cluster = live.cluster("local-1");
    const first = await readyPod(cluster);
    const wrote = await exec(cluster, first, `echo ${marker} > ${STATE_DIR}/e2e-marker`);
    assert.equal(wrote.code, 0, wrote.output);
    await cluster.config.makeApiClient(CoreV1Api).deleteNamespacedPod({ namespace, name: first.metadata!.name! });
    const second = await readyPod(cluster, first.metadata!.uid);
    assert.equal((await exec(cluster, second, `cat ${STATE_DIR}/e2e-marker`)).output.trim(), marker);
    // An up that changes the pod template (an env var): Recreate replaces the pod on the same claim.
    live.write(shape({ local1: { env: { E2E_ROLL: "1" } } }));
    await live.up();
    const third = await readyPod(cluster, second.metadata!.uid);
    assert.equal((await exec(cluster, third, `cat ${STATE_DIR}/e2e-marker`)).output.trim(), marker);
  });

  it("upgrade: an image bump runs the backup for real (a verified archive on the backup claim); the restore runbook brings the marker back", async () => {
    const cluster = live.cluster("local-1");
    const before = await readyPod(cluster);
    live.write(shape({ gateway: { image: IMAGE(OPENCLAW_VERSION) }, local1: { env: { E2E_ROLL: "1" } } }));
    const bumped = await live.up();
    assert.equal(bumped.gateways["local-1"]!.rollout.status, "complete");
    const upgraded = await readyPod(cluster, before.metadata!.uid);
    const backup = upgraded.status!.initContainerStatuses!.find((s) => s.name === "backup-before-upgrade")!;
    assert.equal(backup.state?.terminated?.exitCode, 0, JSON.stringify(backup.state));
    // List it: the archive named after the version the state came from, on the backup claim's directory.
    const backupDir = await claimDirectory(cluster, bumped.gateways["local-1"]!.backupClaim!);
    const archives = readdirSync(backupDir).filter((name) => name.endsWith(`-openclaw-${PREVIOUS_VERSION}.tar.gz`));
    console.log(`      backup claim: ${readdirSync(backupDir).join(", ")}`);
    assert.equal(archives.length, 1, readdirSync(backupDir).join(", "));
    const listing = await run("tar", ["-tzf", join(backupDir, archives[0]!)], { maxBuffer: 64 * 2 ** 20 });
    assert.match(listing.stdout, /e2e-marker/);
    const version = await exec(cluster, upgraded, `cat ${STATE_DIR}/.openclaw-fleet-version`);
    assert.equal(version.output.trim(), OPENCLAW_VERSION);

    // The state changes after the backup; the restore must bring the archived marker back.
    assert.equal((await exec(cluster, upgraded, `echo changed-after-backup > ${STATE_DIR}/e2e-marker`)).code, 0);
    live.write(shape({ gateway: { image: IMAGE(OPENCLAW_VERSION) }, local1: { env: { E2E_ROLL: "1" }, restore: { archive: archives[0] } } }));
    const restoring = await live.up();
    assert.equal(restoring.gateways["local-1"]!.restoreArchive, archives[0]);
    const restored = await readyPod(cluster, upgraded.metadata!.uid);
    const restore = restored.status!.initContainerStatuses!.find((s) => s.name === "restore-state")!;
    assert.equal(restore.state?.terminated?.exitCode, 0, JSON.stringify(restore.state));
    assert.equal((await exec(cluster, restored, `cat ${STATE_DIR}/e2e-marker`)).output.trim(), marker);
    // Step 3 of the runbook: `restore` removed again.
    live.write(shape({ gateway: { image: IMAGE(OPENCLAW_VERSION) }, local1: { env: { E2E_ROLL: "1" } } }));
    await live.up();
    assert.equal((await exec(cluster, await readyPod(cluster, restored.metadata!.uid), `cat ${STATE_DIR}/e2e-marker`)).output.trim(), marker);
  });

  it("a canary that really crash-loops: a config the gateway refuses at boot ends in CrashLoopBackOff, up fails naming local-1, wave 1 untouched", async () => {
    const cluster = live.cluster("local-1");
    const wave1Before = await live.live<V1Deployment>("local-2", "Deployment");
    // A config the gateway refuses at boot (a key its schema does not know: the program passes gateway.config
    // through), and a release (an env change) for the whole fleet.
    live.write(
      shape({
        gateway: { image: IMAGE(OPENCLAW_VERSION), env: { E2E_RELEASE: "2" } },
        local1: {
          env: { E2E_ROLL: "1" },
          config: { e2eRefusedAtBoot: true },
          probes: { startup: { periodSeconds: 2, failureThreshold: 5 } },
          progressDeadlineSeconds: 30,
          terminationGracePeriodSeconds: 30,
        },
      }),
    );
    const attempt = await live.up().then(
      (result) => result,
      (error: Error) => error,
    );
    assert.ok(attempt instanceof Error, "up succeeded with a canary that exits at boot");
    assert.match(attempt.message, /local-1-deployment/);
    const crashing = await waitFor("the canary pod in CrashLoopBackOff", 180_000, async () => {
      const pods = await livePods(cluster);
      const gateway = pods.flatMap((pod) => pod.status?.containerStatuses ?? []).find((s) => s.name === "gateway");
      return gateway?.state?.waiting?.reason === "CrashLoopBackOff" ? gateway : undefined;
    });
    const crashed = (await livePods(cluster))[0]!;
    const previousLog = await kubectl(cluster, ["logs", crashed.metadata!.name!, "-c", "gateway", "--previous", "--tail", "30"]).catch((error: Error) => error.message);
    console.log(`      the gateway's last words: ${previousLog.split("\n").filter((line) => /e2eRefusedAtBoot|invalid|config/i.test(line)).slice(0, 3).join(" | ")}`);
    assert.match(previousLog, /e2eRefusedAtBoot/, `${JSON.stringify(crashing.lastState)}\n${previousLog}`);
    // The crash is the gateway's own refusal (its last words above), not a probe kill. Its exit code is logged, not
    // asserted: locally it is EX_CONFIG (78) every time, but one CI run recorded 0 ("Completed") for the same refusal.
    console.log(`      its exit: ${JSON.stringify(crashing.lastState?.terminated ?? crashing.lastState)}`);
    // Why the canary is not ready, as `fleet up` and `fleet status` read it (components/fleetops/podWarnings.ts): from a
    // real kubelet, the container's CrashLoopBackOff state and the kubelet's own Warning events about the pod.
    const warnings = await readPodWarnings({ namespace }, cluster.config);
    console.log(`      pod warnings: ${warnings.map((warning) => `${warning.reason} x${warning.count}: ${warning.message}`).join(" | ")}`);
    assert.ok(warnings.some((warning) => warning.reason === "CrashLoopBackOff"), JSON.stringify(warnings));
    assert.ok(warnings.some((warning) => ["BackOff", "Unhealthy"].includes(warning.reason) && warning.pod === crashed.metadata!.name), JSON.stringify(warnings));
    const wave1After = await live.live<V1Deployment>("local-2", "Deployment");
    assert.equal(wave1After.metadata!.generation, wave1Before.metadata!.generation);
    assert.ok(!JSON.stringify(wave1After.spec!.template.spec!.containers[0]!.env).includes("E2E_RELEASE"));
    // Back to the working release: the canary recovers on the same state.
    live.write(shape({ gateway: { image: IMAGE(OPENCLAW_VERSION) }, local1: { env: { E2E_ROLL: "1" } } }));
    const { gateways } = await live.up();
    assert.equal(gateways["local-1"]!.rollout.status, "complete");
    assert.equal((await exec(cluster, await readyPod(cluster), `cat ${STATE_DIR}/e2e-marker`)).output.trim(), marker);
  });

  it("destroy + up redeploys onto the retained state claim: the marker is still there", async () => {
    const cluster = live.cluster("local-1");
    live.write(shape({ gateway: { image: IMAGE(OPENCLAW_VERSION) }, local1: { env: { E2E_ROLL: "1" } } }));
    const claimBefore = await live.live<V1PersistentVolumeClaim>("local-1", "PersistentVolumeClaim");
    await live.destroy();
    await waitFor("the gateway pod gone", 120_000, async () => ((await livePods(cluster)).length === 0 ? true : undefined));
    const deployments = await cluster.config.makeApiClient(AppsV1Api).listNamespacedDeployment({ namespace });
    assert.deepEqual(deployments.items, []);
    const { gateways } = await live.up();
    assert.equal(gateways["local-1"]!.rollout.status, "complete");
    const claim = await live.live<V1PersistentVolumeClaim>("local-1", "PersistentVolumeClaim");
    assert.equal(claim.metadata!.uid, claimBefore.metadata!.uid);
    assert.equal((await exec(cluster, await readyPod(cluster), `cat ${STATE_DIR}/e2e-marker`)).output.trim(), marker);
  });
});
