import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { CONTAINER_LOG_BYTES, STOP_MARGIN_SECONDS, TMP_WORKING_BYTES } from "../../../components/config/podBudgets.js";
import { footprintFor } from "../../../components/config/gatewayFootprint.js";
import { quantityToNumber } from "../../../components/config/quantity.js";
import { GATEWAY_STOP_POLICY_SECONDS, OPENCLAW_VERSION } from "../../../components/config/versions.js";
import type { GatewayContext } from "../../../components/gateway/context.js";
import { buildGatewayManifests, type GatewayManifests } from "../../../components/gateway/manifests.js";
import { renderOpenclawConfig } from "../../../components/gateway/openclawConfig.js";
import { secretKeys } from "../../../components/gateway/specs/secret.js";
import { ensureOpenclaw, type OpenclawInstall } from "../../../components/openclaw/install.js";
import { validateOpenclawConfig } from "../../../components/openclaw/validateConfig.js";
import { gatewayContexts } from "../../../components/render/renderFleet.js";
import { loadStackFile } from "../../../components/render/renderStack.js";
import { model } from "../../fixtures.js";
import {
  connectHandshake,
  diskUsageBytes,
  fileSize,
  gatewayContainer,
  gatewayLogFile,
  healthCheck,
  makePodDirs,
  openSession,
  probeOnce,
  probeSucceeded,
  removePodDirs,
  runInitContainer,
  startGateway,
  waitForProbe,
  type PodDirs,
  type RunningGateway,
} from "./harness.js";
import { groupCpuSeconds, meterMemory, withMemoryPreload, type Footprint } from "./footprint.js";

const run = promisify(execFile);
const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** A one-cluster stack built from the user-facing config, for permutations the stack files do not cover. */
function permutation(gateway: Record<string, unknown>, cluster: Record<string, unknown> = {}): GatewayContext {
  const fleet = model({ tenant: "contract", environment: "staging", gateway, clusters: [{ name: "perm", ...cluster }], apiKeys: { ANTHROPIC_API_KEY: "x" } });
  return gatewayContexts(fleet)[0]!;
}

const stackContexts = (stack: string) => gatewayContexts(loadStackFile(projectDir, stack));

/** Fresh secret values per run, so a leak check can look for exactly these strings. */
function secretValuesFor(context: GatewayContext): Record<string, string> {
  return Object.fromEntries(secretKeys(context).map((key) => [key, `${key.toLowerCase()}-${randomBytes(24).toString("hex")}`]));
}

/** Every regular file below a directory. */
function filesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((entry) => join(dir, entry))
    .filter((path) => statSync(path, { throwIfNoEntry: false })?.isFile());
}

const scenarios: { name: string; context: () => GatewayContext }[] = [
  { name: "dev stack (seed mode, no ingress)", context: () => stackContexts("dev")[0]! },
  { name: "prod stack (overwrite mode, ingress with TLS)", context: () => stackContexts("prod")[0]! },
  {
    name: "user config overrides",
    context: () =>
      permutation({
        configMode: "overwrite",
        config: { gateway: { trustedProxies: ["10.0.0.0/8"] }, agents: { defaults: { sandbox: { mode: "off" } } }, logging: { level: "debug" } },
      }),
  },
];

describe(`gateway contract: openclaw ${OPENCLAW_VERSION} judges what the program generates`, function () {
  let install: OpenclawInstall;

  before(function () {
    this.timeout(10 * 60_000); // a cold install is ~650 MB from the npm registry
    install = ensureOpenclaw();
  });

  it("runs the same OpenClaw version the Deployment's default image pins", () => {
    const manifest = JSON.parse(readFileSync(join(install.packageDir, "package.json"), "utf8")) as { version: string };
    assert.equal(manifest.version, OPENCLAW_VERSION);
    const image = gatewayContainer(buildGatewayManifests(permutation({}), secretValuesFor(permutation({})))).image!;
    assert.ok(image.includes(`:${manifest.version}`), image);
  });

  describe("generated openclaw.json", () => {
    const contexts: { name: string; context: () => GatewayContext }[] = [
      ...["dev", "prod"].flatMap((stack) => stackContexts(stack).map((context) => ({ name: `${stack}/${context.gateway.cluster}`, context: () => context }))),
      { name: "seed mode", context: () => permutation({ configMode: "seed" }) },
      { name: "ingress on, TLS off", context: () => permutation({ ingress: { enabled: true, tls: { enabled: false } } }, { host: "claw.example.com" }) },
      ...scenarios.slice(2),
    ];
    for (const { name, context } of contexts) {
      it(`validates for ${name}`, async () => {
        const verdict = await validateOpenclawConfig(install, renderOpenclawConfig(context()));
        assert.deepEqual(verdict.issues, []);
        assert.equal(verdict.valid, true);
      });
    }

    it("is refused, with the JSON path, when a user override names an unknown key", async () => {
      const verdict = await validateOpenclawConfig(install, renderOpenclawConfig(permutation({ config: { gateway: { bogus: true } } })));
      assert.equal(verdict.valid, false);
      assert.ok(verdict.issues.some((issue) => issue.path === "gateway" && /bogus/.test(issue.message)), JSON.stringify(verdict.issues));
    });

    it("is refused with a host string as bind, which is why the program owns `bind`", async () => {
      const config = JSON.parse(renderOpenclawConfig(permutation({}))) as { gateway: { bind: string } };
      config.gateway.bind = "0.0.0.0";
      const verdict = await validateOpenclawConfig(install, JSON.stringify(config));
      assert.equal(verdict.valid, false);
      assert.ok(verdict.issues.some((issue) => issue.path === "gateway.bind"), JSON.stringify(verdict.issues));
    });
  });

  describe("npm run check-config", () => {
    const checkConfig = (...args: string[]) =>
      run(process.execPath, ["--import", "tsx", join(projectDir, "scripts/check-config.ts"), ...args], { cwd: projectDir, timeout: 120_000 }).then(
        ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
        (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? -1, output: `${error.stdout ?? ""}${error.stderr ?? ""}` }),
      );

    it("accepts the prod stack", async () => {
      const result = await checkConfig("--stack", "prod");
      assert.equal(result.code, 0, result.output);
      assert.match(result.output, /ok +eu-west/);
      assert.match(result.output, /ok +us-east/);
    });

    it("fails a stack whose override the gateway would refuse, naming the cluster and the JSON path", async () => {
      const dir = mkdtempSync(join(tmpdir(), "check-config-"));
      try {
        const config = {
          "openclaw-fleet:tenant": "acme",
          "openclaw-fleet:environment": "dev",
          "openclaw-fleet:clusters": [{ name: "good" }, { name: "broken", overrides: { config: { gateway: { bogus: true } } } }],
        };
        writeFileSync(join(dir, "Pulumi.yaml"), readFileSync(join(projectDir, "Pulumi.yaml"), "utf8"));
        writeFileSync(join(dir, "Pulumi.pr.yaml"), stringify({ config }));
        const result = await checkConfig("--stack", "pr", "--project", dir);
        assert.equal(result.code, 1, result.output);
        assert.match(result.output, /ok +good/);
        assert.match(result.output, /broken: gateway: Unrecognized key: "bogus"/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("init container copy script", () => {
    let dirs: PodDirs;
    beforeEach(() => (dirs = makePodDirs()));
    afterEach(() => removePodDirs(dirs));

    const manifestsFor = (configMode: string) => {
      const context = permutation({ configMode });
      return buildGatewayManifests(context, secretValuesFor(context));
    };
    const configFile = () => join(dirs.state, "openclaw.json");

    it("writes the generated config into an empty state volume in both modes", async () => {
      for (const mode of ["overwrite", "seed"]) {
        rmSync(dirs.state, { recursive: true, force: true });
        const manifests = manifestsFor(mode);
        await runInitContainer(manifests, dirs);
        assert.equal(readFileSync(configFile(), "utf8"), manifests.configMap.data!["openclaw.json"], mode);
      }
    });

    it("overwrites an edited config in overwrite mode, leaving no temp file", async () => {
      const manifests = manifestsFor("overwrite");
      await runInitContainer(manifests, dirs);
      writeFileSync(configFile(), '{"edited": "by the gateway"}\n');
      await runInitContainer(manifests, dirs);
      assert.equal(readFileSync(configFile(), "utf8"), manifests.configMap.data!["openclaw.json"]);
      assert.deepEqual(readdirSync(dirs.state), ["openclaw.json"]);
    });

    it("leaves an edited config alone in seed mode", async () => {
      const manifests = manifestsFor("seed");
      await runInitContainer(manifests, dirs);
      writeFileSync(configFile(), '{"edited": "by the gateway"}\n');
      const log = await runInitContainer(manifests, dirs);
      assert.equal(readFileSync(configFile(), "utf8"), '{"edited": "by the gateway"}\n');
      assert.match(log, /kept existing/);
    });
  });

  for (const scenario of scenarios) {
    describe(`${scenario.name}, started as the Deployment starts it`, function () {
      this.timeout(120_000); // each client call may take a while on a loaded 2-core machine (see healthCheck)
      let manifests: GatewayManifests;
      let secrets: Record<string, string>;
      let dirs: PodDirs;
      let gateway: RunningGateway | undefined;
      let stopMs: number | undefined;
      let logBytesAtStart = 0;
      let memory: { stop: () => Footprint } | undefined;
      let startCpuSeconds: number | undefined;
      const container = () => gatewayContainer(manifests);

      before(async function () {
        const context = scenario.context();
        secrets = secretValuesFor(context);
        manifests = buildGatewayManifests(context, secrets);
        dirs = makePodDirs();
        await runInitContainer(manifests, dirs);
        logBytesAtStart = fileSize(gatewayLogFile());
        gateway = await startGateway(manifests, dirs, install, { observe: (env) => withMemoryPreload(env, dirs.root) });
        memory = meterMemory(gateway.child.pid!, join(dirs.root, "memory-samples.jsonl"));
      });

      // Never leave a gateway behind, whatever failed.
      after(() => {
        memory?.stop();
        gateway?.kill();
        removePodDirs(dirs);
      });

      it("passes the startup probe within the budget the Deployment declares", async function () {
        const probe = container().startupProbe!;
        this.timeout(((probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3) + 30) * 1000);
        const { answer, afterMs } = await waitForProbe(gateway!, probe);
        startCpuSeconds = groupCpuSeconds(gateway!.child.pid!);
        assert.ok(answer, `startup probe ${probe.httpGet!.path} never succeeded in ${afterMs} ms; gateway output:\n${gateway!.output().slice(-3000)}`);
        // A real endpoint, not the Control UI's catch-all 200 for unknown paths.
        assert.equal(JSON.parse(answer.body).status, "started");
      });

      it("passes the readiness and liveness probes, each within its timeout", async () => {
        for (const probe of [container().readinessProbe!, container().livenessProbe!]) {
          const answer = await probeOnce(gateway!.port, probe);
          assert.ok(probeSucceeded(answer), `${probe.httpGet!.path} answered ${answer?.status}`);
          assert.ok(answer!.elapsedMs <= (probe.timeoutSeconds ?? 1) * 1000);
          assert.doesNotThrow(() => JSON.parse(answer!.body), `${probe.httpGet!.path} served HTML, not its health JSON`);
        }
      });

      it("answers `openclaw gateway health` with the generated token", async () => {
        const health = await healthCheck(install, gateway!.port, gateway!.token);
        assert.equal(health.ok, true, health.output);
      });

      it("refuses a wrong token", async () => {
        const health = await healthCheck(install, gateway!.port, `wrong-${randomBytes(8).toString("hex")}`);
        assert.equal(health.ok, false);
        assert.match(health.output, /AUTH_TOKEN_MISMATCH/);
        const handshake = await connectHandshake(gateway!.port, "not-the-token");
        assert.equal(handshake.ok, false);
      });

      it("refuses a client without a token", async () => {
        const handshake = await connectHandshake(gateway!.port);
        assert.equal(handshake.ok, false, "the gateway accepted a connect without credentials");
        const control = await connectHandshake(gateway!.port, gateway!.token);
        assert.equal(control.ok, true, `the same handshake with the token was refused: ${JSON.stringify(control.error)}`);
      });

      it(`stays within the memory and start CPU recorded for OpenClaw ${OPENCLAW_VERSION}, which the Deployment's sizing fits`, () => {
        // After the start, the probes and the client calls above: the gateway as a pod holds it when idle.
        const measured = memory!.stop();
        const { version, footprint } = footprintFor(container().image!);
        console.log(
          `      measured: start ${startCpuSeconds?.toFixed(1)} s CPU; resident peak ${measured.peakMiB.toFixed(0)} MiB, idle ${measured.idleMiB.toFixed(0)} MiB; ` +
            `heap peak ${measured.peakHeapMiB.toFixed(0)} MiB, outside it up to ${measured.nonHeapMiB.toFixed(0)} MiB (recorded for ${version}: ${JSON.stringify(footprint)})`,
        );
        const update = `: OpenClaw ${version} uses more than components/config/gatewayFootprint.ts records; record the new figures (the defaults and the heap cap follow)`;
        assert.ok(startCpuSeconds !== undefined && startCpuSeconds > 0, "no start CPU measured");
        assert.ok(measured.nonHeapMiB > 0 && measured.peakHeapMiB > 0, "the memory preload reported nothing");
        assert.ok(measured.peakMiB <= footprint.peakMiB, `resident peak ${measured.peakMiB.toFixed(0)} MiB${update}`);
        assert.ok(measured.idleMiB <= footprint.idleMiB, `idle ${measured.idleMiB.toFixed(0)} MiB${update}`);
        assert.ok(measured.peakHeapMiB <= footprint.peakHeapMiB, `heap ${measured.peakHeapMiB.toFixed(0)} MiB${update}`);
        assert.ok(measured.nonHeapMiB <= footprint.nonHeapMiB, `outside the heap ${measured.nonHeapMiB.toFixed(0)} MiB${update}`);
        assert.ok(startCpuSeconds <= footprint.startCpuSeconds, `start ${startCpuSeconds} s CPU${update}`);
        // And the pod spec leaves it that room: the heap cap plus what was measured outside the heap fits the limit.
        const limitMiB = quantityToNumber(String(container().resources!.limits!.memory)) / 2 ** 20;
        const heapCap = Number(/--max-old-space-size=(\d+)/.exec(container().env!.find((e) => e.name === "NODE_OPTIONS")!.value!)![1]);
        assert.ok(heapCap + measured.nonHeapMiB < limitMiB, `heap cap ${heapCap} MiB + ${measured.nonHeapMiB.toFixed(0)} MiB outside it against a ${limitMiB} MiB limit`);
        assert.ok(heapCap >= 2 * measured.peakHeapMiB, `heap cap ${heapCap} MiB leaves the ${measured.peakHeapMiB.toFixed(0)} MiB heap no room to collect`);
      });

      it("writes to /tmp, its file log and stdout far less than the ephemeral-storage budget", () => {
        // Measured after a start, the probes and health calls: what the gateway's own caches and logs take.
        const tmpBytes = diskUsageBytes(dirs.tmp);
        const logBytes = fileSize(gatewayLogFile()) - logBytesAtStart; // includes any other gateway run on this machine meanwhile
        const stdoutBytes = Buffer.byteLength(gateway!.output());
        console.log(`      measured: /tmp ${tmpBytes} B, file log +${logBytes} B, stdout ${stdoutBytes} B`);
        const margin = 10;
        assert.ok((tmpBytes + logBytes) * margin <= TMP_WORKING_BYTES, `/tmp and file log ${tmpBytes + logBytes} B against ${TMP_WORKING_BYTES} B of working space`);
        assert.ok(stdoutBytes * margin <= CONTAINER_LOG_BYTES, `stdout ${stdoutBytes} B`);
        const limit = quantityToNumber(String(container().resources!.limits!["ephemeral-storage"]!));
        const sizeLimit = quantityToNumber(String(manifests.deployment.spec!.template.spec!.volumes!.find((volume) => volume.name === "tmp")!.emptyDir!.sizeLimit!));
        assert.ok((tmpBytes + logBytes + stdoutBytes) * margin <= sizeLimit && sizeLimit < limit, `limit ${limit} B, /tmp sizeLimit ${sizeLimit} B`);
      });

      it("logs the stop policy the Deployment's grace period is fitted to", () => {
        const budget = /shutdown budget at startup: drain=(\d+)ms shutdown=(\d+)ms .*source=Gateway stop policy=(\d+)ms/.exec(gateway!.output());
        assert.ok(budget, `no shutdown budget line in the gateway output:\n${gateway!.output().slice(-3000)}`);
        const [drainMs, shutdownMs, policyMs] = budget.slice(1).map(Number) as [number, number, number];
        assert.equal(policyMs, GATEWAY_STOP_POLICY_SECONDS * 1000);
        assert.ok(drainMs < shutdownMs && shutdownMs < policyMs);
        const graceSeconds = manifests.deployment.spec!.template.spec!.terminationGracePeriodSeconds!;
        assert.ok(graceSeconds >= GATEWAY_STOP_POLICY_SECONDS + STOP_MARGIN_SECONDS, `grace ${graceSeconds} s`);
      });

      it("stops on SIGTERM with an open client session, within the Deployment's terminationGracePeriodSeconds", async function () {
        const graceSeconds = manifests.deployment.spec!.template.spec!.terminationGracePeriodSeconds!;
        this.timeout((graceSeconds + 30) * 1000);
        const session = await openSession(gateway!.port, gateway!.token);
        stopMs = await gateway!.stop();
        const closeCode = await Promise.race([session.closed, new Promise<string>((resolve) => setTimeout(() => resolve("open"), 5000))]);
        console.log(`      measured: stopped ${stopMs} ms after SIGTERM with a session open; the client saw close code ${closeCode}`);
        assert.ok(stopMs <= graceSeconds * 1000, `took ${stopMs} ms, grace is ${graceSeconds} s`);
        assert.notEqual(closeCode, "open", "the gateway exited without closing the session");
      });

      it("wrote and logged no secret value", () => {
        assert.ok(stopMs !== undefined, "runs after the gateway stopped");
        const written = [...filesBelow(dirs.root), ...filesBelow("/tmp/openclaw").filter((file) => statSync(file).mtimeMs >= gateway!.startedAt - 1000)];
        for (const value of Object.values(secrets)) {
          assert.doesNotMatch(gateway!.output(), new RegExp(value), "gateway output");
          for (const file of written) assert.ok(!readFileSync(file).includes(value), `${file} contains a secret value`);
        }
      });

      it("kept the token a reference in the config it was given", () => {
        assert.match(readFileSync(join(dirs.state, "openclaw.json"), "utf8"), /"\$\{OPENCLAW_GATEWAY_TOKEN\}"/);
      });

      it("wrote nothing in HOME outside the state volume (the root filesystem is read-only)", () => {
        // ~/.openclaw is the state claim's mount point (its stand-in is dirs.state, outside HOME): HOME stays empty.
        assert.deepEqual(readdirSync(dirs.home), []);
      });
    });
  }
});
