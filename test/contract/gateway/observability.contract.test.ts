/**
 * The real gateway judges the observability keys the program writes: `openclaw config validate` for each mode,
 * and a gateway started with export on (headers from a Secret, JSON console logs) as the Deployment starts it.
 * No collector here: the pinned npm package does not ship the `diagnostics-otel` plugin, so nothing is exported in
 * this test. The collector's tests are collector.contract.test.ts (the sidecar's collector, the pinned gateway beside
 * it) and gatewayTelemetry.contract.test.ts (the gateway's own metrics, with the last release that ships the plugin).
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { buildGatewayManifests, type GatewayManifests } from "../../../components/gateway/manifests.js";
import type { GatewayContext } from "../../../components/gateway/context.js";
import { renderOpenclawConfig } from "../../../components/gateway/openclawConfig.js";
import { secretKeys } from "../../../components/gateway/specs/secret.js";
import { ensureOpenclaw, type OpenclawInstall } from "../../../components/openclaw/install.js";
import { validateOpenclawConfig, type ConfigIssue } from "../../../components/openclaw/validateConfig.js";
import { gatewayContexts } from "../../../components/render/renderFleet.js";
import { model } from "../../fixtures.js";
import { gatewayContainer, healthCheck, makePodDirs, removePodDirs, runInitContainer, startGateway, waitForProbe, type PodDirs, type RunningGateway } from "./harness.js";

function observed(observability: Record<string, unknown>, config: Record<string, unknown> = {}): GatewayContext {
  const fleet = model({
    tenant: "contract",
    environment: "staging",
    gateway: { observability, config },
    clusters: [{ name: "perm", region: "eu-west-1" }],
    apiKeys: { ANTHROPIC_API_KEY: "x" },
  });
  return gatewayContexts(fleet)[0]!;
}

const withHeaders = {
  enabled: true,
  endpoint: "http://127.0.0.1:4318",
  headersSecret: "otlp-auth",
  headerNames: ["x-honeycomb-team", "authorization"],
  signals: { traces: true, metrics: true, logs: true },
  sampleRate: 0.5,
  flushIntervalMs: 5000,
  serviceName: "contract-gateway",
  resourceAttributes: { "service.namespace": "contract" },
  logging: { consoleStyle: "json" },
};

const modes: { name: string; context: () => GatewayContext }[] = [
  { name: "an external endpoint, defaults for the rest", context: () => observed({ enabled: true, endpoint: "https://otlp.example.com" }) },
  { name: "headers from a Secret, every signal, sampling, flush interval and JSON console logs", context: () => observed(withHeaders) },
  {
    name: "per-signal endpoints only, content capture on",
    context: () =>
      observed({
        enabled: true,
        tracesEndpoint: "http://collector:4318/v1/traces",
        metricsEndpoint: "http://collector:4318/v1/metrics",
        signals: { logs: false },
        captureContent: true,
      }),
  },
  { name: "JSON console logs without export", context: () => observed({ enabled: false, logging: { consoleStyle: "json" } }) },
  { name: "export on beside the user's own plugins and otel keys", context: () => observed({ enabled: true, endpoint: "http://c:4318" }, { plugins: { allow: ["telegram"] }, diagnostics: { otel: { logsExporter: "both" } } }) },
];

/** The warnings expected of a validation without the pod's env or the image's plugins: nothing else may appear. */
function unexpectedWarnings(warnings: ConfigIssue[], context: GatewayContext): ConfigIssue[] {
  const podEnvNames = (gatewayContainer(buildGatewayManifests(context, secretValuesFor(context))).env ?? []).map((variable) => variable.name).concat("OPENCLAW_GATEWAY_TOKEN");
  return warnings.filter((warning) => {
    // The npm package leaves out the plugin the images ship ("plugin not installed: diagnostics-otel").
    if (warning.path === "plugins.entries.diagnostics-otel" && /plugin not installed/.test(warning.message)) return false;
    // Env references resolve in the pod; validate runs without its env.
    const missing = /Missing env var "([A-Z0-9_]+)"/.exec(warning.message);
    return !(missing && podEnvNames.includes(missing[1]!));
  });
}

function secretValuesFor(context: GatewayContext): Record<string, string> {
  return Object.fromEntries(secretKeys(context).map((key) => [key, `${key.toLowerCase()}-${randomBytes(24).toString("hex")}`]));
}

function filesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((entry) => join(dir, entry))
    .filter((path) => statSync(path, { throwIfNoEntry: false })?.isFile());
}

describe("gateway contract: observability keys", function () {
  let install: OpenclawInstall;

  before(function () {
    this.timeout(10 * 60_000);
    install = ensureOpenclaw();
  });

  for (const { name, context } of modes) {
    it(`validates with ${name}`, async () => {
      const verdict = await validateOpenclawConfig(install, renderOpenclawConfig(context()));
      assert.deepEqual(verdict.issues, []);
      assert.equal(verdict.valid, true);
      assert.deepEqual(unexpectedWarnings(verdict.warnings, context()), []);
    });
  }

  it("is refused by the gateway for the gRPC protocol, which the stack config therefore refuses first", async () => {
    const text = renderOpenclawConfig(observed({ enabled: true, endpoint: "http://c:4318" }, { diagnostics: { otel: { protocol: "grpc" } } }));
    const verdict = await validateOpenclawConfig(install, text);
    assert.equal(verdict.valid, false);
    assert.ok(verdict.issues.some((issue) => issue.path === "diagnostics.otel.protocol"), JSON.stringify(verdict.issues));
  });

  describe("export on, started as the Deployment starts it", function () {
    this.timeout(120_000);
    let manifests: GatewayManifests;
    let dirs: PodDirs;
    let gateway: RunningGateway | undefined;
    const headerValues: Record<string, string> = {};

    before(async function () {
      const context = observed(withHeaders);
      manifests = buildGatewayManifests(context, secretValuesFor(context));
      // What the kubelet resolves from the headers Secret (another controller keeps it).
      for (const variable of gatewayContainer(manifests).env ?? []) {
        if (variable.valueFrom?.secretKeyRef) headerValues[variable.name] = `header-${randomBytes(24).toString("hex")}`;
      }
      assert.equal(Object.keys(headerValues).length, 2);
      dirs = makePodDirs();
      await runInitContainer(manifests, dirs);
      gateway = await startGateway(manifests, dirs, install, { observe: (env) => ({ ...env, ...headerValues }) });
    });

    after(() => {
      gateway?.kill();
      removePodDirs(dirs);
    });

    it("passes its startup probe and answers health with the generated token", async () => {
      const { answer } = await waitForProbe(gateway!, gatewayContainer(manifests).startupProbe!);
      assert.equal(answer?.status, 200, gateway!.output().slice(-2000));
      const health = await healthCheck(install, gateway!.port, gateway!.token);
      assert.equal(health.ok, true, health.output);
    });

    it("writes its console log as JSON lines (logging.consoleStyle: json)", () => {
      const lines = gateway!.output().split("\n").filter((line) => line.trim().startsWith("{"));
      assert.ok(lines.length > 0, gateway!.output().slice(-2000));
      // The default off a TTY is OpenClaw's `compact` text; json gives one record per line with these fields.
      for (const line of lines) {
        const record = JSON.parse(line) as Record<string, unknown>;
        for (const field of ["time", "level", "message"]) assert.ok(field in record, `${field} missing in ${line}`);
      }
    });

    it("keeps the header values out of its config, state and logs", () => {
      const config = readFileSync(join(dirs.state, "openclaw.json"), "utf8");
      assert.match(config, /\$\{OPENCLAW_OTEL_HEADER_X_HONEYCOMB_TEAM\}/);
      const texts = [gateway!.output(), ...filesBelow(dirs.root).map((file) => readFileSync(file, "latin1"))];
      for (const value of Object.values(headerValues)) assert.ok(!texts.some((text) => text.includes(value)), "a header value was written or logged");
    });
  });
});
