/**
 * Runs what the Deployment describes, outside Kubernetes, with the real OpenClaw gateway from npm: the init
 * container's script with `sh`, then the gateway container's command and env (from the generated Secret and
 * Deployment). Container paths are mapped onto temp dirs: the state volume (standing in for the PVC), the
 * config seed (the ConfigMap), `/tmp` (the emptyDir), HOME, and `/app` (the image's install dir, which the
 * npm package mirrors). The one deliberate difference: OPENCLAW_GATEWAY_PORT picks a free port.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { IContainer, IProbe } from "kubernetes-models/v1";
import type { GatewayManifests } from "../../../components/gateway/manifests.js";
import { STATE_SUBPATH } from "../../../components/gateway/scripts/prepareState.js";
import { AGENT_CONTENT_DIR, BACKUP_DIR, CONFIG_SEED_DIR, STATE_CLAIM_DIR, STATE_DIR } from "../../../components/gateway/specs/paths.js";
import type { OpenclawInstall } from "../../../components/openclaw/install.js";

export { gatewayClient, healthCheck } from "../../../components/openclaw/client.js";

const run = promisify(execFile);

export interface PodDirs {
  root: string;
  home: string;
  state: string;
  /** The state claim's root (where prepare-state sees it); `state` is its `state/`. */
  claim: string;
  seed: string;
  tmp: string;
  /** The backup claim. */
  backups: string;
  /** The agent-content ConfigMap, as the agent-content init container sees it. */
  agentContent: string;
}

/** A fresh set of directories for one "pod"; `state` survives across runs when reused. */
export function makePodDirs(): PodDirs {
  const root = mkdtempSync(join(tmpdir(), "openclaw-pod-"));
  const home = join(root, "home");
  const claim = join(root, "claim");
  // The state is the claim's `state/` directory, as the pod mounts it (specs/stateLayout.ts).
  const dirs = { root, home, claim, state: join(claim, STATE_SUBPATH), seed: join(root, "seed"), tmp: join(root, "tmp"), backups: join(root, "backups"), agentContent: join(root, "agent-content") };
  for (const dir of [home, claim, dirs.seed, dirs.tmp, dirs.backups, dirs.agentContent]) mkdirSync(dir, { recursive: true });
  return dirs;
}

export function removePodDirs(dirs: PodDirs): void {
  rmSync(dirs.root, { recursive: true, force: true });
}

export function gatewayContainer(manifests: GatewayManifests): IContainer {
  return manifests.deployment.spec!.template.spec!.containers.find((c) => c.name === "gateway")!;
}

/** Replaces container paths with their stand-ins, longest first so `/home/node/.openclaw` wins over `/home/node`. */
function pathMapper(dirs: PodDirs, install: OpenclawInstall | undefined): (text: string) => string {
  const mapping: [string, string][] = [
    [STATE_DIR, dirs.state],
    [STATE_CLAIM_DIR, dirs.claim],
    [CONFIG_SEED_DIR, dirs.seed],
    [BACKUP_DIR, dirs.backups],
    [AGENT_CONTENT_DIR, dirs.agentContent],
    ["/home/node", dirs.home],
    ["/tmp", dirs.tmp],
    ...(install ? ([["/app", install.packageDir]] as [string, string][]) : []),
  ];
  mapping.sort((a, b) => b[0].length - a[0].length);
  // One pass, whole path segments only: the stand-ins themselves live under the host's /tmp.
  const pattern = new RegExp(`(?<![\\w.-])(${mapping.map(([from]) => from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})(?=/|$|["'\\s])`, "g");
  const targets = new Map(mapping);
  return (text) => text.replace(pattern, (from) => targets.get(from)!);
}

function containerEnv(container: IContainer, manifests: GatewayManifests, map: (text: string) => string): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
  for (const source of container.envFrom ?? []) {
    if (source.secretRef?.name === manifests.secret.metadata!.name) Object.assign(env, manifests.secret.stringData);
  }
  for (const variable of container.env ?? []) env[variable.name] = map(variable.value ?? "");
  return env;
}

/** Writes the ConfigMap's files where the init container sees them, then runs its script with `sh`. */
export async function runInitContainer(manifests: GatewayManifests, dirs: PodDirs): Promise<string> {
  for (const [file, content] of Object.entries(manifests.configMap.data ?? {})) writeFileSync(join(dirs.seed, file), content);
  const result = await runNamedInitContainer(manifests, dirs, "copy-config");
  if (result.code !== 0) throw new Error(`copy-config exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

/** Puts the agent-content ConfigMap's keys where its init container sees them, replacing what was there (a new ConfigMap version). */
export function writeAgentContent(manifests: GatewayManifests, dirs: PodDirs): void {
  rmSync(dirs.agentContent, { recursive: true, force: true });
  mkdirSync(dirs.agentContent);
  for (const [key, content] of Object.entries(manifests.agentContent?.data ?? {})) writeFileSync(join(dirs.agentContent, key), content);
}

export interface InitContainerRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one init container's command with `sh` and its env, `/app` mapped to the npm package (the backup and
 * restore containers run the OpenClaw CLI). Resolves with the exit code, as the kubelet would see it.
 */
export async function runNamedInitContainer(manifests: GatewayManifests, dirs: PodDirs, name: string, install?: OpenclawInstall): Promise<InitContainerRun> {
  const container = manifests.deployment.spec!.template.spec!.initContainers!.find((c) => c.name === name);
  if (!container) throw new Error(`no init container ${name}`);
  const map = pathMapper(dirs, install);
  const [shell, ...args] = container.command!.map(map);
  try {
    const { stdout, stderr } = await run(shell === "sh" ? "/bin/sh" : shell!, args, { env: containerEnv(container, manifests, map), cwd: dirs.home, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failure.code === "number" ? failure.code : -1, stdout: failure.stdout ?? "", stderr: failure.stderr ?? "" };
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface RunningGateway {
  port: number;
  token: string;
  startedAt: number;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM, as the kubelet sends it; resolves with how long the process took to exit. */
  stop: () => Promise<number>;
  /** SIGKILL of the whole process group; safe to call at any time. */
  kill: () => void;
}

/**
 * The env of the OpenClaw CLI as a user runs it in the gateway's pod (`kubectl exec`): the pod's home and state, a
 * cache in its /tmp, and the running gateway's port and token.
 */
export function cliEnvBeside(dirs: PodDirs, gateway: Pick<RunningGateway, "port" | "token">): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: dirs.home,
    OPENCLAW_STATE_DIR: dirs.state,
    XDG_CACHE_HOME: join(dirs.tmp, ".cache"),
    OPENCLAW_GATEWAY_PORT: String(gateway.port),
    OPENCLAW_GATEWAY_TOKEN: gateway.token,
    NO_COLOR: "1",
  };
}

/** Starts the gateway container's command with its env, as the kubelet would. */
export async function startGateway(
  manifests: GatewayManifests,
  dirs: PodDirs,
  install: OpenclawInstall,
  options: { observe?: (env: Record<string, string>) => Record<string, string> } = {},
): Promise<RunningGateway> {
  const container = gatewayContainer(manifests);
  const map = pathMapper(dirs, install);
  const port = await freePort();
  const podEnv: Record<string, string> = { ...containerEnv(container, manifests, map), OPENCLAW_GATEWAY_PORT: String(port) };
  // A measurement may add to the env (a preload that reports memory); it never changes what the program set.
  const env = options.observe ? options.observe(podEnv) : podEnv;
  const [command, ...args] = container.command!.map(map);
  // The image's `node` is this Node (>= 24.16, which the gateway requires).
  const child = spawn(command === "node" ? process.execPath : command!, args, { env, cwd: dirs.home, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += String(chunk)));
  child.stderr!.on("data", (chunk) => (output += String(chunk)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const kill = () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // Already gone.
    }
  };
  return {
    port,
    token: env.OPENCLAW_GATEWAY_TOKEN!,
    startedAt: Date.now(),
    child,
    output: () => output,
    kill,
    stop: async () => {
      const start = Date.now();
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      const elapsed = Date.now() - start;
      kill(); // helpers the gateway spawned (its spawn broker) go with it, as they would with the pod
      return elapsed;
    },
  };
}

export interface ProbeAnswer {
  status: number;
  body: string;
  elapsedMs: number;
}

/** One HTTP probe the way the kubelet makes it: GET, the probe's timeout, any status 200-399 is success. */
export async function probeOnce(port: number, probe: IProbe): Promise<ProbeAnswer | undefined> {
  const start = Date.now();
  try {
    const response = await fetch(`http://127.0.0.1:${port}${probe.httpGet!.path}`, { signal: AbortSignal.timeout((probe.timeoutSeconds ?? 1) * 1000) });
    return { status: response.status, body: await response.text(), elapsedMs: Date.now() - start };
  } catch {
    return undefined; // refused or timed out: a failed probe
  }
}

export const probeSucceeded = (answer: ProbeAnswer | undefined) => answer !== undefined && answer.status >= 200 && answer.status < 400;

/** How long Kubernetes lets a probe keep failing before it acts (the startup budget, for a startup probe). */
export function probeBudgetMs(probe: IProbe): number {
  return ((probe.initialDelaySeconds ?? 0) + (probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3)) * 1000;
}

/** Polls a probe until it succeeds or its budget runs out; returns the first success and when it came. */
export async function waitForProbe(gateway: RunningGateway, probe: IProbe): Promise<{ answer?: ProbeAnswer; afterMs: number }> {
  const deadline = gateway.startedAt + probeBudgetMs(probe);
  while (Date.now() < deadline && gateway.child.exitCode === null) {
    const answer = await probeOnce(gateway.port, probe);
    if (probeSucceeded(answer)) return { answer, afterMs: Date.now() - gateway.startedAt };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { afterMs: Date.now() - gateway.startedAt };
}

/** An authenticated operator session the gateway holds open, as the Control UI keeps one. */
export interface OpenSession {
  /** Resolves with the close code once the gateway (or anything) closes the socket. */
  closed: Promise<number>;
  close: () => void;
}

/** Connects with the token and keeps the socket open; rejects if the gateway refuses the connect. */
export function openSession(port: number, token: string): Promise<OpenSession> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}`);
    const closed = new Promise<number>((done) => socket.addEventListener("close", (event) => done(event.code)));
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error("no answer to connect within 10 s"));
    }, 10_000);
    socket.onmessage = (message) => {
      const frame = JSON.parse(String(message.data)) as { type?: string; event?: string; id?: string; ok?: boolean; error?: unknown };
      if (frame.type === "event" && frame.event === "connect.challenge") socket.send(JSON.stringify({ type: "req", id: "connect-1", method: "connect", params: connectParams(token) }));
      else if (frame.type === "res" && frame.id === "connect-1") {
        clearTimeout(timer);
        if (frame.ok === true) resolve({ closed, close: () => socket.close() });
        else reject(new Error(`connect refused: ${JSON.stringify(frame.error)}`));
      }
    };
    socket.onerror = () => {
      clearTimeout(timer);
      reject(new Error("WebSocket error"));
    };
  });
}

/** The `connect` request a CLI operator client sends, optionally carrying a token. */
function connectParams(token: string | undefined) {
  return {
    minProtocol: 1,
    maxProtocol: 99,
    client: { id: "cli", version: "contract-test", platform: process.platform, mode: "cli" },
    role: "operator",
    scopes: ["operator.read"],
    ...(token === undefined ? {} : { auth: { token } }),
  };
}

/**
 * Bytes a directory takes on disk (allocated blocks, as the kubelet counts an emptyDir). Missing: 0.
 */
export function diskUsageBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((entry) => lstatSync(join(dir, entry)))
    .filter((stat) => stat.isFile())
    .reduce((total, stat) => total + stat.blocks * 512, 0);
}

/**
 * The gateway's file log of today. OpenClaw writes it to `/tmp/openclaw` whatever TMPDIR says, so here it lands in
 * the host's /tmp (shared with other gateways run on this machine), not in the pod's stand-in.
 */
export function gatewayLogFile(now = new Date()): string {
  const day = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
  return `/tmp/openclaw/openclaw-${day}.log`;
}

export function fileSize(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.size ?? 0;
}

/**
 * The first frame the gateway answers a raw WebSocket `connect` with, optionally carrying a token. This is
 * the server's own verdict: the CLI refuses to even try without credentials, so it cannot show that.
 */
export function connectHandshake(port: number, token?: string): Promise<{ ok: boolean; error?: { code?: string; message?: string } }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}`);
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error("no answer to connect within 10 s"));
    }, 10_000);
    socket.onmessage = (message) => {
      const frame = JSON.parse(String(message.data)) as { type?: string; event?: string; id?: string; ok?: boolean; error?: { code?: string; message?: string } };
      if (frame.type === "event" && frame.event === "connect.challenge") {
        socket.send(JSON.stringify({ type: "req", id: "connect-1", method: "connect", params: connectParams(token) }));
      } else if (frame.type === "res" && frame.id === "connect-1") {
        clearTimeout(timer);
        socket.close();
        resolve({ ok: frame.ok === true, error: frame.error });
      }
    };
    socket.onerror = () => {
      clearTimeout(timer);
      reject(new Error("WebSocket error"));
    };
  });
}
