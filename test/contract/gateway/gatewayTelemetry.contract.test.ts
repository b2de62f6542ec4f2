/**
 * Item 4 of issue 20, the gateway's own telemetry: the real gateway, started with the openclaw.json and env the program
 * generates for a sidecar stack, exports its metrics to the real collector running the sidecar's generated config, and
 * the collector's Prometheus endpoint serves them as `openclaw_*` series labelled from the resource attributes the
 * program sets. Nothing in this test builds an OTLP request.
 *
 * The version: OpenClaw exports through its bundled `diagnostics-otel` plugin. The npm `openclaw` package ships it
 * (dist/extensions/diagnostics-otel) up to 2026.4.27 and not from 2026.5.3 on, so the pinned 2026.9.6 cannot export
 * here (collector.contract.test.ts asserts what it does instead). This test runs the last npm release that ships the
 * plugin, with the config the program writes for the pinned version, unchanged: 2026.4.27 accepts every key of it.
 *
 * Deliberate differences from the pod, as in the other contract tests: free ports instead of 4318 and 9464 (the
 * gateway's metrics URL is pointed at the collector's port) and OPENCLAW_GATEWAY_PORT.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { buildGatewayManifests, type GatewayManifests } from "../../../components/gateway/manifests.js";
import type { GatewayContext } from "../../../components/gateway/context.js";
import { SIDECAR_METRICS_URL } from "../../../components/gateway/specs/collector.js";
import { secretKeys } from "../../../components/gateway/specs/secret.js";
import { ensureOpenclaw, type OpenclawInstall } from "../../../components/openclaw/install.js";
import { validateOpenclawConfig } from "../../../components/openclaw/validateConfig.js";
import { ASSERTED_GATEWAY_METRICS } from "../../gatewayMetrics.js";
import { eventually, prepareCollector, resourceAttributes, scrape, series, sidecarContext, type RunningCollector, type Series } from "./collector.js";
import { gatewayContainer, healthCheck, makePodDirs, removePodDirs, runInitContainer, startGateway, waitForProbe, type PodDirs, type RunningGateway } from "./harness.js";

/** The last npm `openclaw` release whose package ships the `diagnostics-otel` plugin (checked with `npm pack` + `tar -t`). */
export const EXPORTING_OPENCLAW_VERSION = "2026.4.27";

/** The exporter's own lifecycle counter: the plugin counts `started` for each signal when it starts (service.ts). */
const EXPORTER_EVENTS = "openclaw_telemetry_exporter_events_total";

/**
 * At start, 2026.4.27 installs its bundled plugins' runtime dependencies with npm (into the state volume's
 * `plugin-runtime-deps`); a pod reaches the registry over 443. This machine reaches it through a proxy whose CA only
 * NODE_EXTRA_CA_CERTS names, so that one variable of the machine is passed on; nothing the program set changes.
 */
function withMachineCertificates(env: Record<string, string>): Record<string, string> {
  return process.env.NODE_EXTRA_CA_CERTS ? { ...env, NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : env;
}

/**
 * `gateway health` with the generated token, asked again only when the client timed out (10 s): right after its first
 * start 2026.4.27 can be too busy to answer on a loaded machine. A refused token fails at once.
 */
async function health(install: OpenclawInstall, gateway: RunningGateway): Promise<{ ok: boolean; output: string }> {
  for (let attempt = 1; ; attempt++) {
    const answer = await healthCheck(install, gateway.port, gateway.token);
    if (answer.ok || attempt === 3 || !/gateway timeout/.test(answer.output)) return answer;
  }
}

describe(`gateway contract: the gateway's own metrics reach the real collector (openclaw@${EXPORTING_OPENCLAW_VERSION}, the last npm release with diagnostics-otel)`, function () {
  this.timeout(120_000);
  let install: OpenclawInstall;
  let context: GatewayContext;
  let manifests: GatewayManifests;
  let secretValues: Record<string, string>;
  let collector: RunningCollector | undefined;
  let dirs: PodDirs | undefined;
  let gateway: RunningGateway | undefined;

  before(async function () {
    this.timeout(40 * 60_000);
    install = ensureOpenclaw(EXPORTING_OPENCLAW_VERSION);
    context = sidecarContext();
    secretValues = Object.fromEntries(secretKeys(context).map((key) => [key, randomBytes(24).toString("hex")]));
    manifests = buildGatewayManifests(context, secretValues);
    collector = await prepareCollector(context);
    collector.start();
    await eventually(() => scrape(collector!.metricsPort), (answer) => answer.status === 200);
    const configText = manifests.configMap.data!["openclaw.json"]!;
    assert.ok(configText.includes(SIDECAR_METRICS_URL), configText);
    const pointed = { ...manifests, configMap: { ...manifests.configMap, data: { "openclaw.json": configText.replace(SIDECAR_METRICS_URL, `http://127.0.0.1:${collector.otlpPort}/v1/metrics`) } } };
    dirs = makePodDirs();
    await runInitContainer(pointed, dirs);
    gateway = await startGateway(pointed, dirs, install, { observe: withMachineCertificates });
  });

  after(() => {
    gateway?.kill();
    if (dirs) removePodDirs(dirs);
    collector?.stop();
  });

  it("is a package that ships the plugin, and accepts the generated openclaw.json as it is (no issue, no warning of a missing plugin)", async () => {
    assert.ok(existsSync(join(install.packageDir, "dist", "extensions", "diagnostics-otel", "openclaw.plugin.json")), `no diagnostics-otel in ${install.packageDir}`);
    const verdict = await validateOpenclawConfig(install, manifests.configMap.data!["openclaw.json"]!);
    assert.equal(verdict.valid, true, JSON.stringify(verdict));
    assert.deepEqual(verdict.issues, []);
    assert.deepEqual(verdict.warnings.filter((warning) => /diagnostics-otel|plugin/.test(`${warning.path} ${warning.message}`)), []);
  });

  it("starts with export on: passes its startup probe and answers `gateway health` with the generated token", async function () {
    this.timeout(5 * 60_000);
    const { answer } = await waitForProbe(gateway!, gatewayContainer(manifests).startupProbe!);
    assert.equal(answer?.status, 200, gateway!.output().slice(-2000));
    const healthy = await health(install, gateway!);
    assert.equal(healthy.ok, true, healthy.output);
    assert.doesNotMatch(gateway!.output(), /Failed to install missing configured plugin|plugin not installed|diagnostics-otel: failed/);
  });

  it("exports its own openclaw_* metrics, which the collector serves with the tenant, cluster, environment and region labels", async function () {
    this.timeout(3 * 60_000);
    const { body } = await eventually(() => scrape(collector!.metricsPort), (answer) => series(answer.body, EXPORTER_EVENTS).length > 0);
    const own = series(body, "openclaw_");
    // The plugin's own word that the metrics exporter started, counted by the gateway and exported over OTLP.
    const started = own.filter((each) => each.name === EXPORTER_EVENTS && each.labels.openclaw_signal === "metrics" && each.labels.openclaw_status === "started");
    assert.equal(started.length, 1, body);
    assert.equal(started[0]!.labels.openclaw_exporter, "diagnostics-otel");
    const expected = resourceAttributes(manifests);
    assert.deepEqual(
      { tenant: expected.tenant, cluster: expected["k8s.cluster.name"], environment: expected["deployment.environment.name"], region: expected["cloud.region"] },
      { tenant: "contract", cluster: "perm", environment: "staging", region: "eu-west-1" },
    );
    // The names the Grafana dashboard may chart (test/gatewayMetrics.ts): each one served, from this gateway.
    for (const name of ASSERTED_GATEWAY_METRICS) assert.ok(own.some((each) => each.name === name), `${name} not served:\n${body}`);
    for (const { name, labels } of own) {
      assert.equal(labels.tenant, "contract", name);
      assert.equal(labels.k8s_cluster_name, "perm", name);
      assert.equal(labels.deployment_environment_name, "staging", name);
      assert.equal(labels.cloud_region, "eu-west-1", name);
      assert.equal(labels.service_name, "openclaw-gateway", name);
    }
  });

  it("serves no secret value: neither the gateway token nor an API key appears in the scrape", async () => {
    const { body } = await scrape(collector!.metricsPort);
    assert.ok(series(body, "openclaw_").length > 0, body);
    for (const [key, value] of Object.entries(secretValues)) assert.ok(!body.includes(value), `${key}'s value is in /metrics`);
  });

  it("keeps exporting while it runs: a restarted collector (empty) serves the gateway's series again without a gateway restart", async function () {
    this.timeout(3 * 60_000);
    const before = series((await scrape(collector!.metricsPort)).body, "openclaw_");
    console.log(`      (series the gateway exported: ${[...new Set(before.map((each) => each.name))].sort().join(", ")}; labels: ${Object.keys(before.find((each) => each.name === EXPORTER_EVENTS)?.labels ?? {}).join(", ")})`);
    await collector!.restart();
    // The new process starts empty; only the gateway's periodic export (cumulative, every flushIntervalMs) fills it.
    const { body } = await eventually(() => scrape(collector!.metricsPort), (answer) => series(answer.body, EXPORTER_EVENTS).length > 0);
    const started = series(body, EXPORTER_EVENTS).filter((each) => each.labels.openclaw_signal === "metrics" && each.labels.openclaw_status === "started");
    assert.equal(started.length, 1, body);
    assert.equal(started[0]!.value, 1, body);
    assert.equal(started[0]!.labels.tenant, "contract");
    assert.equal(gateway!.child.exitCode, null, "the gateway exited");
  });
});
