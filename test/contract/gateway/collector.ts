/**
 * The real OpenTelemetry Collector for the gateway contract tests: built from tools/otelcol on first use, run with the
 * sidecar's generated config on free ports, and read through its Prometheus endpoint.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { stringify } from "yaml";
import type { GatewayManifests } from "../../../components/gateway/manifests.js";
import type { GatewayContext } from "../../../components/gateway/context.js";
import { activeSidecar, collectorConfig } from "../../../components/gateway/specs/collector.js";
import { gatewayContexts } from "../../../components/render/renderFleet.js";
import { model } from "../../fixtures.js";
import { freePort, gatewayContainer } from "./harness.js";

const run = promisify(execFile);
const projectDir = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** A sidecar stack: tenant `contract`, environment `staging`, cluster `perm` in `eu-west-1`. */
export function sidecarContext(): GatewayContext {
  const fleet = model({
    tenant: "contract",
    environment: "staging",
    // Metrics only: the sidecar serves metrics; a 1 s flush makes the gateway export as soon as it runs.
    gateway: { observability: { enabled: true, signals: { traces: false, metrics: true, logs: false }, flushIntervalMs: 1000, sidecar: { enabled: true } } },
    clusters: [{ name: "perm", region: "eu-west-1" }],
    apiKeys: { ANTHROPIC_API_KEY: "x" },
  });
  return gatewayContexts(fleet)[0]!;
}

/** The collector binary, built from tools/otelcol on first use (cold: about 14 minutes on 2 shared cores). */
export async function collectorBinary(): Promise<string> {
  const { stdout } = await run(join(projectDir, "scripts/build-tools.sh"), ["otelcol"], { cwd: projectDir, maxBuffer: 16 * 1024 * 1024 });
  return join(stdout.trim().split("\n").pop()!, "otelcol");
}

/** The gateway's OTEL_RESOURCE_ATTRIBUTES as the OpenTelemetry SDK reads them (`k=v,...`, values percent-encoded). */
export function resourceAttributes(manifests: GatewayManifests): Record<string, string> {
  const value = gatewayContainer(manifests).env!.find((variable) => variable.name === "OTEL_RESOURCE_ATTRIBUTES")!.value!;
  return Object.fromEntries(value.split(",").map((pair) => pair.split("=").map(decodeURIComponent) as [string, string]));
}

export async function scrape(port: number): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: await response.text() };
}

/** Polls until `check` holds (or the test's own timeout ends it): the collector and the gateway start asynchronously. */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  for (;;) {
    try {
      const value = await read();
      if (check(value)) return value;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 500));
  }
}

export interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** `name{labels} value` lines of a Prometheus text exposition, for the series named `prefix*`. */
export function series(body: string, prefix: string): Series[] {
  return body
    .split("\n")
    .filter((line) => line.startsWith(prefix))
    .map((line) => {
      const [, name, labels] = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\}\s/.exec(line) ?? [];
      return { name: name ?? line.split(" ")[0]!, value: Number(line.trim().split(/\s+/).at(-1)), labels: Object.fromEntries([...(labels ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((match) => [match[1]!, match[2]!])) };
    });
}

/** A collector running the sidecar's generated config; only its two ports differ from the pod's (free ones). */
export interface RunningCollector {
  binary: string;
  configFile: string;
  otlpPort: number;
  metricsPort: number;
  /** Starts the process; `output()` is what it logged. */
  start: () => void;
  /** Kills the process and starts a new one on the same ports, as the kubelet restarts a sidecar: a fresh, empty collector. */
  restart: () => Promise<void>;
  output: () => string;
  /** SIGKILL and removes its temp dir; safe to call at any time. */
  stop: () => void;
}

export async function prepareCollector(context: GatewayContext): Promise<RunningCollector> {
  const binary = await collectorBinary();
  const work = mkdtempSync(join(tmpdir(), "openclaw-otelcol-"));
  const [otlpPort, metricsPort] = [await freePort(), await freePort()];
  const config = collectorConfig(activeSidecar(context)!) as { receivers: { otlp: { protocols: { http: { endpoint: string } } } }; exporters: { prometheus: { endpoint: string } } };
  config.receivers.otlp.protocols.http.endpoint = `127.0.0.1:${otlpPort}`;
  config.exporters.prometheus.endpoint = `127.0.0.1:${metricsPort}`;
  const configFile = join(work, "config.yaml");
  writeFileSync(configFile, stringify(config));
  let child: ChildProcess | undefined;
  let output = "";
  const start = () => {
    child = spawn(binary, [`--config=${configFile}`], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (chunk) => (output += String(chunk)));
    child.stderr!.on("data", (chunk) => (output += String(chunk)));
  };
  const kill = async () => {
    const running = child;
    if (!running?.pid || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((done) => running.once("exit", done));
    running.kill("SIGKILL");
    await exited;
  };
  return {
    binary,
    configFile,
    otlpPort,
    metricsPort,
    start,
    restart: async () => {
      await kill();
      start();
    },
    output: () => output,
    stop: () => {
      void kill();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
