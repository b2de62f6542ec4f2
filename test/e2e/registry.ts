/**
 * A real OCI registry on loopback for the `fleet releases` tests: go-containerregistry's `crane registry serve`
 * (built from the Go module proxy by scripts/build-tools.sh, cached like the other tools), tags pushed with `crane`
 * (a tiny image of random bytes per repository, then more tags on it). And, because crane's registry has no auth, a
 * small token-auth front for it: a test HTTP server that answers unauthenticated requests with a Bearer challenge,
 * issues tokens for Basic credentials at its realm, and forwards authenticated requests to the real registry.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { projectDir } from "../../components/automation/localPulumi.js";

const run = promisify(execFile);

/** The crane binary, built on first use (cold: about a minute on 2 cores; warm: a stamp comparison). */
export async function craneBinary(): Promise<string> {
  const { stdout } = await run(join(projectDir, "scripts/build-tools.sh"), ["crane"], { cwd: projectDir, maxBuffer: 16 * 1024 * 1024 });
  return join(stdout.trim().split("\n").pop()!, "crane");
}

/** A loopback port nothing listens on (taken and released at once). */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitUntilServing(url: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`crane registry serve exited with ${child.exitCode}`);
    if (await fetch(url).then((response) => response.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`crane registry serve did not answer at ${url}`);
}

export interface LocalRegistry {
  /** `127.0.0.1:PORT`, as image references name it. */
  host: string;
  /** Pushes one image into `repository` under every tag given. */
  push(repository: string, tags: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

export async function startRegistry(crane: string): Promise<LocalRegistry> {
  const host = `127.0.0.1:${await freePort()}`;
  const child = spawn(crane, ["registry", "serve", "--address", host], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr!.on("data", (chunk: Buffer) => void (log = (log + chunk.toString()).slice(-4000)));
  const scratch = mkdtempSync(join(tmpdir(), "fleet-registry-"));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(`http://${host}/v2/`, child);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${log}`);
  }
  return {
    host,
    async push(repository, tags) {
      const [first, ...rest] = tags;
      const layerDir = mkdtempSync(join(scratch, "layer-"));
      writeFileSync(join(layerDir, "random"), randomBytes(64));
      const tarball = join(scratch, `${randomBytes(4).toString("hex")}.tar`);
      await run("tar", ["-cf", tarball, "-C", layerDir, "random"]);
      await run(crane, ["append", "--oci-empty-base", "-f", tarball, "-t", `${host}/${repository}:${first}`]);
      for (const tag of rest) await run(crane, ["tag", `${host}/${repository}:${first}`, tag]);
    },
    stop,
  };
}

export interface TokenAuthFront {
  host: string;
  /** Token requests seen: the Basic user they carried (if any) and the scope asked for. */
  tokenRequests: { user?: string; scope: string | null; service: string | null }[];
  stop(): Promise<void>;
}

/**
 * The Docker registry token flow in front of `upstream`: `/v2/...` without a valid Bearer token gets 401 and
 * `WWW-Authenticate: Bearer realm=".../token",service=...,scope="repository:<name>:pull"`; `/token` issues a token for
 * the given Basic credentials (401 otherwise); requests with an issued token are forwarded to the registry as they are.
 */
export async function startTokenAuthFront(upstream: string, credentials: { username: string; password: string }): Promise<TokenAuthFront> {
  const tokens = new Set<string>();
  const tokenRequests: TokenAuthFront["tokenRequests"] = [];
  let host = "";
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", `http://${host}`);
    if (url.pathname === "/token") {
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const [user, ...password] = basic ? Buffer.from(basic, "base64").toString().split(":") : [];
      tokenRequests.push({ ...(user !== undefined ? { user } : {}), scope: url.searchParams.get("scope"), service: url.searchParams.get("service") });
      if (user !== credentials.username || password.join(":") !== credentials.password) {
        res.writeHead(401, { "Content-Type": "application/json" }).end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED" }] }));
        return;
      }
      const token = randomBytes(16).toString("hex");
      tokens.add(token);
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ token }));
      return;
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (bearer === undefined || !tokens.has(bearer)) {
      const name = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname)?.[1];
      const scope = name ? `,scope="repository:${name}:pull"` : "";
      res.writeHead(401, { "WWW-Authenticate": `Bearer realm="http://${host}/token",service="fleet-test-registry"${scope}`, "Content-Type": "application/json" });
      res.end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED" }] }));
      return;
    }
    const [upstreamHost, upstreamPort] = upstream.split(":");
    const headers = { ...req.headers, host: upstream };
    delete headers.authorization;
    const forwarded = request({ host: upstreamHost, port: Number(upstreamPort), method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.on("error", () => res.writeHead(502).end());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    tokenRequests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
